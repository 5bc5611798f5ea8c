//! Setting every observed figure the model can produce beside the model's distribution for it,
//! and scoring the model by calibration and sharpness together.
//!
//! Two modes: with a given parameter set ([`validate`]; the built-in set was fitted to these
//! very figures, so every battle figure is marked `fitted`), and leave-one-out from a fit
//! ([`validate_leave_one_out`]), where each battle is predicted by the posterior fitted without
//! it: the honest measure of how well airwar predicts a battle it has not seen. Leaving a
//! battle out reweights the fit's posterior, smoothed by PSIS; where the Pareto shape says the
//! reweighting cannot be trusted the fold is refitted without the battle ([`FoldReport`]).
//!
//! Scores ([`Score`]): coverage of the 90% intervals, mean CRPS, mean 90% interval width, a
//! PIT histogram (non-randomised, for counts), and the CRPS skill against the naive baseline
//! of [`crate::baseline`] on the same folds.

use airwar_model::engagement::observation_label;
use airwar_model::ModelParameters;
use airwar_scenario::{AircraftDatabase, Date, Engagement, ObservedMetric};
use serde::Serialize;

use crate::distribution::{Distribution, Interval};
use crate::evaluate::evaluate_battle;
use crate::fit::{FitConfig, FitResult};
use crate::CalibrationError;

/// One observed figure beside the model.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// The battle's id.
    pub id: String,
    pub date: Date,
    /// What the figure counts, e.g. `losses air Imperial Japanese Navy G3M`.
    pub metric: String,
    /// `losses` (acknowledged by the side that lost them) or `claims`.
    pub kind: &'static str,
    pub observed: u32,
    pub simulated: Interval,
    /// The model's median (predictive, like `simulated`).
    pub median: f64,
    pub inside_90: bool,
    /// How far the observed value lies outside the 90% interval (0 inside).
    pub outside_by: f64,
    /// Continuous ranked probability score (lower is better; in aircraft).
    pub crps: f64,
    /// Width of the 90% interval (p95 − p05).
    pub width_90: f64,
    /// The CRPS of the naive baseline for the same figure, where there is one (battle figures).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_crps: Option<f64>,
    /// P(Y < observed) and P(Y ≤ observed) under the model: the non-randomised PIT interval.
    pub pit: (f64, f64),
    /// Whether the prediction used this very figure (a fit scored it): in-sample, not a test.
    pub fitted: bool,
    /// How the source gives the figure: `exact`, or a bound (`less-than`, `more-than`, ...).
    #[serde(skip_serializing_if = "airwar_scenario::Bound::is_exact")]
    pub bound: airwar_scenario::Bound,
    pub source: String,
    pub section: String,
    pub doubtful: bool,
    /// The observed row's note, where it has one (it says why the model misses a figure it
    /// gives no chance).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Calibration and sharpness over a set of items.
#[derive(Debug, Clone, Serialize)]
pub struct Score {
    pub figures: usize,
    pub inside_90: usize,
    pub coverage_90: f64,
    pub mean_crps: f64,
    /// Mean width of the 90% intervals (sharpness: narrower is better at equal coverage).
    pub mean_width_90: f64,
    /// Share of the PIT mass in each tenth of [0, 1]: flat when calibrated, U-shaped when the
    /// intervals are too narrow, humped when too wide.
    pub pit_histogram: [f64; 10],
    /// The naive baseline's mean CRPS over the items that have one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_mean_crps: Option<f64>,
    /// 1 − CRPS(model) / CRPS(baseline) over the same items (above 0: better than the baseline).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skill: Option<f64>,
}

fn mean(v: impl Iterator<Item = f64>) -> f64 {
    let (mut n, mut total) = (0usize, 0.0);
    for x in v {
        n += 1;
        total += x;
    }
    if n > 0 {
        total / n as f64
    } else {
        f64::NAN
    }
}

fn score<'a>(items: impl Iterator<Item = &'a Item>) -> Score {
    let items: Vec<&Item> = items.collect();
    let n = items.len();
    let inside = items.iter().filter(|i| i.inside_90).count();
    let mut pit = [0.0; 10];
    for i in &items {
        let (lo, hi) = i.pit;
        for (bin, slot) in pit.iter_mut().enumerate() {
            let (a, b) = (bin as f64 / 10.0, (bin + 1) as f64 / 10.0);
            let share = if hi > lo {
                ((hi.min(b) - lo.max(a)).max(0.0)) / (hi - lo)
            } else if lo >= a && (lo < b || (bin == 9 && lo <= b)) {
                1.0
            } else {
                0.0
            };
            *slot += share / n as f64;
        }
    }
    let with_baseline: Vec<&&Item> = items.iter().filter(|i| i.baseline_crps.is_some()).collect();
    let (baseline_mean_crps, skill) = if with_baseline.is_empty() {
        (None, None)
    } else {
        let model = mean(with_baseline.iter().map(|i| i.crps));
        let base = mean(with_baseline.iter().filter_map(|i| i.baseline_crps));
        (Some(base), Some(1.0 - model / base))
    };
    Score {
        figures: n,
        inside_90: inside,
        coverage_90: if n > 0 {
            inside as f64 / n as f64
        } else {
            f64::NAN
        },
        mean_crps: mean(items.iter().map(|i| i.crps)),
        mean_width_90: mean(items.iter().map(|i| i.width_90)),
        pit_histogram: pit,
        baseline_mean_crps,
        skill,
    }
}

