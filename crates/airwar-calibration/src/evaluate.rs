//! Simulating a set of battles under one parameter set and collecting, for each observed figure,
//! the model's distribution for it.
//!
//! Replication `i` of every battle draws from `stream(seed, i)` whatever the parameters, so two
//! parameter sets are compared on common random numbers: the difference between their outcomes
//! comes from the parameters, not from the luck of the draw.

use airwar_model::engagement::{observed_value, prepare, simulate, Workspace};
use airwar_model::rng::stream;
use airwar_model::ModelParameters;
use airwar_scenario::{AircraftDatabase, Bound, Engagement};
use airwar_statistics::CountSummary;

use crate::distribution::{Distribution, LIKELIHOOD_DOF, LIKELIHOOD_VARIANCE_FLOOR};
use crate::CalibrationError;

/// One battle's observed figures under one parameter set.
#[derive(Debug, Clone)]
pub struct BattleEvaluation {
    /// One per `[[observed]]` row; None where the model does not produce the figure.
    pub predictive: Vec<Option<Distribution>>,
    /// Σ log-likelihood of the battle's observed figures.
    pub log_likelihood: f64,
}

/// Simulate `e` `runs` times under `params` and score its observed figures.
///
/// Replications run one after another here: calibration scores many parameter sets in
/// parallel, one per thread.
pub fn evaluate_battle(
    e: &Engagement,
    db: &AircraftDatabase,
    params: &ModelParameters,
    runs: u64,
    seed: u64,
) -> Result<BattleEvaluation, CalibrationError> {
    let p = prepare(e, db, params)?;
    let mut ws = Workspace::new();
    // A figure is modelled when the model can produce it (claims split by type are not).
    let probe = simulate(&p, &mut stream(seed, 0), &mut ws);
    let modelled: Vec<bool> = e
        .observed
        .iter()
        .map(|o| observed_value(&p, &probe, o).is_some())
        .collect();
    let mut summaries: Vec<CountSummary> = vec![CountSummary::new(); e.observed.len()];
    let mut samples: Vec<Vec<u32>> = Vec::with_capacity(runs as usize);
    for i in 0..runs {
        let out = simulate(&p, &mut stream(seed, i), &mut ws);
        let values: Vec<u32> = e
            .observed
            .iter()
            .map(|o| observed_value(&p, &out, o).unwrap_or(0))
            .collect();
        for (s, v) in summaries.iter_mut().zip(&values) {
            s.add(*v);
        }
        samples.push(values);
    }
    let predictive = summaries
        .iter()
        .zip(&modelled)
        .map(|(s, m)| m.then(|| Distribution::from_summary(s)))
        .collect();
    let observed: Vec<u32> = e.observed.iter().map(|o| o.value).collect();
    Ok(BattleEvaluation {
        predictive,
        log_likelihood: joint_log_likelihood(&observed, &samples, &modelled),
    })
}

/// Anscombe's variance-stabilising transform of a count: 2·sqrt(y + 3/8). Counts of losses and
/// claims are skewed and their spread grows with their size; on this scale they are close to
/// symmetric with a spread near 1, which suits a density on means and covariances.
fn stabilise(y: u32) -> f64 {
    2.0 * (y as f64 + 0.375).sqrt()
}

/// A battle's synthetic log-likelihood, up to a constant that does not depend on the
/// parameters: a multivariate Student t density ([`LIKELIHOOD_DOF`] degrees of freedom) of the
/// vector of observed figures (stabilised, see [`stabilise`]), centred on the simulated
/// replications' mean, with their covariance plus [`LIKELIHOOD_VARIANCE_FLOOR`] on the diagonal.
///
/// Taking the figures of one battle jointly matters: the same fortune and the same fight drive a
/// side's losses and the other side's claims together, and scoring them as independent would
/// count that evidence twice and make the fit over-confident. A smooth summary of the simulated
/// distribution, rather than the simulated probability of the exact observed value, keeps the
/// likelihood from jumping with the luck of a finite number of replications; the heavy tail
/// keeps one doubtful figure from dominating the fit.
pub fn joint_log_likelihood(observed: &[u32], samples: &[Vec<u32>], modelled: &[bool]) -> f64 {
    let exact = vec![Bound::Exact; observed.len()];
    joint_log_likelihood_bounded(observed, &exact, samples, modelled)
}

