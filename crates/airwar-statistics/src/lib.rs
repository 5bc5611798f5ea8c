//! # airwar-statistics: streaming statistics in flat memory
//!
//! Replications produce whole-number outcomes (aircraft lost, claims filed, crews captured).
//! [`CountSummary`] keeps, for one such outcome, the number of observations, the exact sum and sum
//! of squares, and a histogram over the values from the smallest seen to the largest. Memory is
//! bounded by that spread and by a cap on the number of bins ([`DEFAULT_MAX_BINS`], or the cap
//! given to [`CountSummary::with_max_bins`]), never by the number of replications. Mean, standard
//! deviation and standard error are always exact; quantiles and the CRPS are exact while the
//! values seen span no more whole numbers than the cap (always so for counts of aircraft in
//! the built-in data), and beyond it are computed from bins whose width is the smallest power
//! of two that fits the span in the cap. Merging two summaries adds integers, and the layout of
//! the histogram depends on the smallest and largest values alone, so the result does not
//! depend on the order replications were merged in: the same seed gives the same bytes on any
//! number of threads.

use serde::{Deserialize, Serialize};

/// Streaming summary of a whole-number outcome. It serialises whole (counts, exact sums and the
/// histogram), so that a shard's summaries can be stored and merged with another's later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountSummary {
    n: u64,
    sum: u128,
    sum_sq: u128,
    /// The lowest value `histogram[0]` counts: the smallest value seen, rounded down to a
    /// multiple of the bin width. The histogram then runs to the bin of the largest, so its
    /// layout depends on the smallest and largest values alone, not the order they came in.
    offset: u32,
    histogram: Vec<u64>,
    /// Bins are `2^bin_shift` whole numbers wide (0: one bin per value, exact).
    #[serde(default)]
    bin_shift: u32,
    /// The smallest and largest values seen.
    #[serde(default)]
    min: u32,
    #[serde(default)]
    max: u32,
    /// The most bins the histogram may have.
    #[serde(default = "default_max_bins")]
    max_bins: u32,
}

/// The most bins a summary's histogram has unless told otherwise: 16,384 (128 KiB). Spans of
/// whole numbers up to this are kept exactly.
pub const DEFAULT_MAX_BINS: u32 = 1 << 14;

fn default_max_bins() -> u32 {
    DEFAULT_MAX_BINS
}

impl Default for CountSummary {
    fn default() -> Self {
        CountSummary::with_max_bins(DEFAULT_MAX_BINS)
    }
}

/// The smallest bin shift that fits `lo..=hi` in `max_bins` bins.
fn shift_for(lo: u32, hi: u32, max_bins: u32) -> u32 {
    let mut shift = 0;
    while ((hi >> shift) - (lo >> shift)) as u64 + 1 > max_bins as u64 {
        shift += 1;
    }
    shift
}

/// The summary's figures, as reported.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    pub mean: f64,
    pub sd: f64,
    pub se: f64,
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
}

impl CountSummary {
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty summary whose histogram never has more than `max_bins` bins (at least 2).
    pub fn with_max_bins(max_bins: u32) -> Self {
        CountSummary {
            n: 0,
            sum: 0,
            sum_sq: 0,
            offset: 0,
            histogram: Vec::new(),
            bin_shift: 0,
            min: 0,
            max: 0,
            max_bins: max_bins.max(2),
        }
    }

    /// Record one observation.
    #[inline]
    pub fn add(&mut self, value: u32) {
        // Most observations fall within the values already seen.
        if self.histogram.is_empty() || value < self.min || value > self.max {
            self.cover(value, value);
        }
        let bin = self.bin(value);
        self.histogram[bin] += 1;
        self.n += 1;
        self.sum += value as u128;
        self.sum_sq += (value as u128) * (value as u128);
    }

    #[inline]
    fn bin(&self, value: u32) -> usize {
        ((value - self.offset) >> self.bin_shift) as usize
    }

