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

/// [`joint_log_likelihood`] where some figures are recorded only as bounds ("over 1,200"): the
/// density of the exact figures, times the probability that each bounded figure lies on the side
/// its bound allows, given the exact ones (the multivariate t's conditional, a t with `p` more
/// degrees of freedom for `p` exact figures). So a bound the model keeps costs nothing, and one
/// it breaks costs its tail probability, never the density at the bound itself. Several bounds
/// are each conditioned on the exact figures only (taken as independent of one another), and a
/// bound on a whole number is read at the half-way point (`over 1,200` from 1,200.5). With no
/// bounds this is [`joint_log_likelihood`], operation for operation.
pub fn joint_log_likelihood_bounded(
    observed: &[u32],
    bounds: &[Bound],
    samples: &[Vec<u32>],
    modelled: &[bool],
) -> f64 {
    joint_log_likelihood_with_discrepancy(observed, bounds, samples, modelled, 0.0)
}

/// The variance, on the stabilised scale, that a record's discrepancy adds to a total whose
/// simulated mean is `mean`: the recorded figure is the modelled one times exp(ε), ε normal
/// with sd `log_sd`, so its stabilised value 2·sqrt(y) is 2·sqrt(y)·exp(ε/2), whose variance
/// is 4·y·(exp(σ²/4) − 1)·exp(σ²/4) (a log-normal's). Exactly 0 when `log_sd` is 0.
pub fn discrepancy_variance(mean: f64, log_sd: f64) -> f64 {
    let quarter = log_sd * log_sd / 4.0;
    4.0 * mean.max(0.0) * quarter.exp_m1() * quarter.exp()
}

/// [`joint_log_likelihood_bounded`] of figures recorded with a discrepancy of `log_sd` (the
/// campaign fit's `record_discrepancy_sd`): each figure's variance grows by
/// [`discrepancy_variance`], independently of the others. With `log_sd` 0 this is
/// [`joint_log_likelihood_bounded`], operation for operation.
pub fn joint_log_likelihood_with_discrepancy(
    observed: &[u32],
    bounds: &[Bound],
    samples: &[Vec<u32>],
    modelled: &[bool],
    log_sd: f64,
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
    for (a, &j) in index.iter().enumerate() {
        cov[a * m + a] += LIKELIHOOD_VARIANCE_FLOOR;
        if log_sd > 0.0 {
            let raw_mean = samples.iter().map(|s| s[j] as f64).sum::<f64>() / n;
            cov[a * m + a] += discrepancy_variance(raw_mean, log_sd);
        }
    }
    let bound = |a: usize| bounds.get(index[a]).copied().unwrap_or_default();
    let exact: Vec<usize> = (0..m).filter(|&a| bound(a).is_exact()).collect();
    let p = exact.len();
    let cov_exact: Vec<f64> = exact
        .iter()
        .flat_map(|&a| exact.iter().map(move |&b| (a, b)))
        .map(|(a, b)| cov[a * m + b])
        .collect();
    let residual: Vec<f64> = exact
        .iter()
        .map(|&a| stabilise(observed[index[a]]) - mean[a])
        .collect();
    let nu = LIKELIHOOD_DOF;
    let Some(l) = cholesky(&cov_exact, p) else {
        return f64::NEG_INFINITY;
    };
    let z = forward_solve(&l, p, &residual);
    let log_det = 2.0 * (0..p).map(|i| l[i * p + i].ln()).sum::<f64>();
    let mahalanobis: f64 = z.iter().map(|v| v * v).sum();
    let mut log_likelihood = if p == 0 {
        0.0
    } else {
        -0.5 * log_det - 0.5 * (nu + p as f64) * (1.0 + mahalanobis / nu).ln()
    };
    for b in (0..m).filter(|&a| !bound(a).is_exact()) {
        let column: Vec<f64> = exact.iter().map(|&a| cov[a * m + b]).collect();
        let u = forward_solve(&l, p, &column);
        let shift: f64 = u.iter().zip(&z).map(|(x, y)| x * y).sum();
        let schur = cov[b * m + b] - u.iter().map(|x| x * x).sum::<f64>();
        if schur <= 0.0 {
            return f64::NEG_INFINITY;
        }
        let dof = nu + p as f64;
        let scale = ((nu + mahalanobis) / dof * schur).sqrt();
        let centre = mean[b] + shift;
        let y = observed[index[b]] as f64;
        // The side the bound allows, on the stabilised scale, read half-way between counts.
        let (threshold, above) = match bound(b) {
            Bound::AtLeast => (y - 0.5, true),
            Bound::MoreThan => (y + 0.5, true),
            Bound::AtMost => (y + 0.5, false),
            Bound::LessThan => (y - 0.5, false),
            Bound::Exact => continue,
        };
        if threshold < 0.0 {
            // "At least 0" always holds; "less than 0" never does.
            if !above {
                return f64::NEG_INFINITY;
            }
            continue;
        }
        let q = (2.0 * (threshold + 0.375).sqrt() - centre) / scale;
        let probability = if above {
            student_t_upper_tail(q, dof)
        } else {
            student_t_upper_tail(-q, dof)
        };
        log_likelihood += probability.ln();
    }
    log_likelihood
}

/// P(T > q) for Student's t with `dof` degrees of freedom, by the regularised incomplete beta
/// function (`puruspe`); 0 for a q that is not a number.
fn student_t_upper_tail(q: f64, dof: f64) -> f64 {
    if q.is_nan() || dof.is_nan() || dof <= 0.0 {
        return 0.0;
    }
    if q.is_infinite() {
        return if q > 0.0 { 0.0 } else { 1.0 };
    }
    let x = (dof / (dof + q * q)).clamp(0.0, 1.0);
    let tail = 0.5 * puruspe::betai(dof / 2.0, 0.5, x);
    if q >= 0.0 {
        tail
    } else {
        1.0 - tail
    }
}

