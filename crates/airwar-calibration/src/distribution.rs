//! Predictive distributions over whole numbers, and how an observation scores against them.
//!
//! A [`Distribution`] is a probability for each value 0, 1, 2, ...: either one run's histogram
//! ([`Distribution::from_summary`]) or a weighted mixture of several (the posterior predictive of
//! calibration, [`Distribution::mixture`]). Validation reads its mean, its 5-95% interval and the
//! CRPS of the observed value.

use airwar_statistics::CountSummary;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq)]
pub struct Distribution {
    probabilities: Vec<f64>,
}

/// Mean and 90% interval of a distribution, as reported.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    pub mean: f64,
    pub p05: f64,
    pub p95: f64,
}

impl Distribution {
    pub fn from_summary(s: &CountSummary) -> Self {
        let n = s.count().max(1) as f64;
        let width = s.bin_width() as usize;
        // A bin wider than one value (only for spans past the summary's cap) counts from its
        // lowest value.
        let mut probabilities = vec![0.0; s.offset() as usize + s.histogram().len() * width];
        for (b, c) in s.histogram().iter().enumerate() {
            probabilities[s.offset() as usize + b * width] = *c as f64 / n;
        }
        Distribution { probabilities }
    }

    /// A distribution from the probabilities of 0, 1, 2, ... (normalised to sum to 1).
    pub fn from_probabilities(mut probabilities: Vec<f64>) -> Self {
        let total: f64 = probabilities.iter().sum();
        if total > 0.0 {
            probabilities.iter_mut().for_each(|p| *p /= total);
        }
        Distribution { probabilities }
    }

    /// P(Y < y) and P(Y ≤ y): the interval the probability integral transform of a count `y`
    /// spreads over (Czado, Gneiting and Held 2009, non-randomised PIT).
    pub fn pit_bounds(&self, y: u32) -> (f64, f64) {
        let below: f64 = self.probabilities.iter().take(y as usize).sum();
        (below.min(1.0), (below + self.probability(y)).min(1.0))
    }

