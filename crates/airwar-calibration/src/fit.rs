//! Fitting the global model parameters to the observed battles.
//!
//! Method: Bayesian inference with a synthetic likelihood, by a sequential Monte Carlo sampler
//! with likelihood tempering (a standard approximate Bayesian computation scheme).
//!
//! 1. The fitted parameters ([`FITTED`]) have uniform priors over plausible ranges; every other
//!    parameter keeps its value from the base set.
//! 2. A parameter set is scored by simulating every battle `runs` times on common random
//!    numbers and summing, over every observed figure, a synthetic log-likelihood of the
//!    observed value (each battle's figures jointly: a heavy-tailed density on their simulated
//!    means and covariance; see [`crate::evaluate::joint_log_likelihood`]). Common random
//!    numbers make the score a smooth, deterministic function of the parameters.
//! 3. `particles` sets are drawn from the prior. The likelihood is then brought in by stages:
//!    the target at stage t is prior × likelihood^β_t, each step in β chosen so that the
//!    particles' effective sample size stays at half their number; the particles are resampled
//!    and each takes `moves` Metropolis steps (Gaussian, scaled to the particles' spread) under
//!    the new target. At β = 1 the particles are a sample of the posterior.
//! 4. The point estimate is the posterior mean; the ranges its 5%, 50% and 95% quantiles.
//!
//! Because every particle keeps its per-battle log-likelihoods and predictive distributions,
//! leaving a battle out needs no new simulation: the particles are reweighted without that
//! battle's likelihood (importance reweighting), and its figures are predicted by the
//! reweighted mixture ([`FitResult::leave_one_out`]).

use std::collections::BTreeMap;

use airwar_model::rng::{normal, stream, uniform, ModelRng};
use airwar_model::ModelParameters;
use airwar_scenario::{AircraftDatabase, Engagement};
use rayon::prelude::*;
use serde::Serialize;

use crate::distribution::Distribution;
use crate::evaluate::{evaluate_battle, BattleEvaluation};
use crate::CalibrationError;

/// A fitted parameter and its uniform prior range.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FittedParameter {
    pub name: &'static str,
    pub lo: f64,
    pub hi: f64,
}

/// The parameters calibration fits. The others are grounded in aircraft data or reasoning and
/// stay fixed (docs/model.md).
pub const FITTED: &[FittedParameter] = &[
    FittedParameter {
        name: "lethality",
        lo: 0.001,
        hi: 0.15,
    },
    FittedParameter {
        name: "gunner_hit_logit",
        lo: -5.0,
        hi: 0.0,
    },
    FittedParameter {
        name: "claim_when_missed",
        lo: 0.0,
        hi: 0.12,
    },
    FittedParameter {
        name: "fortune_sd",
        lo: 0.0,
        hi: 2.5,
    },
    FittedParameter {
        name: "claim_sd",
        lo: 0.0,
        hi: 1.5,
    },
    FittedParameter {
        name: "lethal_share_per_tonne",
        lo: 0.002,
        hi: 0.3,
    },
    FittedParameter {
        name: "toughness_exponent",
        lo: 0.25,
        hi: 1.5,
    },
    FittedParameter {
        name: "bombing_sd",
        lo: 0.0,
        hi: 2.0,
    },
];

/// Set the fitted parameters of `base` to `theta` (in [`FITTED`] order).
pub fn apply(base: &ModelParameters, theta: &[f64]) -> ModelParameters {
    let mut p = base.clone();
    for (f, v) in FITTED.iter().zip(theta) {
        let slot = match f.name {
            "lethality" => &mut p.lethality,
            "gunner_hit_logit" => &mut p.gunner_hit_logit,
            "claim_when_missed" => &mut p.claim_when_missed,
            "fortune_sd" => &mut p.fortune_sd,
            "claim_sd" => &mut p.claim_sd,
            "lethal_share_per_tonne" => &mut p.lethal_share_per_tonne,
            "bombing_sd" => &mut p.bombing_sd,
            "toughness_exponent" => &mut p.toughness_exponent,
            other => unreachable!("FITTED names a parameter apply() does not know: {other}"),
        };
        *slot = *v;
    }
    p
}

