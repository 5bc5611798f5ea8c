//! Fitting the campaign model's unknown inputs to the theatres' recorded totals.
//!
//! What the record does not give becomes a named parameter with a prior ([`CAMPAIGN_FITTED`]):
//! - `contact_share`: the share of a drawn engagement's forces that actually fight (a typical
//!   campaign engagement is far smaller than a famous battle, and most aircraft counted in it
//!   never fire); global, one value for every theatre;
//! - `route_capacity_aircraft_per_month`: what a supply route carries where no capacity is
//!   cited (the Alma Ata route);
//! - `loss_replacement_share`: the share of lost aircraft the supplier replaced over the route;
//! - `operation_rate_multiplier`: how much more often the covert force fought during the
//!   theatre's cited major air operations than on other days;
//! - `front_distance_scale_km`: how fast its rate of fighting fell with its distance from the
//!   front line (the cited places the enemy had taken);
//! - `record_discrepancy_sd`: how far, on the logarithm, a recorded total stands from the
//!   model's (what the model leaves out and the record's own errors). The simulation never
//!   reads it; the likelihood widens each total's variance by it
//!   ([`crate::evaluate::joint_log_likelihood_with_discrepancy`]) and validation's predictive
//!   distributions of the recorded totals carry it
//!   ([`crate::distribution::Distribution::with_record_discrepancy`]). Without it the fit
//!   treats the model as exact: its posterior narrows onto whichever parameters the common
//!   random numbers favour, and its intervals miss totals a few per cent away.
//!
//! Recorded totals are targets only: the fit scores each theatre's totals that the fighting
//! and supply drive ([`FITTED_TOTALS`]) by the joint synthetic likelihood of the battle fit,
//! with a total the record gives only as a bound ("over 1,200") scored as censored
//! ([`crate::evaluate::joint_log_likelihood_bounded`]), and the tempered sequential Monte Carlo of
//! [`crate::fit::temper`] samples the posterior. Each posterior draw keeps its log-likelihood
//! per theatre, so leaving a theatre out is a reweighting ([`CampaignFit::fold`] here, and
//! [`crate::campaign_validate::held_out_parameters`] on the embedded draws), checked by PSIS
//! ([`crate::psis`]); where the diagnostic says the reweighting cannot be trusted the caller
//! refits without the theatre ([`fit_campaign`] with `theatres`).

use std::collections::BTreeMap;

use airwar_campaign::params::PosteriorDraw;
use airwar_campaign::{Campaign, CampaignParameters, Total};
use airwar_model::ModelParameters;
use airwar_scenario::{Bound, Library, Theatre};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::evaluate::joint_log_likelihood_with_discrepancy;
use crate::fit::{temper, FittedParameter, HasTheta};
use crate::CalibrationError;

/// The recorded totals the fit scores: those the fighting and the supply drive. (Personnel
/// totals follow from cited strengths and tours.)
pub const FITTED_TOTALS: &[Total] = &[
    Total::Delivered,
    Total::Claims,
    Total::CovertAircraftLost,
    Total::PilotsKilled,
];

/// A fitted campaign parameter and its prior: uniform on [lo, hi], or on the logarithm.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CampaignPrior {
    pub name: &'static str,
    pub lo: f64,
    pub hi: f64,
    pub log_uniform: bool,
}

impl CampaignPrior {
    fn value_of(self, theta: f64) -> f64 {
        if self.log_uniform {
            theta.exp()
        } else {
            theta
        }
    }
    fn sampling_box(&self) -> FittedParameter {
        let (lo, hi) = if self.log_uniform {
            (self.lo.ln(), self.hi.ln())
        } else {
            (self.lo, self.hi)
        };
        FittedParameter {
            name: self.name,
            lo,
            hi,
        }
    }
}

/// The campaign parameters calibration fits, with their priors.
pub const CAMPAIGN_FITTED: &[CampaignPrior] = &[
    CampaignPrior {
        name: "contact_share",
        lo: 0.005,
        hi: 1.0,
        log_uniform: true,
    },
    CampaignPrior {
        name: "route_capacity_aircraft_per_month",
        lo: 10.0,
        hi: 300.0,
        log_uniform: true,
    },
    CampaignPrior {
        name: "loss_replacement_share",
        lo: 0.0,
        hi: 1.0,
        log_uniform: false,
    },
    CampaignPrior {
        name: "operation_rate_multiplier",
        lo: 1.0,
        hi: 30.0,
        log_uniform: true,
    },
    CampaignPrior {
        name: "front_distance_scale_km",
        lo: 50.0,
        hi: 5000.0,
        log_uniform: true,
    },
    CampaignPrior {
        name: "record_discrepancy_sd",
        lo: 0.01,
        hi: 1.0,
        log_uniform: true,
    },
];

