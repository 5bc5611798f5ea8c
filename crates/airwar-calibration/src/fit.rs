//! Fitting the global model parameters to the observed battles.
//!
//! Method: approximate Bayesian computation by population Monte Carlo with a synthetic
//! likelihood.
//!
//! 1. The fitted parameters ([`FITTED`]) have uniform priors over plausible ranges; every other
//!    parameter keeps its value from the base set.
//! 2. Round 0 draws `particles` parameter sets from the prior. Each is scored by simulating every
//!    battle `runs` times on common random numbers and summing, over every observed figure, the
//!    log-probability of the observed value under the simulated distribution (smoothed; see
//!    [`crate::distribution::Distribution::log_likelihood`]).
//! 3. Each later round draws new sets from a Gaussian kernel around the previous round's
//!    weighted particles (variance twice their weighted variance, kept inside the prior box) and
//!    weights them by likelihood × prior / proposal density.
//! 4. The last round's weighted particles are the posterior: the point estimate is the posterior
//!    mean, the ranges its weighted 5%, 50% and 95% quantiles.
//!
//! Because every particle keeps its per-battle log-likelihoods and predictive distributions,
//! leaving a battle out needs no new simulation: its weights are recomputed without that
//! battle's likelihood (importance reweighting), and its figures are predicted by the
//! reweighted mixture ([`FitResult::leave_one_out`]).

use std::collections::BTreeMap;

use airwar_model::rng::{stream, uniform, ModelRng};
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
            other => unreachable!("FITTED names a parameter apply() does not know: {other}"),
        };
        *slot = *v;
    }
    p
}

/// The values of the fitted parameters in `p`.
pub fn read(p: &ModelParameters) -> Vec<f64> {
    FITTED
        .iter()
        .map(|f| match f.name {
            "lethality" => p.lethality,
            "gunner_hit_logit" => p.gunner_hit_logit,
            "claim_when_missed" => p.claim_when_missed,
            "fortune_sd" => p.fortune_sd,
            "claim_sd" => p.claim_sd,
            "lethal_share_per_tonne" => p.lethal_share_per_tonne,
            other => unreachable!("FITTED names a parameter read() does not know: {other}"),
        })
        .collect()
}

/// How hard to work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FitConfig {
    /// Parameter sets per round.
    pub particles: usize,
    pub rounds: usize,
    /// Replications of each battle for each parameter set.
    pub runs: u64,
    pub seed: u64,
    pub threads: Option<usize>,
}

impl Default for FitConfig {
    fn default() -> Self {
        FitConfig {
            particles: 256,
            rounds: 4,
            runs: 200,
            seed: 1,
            threads: None,
        }
    }
}

/// One parameter set of the final round, with everything needed to reweight it.
#[derive(Debug, Clone)]
pub struct Particle {
    pub theta: Vec<f64>,
    /// log(prior / proposal) for this particle's round.
    pub log_importance: f64,
    /// One evaluation per battle.
    pub battles: Vec<BattleEvaluation>,
}