/// How hard to work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FitConfig {
    /// Parameter sets carried through the sampler.
    pub particles: usize,
    /// Metropolis steps each particle takes at each tempering stage.
    pub moves: usize,
    /// Replications of each battle for each parameter set.
    pub runs: u64,
    pub seed: u64,
    pub threads: Option<usize>,
}

impl Default for FitConfig {
    fn default() -> Self {
        FitConfig {
            particles: 128,
            moves: 2,
            runs: 200,
            seed: 1,
            threads: None,
        }
    }
}

/// A battle predicted by reweighting the fit without it.
#[derive(Debug, Clone)]
pub struct LeaveOneOut {
    pub predictive: Vec<Option<Distribution>>,
    /// PSIS Pareto shape of the reweighting.
    pub pareto_k: f64,
    pub effective_sample_size: f64,
}

/// One parameter set, with everything needed to reweight it.
#[derive(Debug, Clone)]
pub struct Particle {
    pub theta: Vec<f64>,
    /// One evaluation per battle.
    pub battles: Vec<BattleEvaluation>,
    /// Σ over battles of their log-likelihoods.
    pub log_likelihood: f64,
}

/// A fitted parameter's posterior summary.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ParameterRange {
    pub mean: f64,
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
}

/// The outcome of a fit.
#[derive(Debug, Clone)]
pub struct FitResult {
    pub config: FitConfig,
    pub battle_ids: Vec<String>,
    pub particles: Vec<Particle>,
    /// Normalised posterior weights of `particles`.
    pub weights: Vec<f64>,
    pub ranges: BTreeMap<&'static str, ParameterRange>,
    /// The base parameters with the fitted ones at their posterior means.
    pub parameters: ModelParameters,
    /// (Σw)² / Σw² of the last tempering stage's importance weights (before resampling):
    /// how many particles the posterior effectively rests on.
    pub effective_sample_size: f64,
    /// Tempering stages taken to reach the posterior.
    pub stages: usize,
    /// Share of Metropolis proposals accepted.
    pub acceptance: f64,
}

fn normalise(log_w: &[f64]) -> Vec<f64> {
    let max = log_w.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let w: Vec<f64> = log_w.iter().map(|l| (l - max).exp()).collect();
    let total: f64 = w.iter().sum();
    w.iter().map(|x| x / total).collect()
}

fn weighted_quantile(values: &[f64], weights: &[f64], q: f64) -> f64 {
    let mut pairs: Vec<(f64, f64)> = values
        .iter()
        .copied()
        .zip(weights.iter().copied())
        .collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut cumulative = 0.0;
    for (v, w) in &pairs {
        cumulative += w;
        if cumulative >= q {
            return *v;
        }
    }
    pairs.last().map_or(f64::NAN, |p| p.0)
}

fn effective_size(weights: &[f64]) -> f64 {
    1.0 / weights.iter().map(|w| w * w).sum::<f64>()
}

/// Systematic resampling: indices of `weights.len()` particles drawn in proportion to weight.
fn resample(weights: &[f64], rng: &mut ModelRng) -> Vec<usize> {
    let n = weights.len();
    let start = uniform(rng) / n as f64;
    let mut out = Vec::with_capacity(n);
    let mut cumulative = 0.0;
    let mut i = 0;
    for k in 0..n {
        let target = start + k as f64 / n as f64;
        while i + 1 < n && cumulative + weights[i] < target {
            cumulative += weights[i];
            i += 1;
        }
        out.push(i);
    }
    out
}