/// How one leave-one-out fold was predicted.
#[derive(Debug, Clone, Serialize)]
pub struct FoldReport {
    /// The battle (or theatre) left out.
    pub id: String,
    /// `battle` or `theatre`.
    pub kind: &'static str,
    /// PSIS Pareto shape of the reweighting (NaN when too few draws to fit one).
    pub pareto_k: f64,
    /// Effective sample size of the smoothed weights.
    pub effective_sample_size: f64,
    /// Whether the fold was refitted without the left-out evidence (k above the threshold).
    pub refitted: bool,
}

/// The naive baseline's overall score.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct BaselineScore {
    pub mean_crps: f64,
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
    /// Battle figures from sources not marked doubtful, and those from doubtful sources: a
    /// record that contradicts another (a denial of any loss beside a claim of fifty) weighs on
    /// the headline as much as a well-sourced figure, so both halves are shown.
    pub battle_not_doubtful: Score,
    pub battle_doubtful: Score,
    /// Campaign totals (kind `campaign`), when a theatre's campaign was run too.
    pub campaign: Score,
    /// Every figure a fit scored (in-sample), of any kind.
    pub fitted: Score,
    /// Every figure no fit scored (a prediction), of any kind.
    pub held_out: Score,
    /// The naive baseline over the battle figures (same folds).
    pub baseline: BaselineScore,
    /// CRPS skill of the model against the baseline over the battle figures.
    pub skill: f64,
    /// Each leave-one-out fold's diagnostic, and whether it was refitted.
    pub folds: Vec<FoldReport>,
    /// Observed figures the model does not produce (ground claims split by type).
    pub not_modelled: usize,
}

fn items_for(
    e: &Engagement,
    predictive: &[Option<Distribution>],
    baseline: &[Distribution],
    fitted: bool,
) -> (Vec<Item>, usize) {
    let mut skipped = 0;
    let items = e
        .observed
        .iter()
        .zip(predictive)
        .zip(baseline)
        .filter_map(|((o, d), base)| {
            let Some(d) = d else {
                skipped += 1;
                return None;
            };
            let mut i = item(
                &e.id,
                e.date.value,
                observation_label(e, o),
                match o.metric {
                    ObservedMetric::Losses => "losses",
                    ObservedMetric::Claims => "claims",
                },
                o.value as f64,
                d,
                (&o.citation.source, &o.citation.section, o.doubtful),
            );
            i.baseline_crps = Some(base.crps(i.observed));
            i.fitted = fitted;
            i.note = o.note.clone();
            apply_bound(&mut i, o.bound, o.value as f64, d, Some(base));
            Some(i)
        })
        .collect();
    (items, skipped)
}

fn assemble(
    mode: &'static str,
    items: Vec<Item>,
    not_modelled: usize,
    folds: Vec<FoldReport>,
) -> Validation {
    // Battle figures (losses and claims) make the headline coverage; campaign totals are
    // scored apart, being a different kind of prediction.
    let all = score(items.iter().filter(|i| i.kind != "campaign"));
    Validation {
        mode,
        coverage_90: all.coverage_90,
        losses: score(items.iter().filter(|i| i.kind == "losses")),
        claims: score(items.iter().filter(|i| i.kind == "claims")),
        battle_not_doubtful: score(items.iter().filter(|i| i.kind != "campaign" && !i.doubtful)),
        battle_doubtful: score(items.iter().filter(|i| i.kind != "campaign" && i.doubtful)),
        campaign: score(items.iter().filter(|i| i.kind == "campaign")),
        fitted: score(items.iter().filter(|i| i.fitted)),
        held_out: score(items.iter().filter(|i| !i.fitted)),
        baseline: BaselineScore {
            mean_crps: all.baseline_mean_crps.unwrap_or(f64::NAN),
        },
        skill: all.skill.unwrap_or(f64::NAN),
        all,
        items,
        not_modelled,
        folds,
    }
}

/// Add items (campaign totals) to a validation and score everything again.
pub fn extend(v: Validation, mut more: Vec<Item>, mut folds: Vec<FoldReport>) -> Validation {
    let mut items = v.items;
    items.append(&mut more);
    let mut all_folds = v.folds;
    all_folds.append(&mut folds);
    assemble(v.mode, items, v.not_modelled, all_folds)
}