    /// Σ weight·distribution, with weights normalised to sum to 1.
    pub fn mixture<'a>(parts: impl IntoIterator<Item = (f64, &'a Distribution)>) -> Self {
        let mut probabilities: Vec<f64> = Vec::new();
        let mut total = 0.0;
        for (w, d) in parts {
            if w <= 0.0 {
                continue;
            }
            total += w;
            if d.probabilities.len() > probabilities.len() {
                probabilities.resize(d.probabilities.len(), 0.0);
            }
            for (p, q) in probabilities.iter_mut().zip(&d.probabilities) {
                *p += w * q;
            }
        }
        if total > 0.0 {
            probabilities.iter_mut().for_each(|p| *p /= total);
        }
        Distribution { probabilities }
    }

    pub fn probability(&self, k: u32) -> f64 {
        self.probabilities.get(k as usize).copied().unwrap_or(0.0)
    }

    pub fn mean(&self) -> f64 {
        self.probabilities
            .iter()
            .enumerate()
            .map(|(k, p)| k as f64 * p)
            .sum()
    }

    /// Smallest value with cumulative probability at least q.
    pub fn quantile(&self, q: f64) -> f64 {
        let mut cumulative = 0.0;
        for (k, p) in self.probabilities.iter().enumerate() {
            cumulative += p;
            if cumulative >= q - 1e-12 {
                return k as f64;
            }
        }
        self.probabilities.len().saturating_sub(1) as f64
    }

    pub fn interval(&self) -> Interval {
        Interval {
            mean: self.mean(),
            p05: self.quantile(0.05),
            p95: self.quantile(0.95),
        }
    }

    /// The distribution of what a source records when the total is drawn from `self`: the
    /// total times exp(ε), rounded to a whole number, where ε is normal with an sd drawn from
    /// the weighted `sds` (weight, sd): the posterior of the campaign fit's
    /// `record_discrepancy_sd`. A total of 0 is recorded as 0. With no positive sd, `self`.
    ///
    /// The mixture's distribution function is tabulated once on a fine grid of ε (out to 5 of
    /// the largest sd, beyond which it is taken as 0 or 1), and each value with a probability
    /// spreads over the whole numbers whose half-way points bracket it.
    pub fn with_record_discrepancy(&self, sds: &[(f64, f64)]) -> Distribution {
        let parts: Vec<(f64, f64)> = sds
            .iter()
            .copied()
            .filter(|(w, sd)| *w > 0.0 && *sd > 0.0 && sd.is_finite())
            .collect();
        let total: f64 = parts.iter().map(|(w, _)| w).sum();
        let Some(widest) = parts.iter().map(|(_, sd)| *sd).reduce(f64::max) else {
            return self.clone();
        };
        const STEPS: usize = 8000;
        let reach = 5.0 * widest;
        let step = 2.0 * reach / STEPS as f64;
        let table: Vec<f64> = (0..=STEPS)
            .map(|i| {
                let x = -reach + i as f64 * step;
                parts
                    .iter()
                    .map(|(w, sd)| w * 0.5 * puruspe::erfc(-x / (sd * std::f64::consts::SQRT_2)))
                    .sum::<f64>()
                    / total
            })
            .collect();
        let cdf = |x: f64| -> f64 {
            if x <= -reach {
                return 0.0;
            }
            if x >= reach {
                return 1.0;
            }
            let at = (x + reach) / step;
            let i = (at.floor() as usize).min(STEPS - 1);
            let f = at - i as f64;
            table[i] * (1.0 - f) + table[i + 1] * f
        };
        let top = self.probabilities.len() as f64 * reach.exp() + 2.0;
        let mut out = vec![0.0; top.ceil() as usize + 1];
        for (v, &p) in self.probabilities.iter().enumerate() {
            if p <= 0.0 {
                continue;
            }
            if v == 0 {
                out[0] += p;
                continue;
            }
            let log_v = (v as f64).ln();
            let lo = ((v as f64 * (-reach).exp()).floor() as usize).saturating_sub(1);
            let hi = ((v as f64 * reach.exp()).ceil() as usize + 1).min(out.len() - 1);
            // Each whole number's upper half-way point is the next one's lower: carried over.
            let mut below = if lo == 0 {
                0.0
            } else {
                cdf((lo as f64 - 0.5).ln() - log_v)
            };
            for (r, slot) in out.iter_mut().enumerate().take(hi + 1).skip(lo) {
                let above = cdf((r as f64 + 0.5).ln() - log_v);
                *slot += p * (above - below);
                below = above;
            }
        }
        while out.len() > 1 && out.last() == Some(&0.0) {
            out.pop();
        }
        Distribution::from_probabilities(out)
    }

    /// Continuous ranked probability score of `observed` (lower is better).
    pub fn crps(&self, observed: u32) -> f64 {
        let top = self.probabilities.len().max(observed as usize + 1);
        let mut cumulative = 0.0;
        let mut score = 0.0;
        for k in 0..top {
            cumulative += self.probabilities.get(k).copied().unwrap_or(0.0);
            let step = if k >= observed as usize { 1.0 } else { 0.0 };
            score += (cumulative - step) * (cumulative - step);
        }
        score
    }

    /// The CRPS of an observation the source gives only as a bound on `value`: the part of
    /// the score the bound decides (the cumulative probability below a lower bound, the
    /// survival above an upper one), the rest left out: a censored score. Exact: [`Self::crps`].
    pub fn crps_bounded(&self, value: u32, bound: airwar_scenario::Bound) -> f64 {
        use airwar_scenario::Bound;
        // The whole numbers consistent with the bound are [lo, hi].
        let (lo, hi) = match bound {
            Bound::Exact => return self.crps(value),
            Bound::AtLeast => (value, u32::MAX),
            Bound::MoreThan => (value.saturating_add(1), u32::MAX),
            Bound::AtMost => (0, value),
            Bound::LessThan => (0, value.saturating_sub(1)),
        };
        let top = self.probabilities.len().max(lo as usize + 1);
        let mut cumulative = 0.0;
        let mut score = 0.0;
        for k in 0..top {
            cumulative += self.probabilities.get(k).copied().unwrap_or(0.0);
            if (k as u64) < lo as u64 {
                score += cumulative * cumulative;
            } else if (k as u64) >= hi as u64 {
                score += (1.0 - cumulative) * (1.0 - cumulative);
            }
        }
        score
    }

    /// The PIT interval of an observation given as a bound: every whole number the bound
    /// allows.
    pub fn pit_bounds_of(&self, value: u32, bound: airwar_scenario::Bound) -> (f64, f64) {
        use airwar_scenario::Bound;
        let cdf = |k: i64| -> f64 {
            if k < 0 {
                0.0
            } else {
                self.pit_bounds(k as u32).1
            }
        };
        let v = value as i64;
        match bound {
            Bound::Exact => self.pit_bounds(value),
            Bound::AtLeast => (cdf(v - 1), 1.0),
            Bound::MoreThan => (cdf(v), 1.0),
            Bound::AtMost => (0.0, cdf(v)),
            Bound::LessThan => (0.0, cdf(v - 1)),
        }
    }

    pub fn variance(&self) -> f64 {
        let m = self.mean();
        self.probabilities
            .iter()
            .enumerate()
            .map(|(k, p)| (k as f64 - m).powi(2) * p)
            .sum()
    }
}

/// Degrees of freedom of the synthetic likelihood's t density (see `evaluate`).
pub const LIKELIHOOD_DOF: f64 = 4.0;

