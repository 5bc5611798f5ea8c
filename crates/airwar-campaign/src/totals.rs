//! The campaign's totals beside the totals history records.
//!
//! A theatre's `[[observed]]` rows name a metric and a force. Those the model produces are
//! mapped here to its totals; the rest are listed as not modelled.

use airwar_scenario::Theatre;
use serde::Serialize;

use crate::campaign::Campaign;
use crate::results::CampaignResults;

/// The model total that corresponds to an observed theatre figure, if any (the model keeps
/// totals for the covert force only).
pub fn model_total(metric: &str, force: &str, covert_id: &str) -> Option<crate::metrics::Total> {
    if force != covert_id {
        return None;
    }
    crate::metrics::Total::for_observed_metric(metric)
}

/// One total: the model's distribution and, where history records it, the observed value.
#[derive(Debug, Clone, Serialize)]
pub struct Total {
    pub metric: String,
    pub mean: f64,
    pub p05: f64,
    pub p95: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observed: Option<ObservedTotal>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ObservedTotal {
    /// The theatre file's metric name.
    pub metric: String,
    /// The date history recorded the figure for, as written out (None: the whole period).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    pub value: f64,
    /// The model's distribution for the same figure on the same date.
    pub model_mean: f64,
    pub model_p05: f64,
    pub model_p95: f64,
    pub source: String,
    pub section: String,
    pub inside_90: bool,
    /// Other sources' values.
    pub alternatives: Vec<f64>,
}

/// Every observed theatre figure the model produces, in file order: the model total it maps to,
/// the index of the snapshot the model read on the figure's date, and the comparison.
pub fn observed_totals(
    c: &Campaign,
    theatre: &Theatre,
    r: &CampaignResults,
) -> Vec<(crate::metrics::Total, usize, ObservedTotal)> {
    theatre
        .observed
        .iter()
        .filter_map(|o| model_total(&o.metric, &o.force, &c.covert_id).map(|t| (t, o)))
        .enumerate()
        .filter_map(|(snap, (name, o))| {
            let at = r.observed.get(snap)?.summary();
            let (source, section) = o
                .value
                .citation
                .as_ref()
                .map(|x| (x.source.clone(), x.section.clone()))
                .unwrap_or_default();
            Some((
                name,
                snap,
                ObservedTotal {
                    metric: o.metric.clone(),
                    to: o.to.map(|d| d.to_string()),
                    value: o.value.value,
                    model_mean: at.mean,
                    model_p05: at.p05,
                    model_p95: at.p95,
                    source,
                    section,
                    inside_90: o.value.value >= at.p05 && o.value.value <= at.p95,
                    alternatives: o.value.alternatives.iter().map(|a| a.value).collect(),
                },
            ))
        })
        .collect()
}

/// Every model total, with the first observed figure beside those history records (read on
/// the day history recorded it, when that is before the end); [`observed_totals`] has them all.
pub fn totals(c: &Campaign, theatre: &Theatre, r: &CampaignResults) -> Vec<Total> {
    let observed = observed_totals(c, theatre, r);
    crate::metrics::Total::ALL
        .iter()
        .map(|t| {
            let s = r.totals[t.index()].summary();
            Total {
                metric: t.name().to_string(),
                mean: s.mean,
                p05: s.p05,
                p95: s.p95,
                observed: observed
                    .iter()
                    .find(|(m, _, _)| m == t)
                    .map(|(_, _, o)| o.clone()),
            }
        })
        .collect()
}