fn inside_prior(priors: &[FittedParameter], theta: &[f64]) -> bool {
    priors
        .iter()
        .zip(theta)
        .all(|(f, v)| *v >= f.lo && *v <= f.hi)
}

/// Fit the parameters in [`FITTED`] to the observed figures of `battles`. `progress` is told
/// how many parameter sets have been scored.
pub fn fit(
    battles: &[Engagement],
    db: &AircraftDatabase,
    base: &ModelParameters,
    config: FitConfig,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<FitResult, CalibrationError> {
    if battles.iter().all(|b| b.observed.is_empty()) {
        return Err(CalibrationError::NothingObserved);
    }
    crate::check_fit_size(config.particles, config.runs)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads.unwrap_or(0))
        .build()
        .map_err(|e| CalibrationError::Threads(e.to_string()))?;
    let scored = std::sync::atomic::AtomicUsize::new(0);
    // Score parameter sets in parallel; results come back in order, so the fit does not depend
    // on the thread count.
    let score = |thetas: &[Vec<f64>]| -> Result<Vec<Particle>, CalibrationError> {
        pool.install(|| {
            thetas
                .par_iter()
                .map(|theta| {
                    let params = apply(base, theta);
                    let evaluations = battles
                        .iter()
                        .map(|b| evaluate_battle(b, db, &params, config.runs, config.seed))
                        .collect::<Result<Vec<_>, _>>()?;
                    let n = scored.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                    progress(n);
                    Ok(Particle {
                        theta: theta.clone(),
                        log_likelihood: evaluations.iter().map(|b| b.log_likelihood).sum(),
                        battles: evaluations,
                    })
                })
                .collect()
        })
    };

    let sampled = temper(
        FITTED,
        config.particles,
        config.moves,
        config.seed,
        &|p: &Particle| p.log_likelihood,
        &score,
    )?;
    let n = sampled.particles.len();
    let mut result = summarise(
        config,
        battles,
        base,
        sampled.particles,
        vec![1.0 / n as f64; n],
        sampled.stages,
        sampled.acceptance,
    );
    result.effective_sample_size = sampled.effective_sample_size;
    Ok(result)
}

/// What [`temper`] returns: an equally weighted sample of the posterior.
pub struct Tempered<P> {
    /// Each particle with its parameter values (in prior order).
    pub particles: Vec<P>,
    pub stages: usize,
    pub acceptance: f64,
    /// (Σw)² / Σw² of the last stage's importance weights, before resampling: how many
    /// particles the posterior effectively rests on.
    pub effective_sample_size: f64,
    /// The sampler's estimate of the log marginal likelihood (the evidence): the sum over the
    /// stages of the log mean incremental weight. Fits that ended in different modes can be
    /// compared by it; it does not steer the sampler.
    pub log_evidence: f64,
}

/// Something [`temper`] moves: it knows its parameter values.
pub trait HasTheta {
    fn theta(&self) -> &[f64];
}

impl HasTheta for Particle {
    fn theta(&self) -> &[f64] {
        &self.theta
    }
}

fn theta_of<P: HasTheta>(p: &P) -> &[f64] {
    p.theta()
}

/// Turns parameter vectors into scored particles, in order.
pub type ScoreFn<'a, P, E> = dyn Fn(&[Vec<f64>]) -> Result<Vec<P>, E> + Sync + 'a;