/// Added to the simulated variance on the stabilised scale (where a Poisson count has variance
/// about 1): a figure the model predicts with no spread is still a whole number recorded by
/// fallible sources.
pub const LIKELIHOOD_VARIANCE_FLOOR: f64 = 0.25;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bound_is_scored_on_the_side_it_decides() {
        use airwar_scenario::Bound;
        // Uniform on 0..=9: "at least 5" is only penalised for mass below 5.
        let d = Distribution::from_probabilities(vec![0.1; 10]);
        let below: f64 = (0..5).map(|k| (0.1 * (k + 1) as f64).powi(2)).sum();
        assert!((d.crps_bounded(5, Bound::AtLeast) - below).abs() < 1e-12);
        // A distribution entirely above the bound scores 0; exact scoring would not.
        let high = Distribution::from_probabilities(vec![0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]);
        assert_eq!(high.crps_bounded(5, Bound::AtLeast), 0.0);
        assert!(high.crps(5) > 0.0);
        assert_eq!(high.crps_bounded(7, Bound::AtMost), 0.0);
        assert!(high.crps_bounded(6, Bound::LessThan) > 0.0);
        assert_eq!(high.pit_bounds_of(5, Bound::AtLeast), (0.0, 1.0));
        assert_eq!(d.crps_bounded(3, Bound::Exact), d.crps(3));
    }

    fn dist(values: &[u32]) -> Distribution {
        let mut s = CountSummary::new();
        values.iter().for_each(|v| s.add(*v));
        Distribution::from_summary(&s)
    }

    #[test]
    fn a_record_discrepancy_spreads_a_total_log_normally() {
        let point = dist(&[1000]);
        assert_eq!(point.with_record_discrepancy(&[]), point);
        assert_eq!(point.with_record_discrepancy(&[(1.0, 0.0)]), point);
        let spread = point.with_record_discrepancy(&[(1.0, 0.1)]);
        let mass: f64 = (0..5000).map(|k| spread.probability(k)).sum();
        assert!((mass - 1.0).abs() < 1e-9, "{mass}");
        // 1,000 × exp(±1.645 × 0.1) = 848 and 1,179; the median stays at 1,000.
        assert!(
            (spread.quantile(0.05) - 848.0).abs() <= 1.0,
            "{:?}",
            spread.interval()
        );
        assert!(
            (spread.quantile(0.95) - 1179.0).abs() <= 1.0,
            "{:?}",
            spread.interval()
        );
        assert_eq!(spread.quantile(0.5), 1000.0);
        // Two sds mixed by weight: wider than the narrow one alone, narrower than the wide.
        let mixed = point.with_record_discrepancy(&[(1.0, 0.1), (1.0, 0.3)]);
        let wide = point.with_record_discrepancy(&[(1.0, 0.3)]);
        assert!(mixed.quantile(0.95) > spread.quantile(0.95));
        assert!(mixed.quantile(0.95) < wide.quantile(0.95));
        // A total of 0 is recorded as 0.
        let zero = dist(&[0, 0, 10]).with_record_discrepancy(&[(1.0, 0.5)]);
        assert!((zero.probability(0) - 2.0 / 3.0).abs() < 1e-9);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Spreading a distribution by a record's discrepancy keeps its probability (the spread
        /// of each value telescopes to the whole of the mixture's distribution function), keeps
        /// what was 0 at 0, and moves each quantile by no more than the widest sd allows.
        #[test]
        fn a_record_discrepancy_keeps_the_probability(
            values in proptest::collection::vec(0u32..3_000, 1..30),
            sds in proptest::collection::vec((0.1f64..5.0, 0.01f64..1.0), 1..4),
        ) {
            let d = dist(&values);
            let spread = d.with_record_discrepancy(&sds);
            let mass: f64 = spread.probabilities.iter().sum();
            proptest::prop_assert!((mass - 1.0).abs() < 1e-9, "mass {}", mass);
            proptest::prop_assert!(spread.probabilities.iter().all(|p| *p >= 0.0));
            let zeros = values.iter().filter(|v| **v == 0).count() as f64 / values.len() as f64;
            proptest::prop_assert!(spread.probability(0) >= zeros - 1e-12);
            let widest = sds.iter().map(|(_, sd)| *sd).fold(0.0, f64::max);
            let reach = (5.0 * widest).exp();
            let (lo, hi) = (d.quantile(0.0), d.quantile(1.0));
            proptest::prop_assert!(spread.quantile(0.5) <= hi * reach + 1.0);
            proptest::prop_assert!(spread.quantile(0.5) + 1.0 >= lo / reach);
        }
    }

    #[test]
    fn summary_figures_match_the_histogram() {
        let d = dist(&[1, 2, 3, 4]);
        assert_eq!(d.mean(), 2.5);
        assert_eq!(d.quantile(0.05), 1.0);
        assert_eq!(d.quantile(0.95), 4.0);
        assert!((d.crps(3) - dist(&[1, 2, 3, 4]).crps(3)).abs() < 1e-12);
    }

    #[test]
    fn mixture_weights_its_parts() {
        let (a, b) = (dist(&[0]), dist(&[2]));
        let m = Distribution::mixture([(3.0, &a), (1.0, &b)]);
        assert!((m.probability(0) - 0.75).abs() < 1e-12);
        assert!((m.probability(2) - 0.25).abs() < 1e-12);
        assert!((m.mean() - 0.5).abs() < 1e-12);
    }

    #[test]
    fn variance_by_hand() {
        assert!((dist(&[1, 3]).variance() - 1.0).abs() < 1e-12);
    }
}