/// How hard the campaign fit works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CampaignFitConfig {
    pub particles: usize,
    pub moves: usize,
    /// Replications of each theatre for each parameter set.
    pub runs: u64,
    pub seed: u64,
}

impl Default for CampaignFitConfig {
    fn default() -> Self {
        CampaignFitConfig {
            particles: 64,
            moves: 2,
            runs: 40,
            seed: 1,
        }
    }
}

/// One theatre scored under one parameter set.
#[derive(Debug, Clone)]
pub struct TheatreScore {
    pub log_likelihood: f64,
}

/// One parameter set (sampling scale) with its scores, one per theatre fitted.
#[derive(Debug, Clone)]
pub struct CampaignParticle {
    pub theta: Vec<f64>,
    pub theatres: Vec<TheatreScore>,
}

impl HasTheta for CampaignParticle {
    fn theta(&self) -> &[f64] {
        &self.theta
    }
}

impl CampaignParticle {
    fn log_likelihood(&self) -> f64 {
        self.theatres.iter().map(|t| t.log_likelihood).sum()
    }
}

/// Whether the fit scores a recorded total: one of the [`FITTED_TOTALS`] from a source not
/// marked doubtful. A theatre records only a handful of totals, so one of them can move a
/// global parameter to the edge of its prior on its own; a doubtful one (a forum post, a blog,
/// a machine-translated mirror) that contradicts the founding account must not. Doubtful
/// totals are still validated, as held-out predictions.
pub fn is_fitted_total(total: Total, doubtful: bool) -> bool {
    FITTED_TOTALS.contains(&total) && !doubtful
}

/// For each of a campaign's snapshots, whether the fit scores it (see [`is_fitted_total`]).
pub fn fitted_snapshots(theatre: &Theatre, c: &Campaign) -> Vec<bool> {
    theatre
        .observed
        .iter()
        .filter(|o| {
            airwar_campaign::totals::model_total(&o.metric, &o.force, &c.covert_id).is_some()
        })
        .zip(&c.snapshots)
        .map(|(o, (total, _))| is_fitted_total(*total, o.value.doubtful))
        .collect()
}

/// Score `theatre` under `cparams`: the joint likelihood of its fitted totals.
pub fn score_theatre(
    theatre: &Theatre,
    lib: &Library,
    params: &ModelParameters,
    cparams: &CampaignParameters,
    runs: u64,
    seed: u64,
) -> Result<TheatreScore, CalibrationError> {
    let c = Campaign::new(theatre, lib, params, cparams)
        .map_err(|e| CalibrationError::Campaign(e.to_string()))?;
    let fitted = fitted_snapshots(theatre, &c);
    let samples: Vec<Vec<u32>> = (0..runs)
        .map(|i| {
            c.simulate(seed, i)
                .observed
                .iter()
                .map(|x| (*x).min(u32::MAX as u64) as u32)
                .collect()
        })
        .collect();
    let observed = observed_values(theatre, &c);
    let bounds: Vec<Bound> = modelled_rows(theatre, &c).map(|o| o.value.bound).collect();
    Ok(TheatreScore {
        log_likelihood: joint_log_likelihood_with_discrepancy(
            &observed,
            &bounds,
            &samples,
            &fitted,
            cparams.record_discrepancy_sd,
        ),
    })
}

/// The recorded values behind a campaign's snapshots, in the same order.
pub fn observed_values(theatre: &Theatre, c: &Campaign) -> Vec<u32> {
    modelled_rows(theatre, c)
        .map(|o| o.value.value.round().max(0.0) as u32)
        .collect()
}

/// The `[[observed]]` rows the campaign model produces, in the order of its snapshots.
fn modelled_rows<'a>(
    theatre: &'a Theatre,
    c: &'a Campaign,
) -> impl Iterator<Item = &'a airwar_scenario::theatre::TheatreObservation> + 'a {
    theatre.observed.iter().filter(|o| {
        airwar_campaign::totals::model_total(&o.metric, &o.force, &c.covert_id).is_some()
    })
}

/// A fitted parameter's posterior summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PosteriorRange {
    pub mean: f64,
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
}

/// How the fit was made, as written to `data/campaign-parameters.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignCalibration {
    pub method: String,
    pub airwar_version: String,
    pub seed: u64,
    pub runs_per_theatre: u64,
    pub particles: usize,
    pub theatres: Vec<String>,
    /// The recorded totals scored (each theatre's rows of these kinds are "fitted").
    pub fitted_totals: Vec<String>,
    /// Each fitted parameter's prior, as text.
    pub priors: BTreeMap<String, String>,
    pub ranges: BTreeMap<String, PosteriorRange>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    parameters: CampaignParameters,
    calibration: Option<CampaignCalibration>,
}

