//! # airwar-report: one self-contained HTML report of a campaign or a battle
//!
//! Data flow: typed results (a campaign run's [`CampaignResults`], each battle's
//! [`EngagementResults`], validation rows, the provenance JSON) → [`figures`] of inline SVG, each
//! with an id → one HTML page ([`campaign_report`], [`battle_report`]) with its style inline and
//! no script, font, image or style loaded from anywhere (links to cited sources are the only
//! addresses). The same figures can be written as separate SVG files ([`campaign_figures`],
//! [`battle_figures`]).
//!
//! What a campaign report holds, in order:
//!
//! 1. a map of the theatre ([`map`]): Natural Earth coastlines and borders (embedded, made by
//!    `data/geography/make.py`), bases coloured by owner with their changes of owner, supply
//!    routes, operations, the front line, battle sites, and the covert rules that forbade
//!    places (drawn where the data gives a distance, listed where it gives none);
//! 2. a timeline ([`timeline`]) of deliveries, base changes, events, operations and battles;
//! 3. charts of the daily series with their 5-95% bands, monthly losses and claims, the
//!    exchange ratio, money, exposure and people ([`charts`]);
//! 4. each battle's simulated distribution of every observed figure with the recorded value
//!    marked, and the same for the theatre's recorded totals with other sources' values
//!    ([`battles`]);
//! 5. a forest plot of every observed figure against its 90% interval ([`forest`]);
//! 6. the provenance block and the sources cited.
//!
//! Same input, same bytes: nothing iterates a hash map, and numbers are written by
//! [`svg::c`] and [`svg::num`].

pub mod battles;
pub mod charts;
mod cite;
pub mod forest;
pub mod geo;
mod html;
pub mod map;
pub mod svg;
pub mod timeline;

use airwar_campaign::{Campaign, CampaignResults};
use airwar_engine::EngagementResults;
use airwar_scenario::source::SourceRegistry;
use airwar_scenario::{Engagement, Theatre};

pub use forest::ForestRow;

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("geography of {theatre}, line {line}: {what}")]
    Geography {
        theatre: String,
        line: usize,
        what: String,
    },
    #[error("the campaign results have {found} series where the model records {expected}")]
    Series { expected: usize, found: usize },
    #[error("the campaign results hold no replication")]
    NoRuns,
    #[error("battle {0} of the theatre is not in the library")]
    UnknownBattle(String),
    #[error(transparent)]
    Prepare(#[from] airwar_model::engagement::PrepareError),
    #[error(transparent)]
    Engine(#[from] airwar_engine::EngineError),
}

/// One battle and its simulated results.
#[derive(Debug, Clone, Copy)]
pub struct BattleResult<'a> {
    pub engagement: &'a Engagement,
    pub results: &'a EngagementResults,
}

/// Everything a campaign report shows.
#[derive(Debug, Clone)]
pub struct CampaignReportInput<'a> {
    pub theatre: &'a Theatre,
    pub campaign: &'a Campaign,
    pub results: &'a CampaignResults,
    /// The theatre's battles, each replayed on its own (see [`run_battles`]); their observed
    /// figures make the battle section and, unless `validation` is given, the battle rows of
    /// the forest plot.
    pub battles: Vec<BattleResult<'a>>,
    /// Rows computed elsewhere (e.g. the items of `airwar validate`, in-sample or
    /// leave-one-out), shown in the forest plot in place of the rows made from `battles`.
    pub validation: Option<Vec<ForestRow>>,
    /// The bibliography the citations' ids are looked up in (the theatre's and battles' own
    /// `[[sources]]` are looked up first).
    pub sources: &'a SourceRegistry,
    /// The provenance block (`airwar::Provenance` as JSON), shown as it is.
    pub provenance: Option<&'a serde_json::Value>,
}

/// Everything a battle report shows.
#[derive(Debug, Clone)]
pub struct BattleReportInput<'a> {
    pub battle: BattleResult<'a>,
    pub sources: &'a SourceRegistry,
    pub provenance: Option<&'a serde_json::Value>,
}

