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
pub mod png;
pub mod svg;
pub mod timeline;

use airwar_campaign::{Campaign, CampaignResults};
use airwar_engine::EngagementResults;
use airwar_scenario::source::SourceRegistry;
use airwar_scenario::{Engagement, Theatre};

pub use forest::{ForestRow, ValidationRows};

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
    #[error("{0}")]
    Limit(String),
    #[error("the validation given to the report: {0}")]
    Validation(String),
    #[error("a change in the provenance: {0}")]
    Change(#[from] airwar_campaign::CampaignError),
    #[error("figure {figure} could not be rendered to PNG: {what}")]
    Render { figure: String, what: String },
    #[error("could not write {path}")]
    Write {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
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
    /// A validation computed beforehand (`airwar validate --json`, e.g. leave-one-out): its
    /// rows about this theatre and its battles follow the rows of this run in the forest
    /// plot, marked with [`ValidationRows::label`].
    pub validation: Option<ValidationRows>,
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
    /// The theatre the battle belongs to, if any: its bases and lines are drawn on the map.
    pub theatre: Option<&'a Theatre>,
    pub sources: &'a SourceRegistry,
    pub provenance: Option<&'a serde_json::Value>,
    /// A validation computed beforehand: its rows about this battle follow the battle's own.
    pub validation: Option<ValidationRows>,
}

/// A rendered report: the HTML page and the figures it shows (which `airwar report
/// --figures` also writes as files, see [`png::figure_files`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub html: String,
    pub figures: Vec<Figure>,
}

/// The campaign report: one HTML page.
pub fn campaign_report(input: &CampaignReportInput) -> Result<String, ReportError> {
    render_campaign(input).map(|r| r.html)
}

/// The campaign report with its figures.
pub fn render_campaign(input: &CampaignReportInput) -> Result<Report, ReportError> {
    let figures = campaign_figures(input)?;
    let html = html::campaign_page(input, &figures);
    Ok(Report { html, figures })
}

/// The battle report: one HTML page.
pub fn battle_report(input: &BattleReportInput) -> Result<String, ReportError> {
    render_battle(input).map(|r| r.html)
}

/// The battle report with its figures.
pub fn render_battle(input: &BattleReportInput) -> Result<Report, ReportError> {
    let figures = battle_figures(input)?;
    let html = html::battle_page(input, &figures);
    Ok(Report { html, figures })
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
    let mut out = vec![map::battle_map(e, input.theatre)?];
    out.extend(battles::battle_histograms(&input.battle));
    let mut rows = forest::rows_from_battle(&input.battle);
    if let Some(v) = &input.validation {
        rows.extend(v.about(&[e.id.as_str()]));
    }
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
/// the battle figures from the battles' runs, then the rows of `validation` (when given)
/// about the theatre and its battles.
pub fn forest_rows(input: &CampaignReportInput) -> Vec<ForestRow> {
    let mut rows: Vec<ForestRow> = airwar_calibration::campaign_validate::campaign_items(
        input.campaign,
        input.theatre,
        input.results,
        false,
        // The run's own totals, as it made them: validation rows (below) carry the record's
        // discrepancy.
        &[],
    )
    .iter()
    .map(ForestRow::from)
    .collect();
    for b in &input.battles {
        rows.extend(forest::rows_from_battle(b));
    }
    if let Some(v) = &input.validation {
        let mut ids: Vec<&str> = vec![input.theatre.id.as_str()];
        ids.extend(input.theatre.battles.iter().map(String::as_str));
        rows.extend(v.about(&ids));
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

/// The model parameters with the `params.` changes among `changes` (the provenance's
/// `changes`: `--set` and counterfactual ones, `PATH=VALUE`) applied, so that the battles of a
/// campaign report are replayed under the parameters the campaign ran with. Theatre and
/// campaign changes do not concern a battle and are left out.
pub fn with_parameter_changes(
    mut params: airwar_model::ModelParameters,
    changes: &[String],
) -> Result<airwar_model::ModelParameters, ReportError> {
    let parsed: Vec<airwar_campaign::counterfactual::Change> = changes
        .iter()
        .filter(|c| c.starts_with("params."))
        .map(|c| c.parse().map_err(airwar_campaign::CampaignError::from))
        .collect::<Result<_, _>>()?;
    let mut unused = airwar_campaign::CampaignParameters::default();
    airwar_campaign::counterfactual::apply_parameter_changes(&parsed, &mut params, &mut unused)?;
    Ok(params)
}

/// Refuse a number of battle replications the engine would refuse, before a campaign runs
/// for nothing (the limits of docs/limits.md).
pub fn check_battle_runs(runs: u64) -> Result<(), ReportError> {
    if runs == 0 {
        return Err(ReportError::Limit(
            "replications of each battle must be at least 1".into(),
        ));
    }
    airwar_scenario::limits::check(
        "replications of each battle",
        runs,
        airwar_scenario::limits::MAX_RUNS,
    )
    .map(|_| ())
    .map_err(ReportError::Limit)
}

/// A campaign run as the `airwar` crate returns it, with what the report adds to it.
#[derive(Debug, Clone, Copy)]
pub struct CampaignRunParts<'a> {
    pub library: &'a airwar_scenario::Library,
    /// The model parameters before the run's changes (calibrated, or the user's file over
    /// them); the provenance's `params.` changes are applied for the battles.
    pub params: &'a airwar_model::ModelParameters,
    pub theatre: &'a Theatre,
    pub campaign: &'a Campaign,
    pub results: &'a CampaignResults,
    /// `airwar::Provenance` as JSON.
    pub provenance: &'a serde_json::Value,
    /// Replications of each battle of the theatre.
    pub battle_runs: u64,
    /// A validation computed beforehand, for the forest plot.
    pub validation: Option<&'a ValidationRows>,
    pub seed: u64,
    pub threads: Option<usize>,
}

/// The campaign report of a finished run: replays the theatre's battles under the run's
/// parameters, then renders. What the CLI's `airwar report` calls.
pub fn campaign_report_of_run(parts: &CampaignRunParts) -> Result<String, ReportError> {
    render_campaign_run(parts).map(|r| r.html)
}

/// [`campaign_report_of_run`] with the figures.
pub fn render_campaign_run(parts: &CampaignRunParts) -> Result<Report, ReportError> {
    let changes: Vec<String> = parts
        .provenance
        .get("changes")
        .and_then(|c| c.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let params = with_parameter_changes(parts.params.clone(), &changes)?;
    let battles = run_battles(
        parts.library,
        &params,
        parts.theatre,
        parts.battle_runs,
        parts.seed,
        parts.threads,
    )?;
    render_campaign(&CampaignReportInput {
        theatre: parts.theatre,
        campaign: parts.campaign,
        results: parts.results,
        battles: battles
            .iter()
            .map(|(engagement, results)| BattleResult {
                engagement,
                results,
            })
            .collect(),
        validation: parts.validation.cloned(),
        sources: &parts.library.sources,
        provenance: Some(parts.provenance),
    })
}

/// Write `text` to `path` atomically: to a temporary file beside it, then renamed over it, so
/// a reader never sees half a report and a failed run leaves any older file whole.
pub fn write_atomic(path: &std::path::Path, text: &str) -> Result<(), ReportError> {
    let fail = |source| ReportError::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "report".into(), |n| n.to_string_lossy().into_owned());
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&temp, text).map_err(fail)?;
    std::fs::rename(&temp, path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        fail(e)
    })
}