/// Tempered sequential Monte Carlo over the box `priors` (uniform priors): `score` turns
/// parameter vectors into particles (in order), `log_likelihood` reads a particle's. Shared by
/// the battle fit and the campaign fit.
pub fn temper<P: HasTheta + Clone, E>(
    priors: &[FittedParameter],
    n: usize,
    moves: usize,
    seed: u64,
    log_likelihood: &dyn Fn(&P) -> f64,
    score: &ScoreFn<'_, P, E>,
) -> Result<Tempered<P>, E> {
    let config_moves = moves;
    let mut last_ess = n as f64;
    let mut log_evidence = 0.0f64;

    let d = priors.len();
    let mut rng = stream(seed ^ 0x00CA_11B8_A7E0, 0);
    let prior_draws: Vec<Vec<f64>> = (0..n)
        .map(|_| {
            priors
                .iter()
                .map(|f| f.lo + (f.hi - f.lo) * uniform(&mut rng))
                .collect()
        })
        .collect();
    let mut particles = score(&prior_draws)?;
    let mut beta = 0.0f64;
    let (mut stages, mut proposed, mut accepted) = (0usize, 0usize, 0usize);
    while beta < 1.0 && stages < 200 {
        stages += 1;
        let ll: Vec<f64> = particles.iter().map(log_likelihood).collect();
        let weights_for = |step: f64| normalise(&ll.iter().map(|l| step * l).collect::<Vec<_>>());
        // The largest step in β that keeps half the particles effective.
        let next = if effective_size(&weights_for(1.0 - beta)) >= n as f64 / 2.0 {
            1.0
        } else {
            let (mut lo, mut hi) = (0.0, 1.0 - beta);
            for _ in 0..50 {
                let mid = 0.5 * (lo + hi);
                if effective_size(&weights_for(mid)) >= n as f64 / 2.0 {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            beta + lo.max(1e-9)
        };
        let weights = weights_for(next - beta);
        log_evidence += log_mean_exp(&ll, next - beta);
        last_ess = effective_size(&weights);
        beta = next;
        let chosen = resample(&weights, &mut rng);
        particles = chosen.iter().map(|i| particles[*i].clone()).collect();
        // Metropolis moves, the proposal scaled to the particles' spread.
        let sd: Vec<f64> = (0..d)
            .map(|j| {
                let mean = particles.iter().map(|p| theta_of(p)[j]).sum::<f64>() / n as f64;
                let var = particles
                    .iter()
                    .map(|p| (theta_of(p)[j] - mean).powi(2))
                    .sum::<f64>()
                    / n as f64;
                let floor = 1e-4 * (priors[j].hi - priors[j].lo);
                (2.38 / (d as f64).sqrt() * var.sqrt()).max(floor)
            })
            .collect();
        for _ in 0..config_moves {
            let proposals: Vec<Vec<f64>> = particles
                .iter()
                .map(|p| {
                    (0..d)
                        .map(|j| theta_of(p)[j] + sd[j] * normal(&mut rng))
                        .collect()
                })
                .collect();
            let uniforms: Vec<f64> = (0..n).map(|_| uniform(&mut rng)).collect();
            let inside: Vec<usize> = (0..n)
                .filter(|i| inside_prior(priors, &proposals[*i]))
                .collect();
            let candidates = score(
                &inside
                    .iter()
                    .map(|i| proposals[*i].clone())
                    .collect::<Vec<_>>(),
            )?;
            proposed += n;
            for (i, candidate) in inside.into_iter().zip(candidates) {
                let log_ratio = beta * (log_likelihood(&candidate) - log_likelihood(&particles[i]));
                if uniforms[i].ln() < log_ratio {
                    particles[i] = candidate;
                    accepted += 1;
                }
            }
        }
    }
    let acceptance = if proposed > 0 {
        accepted as f64 / proposed as f64
    } else {
        0.0
    };
    Ok(Tempered {
        particles,
        stages,
        acceptance,
        effective_sample_size: last_ess,
        log_evidence,
    })
}

/// log((1/n) Σ exp(step × lᵢ)), computed without overflow.
fn log_mean_exp(ll: &[f64], step: f64) -> f64 {
    let max = ll
        .iter()
        .map(|l| step * l)
        .fold(f64::NEG_INFINITY, f64::max);
    let sum: f64 = ll.iter().map(|l| (step * l - max).exp()).sum();
    max + (sum / ll.len() as f64).ln()
}

fn summarise(
    config: FitConfig,
    battles: &[Engagement],
    base: &ModelParameters,
    particles: Vec<Particle>,
    weights: Vec<f64>,
    stages: usize,
    acceptance: f64,
) -> FitResult {
    let mut ranges = BTreeMap::new();
    let mut means = Vec::new();
    for (j, f) in FITTED.iter().enumerate() {
        let values: Vec<f64> = particles.iter().map(|p| p.theta[j]).collect();
        let mean: f64 = values.iter().zip(&weights).map(|(v, w)| v * w).sum();
        means.push(mean);
        ranges.insert(
            f.name,
            ParameterRange {
                mean,
                p05: weighted_quantile(&values, &weights, 0.05),
                p50: weighted_quantile(&values, &weights, 0.5),
                p95: weighted_quantile(&values, &weights, 0.95),
            },
        );
    }
    let ess = effective_size(&weights);
    FitResult {
        config,
        battle_ids: battles.iter().map(|b| b.id.clone()).collect(),
        parameters: apply(base, &means),
        particles,
        weights,
        ranges,
        effective_sample_size: ess,
        stages,
        acceptance,
    }
}

impl FitResult {
    /// The posterior predictive distributions of battle `b`'s observed figures when the fit
    /// leaves that battle out: each particle is reweighted without battle `b`'s likelihood,
    /// the weights smoothed by PSIS, whose Pareto shape says whether to trust them.
    pub fn leave_one_out(&self, b: usize) -> LeaveOneOut {
        let log_w: Vec<f64> = self
            .particles
            .iter()
            .zip(&self.weights)
            .map(|(p, w)| w.ln() - p.battles[b].log_likelihood)
            .collect();
        let smoothed = crate::psis::smooth(&log_w);
        LeaveOneOut {
            predictive: self.mixture(b, &smoothed.weights),
            pareto_k: smoothed.k,
            effective_sample_size: smoothed.effective_sample_size,
        }
    }

    /// The posterior predictive distributions of a battle the fit did not use: the battle
    /// simulated under every particle's parameters, mixed by the particles' weights.
    pub fn predict(
        &self,
        e: &Engagement,
        db: &AircraftDatabase,
        base: &ModelParameters,
    ) -> Result<Vec<Option<Distribution>>, CalibrationError> {
        let evaluations = self
            .particles
            .par_iter()
            .map(|p| {
                evaluate_battle(
                    e,
                    db,
                    &apply(base, &p.theta),
                    self.config.runs,
                    self.config.seed,
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok((0..e.observed.len())
            .map(|j| {
                let parts: Vec<(f64, &Distribution)> = evaluations
                    .iter()
                    .zip(&self.weights)
                    .filter_map(|(ev, w)| ev.predictive[j].as_ref().map(|d| (*w, d)))
                    .collect();
                (!parts.is_empty()).then(|| Distribution::mixture(parts))
            })
            .collect())
    }

    /// For each observed figure of battle `b`, the particles' distributions mixed by `weights`.
    fn mixture(&self, b: usize, weights: &[f64]) -> Vec<Option<Distribution>> {
        let figures = self
            .particles
            .first()
            .map_or(0, |p| p.battles[b].predictive.len());
        (0..figures)
            .map(|j| {
                let parts: Vec<(f64, &Distribution)> = self
                    .particles
                    .iter()
                    .zip(weights)
                    .filter_map(|(p, w)| p.battles[b].predictive[j].as_ref().map(|d| (*w, d)))
                    .collect();
                (!parts.is_empty()).then(|| Distribution::mixture(parts))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_log_mean_exp_is_exact_and_does_not_overflow() {
        let ll = [-1000.0, -1000.0 + 2f64.ln()];
        let expected = -1000.0 + (1.5f64).ln();
        assert!((super::log_mean_exp(&ll, 1.0) - expected).abs() < 1e-12);
        assert_eq!(super::log_mean_exp(&ll, 0.0), 0.0);
    }
}
