//! Comparing two arms of a campaign on common random numbers.
//!
//! Both arms run replication i from the same streams, so their difference in replication i is
//! due to the change, not to luck. The effect of the change on each total is the mean of the
//! paired differences, with a 95% interval from their standard error. Beside it the width the
//! interval would have had with independent runs (from the two arms' own variances) shows what
//! common random numbers bought.

use serde::Serialize;

use crate::campaign::TOTALS;
use crate::results::CampaignResults;

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Difference {
    pub mean: f64,
    pub lo: f64,
    pub hi: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Effect {
    pub metric: String,
    /// Mean in the base arm.
    pub base: f64,
    /// Mean in the alternative arm.
    pub alternative: f64,
    /// Alternative minus base, paired, with its 95% interval.
    pub difference: Difference,
    /// Width of that interval (common random numbers).
    pub width_paired: f64,
    /// Width the interval would have with independent runs of the same size.
    pub width_independent: f64,
}

/// Effects of the change on every total. Both results must keep per-replication totals.
pub fn effects(base: &CampaignResults, alternative: &CampaignResults) -> Vec<Effect> {
    let (Some(a), Some(b)) = (&base.per_replication, &alternative.per_replication) else {
        return Vec::new();
    };
    let n = a.len().min(b.len());
    TOTALS
        .iter()
        .enumerate()
        .map(|(k, metric)| {
            let xs: Vec<f64> = a.iter().take(n).map(|r| r.1[k] as f64).collect();
            let ys: Vec<f64> = b.iter().take(n).map(|r| r.1[k] as f64).collect();
            paired(metric, &xs, &ys)
        })
        .collect()
}

/// The effect on one figure from paired replications: `xs[i]` (base) and `ys[i]` (changed)
/// came from the same random streams. Campaigns and battles share it.
pub fn paired(metric: &str, xs: &[f64], ys: &[f64]) -> Effect {
    let n = xs.len().min(ys.len());
    let nf = n as f64;
    let mean = |v: &[f64]| v.iter().take(n).sum::<f64>() / nf.max(1.0);
    let var = |v: &[f64], m: f64| {
        if n > 1 {
            v.iter().take(n).map(|x| (x - m).powi(2)).sum::<f64>() / (nf - 1.0)
        } else {
            0.0
        }
    };
    let (mx, my) = (mean(xs), mean(ys));
    let diffs: Vec<f64> = xs.iter().zip(ys).map(|(x, y)| y - x).collect();
    let md = mean(&diffs);
    let half_paired = 1.96 * (var(&diffs, md) / nf.max(1.0)).sqrt();
    let half_independent = 1.96 * ((var(xs, mx) + var(ys, my)) / nf.max(1.0)).sqrt();
    Effect {
        metric: metric.to_string(),
        base: mx,
        alternative: my,
        difference: Difference {
            mean: md,
            lo: md - half_paired,
            hi: md + half_paired,
        },
        width_paired: 2.0 * half_paired,
        width_independent: 2.0 * half_independent,
    }
}
