//! Simulating a set of battles under one parameter set and collecting, for each observed figure,
//! the model's distribution for it.
//!
//! Replication `i` of every battle draws from `stream(seed, i)` whatever the parameters, so two
//! parameter sets are compared on common random numbers: the difference between their outcomes
//! comes from the parameters, not from the luck of the draw.

use airwar_model::engagement::{observed_value, prepare, simulate, Workspace};
use airwar_model::rng::stream;
use airwar_model::ModelParameters;
use airwar_scenario::{AircraftDatabase, Engagement};
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
        .map(|(j, mu)| stabilise(observed[*j]) - mu)
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
    use super::cholesky_solve;

    #[test]
    fn cholesky_by_hand() {
        // A = [[4, 2], [2, 3]]: det 8; r = (2, 1): A⁻¹ r = (0.5, 0), rᵀA⁻¹r = 1.
        let (log_det, q) = cholesky_solve(&[4.0, 2.0, 2.0, 3.0], 2, &[2.0, 1.0]).unwrap();
        assert!((log_det - 8f64.ln()).abs() < 1e-12);
        assert!((q - 1.0).abs() < 1e-12);
        assert!(cholesky_solve(&[1.0, 2.0, 2.0, 1.0], 2, &[1.0, 1.0]).is_none());
    }
}
