//! Fitting the campaign model's one free scale, `contact_share`, to the theatres' recorded
//! totals.
//!
//! The engagement model was fitted to famous battles; a typical engagement in a campaign is far
//! smaller, and most aircraft counted in it never fire. `contact_share` is the share of a drawn
//! engagement's forces that actually fight. It is global (one value for every theatre) and is
//! fitted here on a grid (uniform prior on its logarithm) by the same joint synthetic likelihood
//! as the battles ([`crate::evaluate::joint_log_likelihood`]), scoring each theatre's recorded
//! totals the fighting drives ([`FITTED_TOTALS`]: claims, losses, pilots killed, and the
//! aircraft delivered, which replace losses). Leaving a theatre out and predicting it from the fit to the others is the honest test.

use airwar_campaign::{Campaign, CampaignParameters, TOTALS};
use airwar_model::ModelParameters;
use airwar_scenario::{Library, Theatre};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::distribution::Distribution;
use crate::evaluate::joint_log_likelihood;
use crate::CalibrationError;

/// The recorded totals the fit scores: those the fighting drives. (Personnel totals follow from
/// cited strengths and tours, not from the contact share.)
pub const FITTED_TOTALS: &[&str] = &[
    "delivered",
    "claims",
    "covert_aircraft_lost",
    "pilots_killed",
];

/// The grid searched, on a logarithmic scale.
pub const GRID_LO: f64 = 0.005;
pub const GRID_HI: f64 = 1.0;
pub const GRID_POINTS: usize = 40;

fn grid() -> Vec<f64> {
    (0..GRID_POINTS)
        .map(|k| {
            let t = k as f64 / (GRID_POINTS - 1) as f64;
            (GRID_LO.ln() + t * (GRID_HI.ln() - GRID_LO.ln())).exp()
        })
        .collect()
}

/// One theatre scored at one value: log-likelihood and the predictive distributions of its
/// recorded totals.
#[derive(Debug, Clone)]
struct Scored {
    log_likelihood: f64,
    predictive: Vec<Distribution>,
}

fn score(
    theatre: &Theatre,
    lib: &Library,
    params: &ModelParameters,
    cparams: &CampaignParameters,
    runs: u64,
    seed: u64,
) -> Result<Scored, CalibrationError> {
    let c = Campaign::new(theatre, lib, params, cparams)
        .map_err(|e| CalibrationError::Threads(e.to_string()))?;
    let fitted: Vec<usize> = c
        .snapshots
        .iter()
        .enumerate()
        .filter(|(_, (total, _))| FITTED_TOTALS.contains(&TOTALS[*total]))
        .map(|(k, _)| k)
        .collect();
    let mut samples = Vec::with_capacity(runs as usize);
    let mut summaries = vec![airwar_statistics::CountSummary::new(); fitted.len()];
    for i in 0..runs {
        let o = c.simulate(seed, i);
        let v: Vec<u32> = fitted
            .iter()
            .map(|k| o.observed[*k].min(u32::MAX as u64) as u32)
            .collect();
        for (s, x) in summaries.iter_mut().zip(&v) {
            s.add(*x);
        }
        samples.push(v);
    }
    let observed: Vec<u32> = observed_values(theatre, &c)
        .into_iter()
        .enumerate()
        .filter(|(k, _)| fitted.contains(k))
        .map(|(_, v)| v)
        .collect();
    Ok(Scored {
        log_likelihood: joint_log_likelihood(&observed, &samples, &vec![true; observed.len()]),
        predictive: summaries.iter().map(Distribution::from_summary).collect(),
    })
}

/// The recorded values behind a campaign's snapshots, in the same order.
fn observed_values(theatre: &Theatre, c: &Campaign) -> Vec<u32> {
    theatre
        .observed
        .iter()
        .filter(|o| {
            airwar_campaign::totals::model_total(&o.metric, &o.force, &c.covert_id).is_some()
        })
        .map(|o| o.value.value.round().max(0.0) as u32)
        .collect()
}

/// The fitted value and its provenance, as written to `data/campaign-parameters.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignCalibration {
    pub method: String,
    pub airwar_version: String,
    pub seed: u64,
    pub runs_per_theatre: u64,
    pub theatres: Vec<String>,
    pub contact_share_mean: f64,
    pub contact_share_p05: f64,
    pub contact_share_p95: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    parameters: CampaignParameters,
    calibration: Option<CampaignCalibration>,
}

/// A theatre's recorded totals predicted by a fit to the other theatres.
#[derive(Debug, Clone, Serialize)]
pub struct HeldOut {
    pub theatre: String,
    pub metric: String,
    pub observed: u32,
    pub mean: f64,
    pub p05: f64,
    pub p95: f64,
    pub inside_90: bool,
}

/// The result of a campaign fit.
#[derive(Debug, Clone)]
pub struct CampaignFit {
    pub parameters: CampaignParameters,
    pub record: CampaignCalibration,
    /// Each theatre predicted from the fit to the others.
    pub held_out: Vec<HeldOut>,
}

fn weights(log_lik: &[f64]) -> Vec<f64> {
    let max = log_lik.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let w: Vec<f64> = log_lik.iter().map(|l| (l - max).exp()).collect();
    let total: f64 = w.iter().sum();
    w.iter().map(|x| x / total).collect()
}