impl Particle {
    pub fn log_likelihood(&self) -> f64 {
        self.battles.iter().map(|b| b.log_likelihood).sum()
    }
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
    /// (Σw)² / Σw²: how many particles the posterior effectively rests on.
    pub effective_sample_size: f64,
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

fn normal(rng: &mut ModelRng) -> f64 {
    let u1 = 1.0 - uniform(rng);
    let u2 = uniform(rng);
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Draw `n` parameter sets: from the prior in round 0, else from the kernel around `previous`.
fn propose(
    n: usize,
    previous: Option<(&[Vec<f64>], &[f64])>,
    rng: &mut ModelRng,
) -> (Vec<Vec<f64>>, Vec<f64>) {
    let d = FITTED.len();
    let log_prior: f64 = -FITTED.iter().map(|f| (f.hi - f.lo).ln()).sum::<f64>();
    let Some((thetas, weights)) = previous else {
        let draws = (0..n)
            .map(|_| {
                FITTED
                    .iter()
                    .map(|f| f.lo + (f.hi - f.lo) * uniform(rng))
                    .collect()
            })
            .collect();
        return (draws, vec![0.0; n]);
    };
    // Kernel variance: twice the weighted variance of the previous round, per dimension.
    let sd: Vec<f64> = (0..d)
        .map(|j| {
            let mean: f64 = thetas.iter().zip(weights).map(|(t, w)| w * t[j]).sum();
            let var: f64 = thetas
                .iter()
                .zip(weights)
                .map(|(t, w)| w * (t[j] - mean).powi(2))
                .sum();
            let floor = 1e-3 * (FITTED[j].hi - FITTED[j].lo);
            (2.0 * var).sqrt().max(floor)
        })
        .collect();
    let cumulative: Vec<f64> = weights
        .iter()
        .scan(0.0, |acc, w| {
            *acc += w;
            Some(*acc)
        })
        .collect();
    let mut draws = Vec::with_capacity(n);
    for _ in 0..n {
        let u = uniform(rng);
        let parent = cumulative.partition_point(|c| *c < u).min(thetas.len() - 1);
        let theta: Vec<f64> = (0..d)
            .map(|j| {
                let f = &FITTED[j];
                // Redraw until inside the prior box (bounded tries; then clamp).
                for _ in 0..100 {
                    let v = thetas[parent][j] + sd[j] * normal(rng);
                    if v >= f.lo && v <= f.hi {
                        return v;
                    }
                }
                thetas[parent][j].clamp(f.lo, f.hi)
            })
            .collect();
        draws.push(theta);
    }
    // log(prior / proposal) for each draw; the proposal is the kernel mixture.
    let log_importance = draws
        .iter()
        .map(|theta| {
            let density: f64 = thetas
                .iter()
                .zip(weights)
                .map(|(parent, w)| {
                    let log_k: f64 = (0..d)
                        .map(|j| {
                            let z = (theta[j] - parent[j]) / sd[j];
                            -0.5 * z * z - sd[j].ln() - 0.5 * std::f64::consts::TAU.ln()
                        })
                        .sum();
                    w * log_k.exp()
                })
                .sum();
            log_prior - density.max(f64::MIN_POSITIVE).ln()
        })
        .collect();
    (draws, log_importance)
}

/// Fit the parameters in [`FITTED`] to the observed figures of `battles`.
pub fn fit(
    battles: &[Engagement],
    db: &AircraftDatabase,
    base: &ModelParameters,
    config: FitConfig,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<FitResult, CalibrationError> {
    if battles.iter().all(|b| b.observed.is_empty()) {
        return Err(CalibrationError::NothingObserved);
    }
    if config.particles < 2 || config.rounds == 0 || config.runs == 0 {
        return Err(CalibrationError::TooSmall);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads.unwrap_or(0))
        .build()
        .map_err(|e| CalibrationError::Threads(e.to_string()))?;
    let mut rng = stream(config.seed ^ 0x00CA_11B8_A7E0, 0);
    let mut previous: Option<(Vec<Vec<f64>>, Vec<f64>)> = None;
    let mut last: Vec<Particle> = Vec::new();
    let mut weights: Vec<f64> = Vec::new();
    let total = config.rounds * config.particles;
    let done = std::sync::atomic::AtomicUsize::new(0);
    for _round in 0..config.rounds {
        let (thetas, log_importance) = propose(
            config.particles,
            previous.as_ref().map(|(t, w)| (t.as_slice(), w.as_slice())),
            &mut rng,
        );
        let evaluated: Result<Vec<Particle>, CalibrationError> = pool.install(|| {
            thetas
                .par_iter()
                .zip(&log_importance)
                .map(|(theta, li)| {
                    let params = apply(base, theta);
                    let battles = battles
                        .iter()
                        .map(|b| evaluate_battle(b, db, &params, config.runs, config.seed))
                        .collect::<Result<Vec<_>, _>>()?;
                    let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                    progress(n, total);
                    Ok(Particle {
                        theta: theta.clone(),
                        log_importance: *li,
                        battles,
                    })
                })
                .collect()
        });
        last = evaluated?;
        let log_w: Vec<f64> = last
            .iter()
            .map(|p| p.log_likelihood() + p.log_importance)
            .collect();
        weights = normalise(&log_w);
        previous = Some((
            last.iter().map(|p| p.theta.clone()).collect(),
            weights.clone(),
        ));
    }
    Ok(summarise(config, battles, base, last, weights))
}

fn summarise(
    config: FitConfig,
    battles: &[Engagement],
    base: &ModelParameters,
    particles: Vec<Particle>,
    weights: Vec<f64>,
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
    let ess = 1.0 / weights.iter().map(|w| w * w).sum::<f64>();
    FitResult {
        config,
        battle_ids: battles.iter().map(|b| b.id.clone()).collect(),
        parameters: apply(base, &means),
        particles,
        weights,
        ranges,
        effective_sample_size: ess,
    }
}

impl FitResult {
    /// The posterior predictive distributions of battle `b`'s observed figures when the fit
    /// leaves that battle out: each particle is reweighted without battle `b`'s likelihood.
    pub fn leave_one_out(&self, b: usize) -> Vec<Option<Distribution>> {
        let log_w: Vec<f64> = self
            .particles
            .iter()
            .map(|p| p.log_likelihood() - p.battles[b].log_likelihood + p.log_importance)
            .collect();
        let w = normalise(&log_w);
        let figures = self
            .particles
            .first()
            .map_or(0, |p| p.battles[b].predictive.len());
        (0..figures)
            .map(|j| {
                let parts: Vec<(f64, &Distribution)> = self
                    .particles
                    .iter()
                    .zip(&w)
                    .filter_map(|(p, w)| p.battles[b].predictive[j].as_ref().map(|d| (*w, d)))
                    .collect();
                (!parts.is_empty()).then(|| Distribution::mixture(parts))
            })
            .collect()
    }

    /// The posterior predictive distributions of battle `b`'s figures with every battle in.
    pub fn predictive(&self, b: usize) -> Vec<Option<Distribution>> {
        let figures = self
            .particles
            .first()
            .map_or(0, |p| p.battles[b].predictive.len());
        (0..figures)
            .map(|j| {
                let parts: Vec<(f64, &Distribution)> = self
                    .particles
                    .iter()
                    .zip(&self.weights)
                    .filter_map(|(p, w)| p.battles[b].predictive[j].as_ref().map(|d| (*w, d)))
                    .collect();
                (!parts.is_empty()).then(|| Distribution::mixture(parts))
            })
            .collect()
    }
}
