//! The report use case: run a campaign (or one battle) and render it as one self-contained
//! HTML page with `airwar-report` (map, timeline, charts, battles, validation, provenance).

use std::path::PathBuf;

use crate::inputs::RunInputs;
use crate::{BattleRequest, CampaignRequest, Result};

/// What to report on, how much to run, and where the page and its figures go.
#[derive(Debug, Clone)]
pub struct ReportRequest {
    /// A theatre id or file (ignored with `battle`).
    pub scenario: String,
    /// Report on this battle instead of a campaign: a built-in battle's id, or an engagement
    /// file (a name ending in `.toml` or naming a file, as for `airwar sweep --battle`).
    pub battle: Option<String>,
    /// Replications of the campaign or the battle (None: [`ReportRequest::runs`]' default).
    pub runs: Option<u64>,
    /// Replications of each of the theatre's battles in a campaign report.
    pub battle_runs: u64,
    pub inputs: RunInputs,
    pub set: Vec<String>,
    /// The output of `airwar validate --json` (e.g. `--leave-one-out`), whose rows about the
    /// report's theatre and battles join the forest plot.
    pub validation: Option<PathBuf>,
    /// The HTML page to write (whole or not at all).
    pub out: Option<PathBuf>,
    /// The folder to write every figure to, as SVG and PNG with their captions, all or none.
    pub figures: Option<PathBuf>,
}

impl ReportRequest {
    /// The replications the report runs: as asked, or 100 of a campaign and
    /// [`crate::battle::DEFAULT_RUNS`] of a battle.
    pub fn runs(&self) -> u64 {
        let default = match self.battle {
            None => 100,
            Some(_) => crate::battle::DEFAULT_RUNS,
        };
        self.runs.unwrap_or(default)
    }
}

/// Read a validation file (`airwar validate --json`) for the forest plot.
pub fn read_validation(path: &std::path::Path) -> Result<airwar_report::ValidationRows> {
    let text = crate::inputs::read_capped(path)?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        airwar_report::ReportError::Validation(format!("{}: not JSON ({e})", path.display()))
    })?;
    airwar_report::forest::validation_rows(&value).map_err(|e| match e {
        airwar_report::ReportError::Validation(what) => {
            airwar_report::ReportError::Validation(format!("{}: {what}", path.display())).into()
        }
        other => other.into(),
    })
}

/// Run what the request asks for and render its report: the HTML page and its figures.
pub fn report(
    request: &ReportRequest,
    threads: Option<usize>,
    command: &str,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<airwar_report::Report> {
    airwar_report::check_battle_runs(request.battle_runs)?;
    let validation = request
        .validation
        .as_deref()
        .map(read_validation)
        .transpose()?;
    let mut inputs = request.inputs.load()?;
    if let Some(id) = &request.battle {
        let battle = BattleRequest {
            battle: crate::sweep::battle_source(id),
            runs: request.runs(),
            inputs: request.inputs.clone(),
            replications: None,
            set: request.set.clone(),
            keep_replications: false,
        };
        let run = crate::run_battle(&battle, threads, command, progress)?;
        let provenance = serde_json::to_value(&run.provenance).unwrap_or_default();
        return Ok(airwar_report::render_battle(
            &airwar_report::BattleReportInput {
                battle: airwar_report::BattleResult {
                    engagement: &run.engagement,
                    results: &run.results,
                },
                theatre: (inputs.library.theatres.iter())
                    .find(|t| t.battles.contains(&run.engagement.id)),
                sources: &inputs.library.sources,
                provenance: Some(&provenance),
                validation,
            },
        )?);
    }
    let params = inputs.model_parameters(request.inputs.params.as_deref())?;
    let campaign = CampaignRequest {
        scenario: request.scenario.clone(),
        runs: request.runs(),
        inputs: request.inputs.clone(),
        replications: None,
        set: request.set.clone(),
        counterfactual: None,
        keep_replications: false,
    };
    let run = crate::run_campaign(&campaign, threads, command, progress)?;
    let provenance = serde_json::to_value(&run.provenance).unwrap_or_default();
    Ok(airwar_report::render_campaign_run(
        &airwar_report::CampaignRunParts {
            library: &inputs.library,
            params: &params,
            theatre: &run.theatre,
            campaign: &run.campaign,
            results: &run.results,
            provenance: &provenance,
            battle_runs: request.battle_runs,
            validation: validation.as_ref(),
            seed: request.inputs.seed,
            threads,
        },
    )?)
}

/// The files `airwar report --figures DIR` writes: every figure as SVG and PNG, and
/// `figures.json` with their captions (see [`airwar_report::png::figure_files`]).
pub fn figure_files(report: &airwar_report::Report) -> Result<Vec<airwar_report::png::FigureFile>> {
    Ok(airwar_report::png::figure_files(&report.figures)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_runs_as_asked_or_a_default_for_its_kind() {
        let mut request = ReportRequest {
            scenario: "china-1937".into(),
            battle: None,
            runs: None,
            battle_runs: 10,
            inputs: RunInputs::default(),
            set: Vec::new(),
            validation: None,
            out: None,
            figures: None,
        };
        assert_eq!(request.runs(), 100);
        request.battle = Some("wuhan-1938-04-29".into());
        assert_eq!(request.runs(), crate::battle::DEFAULT_RUNS);
        request.runs = Some(7);
        assert_eq!(request.runs(), 7);
    }
}