/// An item for an observed campaign total against the model's distribution for it; `fitted`
/// when the campaign fit scored this very figure.
#[allow(clippy::too_many_arguments)]
pub fn campaign_item(
    id: &str,
    date: Date,
    metric: String,
    observed: f64,
    bound: airwar_scenario::Bound,
    d: &Distribution,
    cited: (&str, &str, bool),
    fitted: bool,
) -> Item {
    let mut i = item(id, date, metric, "campaign", observed, d, cited);
    i.fitted = fitted;
    apply_bound(&mut i, bound, observed, d, None);
    i
}

/// A figure the source gives only as a bound is censored: it is inside when the 90% interval
/// reaches the side the bound allows, and its CRPS and PIT count only what the bound decides.
fn apply_bound(
    i: &mut Item,
    bound: airwar_scenario::Bound,
    observed: f64,
    d: &Distribution,
    baseline: Option<&Distribution>,
) {
    if bound.is_exact() {
        return;
    }
    i.bound = bound;
    i.crps = d.crps_bounded(i.observed, bound);
    i.pit = d.pit_bounds_of(i.observed, bound);
    i.baseline_crps = baseline.map(|b| b.crps_bounded(i.observed, bound));
    let allowed = |x: f64| bound.admits(observed, x);
    i.inside_90 = allowed(i.simulated.p05) || allowed(i.simulated.p95);
    if i.inside_90 {
        i.outside_by = 0.0;
    }
}

/// One observed figure beside a distribution; `cited` is (source, section, doubtful).
fn item(
    id: &str,
    date: Date,
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
        width_90: simulated.p95 - simulated.p05,
        baseline_crps: None,
        pit: d.pit_bounds(whole),
        fitted: false,
        bound: airwar_scenario::Bound::Exact,
        id: id.to_string(),
        date,
        metric,
        kind,
        observed: whole,
        simulated,
        median: d.quantile(0.5),
        inside_90: outside_by == 0.0,
        outside_by,
        crps: d.crps(whole),
        source: cited.0.to_string(),
        section: cited.1.to_string(),
        doubtful: cited.2,
        note: None,
    }
}

/// Validate `battles` under one parameter set, `runs` replications each. `fitted_to`: the
/// battles that set was fitted to (the built-in set's record names them), whose items are
/// marked in-sample.
pub fn validate(
    battles: &[Engagement],
    db: &AircraftDatabase,
    params: &ModelParameters,
    runs: u64,
    seed: u64,
    fitted_to: &[String],
) -> Result<Validation, CalibrationError> {
    let baseline = crate::baseline::leave_one_out(battles);
    let mut items = Vec::new();
    let mut skipped = 0;
    for (e, base) in battles.iter().zip(&baseline) {
        let ev = evaluate_battle(e, db, params, runs, seed)?;
        let fitted = fitted_to.contains(&e.id);
        let (mut i, s) = items_for(e, &ev.predictive, base, fitted);
        items.append(&mut i);
        skipped += s;
    }
    Ok(assemble("parameters", items, skipped, Vec::new()))
}

/// Validate every battle of a fit by leave-one-out: each is predicted by the posterior fitted
/// without it. `battles` must be the battles the fit used, in the same order. The PSIS
/// reweighting is used where its diagnostic allows; elsewhere the fold is refitted with
/// `refit` settings (`progress` is told of each refit as (battle id, done, to do)).
pub fn validate_leave_one_out(
    fit: &FitResult,
    battles: &[Engagement],
    db: &AircraftDatabase,
    base: &ModelParameters,
    refit: FitConfig,
    progress: &(dyn Fn(&str, usize, usize) + Sync),
) -> Result<Validation, CalibrationError> {
    let baseline = crate::baseline::leave_one_out(battles);
    let mut items = Vec::new();
    let mut skipped = 0;
    let mut folds = Vec::new();
    let draws = fit.particles.len();
    let diagnostics: Vec<_> = (0..battles.len()).map(|b| fit.leave_one_out(b)).collect();
    let to_refit = diagnostics
        .iter()
        .filter(|d| crate::psis::needs_refit(d.pareto_k, draws))
        .count();
    let mut refitted = 0;
    for (b, e) in battles.iter().enumerate() {
        let d = &diagnostics[b];
        let needs_refit = crate::psis::needs_refit(d.pareto_k, draws) && battles.len() > 1;
        let predictive = if needs_refit {
            refitted += 1;
            progress(&e.id, refitted, to_refit);
            let others: Vec<Engagement> = battles
                .iter()
                .enumerate()
                .filter(|(k, _)| *k != b)
                .map(|(_, x)| x.clone())
                .collect();
            let without = crate::fit::fit(&others, db, base, refit, &|_| {})?;
            without.predict(e, db, base)?
        } else {
            d.predictive.clone()
        };
        folds.push(FoldReport {
            id: e.id.clone(),
            kind: "battle",
            pareto_k: d.pareto_k,
            effective_sample_size: d.effective_sample_size,
            refitted: needs_refit,
        });
        let (mut i, s) = items_for(e, &predictive, &baseline[b], false);
        items.append(&mut i);
        skipped += s;
    }
    Ok(assemble("leave-one-out", items, skipped, folds))
}