fn quantile(values: &[f64], w: &[f64], q: f64) -> f64 {
    let mut acc = 0.0;
    for (v, w) in values.iter().zip(w) {
        acc += w;
        if acc >= q {
            return *v;
        }
    }
    values.last().copied().unwrap_or(f64::NAN)
}

/// Fit `contact_share` to every theatre's recorded totals; predict each theatre from the fit to
/// the others.
pub fn fit_campaign(
    lib: &Library,
    params: &ModelParameters,
    base: &CampaignParameters,
    runs: u64,
    seed: u64,
) -> Result<CampaignFit, CalibrationError> {
    let values = grid();
    // scored[g][t]: grid point g, theatre t.
    let scored: Vec<Vec<Scored>> = values
        .par_iter()
        .map(|v| {
            let cp = CampaignParameters {
                contact_share: *v,
                ..base.clone()
            };
            lib.theatres
                .iter()
                .map(|t| score(t, lib, params, &cp, runs, seed))
                .collect::<Result<Vec<_>, _>>()
        })
        .collect::<Result<_, _>>()?;
    let total_ll: Vec<f64> = scored
        .iter()
        .map(|s| s.iter().map(|x| x.log_likelihood).sum())
        .collect();
    let w = weights(&total_ll);
    let mean_log: f64 = values.iter().zip(&w).map(|(v, w)| v.ln() * w).sum();
    let record = CampaignCalibration {
        method: format!(
            "grid of {GRID_POINTS} values of contact_share from {GRID_LO} to {GRID_HI} (uniform prior on the logarithm); each theatre's recorded aircraft delivered, claims, losses and pilots killed scored jointly by a multivariate Student t on stabilised counts, common random numbers; point estimate = exp(posterior mean of the logarithm); runs draw each replication's value from the posterior"
        ),
        airwar_version: env!("CARGO_PKG_VERSION").to_string(),
        seed,
        runs_per_theatre: runs,
        theatres: lib.theatres.iter().map(|t| t.id.clone()).collect(),
        contact_share_mean: mean_log.exp(),
        contact_share_p05: quantile(&values, &w, 0.05),
        contact_share_p95: quantile(&values, &w, 0.95),
    };
    let mut held_out = Vec::new();
    for (t, theatre) in lib.theatres.iter().enumerate() {
        let others: Vec<f64> = scored
            .iter()
            .map(|s| {
                s.iter()
                    .enumerate()
                    .filter(|(k, _)| *k != t)
                    .map(|(_, x)| x.log_likelihood)
                    .sum()
            })
            .collect();
        let wt = weights(&others);
        let c = Campaign::new(theatre, lib, params, base)
            .map_err(|e| CalibrationError::Threads(e.to_string()))?;
        let observed = observed_values(theatre, &c);
        let names: Vec<&str> = c
            .snapshots
            .iter()
            .map(|(total, _)| TOTALS[*total])
            .filter(|n| FITTED_TOTALS.contains(n))
            .collect();
        let obs: Vec<u32> = c
            .snapshots
            .iter()
            .zip(&observed)
            .filter(|((total, _), _)| FITTED_TOTALS.contains(&TOTALS[*total]))
            .map(|(_, v)| *v)
            .collect();
        for (j, (name, o)) in names.iter().zip(&obs).enumerate() {
            let d = Distribution::mixture(
                scored
                    .iter()
                    .zip(&wt)
                    .map(|(s, w)| (*w, &s[t].predictive[j])),
            );
            let i = d.interval();
            held_out.push(HeldOut {
                theatre: theatre.id.clone(),
                metric: name.to_string(),
                observed: *o,
                mean: i.mean,
                p05: i.p05,
                p95: i.p95,
                inside_90: (*o as f64) >= i.p05 && (*o as f64) <= i.p95,
            });
        }
    }
    Ok(CampaignFit {
        parameters: CampaignParameters {
            contact_share: record.contact_share_mean,
            // Grid points with a weight worth keeping; runs draw from them.
            contact_share_posterior: values
                .iter()
                .zip(&w)
                .filter(|(_, w)| **w > 1e-4)
                .map(|(v, w)| (*v, *w))
                .collect(),
            ..base.clone()
        },
        record,
        held_out,
    })
}

/// The text of `data/campaign-parameters.toml`.
pub fn to_toml(fit: &CampaignFit) -> String {
    let file = File {
        parameters: fit.parameters.clone(),
        calibration: Some(fit.record.clone()),
    };
    format!(
        "# Written by `airwar calibrate --campaign`; do not edit by hand (run it again).\n{}",
        toml::to_string(&file).unwrap_or_default()
    )
}

/// The campaign parameters every command uses by default: the embedded calibrated set when
/// there is one, else the code's defaults.
pub fn default_campaign_parameters() -> CampaignParameters {
    airwar_scenario::builtin::embedded_files("campaign-parameters.toml")
        .next()
        .and_then(|(_, text)| toml::from_str::<File>(text).ok())
        .map_or_else(CampaignParameters::default, |f| f.parameters)
}