/// The PSIS diagnostic of one leave-one-theatre-out fold.
#[derive(Debug, Clone, Serialize)]
pub struct Fold {
    pub theatre: String,
    pub pareto_k: f64,
    pub effective_sample_size: f64,
    /// Whether the diagnostic says the reweighting cannot be trusted (refit needed).
    pub needs_refit: bool,
}

/// The result of a campaign fit.
#[derive(Debug, Clone)]
pub struct CampaignFit {
    pub config: CampaignFitConfig,
    pub parameters: CampaignParameters,
    pub record: CampaignCalibration,
    /// The theatres fitted, in the order of each particle's scores.
    pub theatre_ids: Vec<String>,
    pub particles: Vec<CampaignParticle>,
    /// The sampler's log evidence ([`crate::fit::Tempered::log_evidence`]): fits made with
    /// different seeds that land in different modes are compared by it.
    pub log_evidence: f64,
}

fn quantile(values: &[f64], q: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let i = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len().max(1)) - 1;
    v.get(i).copied().unwrap_or(f64::NAN)
}

/// Fit [`CAMPAIGN_FITTED`] to the recorded totals of `theatres` (ids; empty: every theatre of
/// the library).
pub fn fit_campaign(
    lib: &Library,
    params: &ModelParameters,
    base: &CampaignParameters,
    config: CampaignFitConfig,
    theatres: &[String],
) -> Result<CampaignFit, CalibrationError> {
    crate::check_fit_size(config.particles, config.runs)?;
    let chosen: Vec<&Theatre> = lib
        .theatres
        .iter()
        .filter(|t| theatres.is_empty() || theatres.contains(&t.id))
        .collect();
    let mut base = base.clone();
    base.posterior.clear();
    let boxes: Vec<FittedParameter> = CAMPAIGN_FITTED.iter().map(|p| p.sampling_box()).collect();
    let with = |theta: &[f64]| -> CampaignParameters {
        let mut cp = base.clone();
        for (p, t) in CAMPAIGN_FITTED.iter().zip(theta) {
            cp.set_fitted(p.name, p.value_of(*t));
        }
        cp
    };
    let score = |thetas: &[Vec<f64>]| -> Result<Vec<CampaignParticle>, CalibrationError> {
        thetas
            .par_iter()
            .map(|theta| {
                let cp = with(theta);
                let theatres = chosen
                    .iter()
                    .map(|t| score_theatre(t, lib, params, &cp, config.runs, config.seed))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(CampaignParticle {
                    theta: theta.clone(),
                    theatres,
                })
            })
            .collect()
    };
    let sampled = temper(
        &boxes,
        config.particles,
        config.moves,
        config.seed,
        &|p: &CampaignParticle| p.log_likelihood(),
        &score,
    )?;
    let log_evidence = sampled.log_evidence;
    let particles = sampled.particles;
    let theatre_ids: Vec<String> = chosen.iter().map(|t| t.id.clone()).collect();
    let mut ranges = BTreeMap::new();
    let mut priors = BTreeMap::new();
    let mut point = base.clone();
    for (j, p) in CAMPAIGN_FITTED.iter().enumerate() {
        let values: Vec<f64> = particles.iter().map(|x| p.value_of(x.theta[j])).collect();
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        point.set_fitted(p.name, mean);
        ranges.insert(
            p.name.to_string(),
            PosteriorRange {
                mean,
                p05: quantile(&values, 0.05),
                p50: quantile(&values, 0.5),
                p95: quantile(&values, 0.95),
            },
        );
        priors.insert(
            p.name.to_string(),
            format!(
                "uniform{} from {} to {}",
                if p.log_uniform {
                    " on the logarithm"
                } else {
                    ""
                },
                p.lo,
                p.hi
            ),
        );
    }
    point.posterior = particles
        .iter()
        .map(|x| PosteriorDraw {
            weight: 1.0 / particles.len() as f64,
            values: CAMPAIGN_FITTED
                .iter()
                .zip(&x.theta)
                .map(|(p, t)| (p.name.to_string(), p.value_of(*t)))
                .collect(),
            log_likelihood: theatre_ids
                .iter()
                .cloned()
                .zip(x.theatres.iter().map(|t| t.log_likelihood))
                .collect(),
        })
        .collect();
    let record = CampaignCalibration {
        method: format!(
            "tempered sequential Monte Carlo ({} particles, {} Metropolis moves a stage, {} stages, {:.0}% accepted); each theatre's recorded {} (from sources not marked doubtful) scored jointly by a multivariate Student t on stabilised counts over {} replications on common random numbers, each total's variance widened by the record's discrepancy (record_discrepancy_sd, a log-normal factor between the model's total and the recorded one, fitted with the rest); point values are posterior means; runs draw each replication's values from the posterior draws below",
            config.particles,
            config.moves,
            sampled.stages,
            100.0 * sampled.acceptance,
            FITTED_TOTALS.iter().map(|t| t.name()).collect::<Vec<_>>().join(", "),
            config.runs
        ),
        airwar_version: env!("CARGO_PKG_VERSION").to_string(),
        seed: config.seed,
        runs_per_theatre: config.runs,
        particles: config.particles,
        theatres: theatre_ids.clone(),
        fitted_totals: FITTED_TOTALS.iter().map(|t| t.name().to_string()).collect(),
        priors,
        ranges,
    };
    Ok(CampaignFit {
        config,
        parameters: point,
        record,
        theatre_ids,
        particles,
        log_evidence,
    })
}