    /// Widen the histogram to cover the values `lo..=hi`, coarsening its bins if the span no
    /// longer fits in `max_bins`.
    #[cold]
    fn cover(&mut self, lo: u32, hi: u32) {
        if self.histogram.is_empty() {
            self.min = lo;
            self.max = hi;
            self.bin_shift = shift_for(lo, hi, self.max_bins);
            self.offset = (lo >> self.bin_shift) << self.bin_shift;
            self.histogram.resize(
                ((hi >> self.bin_shift) - (lo >> self.bin_shift)) as usize + 1,
                0,
            );
            return;
        }
        if lo >= self.min && hi <= self.max {
            return;
        }
        let (min, max) = (self.min.min(lo), self.max.max(hi));
        let shift = shift_for(min, max, self.max_bins).max(self.bin_shift);
        let offset = (min >> shift) << shift;
        let len = ((max >> shift) - (min >> shift)) as usize + 1;
        if shift == self.bin_shift {
            // Same bins: grow at either end.
            if offset < self.offset {
                let extra = ((self.offset - offset) >> shift) as usize;
                self.histogram.splice(0..0, std::iter::repeat_n(0, extra));
            }
            self.histogram.resize(len, 0);
        } else {
            // Coarser bins: each old bin lies within one new bin, as both are aligned to
            // their widths.
            let mut coarse = vec![0u64; len];
            for (b, count) in self.histogram.iter().enumerate() {
                let low = self.offset as u64 + ((b as u64) << self.bin_shift);
                coarse[((low - offset as u64) >> shift) as usize] += count;
            }
            self.histogram = coarse;
        }
        self.offset = offset;
        self.bin_shift = shift;
        self.min = min;
        self.max = max;
    }

    /// Fold another summary into this one.
    pub fn merge(&mut self, other: &CountSummary) {
        if !other.histogram.is_empty() {
            // The other's bins are at least as fine as the merged ones, so each falls in one.
            self.cover(other.min, other.max);
            if other.bin_shift > self.bin_shift {
                // Only when the other was built with a smaller cap: coarsen to its bins.
                let mut wide = self.clone();
                wide.bin_shift = other.bin_shift;
                wide.histogram.clear();
                wide.cover_exact_layout();
                for (b, count) in self.histogram.iter().enumerate() {
                    let low = self.offset + ((b as u32) << self.bin_shift);
                    let i = wide.bin(low);
                    wide.histogram[i] += count;
                }
                *self = wide;
            }
            for (b, count) in other.histogram.iter().enumerate() {
                let low = other.offset + ((b as u32) << other.bin_shift);
                let i = self.bin(low);
                self.histogram[i] += count;
            }
        }
        self.n += other.n;
        self.sum += other.sum;
        self.sum_sq += other.sum_sq;
    }

    /// Lay out empty bins for `min..=max` at the current bin width.
    fn cover_exact_layout(&mut self) {
        self.offset = (self.min >> self.bin_shift) << self.bin_shift;
        let len = ((self.max >> self.bin_shift) - (self.min >> self.bin_shift)) as usize + 1;
        self.histogram = vec![0; len];
    }

    /// Width of the histogram's bins in whole numbers (1 while every statistic is exact).
    pub fn bin_width(&self) -> u64 {
        1u64 << self.bin_shift
    }

