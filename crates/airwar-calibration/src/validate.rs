//! Setting every observed figure the model can produce beside the model's distribution for it.
//!
//! Two modes: with a given parameter set ([`validate`]), and leave-one-out from a fit
//! ([`validate_leave_one_out`]), where each battle is predicted by the posterior fitted without
//! it: the honest measure of how well airwar predicts a battle it has not seen.

use airwar_model::engagement::observation_label;
use airwar_model::ModelParameters;
use airwar_scenario::{AircraftDatabase, Engagement, ObservedMetric};
use serde::Serialize;

use crate::distribution::{Distribution, Interval};
use crate::evaluate::evaluate_battle;
use crate::fit::FitResult;
use crate::CalibrationError;

/// One observed figure beside the model.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// The battle's id.
    pub id: String,
    pub date: String,
    /// What the figure counts, e.g. `losses air Imperial Japanese Navy G3M`.
    pub metric: String,
    /// `losses` (acknowledged by the side that lost them) or `claims`.
    pub kind: &'static str,
    pub observed: u32,
    pub simulated: Interval,
    pub inside_90: bool,
    /// How far the observed value lies outside the 90% interval (0 inside).
    pub outside_by: f64,
    /// Continuous ranked probability score (lower is better; in aircraft).
    pub crps: f64,
    pub source: String,
    pub section: String,
    pub doubtful: bool,
}

/// Coverage and score over a set of items.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Score {
    pub figures: usize,
    pub inside_90: usize,
    pub coverage_90: f64,
    pub mean_crps: f64,
}

fn score<'a>(items: impl Iterator<Item = &'a Item>) -> Score {
    let (mut n, mut inside, mut crps) = (0, 0, 0.0);
    for i in items {
        n += 1;
        inside += usize::from(i.inside_90);
        crps += i.crps;
    }
    Score {
        figures: n,
        inside_90: inside,
        coverage_90: if n > 0 {
            inside as f64 / n as f64
        } else {
            f64::NAN
        },
        mean_crps: if n > 0 { crps / n as f64 } else { f64::NAN },
    }
}

/// The validation of a set of battles.
#[derive(Debug, Clone, Serialize)]
pub struct Validation {
    /// `parameters` (one parameter set) or `leave-one-out`.
    pub mode: &'static str,
    pub items: Vec<Item>,
    /// Share of the battle figures (losses and claims) inside their 90% interval.
    pub coverage_90: f64,
    pub all: Score,
    pub losses: Score,
    pub claims: Score,
    /// Campaign totals (kind `campaign`), when a theatre's campaign was run too.
    pub campaign: Score,
    /// Observed figures the model does not produce (claims split by type).
    pub not_modelled: usize,
}

fn items_for(e: &Engagement, predictive: &[Option<Distribution>]) -> (Vec<Item>, usize) {
    let mut skipped = 0;
    let items = e
        .observed
        .iter()
        .zip(predictive)
        .filter_map(|(o, d)| {
            let Some(d) = d else {
                skipped += 1;
                return None;
            };
            Some(item(
                &e.id,
                &e.date.value,
                observation_label(e, o),
                match o.metric {
                    ObservedMetric::Losses => "losses",
                    ObservedMetric::Claims => "claims",
                },
                o.value as f64,
                d,
                (&o.citation.source, &o.citation.section, o.doubtful),
            ))
        })
        .collect();
    (items, skipped)
}

fn assemble(mode: &'static str, items: Vec<Item>, not_modelled: usize) -> Validation {
    // Battle figures (losses and claims) make the headline coverage; campaign totals are
    // scored apart, being a different kind of prediction.
    let all = score(items.iter().filter(|i| i.kind != "campaign"));
    Validation {
        mode,
        coverage_90: all.coverage_90,
        losses: score(items.iter().filter(|i| i.kind == "losses")),
        claims: score(items.iter().filter(|i| i.kind == "claims")),
        campaign: score(items.iter().filter(|i| i.kind == "campaign")),
        all,
        items,
        not_modelled,
    }
}

/// Add items (campaign totals) to a validation and score everything again.
pub fn extend(v: Validation, mut more: Vec<Item>) -> Validation {
    let mut items = v.items;
    items.append(&mut more);
    assemble(v.mode, items, v.not_modelled)
}

/// An item for an observed campaign total against the model's distribution for it.
pub fn campaign_item(
    id: &str,
    date: &str,
    metric: String,
    observed: f64,
    d: &Distribution,
    source: &str,
    section: &str,
) -> Item {
    item(
        id,
        date,
        metric,
        "campaign",
        observed,
        d,
        (source, section, false),
    )
}

/// One observed figure beside a distribution; `cited` is (source, section, doubtful).
fn item(
    id: &str,
    date: &str,
    metric: String,
    kind: &'static str,
    observed: f64,
    d: &Distribution,
    cited: (&str, &str, bool),
) -> Item {
    let simulated = d.interval();
    let outside_by = if observed < simulated.p05 {
        simulated.p05 - observed
    } else if observed > simulated.p95 {
        observed - simulated.p95
    } else {
        0.0
    };
    let whole = observed.round().max(0.0) as u32;
    Item {
        id: id.to_string(),
        date: date.to_string(),
        metric,
        kind,
        observed: whole,
        simulated,
        inside_90: outside_by == 0.0,
        outside_by,
        crps: d.crps(whole),
        source: cited.0.to_string(),
        section: cited.1.to_string(),
        doubtful: cited.2,
    }
}

/// Validate `battles` under one parameter set, `runs` replications each.
pub fn validate(
    battles: &[Engagement],
    db: &AircraftDatabase,
    params: &ModelParameters,
    runs: u64,
    seed: u64,
) -> Result<Validation, CalibrationError> {
    let mut items = Vec::new();
    let mut skipped = 0;
    for e in battles {
        let ev = evaluate_battle(e, db, params, runs, seed)?;
        let (mut i, s) = items_for(e, &ev.predictive);
        items.append(&mut i);
        skipped += s;
    }
    Ok(assemble("parameters", items, skipped))
}

/// Validate every battle of a fit by leave-one-out: each is predicted by the posterior fitted
/// without it. `battles` must be the battles the fit used, in the same order.
pub fn validate_leave_one_out(fit: &FitResult, battles: &[Engagement]) -> Validation {
    let mut items = Vec::new();
    let mut skipped = 0;
    for (b, e) in battles.iter().enumerate() {
        let (mut i, s) = items_for(e, &fit.leave_one_out(b));
        items.append(&mut i);
        skipped += s;
    }
    assemble("leave-one-out", items, skipped)
}
