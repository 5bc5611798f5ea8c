//! # airwar-statistics: streaming statistics in flat memory
//!
//! Replications produce whole-number outcomes (aircraft lost, claims filed, crews captured).
//! [`CountSummary`] keeps, for one such outcome, the number of observations, the exact sum and sum
//! of squares, and a histogram over the values from the smallest seen to the largest. Memory is
//! bounded by that spread (at most the forces involved), never by the number of replications; mean, standard deviation,
//! standard error and any quantile are exact. Merging two summaries adds integers, so the result
//! does not depend on the order replications were merged in: the same seed gives the same bytes
//! on any number of threads.

use serde::{Deserialize, Serialize};

/// Streaming summary of a whole-number outcome. It serialises whole (counts, exact sums and the
/// histogram), so that a shard's summaries can be stored and merged with another's later.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountSummary {
    n: u64,
    sum: u128,
    sum_sq: u128,
    /// The value counted in `histogram[0]`: the smallest value seen. The histogram then runs to
    /// the largest, so its layout depends on the values alone, not the order they came in.
    offset: u32,
    histogram: Vec<u64>,
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

    /// Record one observation.
    #[inline]
    pub fn add(&mut self, value: u32) {
        self.cover(value, value);
        self.histogram[(value - self.offset) as usize] += 1;
        self.n += 1;
        self.sum += value as u128;
        self.sum_sq += (value as u128) * (value as u128);
    }

    /// Widen the histogram to cover the values `lo..=hi`.
    fn cover(&mut self, lo: u32, hi: u32) {
        if self.histogram.is_empty() {
            self.offset = lo;
            self.histogram.resize((hi - lo) as usize + 1, 0);
            return;
        }
        if lo < self.offset {
            let shift = (self.offset - lo) as usize;
            self.histogram.splice(0..0, std::iter::repeat_n(0, shift));
            self.offset = lo;
        }
        let len = (hi - self.offset) as usize + 1;
        if len > self.histogram.len() {
            self.histogram.resize(len, 0);
        }
    }

    /// Fold another summary into this one.
    pub fn merge(&mut self, other: &CountSummary) {
        if !other.histogram.is_empty() {
            let hi = other.offset + other.histogram.len() as u32 - 1;
            self.cover(other.offset, hi);
            let start = (other.offset - self.offset) as usize;
            for (a, b) in self.histogram[start..].iter_mut().zip(&other.histogram) {
                *a += b;
            }
        }
        self.n += other.n;
        self.sum += other.sum;
        self.sum_sq += other.sum_sq;
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
    /// v with at least q·n observations at or below it.
    pub fn quantile(&self, q: f64) -> f64 {
        if self.n == 0 {
            return f64::NAN;
        }
        let rank = ((q.clamp(0.0, 1.0) * self.n as f64).ceil() as u64).max(1);
        let mut cumulative = 0;
        for (v, c) in self.histogram.iter().enumerate() {
            cumulative += c;
            if cumulative >= rank {
                return self.offset as f64 + v as f64;
            }
        }
        self.offset as f64 + (self.histogram.len().saturating_sub(1)) as f64
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

    /// Observations at each value from [`CountSummary::offset`] up (the histogram behind every
    /// statistic).
    pub fn histogram(&self) -> &[u64] {
        &self.histogram
    }

    /// The value the histogram's first entry counts (the smallest value seen).
    pub fn offset(&self) -> u32 {
        self.offset
    }

    /// The continuous ranked probability score of an observed value against this distribution:
    /// Σ_k (F(k) - 1{k ≥ observed})² over whole numbers k, 0 for a perfect point forecast.
    /// Lower is better; it is in the units of the observation.
    pub fn crps(&self, observed: u32) -> f64 {
        if self.n == 0 {
            return f64::NAN;
        }
        let top = (self.offset + self.histogram.len() as u32).max(observed + 1);
        let mut cumulative = 0u64;
        let mut score = 0.0;
        // Below both the smallest value and the observation, F = 0 and the step is 0.
        for k in self.offset.min(observed)..top {
            if k >= self.offset {
                cumulative += self
                    .histogram
                    .get((k - self.offset) as usize)
                    .copied()
                    .unwrap_or(0);
            }
            let f = cumulative as f64 / self.n as f64;
            let step = if k >= observed { 1.0 } else { 0.0 };
            score += (f - step) * (f - step);
        }
        score
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
