//! Campaign totals beside the record, in-sample and with a whole theatre held out.
//!
//! In-sample ([`campaign_items`] with the embedded posterior): the campaign fit scored every
//! recorded total of the kinds in [`FITTED_TOTALS`](crate::campaign_fit::FITTED_TOTALS) whose
//! source is not doubtful, so those items are marked `fitted`; the others (personnel, and
//! doubtful totals) are predictions.
//!
//! Each item's predictive distribution is that of the figure a source would record: the run's
//! distribution of the model's total spread by the record's discrepancy the parameters carry
//! ([`record_discrepancy_draws`], `record_discrepancy_sd`), which the simulation never reads.
//!
//! Held out ([`held_out_parameters`]): the embedded posterior draws carry each theatre's
//! log-likelihood, so a theatre is left out by dividing it out of their weights (smoothed by
//! PSIS). Where the Pareto shape says that cannot be trusted, the caller refits without the
//! theatre ([`crate::campaign_fit::fit_campaign`] with the other theatres) and runs with that.

use airwar_campaign::{Campaign, CampaignParameters, CampaignResults};
use airwar_scenario::Theatre;

use crate::campaign_fit::is_fitted_total;
use crate::distribution::Distribution;
use crate::validate::{campaign_item, Item};

/// The weighted values of `record_discrepancy_sd` (weight, sd) that `cparams` carries: its
/// posterior draws' where they hold it, else its one value.
pub fn record_discrepancy_draws(cparams: &CampaignParameters) -> Vec<(f64, f64)> {
    let drawn: Vec<(f64, f64)> = cparams
        .posterior
        .iter()
        .filter_map(|d| {
            d.values
                .get("record_discrepancy_sd")
                .map(|sd| (d.weight, *sd))
        })
        .collect();
    if drawn.is_empty() {
        vec![(1.0, cparams.record_discrepancy_sd)]
    } else {
        drawn
    }
}

/// A theatre's recorded totals beside a campaign run of it. `fitted_here`: whether the
/// parameters the run used were fitted to this theatre's record. `discrepancy`: the weighted
/// sds of the record's discrepancy ([`record_discrepancy_draws`] of the run's parameters), so
/// that each item's predictive distribution is that of the recorded figure, not of the model's
/// own total; empty to compare the model's totals as they are.
pub fn campaign_items(
    campaign: &Campaign,
    theatre: &Theatre,
    results: &CampaignResults,
    fitted_here: bool,
    discrepancy: &[(f64, f64)],
) -> Vec<Item> {
    let mut items = Vec::new();
    let rows = theatre.observed.iter().filter(|o| {
        airwar_campaign::totals::model_total(&o.metric, &o.force, &campaign.covert_id).is_some()
    });
    for ((snapshot, (total, _)), o) in campaign.snapshots.iter().enumerate().zip(rows) {
        let Some(summary) = results.observed.get(snapshot) else {
            continue;
        };
        let d = Distribution::from_summary(summary).with_record_discrepancy(discrepancy);
        let (source, section) = o
            .value
            .citation
            .as_ref()
            .map(|c| (c.source.as_str(), c.section.as_str()))
            .unwrap_or(("", ""));
        items.push(campaign_item(
            &theatre.id,
            o.to.unwrap_or(theatre.end.value),
            format!("campaign {} {}", o.metric, campaign.covert_id),
            o.value.value,
            o.value.bound,
            &d,
            (source, section, o.value.doubtful),
            fitted_here && is_fitted_total(*total, o.value.doubtful),
        ));
    }
    items
}

/// The campaign parameters with theatre `theatre` left out of the posterior's weights, the
/// PSIS Pareto shape and effective sample size of that reweighting; None when the posterior
/// does not record that theatre (it was not fitted to it, so nothing needs leaving out).
pub fn held_out_parameters(
    cparams: &CampaignParameters,
    theatre: &str,
) -> Option<(CampaignParameters, f64, f64)> {
    let log_ratios: Option<Vec<f64>> = cparams
        .posterior
        .iter()
        .map(|d| {
            d.log_likelihood
                .get(theatre)
                .map(|ll| d.weight.max(1e-300).ln() - ll)
        })
        .collect();
    let log_ratios = log_ratios.filter(|l| !l.is_empty())?;
    let smoothed = crate::psis::smooth(&log_ratios);
    let mut held = cparams.clone();
    for (d, w) in held.posterior.iter_mut().zip(&smoothed.weights) {
        d.weight = *w;
    }
    Some((held, smoothed.k, smoothed.effective_sample_size))
}