/// [`joint_log_likelihood`] where some figures are recorded only as bounds ("over 1,200"):
/// such a figure's residual is zero while the simulated mean keeps the bound and its distance
/// to the bound when it does not (a one-sided, hinge residual), so a bound pulls the fit only
/// towards the side the source decides and never to the bound's value itself. An approximation
/// to the censored density, which would need the multivariate t integrated over a half-space.
pub fn joint_log_likelihood_bounded(
    observed: &[u32],
    bounds: &[Bound],
    samples: &[Vec<u32>],
    modelled: &[bool],
) -> f64 {
    let index: Vec<usize> = (0..observed.len()).filter(|j| modelled[*j]).collect();
    let m = index.len();
    if m == 0 || samples.is_empty() {
        return 0.0;
    }
    let n = samples.len() as f64;
    let mut mean = vec![0.0; m];
    for s in samples {
        for (a, &j) in index.iter().enumerate() {
            mean[a] += stabilise(s[j]) / n;
        }
    }
    let mut cov = vec![0.0; m * m];
    for s in samples {
        for (a, &j) in index.iter().enumerate() {
            let da = stabilise(s[j]) - mean[a];
            for (b, &k) in index.iter().enumerate() {
                cov[a * m + b] += da * (stabilise(s[k]) - mean[b]) / n;
            }
        }
    }
    for a in 0..m {
        cov[a * m + a] += LIKELIHOOD_VARIANCE_FLOOR;
    }
    let residual: Vec<f64> = index
        .iter()
        .zip(&mean)
        .map(|(&j, &mu)| {
            let y = observed[j];
            match bounds.get(j).copied().unwrap_or_default() {
                Bound::Exact => stabilise(y) - mu,
                Bound::AtLeast => (stabilise(y) - mu).max(0.0),
                Bound::MoreThan => (stabilise(y.saturating_add(1)) - mu).max(0.0),
                Bound::AtMost => (stabilise(y) - mu).min(0.0),
                Bound::LessThan => (stabilise(y.saturating_sub(1)) - mu).min(0.0),
            }
        })
        .collect();
    let Some((log_det, mahalanobis)) = cholesky_solve(&cov, m, &residual) else {
        return f64::NEG_INFINITY;
    };
    let nu = LIKELIHOOD_DOF;
    -0.5 * log_det - 0.5 * (nu + m as f64) * (1.0 + mahalanobis / nu).ln()
}

/// For a symmetric positive-definite m×m matrix A: (ln det A, rᵀ A⁻¹ r), by Cholesky.
fn cholesky_solve(a: &[f64], m: usize, r: &[f64]) -> Option<(f64, f64)> {
    let mut l = vec![0.0; m * m];
    for i in 0..m {
        for j in 0..=i {
            let mut sum = a[i * m + j];
            for k in 0..j {
                sum -= l[i * m + k] * l[j * m + k];
            }
            if i == j {
                if sum <= 0.0 {
                    return None;
                }
                l[i * m + i] = sum.sqrt();
            } else {
                l[i * m + j] = sum / l[j * m + j];
            }
        }
    }
    // Solve L z = r; then rᵀ A⁻¹ r = |z|².
    let mut z = vec![0.0; m];
    for i in 0..m {
        let mut sum = r[i];
        for k in 0..i {
            sum -= l[i * m + k] * z[k];
        }
        z[i] = sum / l[i * m + i];
    }
    let log_det = 2.0 * (0..m).map(|i| l[i * m + i].ln()).sum::<f64>();
    Some((log_det, z.iter().map(|v| v * v).sum()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bound_pulls_only_from_the_side_it_rules_out() {
        let samples: Vec<Vec<u32>> = (0..40).map(|i| vec![1_000 + (i % 7) * 10]).collect();
        let score = |y: u32, b: Bound| joint_log_likelihood_bounded(&[y], &[b], &samples, &[true]);
        // A mean of about 1,030 keeps "over 900": the same score as a figure at the mean.
        let at_mean = joint_log_likelihood(&[1_030], &samples, &[true]);
        assert!((score(900, Bound::MoreThan) - at_mean).abs() < 0.05);
        // "Over 1,200" is broken by every replication and scores as badly as an exact 1,201.
        let exact = score(1_201, Bound::Exact);
        assert_eq!(score(1_200, Bound::MoreThan), exact);
        assert!(exact < at_mean - 3.0, "{exact} against {at_mean}");
        // Upper bounds mirror it.
        assert!((score(1_100, Bound::AtMost) - at_mean).abs() < 0.05);
        assert_eq!(score(901, Bound::LessThan), score(900, Bound::Exact));
    }

    #[test]
    fn cholesky_by_hand() {
        // A = [[4, 2], [2, 3]]: det 8; r = (2, 1): A⁻¹ r = (0.5, 0), rᵀA⁻¹r = 1.
        let (log_det, q) = cholesky_solve(&[4.0, 2.0, 2.0, 3.0], 2, &[2.0, 1.0]).unwrap();
        assert!((log_det - 8f64.ln()).abs() < 1e-12);
        assert!((q - 1.0).abs() < 1e-12);
        assert!(cholesky_solve(&[1.0, 2.0, 2.0, 1.0], 2, &[1.0, 1.0]).is_none());
    }
}