impl CampaignFit {
    /// The PSIS diagnostic of leaving theatre `t` (index into `theatre_ids`) out.
    pub fn fold(&self, t: usize) -> Fold {
        let log_ratios: Vec<f64> = self
            .particles
            .iter()
            .map(|p| -p.theatres[t].log_likelihood)
            .collect();
        let s = crate::psis::smooth(&log_ratios);
        Fold {
            theatre: self.theatre_ids[t].clone(),
            pareto_k: s.k,
            effective_sample_size: s.effective_sample_size,
            needs_refit: crate::psis::needs_refit(s.k, self.particles.len()),
        }
    }
}

/// The text of `data/campaign-parameters.toml`.
pub fn to_toml(fit: &CampaignFit) -> Result<String, CalibrationError> {
    let file = File {
        parameters: fit.parameters.clone(),
        calibration: Some(fit.record.clone()),
    };
    let text = toml::to_string(&file).map_err(|e| CalibrationError::Campaign(e.to_string()))?;
    Ok(format!(
        "# Written by `airwar calibrate --campaign`; do not edit by hand (run it again).\n{text}"
    ))
}

/// A campaign parameter file that could not be read.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{file}: {message}")]
pub struct CampaignParameterFileError {
    pub file: String,
    pub message: String,
}

/// Read a campaign parameter file: every field it sets over `base`, the rest kept.
pub fn parse_campaign_parameters(
    file: &str,
    text: &str,
    base: &CampaignParameters,
) -> Result<(CampaignParameters, Option<CampaignCalibration>), CampaignParameterFileError> {
    let err = |message: String| CampaignParameterFileError {
        file: file.to_string(),
        message,
    };
    let value: toml::Table = toml::from_str(text).map_err(|e| err(e.to_string()))?;
    let mut merged = toml::Table::try_from(base).map_err(|e| err(e.to_string()))?;
    if let Some(given) = value.get("parameters") {
        let given = given
            .as_table()
            .ok_or_else(|| err("`parameters` must be a table".to_string()))?;
        for (k, v) in given {
            merged.insert(k.clone(), v.clone());
        }
    }
    for key in value.keys() {
        if !["parameters", "calibration", "provenance"].contains(&key.as_str()) {
            return Err(err(format!(
                "unknown table `{key}`: expected `parameters`, `calibration` or `provenance`"
            )));
        }
    }
    let parameters: CampaignParameters = merged.try_into().map_err(|e| err(e.to_string()))?;
    parameters.validate().map_err(|e| err(e.to_string()))?;
    let calibration = value
        .get("calibration")
        .cloned()
        .map(|c| c.try_into::<CampaignCalibration>())
        .transpose()
        .map_err(|e| err(e.to_string()))?;
    Ok((parameters, calibration))
}

/// The campaign parameters every command uses by default: the embedded calibrated set. An
/// embedded file that does not parse is an error, never a silent fall-back to the code's
/// defaults.
pub fn default_campaign_parameters() -> Result<CampaignParameters, CampaignParameterFileError> {
    // Read once per process: the file is embedded, and at 60 kB (the fit's particles) reading
    // it cost more than compiling a campaign, which a sweep does at every design point.
    static READ: std::sync::OnceLock<Result<CampaignParameters, CampaignParameterFileError>> =
        std::sync::OnceLock::new();
    READ.get_or_init(|| {
        let Some((name, text)) =
            airwar_scenario::builtin::embedded_files("campaign-parameters.toml").next()
        else {
            return Ok(CampaignParameters::default());
        };
        parse_campaign_parameters(
            &format!("<built-in>/data/{name}"),
            text,
            &CampaignParameters::default(),
        )
        .map(|(p, _)| p)
    })
    .clone()
}