/// The campaign report: one HTML page.
pub fn campaign_report(input: &CampaignReportInput) -> Result<String, ReportError> {
    let figures = campaign_figures(input)?;
    Ok(html::campaign_page(input, &figures))
}

/// The battle report: one HTML page.
pub fn battle_report(input: &BattleReportInput) -> Result<String, ReportError> {
    let figures = battle_figures(input)?;
    Ok(html::battle_page(input, &figures))
}

/// A figure: its id (also its file name without `.svg`), a caption and the SVG.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub id: String,
    pub caption: String,
    pub svg: String,
}

/// Every figure of a campaign report, in the report's order.
pub fn campaign_figures(input: &CampaignReportInput) -> Result<Vec<Figure>, ReportError> {
    let results = input.results;
    if results.runs == 0 {
        return Err(ReportError::NoRuns);
    }
    if results.series.len() != airwar_campaign::Series::COUNT {
        return Err(ReportError::Series {
            expected: airwar_campaign::Series::COUNT,
            found: results.series.len(),
        });
    }
    let engagements: Vec<&Engagement> = input.battles.iter().map(|b| b.engagement).collect();
    let mut out = vec![map::theatre_map(input.theatre, &engagements)?];
    out.extend(map::battle_area_map(input.theatre, &engagements)?);
    out.push(timeline::theatre_timeline(input.theatre, &engagements));
    out.extend(charts::campaign_charts(
        input.campaign,
        results,
        Some(input.theatre),
    ));
    for b in &input.battles {
        out.extend(battles::battle_histograms(b));
    }
    out.extend(battles::total_histograms(
        input.campaign,
        input.theatre,
        results,
    ));
    let rows = forest_rows(input);
    out.push(forest::forest_plot(
        "forest",
        &format!(
            "Every observed figure of {} against the model's 90% interval",
            input.theatre.id
        ),
        &rows,
    ));
    Ok(out)
}

/// Every figure of a battle report, in the report's order.
pub fn battle_figures(input: &BattleReportInput) -> Result<Vec<Figure>, ReportError> {
    let e = input.battle.engagement;
    let mut out = vec![map::battle_map(e)?];
    out.extend(battles::battle_histograms(&input.battle));
    let rows = forest::rows_from_battle(&input.battle);
    out.push(forest::forest_plot(
        "forest",
        &format!(
            "Every observed figure of {} against the model's 90% interval",
            e.id
        ),
        &rows,
    ));
    Ok(out)
}

/// The forest plot's rows of a campaign report: the theatre's recorded totals from the run,
/// then the battle figures (from `validation` when given, else from the battles' runs).
pub fn forest_rows(input: &CampaignReportInput) -> Vec<ForestRow> {
    let mut rows: Vec<ForestRow> = airwar_calibration::campaign_validate::campaign_items(
        input.campaign,
        input.theatre,
        input.results,
        false,
    )
    .iter()
    .map(ForestRow::from)
    .collect();
    match &input.validation {
        Some(v) => rows.extend(v.iter().cloned()),
        None => {
            for b in &input.battles {
                rows.extend(forest::rows_from_battle(b));
            }
        }
    }
    rows
}

/// Replay each of the theatre's battles `runs` times (seed `seed`, as `airwar battle` does),
/// for the battle section of a campaign report. Battles the library lacks are an error.
pub fn run_battles(
    library: &airwar_scenario::Library,
    params: &airwar_model::ModelParameters,
    theatre: &Theatre,
    runs: u64,
    seed: u64,
    threads: Option<usize>,
) -> Result<Vec<(Engagement, EngagementResults)>, ReportError> {
    let mut out = Vec::new();
    for id in &theatre.battles {
        let e = library
            .battle(id)
            .ok_or_else(|| ReportError::UnknownBattle(id.clone()))?;
        let prepared = airwar_model::engagement::prepare(e, &library.aircraft, params)?;
        let results = airwar_engine::run_engagement(
            &prepared,
            airwar_engine::RunConfig::new(runs, seed, threads),
            &|_| {},
        )?;
        out.push((e.clone(), results));
    }
    Ok(out)
}