/// The lower-triangular L with L Lᵀ = A, for a symmetric positive-definite m×m A.
fn cholesky(a: &[f64], m: usize) -> Option<Vec<f64>> {
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
    Some(l)
}

/// z with L z = r, for a lower-triangular m×m L.
fn forward_solve(l: &[f64], m: usize, r: &[f64]) -> Vec<f64> {
    let mut z = vec![0.0; m];
    for i in 0..m {
        let mut sum = r[i];
        for k in 0..i {
            sum -= l[i * m + k] * z[k];
        }
        z[i] = sum / l[i * m + i];
    }
    z
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bound_costs_its_tail_probability() {
        let samples: Vec<Vec<u32>> = (0..40).map(|i| vec![1_000 + (i % 7) * 10]).collect();
        let score = |y: u32, b: Bound| joint_log_likelihood_bounded(&[y], &[b], &samples, &[true]);
        // The simulated mean is about 1,029: "over 800" is all but certain, "over 1,200" all
        // but impossible (the t's heavy tail leaves it about 1 in 700), and the score falls as
        // the bound rises.
        assert!(score(800, Bound::MoreThan) > -1e-3);
        assert!(score(1_200, Bound::MoreThan) < -5.0);
        let ladder: Vec<f64> = (950..1_100)
            .step_by(10)
            .map(|y| score(y, Bound::MoreThan))
            .collect();
        assert!(ladder.windows(2).all(|w| w[0] > w[1]), "{ladder:?}");
        // The two sides of one cut share the whole probability.
        for y in [990, 1_029, 1_060] {
            let sides = score(y, Bound::MoreThan).exp() + score(y, Bound::AtMost).exp();
            assert!((sides - 1.0).abs() < 1e-9, "{y}: {sides}");
            let sides = score(y, Bound::AtLeast).exp() + score(y, Bound::LessThan).exp();
            assert!((sides - 1.0).abs() < 1e-9, "{y}: {sides}");
        }
        // Near the middle the tail is near a half (the replications split 16 to 24 at 1,031).
        let half = score(1_030, Bound::MoreThan).exp();
        assert!((0.25..0.6).contains(&half), "{half}");
        // Without bounds it is the joint density itself.
        assert_eq!(
            joint_log_likelihood_bounded(&[1_030], &[Bound::Exact], &samples, &[true]),
            joint_log_likelihood(&[1_030], &samples, &[true])
        );
    }

    #[test]
    fn a_bound_is_judged_given_the_exact_figures() {
        // The second figure runs 100 above the first in every replication.
        let samples: Vec<Vec<u32>> = (0..60)
            .map(|i| {
                let x = 400 + (i * 37 % 101);
                vec![x, x + 100]
            })
            .collect();
        let given = |first: u32| {
            joint_log_likelihood_bounded(
                &[first, 560],
                &[Bound::Exact, Bound::MoreThan],
                &samples,
                &[true, true],
            ) - joint_log_likelihood(&[first], &samples, &[true])
        };
        // A high first figure makes "the second over 560" likely, a low one unlikely.
        assert!(given(490).exp() > 0.8, "{}", given(490).exp());
        assert!(given(410).exp() < 0.2, "{}", given(410).exp());
    }

    #[test]
    fn cholesky_by_hand() {
        // A = [[4, 2], [2, 3]]: det 8; r = (2, 1): A⁻¹ r = (0.5, 0), rᵀA⁻¹r = 1.
        let l = cholesky(&[4.0, 2.0, 2.0, 3.0], 2).unwrap();
        let log_det = 2.0 * (l[0].ln() + l[3].ln());
        let z = forward_solve(&l, 2, &[2.0, 1.0]);
        assert!((log_det - 8f64.ln()).abs() < 1e-12);
        assert!((z.iter().map(|v| v * v).sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(cholesky(&[1.0, 2.0, 2.0, 1.0], 2).is_none());
    }

    proptest::proptest! {
        /// Whatever the replications and the record, the score is a number or minus infinity,
        /// and the two sides of any bound share the whole probability.
        #[test]
        fn bounded_scores_are_probabilities(
            samples in proptest::collection::vec(
                proptest::collection::vec(0u32..5_000, 3), 2..40),
            observed in proptest::collection::vec(0u32..5_000, 3),
            exact_first in proptest::bool::ANY,
            cut in 0u32..5_000,
        ) {
            let modelled = [true, true, true];
            let first = if exact_first { Bound::Exact } else { Bound::AtLeast };
            let score = |b: Bound| {
                let mut obs = observed.clone();
                obs[2] = cut;
                joint_log_likelihood_bounded(&obs, &[first, Bound::Exact, b], &samples, &modelled)
            };
            for b in [Bound::Exact, Bound::AtLeast, Bound::MoreThan, Bound::AtMost, Bound::LessThan] {
                let v = score(b);
                proptest::prop_assert!(!v.is_nan() && v != f64::INFINITY, "{b:?}: {v}");
            }
            let base = {
                let mut obs = observed.clone();
                obs[2] = cut;
                joint_log_likelihood_bounded(&obs[..2], &[first, Bound::Exact], &samples, &modelled[..2])
            };
            if base.is_finite() {
                let sides = (score(Bound::MoreThan) - base).exp() + (score(Bound::AtMost) - base).exp();
                proptest::prop_assert!((sides - 1.0).abs() < 1e-6, "{sides}");
                let sides = (score(Bound::AtLeast) - base).exp() + (score(Bound::LessThan) - base).exp();
                proptest::prop_assert!((sides - 1.0).abs() < 1e-6, "{sides}");
            }
        }
    }
}