    pub fn count(&self) -> u64 {
        self.n
    }

    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            return f64::NAN;
        }
        self.sum as f64 / self.n as f64
    }

    /// Sample standard deviation (n - 1 in the denominator); 0 for fewer than two observations.
    pub fn sd(&self) -> f64 {
        if self.n < 2 {
            return 0.0;
        }
        let n = self.n as f64;
        // Exact integer arithmetic for n·Σx² - (Σx)², then one division.
        let numerator = self.n as u128 * self.sum_sq - self.sum * self.sum;
        (numerator as f64 / (n * (n - 1.0))).sqrt()
    }

    /// Standard error of the mean.
    pub fn se(&self) -> f64 {
        if self.n == 0 {
            return f64::NAN;
        }
        self.sd() / (self.n as f64).sqrt()
    }

    /// The q-quantile by the inverse of the empirical distribution function: the smallest value
    /// v with at least q·n observations at or below it. With bins wider than one value, the
    /// middle of the bin where that happens, kept within the values seen.
    pub fn quantile(&self, q: f64) -> f64 {
        if self.n == 0 {
            return f64::NAN;
        }
        let rank = ((q.clamp(0.0, 1.0) * self.n as f64).ceil() as u64).max(1);
        let mut cumulative = 0;
        let last = self.histogram.len().saturating_sub(1);
        for (b, c) in self.histogram.iter().enumerate() {
            cumulative += c;
            if cumulative >= rank || b == last {
                let low = self.offset as u64 + ((b as u64) << self.bin_shift);
                let middle = low as f64 + (self.bin_width() - 1) as f64 / 2.0;
                return middle.clamp(self.min as f64, self.max as f64);
            }
        }
        self.max as f64
    }

    pub fn summary(&self) -> Summary {
        Summary {
            mean: self.mean(),
            sd: self.sd(),
            se: self.se(),
            p05: self.quantile(0.05),
            p50: self.quantile(0.5),
            p95: self.quantile(0.95),
        }
    }

    /// Observations in each bin from [`CountSummary::offset`] up, each
    /// [`CountSummary::bin_width`] values wide (one value while exact): the histogram behind
    /// every statistic.
    pub fn histogram(&self) -> &[u64] {
        &self.histogram
    }

    /// The lowest value the histogram's first bin counts (the smallest value seen, while exact).
    pub fn offset(&self) -> u32 {
        self.offset
    }

    /// The continuous ranked probability score of an observed value against this distribution:
    /// Σ_k (F(k) - 1{k ≥ observed})² over whole numbers k, 0 for a perfect point forecast.
    /// Lower is better; it is in the units of the observation. Exact while the bins are one
    /// value wide; with wider bins each bin's observations count from its lowest value. Its cost
    /// is in the number of bins, never in the size of the values.
    pub fn crps(&self, observed: u32) -> f64 {
        if self.n == 0 {
            return f64::NAN;
        }
        let obs = observed as u64;
        let offset = self.offset as u64;
        let width = self.bin_width();
        let top = offset + self.histogram.len() as u64 * width;
        // Below the histogram F = 0: each whole number from the observation up scores 1.
        let mut score = offset.saturating_sub(obs) as f64;
        let mut cumulative = 0u64;
        for (b, c) in self.histogram.iter().enumerate() {
            cumulative += c;
            let f = cumulative as f64 / self.n as f64;
            let low = offset + b as u64 * width;
            let at_or_above = (low + width).saturating_sub(obs.max(low)).min(width);
            let below = width - at_or_above;
            score += below as f64 * f * f + at_or_above as f64 * (f - 1.0) * (f - 1.0);
        }
        // Above the histogram F = 1: each whole number below the observation scores 1.
        score + obs.saturating_sub(top) as f64
    }

    /// Bytes of memory held (for the flat-memory check).
    pub fn heap_bytes(&self) -> usize {
        self.histogram.capacity() * std::mem::size_of::<u64>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn small_sample_by_hand() {
        let mut s = CountSummary::new();
        for v in [1, 2, 3, 4] {
            s.add(v);
        }
        assert_eq!(s.mean(), 2.5);
        assert!((s.sd() - (5.0f64 / 3.0).sqrt()).abs() < 1e-12);
        assert_eq!(s.quantile(0.5), 2.0);
        assert_eq!(s.quantile(0.05), 1.0);
        assert_eq!(s.quantile(0.95), 4.0);
    }

    #[test]
    fn crps_by_hand() {
        let mut s = CountSummary::new();
        s.add(2);
        // A point forecast at 2: zero when right, |error| when wrong.
        assert_eq!(s.crps(2), 0.0);
        assert_eq!(s.crps(5), 3.0);
        assert_eq!(s.crps(0), 2.0);
        s.add(4);
        // F = 0,0,.5,.5,1: against 3 the squared gaps are .25 (k=2) and .25 (k=3).
        assert!((s.crps(3) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn the_histogram_spans_only_the_values_seen() {
        let mut a = CountSummary::new();
        for v in [1_000_000, 1_000_002] {
            a.add(v);
        }
        assert_eq!((a.offset(), a.histogram().len()), (1_000_000, 3));
        let mut b = CountSummary::new();
        b.add(999_999);
        b.merge(&a);
        assert_eq!((b.offset(), b.histogram().len()), (999_999, 4));
        assert_eq!(b.quantile(0.0), 999_999.0);
        assert_eq!(b.quantile(1.0), 1_000_002.0);
        // Merged in the other order, the same bytes.
        let mut c = a.clone();
        let mut d = CountSummary::new();
        d.add(999_999);
        c.merge(&d);
        assert_eq!(b, c);
        assert!(b.heap_bytes() < 1024);
        // CRPS against a point mass at 1,000,001, 4 values wide, from both sides.
        let mut p = CountSummary::new();
        p.add(1_000_001);
        assert_eq!(p.crps(999_999), 2.0);
        assert_eq!(p.crps(1_000_003), 2.0);
    }

    #[test]
    fn huge_spans_are_binned_not_allocated() {
        let mut s = CountSummary::new();
        s.add(0);
        s.add(u32::MAX);
        s.add(7);
        assert!(s.histogram().len() <= DEFAULT_MAX_BINS as usize);
        assert!(s.heap_bytes() <= DEFAULT_MAX_BINS as usize * 8 * 2);
        assert_eq!(s.count(), 3);
        // Mean stays exact; quantiles stay within the values seen.
        assert_eq!(s.mean(), (u32::MAX as f64 + 7.0) / 3.0);
        assert!(s.quantile(0.0) >= 0.0 && s.quantile(1.0) <= u32::MAX as f64);
        assert!(u32::MAX as f64 - s.quantile(1.0) < s.bin_width() as f64);
        // CRPS does not walk four billion values.
        assert!(s.crps(5).is_finite());
    }

    #[test]
    fn a_small_cap_bins_and_merges_in_any_order() {
        let values: Vec<u32> = (0..500).map(|i| (i * 7919) % 1000).collect();
        let mut whole = CountSummary::with_max_bins(64);
        values.iter().for_each(|v| whole.add(*v));
        assert!(whole.histogram().len() <= 64);
        assert_eq!(whole.bin_width(), 16);
        let (mut a, mut b) = (
            CountSummary::with_max_bins(64),
            CountSummary::with_max_bins(64),
        );
        values[..100].iter().for_each(|v| a.add(*v));
        values[100..].iter().for_each(|v| b.add(*v));
        let mut ab = a.clone();
        ab.merge(&b);
        b.merge(&a);
        assert_eq!(ab, whole);
        assert_eq!(b, whole);
        // The median of 0..1000 is within a bin of 500.
        assert!((whole.quantile(0.5) - 500.0).abs() <= 16.0);
    }

    #[test]
    fn empty_is_nan_not_a_panic() {
        let s = CountSummary::new();
        assert!(s.mean().is_nan());
        assert!(s.quantile(0.5).is_nan());
        assert_eq!(s.sd(), 0.0);
    }

    proptest! {
        #[test]
        fn merge_in_any_split_equals_one_pass(values in proptest::collection::vec(0u32..200, 0..300), split in 0usize..300) {
            let split = split.min(values.len());
            let mut whole = CountSummary::new();
            values.iter().for_each(|v| whole.add(*v));
            let (mut a, mut b) = (CountSummary::new(), CountSummary::new());
            values[..split].iter().for_each(|v| a.add(*v));
            values[split..].iter().for_each(|v| b.add(*v));
            b.merge(&a);
            prop_assert_eq!(b.count(), whole.count());
            prop_assert_eq!(b.summary().mean.to_bits(), whole.summary().mean.to_bits());
            prop_assert_eq!(b.quantile(0.95).to_bits(), whole.quantile(0.95).to_bits());
            prop_assert_eq!(b.crps(37).to_bits(), whole.crps(37).to_bits());
            prop_assert_eq!(&b, &whole);
        }

        #[test]
        fn crps_equals_the_sum_over_every_whole_number(values in proptest::collection::vec(0u32..60, 1..100), observed in 0u32..90) {
            let mut s = CountSummary::new();
            values.iter().for_each(|v| s.add(*v));
            let n = values.len() as f64;
            let brute: f64 = (0..200u32)
                .map(|k| {
                    let f = values.iter().filter(|v| **v <= k).count() as f64 / n;
                    let step = if k >= observed { 1.0 } else { 0.0 };
                    (f - step) * (f - step)
                })
                .sum();
            prop_assert!((s.crps(observed) - brute).abs() < 1e-9);
        }

        #[test]
        fn binned_merges_equal_one_pass(values in proptest::collection::vec(0u32..100_000, 1..200), split in 0usize..200) {
            let split = split.min(values.len());
            let mut whole = CountSummary::with_max_bins(32);
            values.iter().for_each(|v| whole.add(*v));
            let (mut a, mut b) = (CountSummary::with_max_bins(32), CountSummary::with_max_bins(32));
            values[..split].iter().for_each(|v| a.add(*v));
            values[split..].iter().for_each(|v| b.add(*v));
            b.merge(&a);
            prop_assert_eq!(&b, &whole);
            prop_assert!(whole.histogram().len() <= 32);
            prop_assert_eq!(whole.histogram().iter().sum::<u64>(), values.len() as u64);
        }

        #[test]
        fn quantiles_are_ordered_and_within_range(values in proptest::collection::vec(0u32..50, 1..200)) {
            let mut s = CountSummary::new();
            values.iter().for_each(|v| s.add(*v));
            let (lo, hi) = (*values.iter().min().unwrap() as f64, *values.iter().max().unwrap() as f64);
            let sm = s.summary();
            prop_assert!(lo <= sm.p05 && sm.p05 <= sm.p50 && sm.p50 <= sm.p95 && sm.p95 <= hi);
            prop_assert!(lo <= sm.mean && sm.mean <= hi);
        }
    }
}
