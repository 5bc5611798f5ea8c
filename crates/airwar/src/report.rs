//! The report use case: run a campaign (or one battle) and render it as one self-contained
//! HTML page with `airwar-report` (map, timeline, charts, battles, validation, provenance).

use std::path::PathBuf;

use crate::inputs::Inputs;
use crate::{BattleRequest, BattleSource, CampaignRequest, Result};

/// What to report on, and how much to run.
#[derive(Debug, Clone)]
pub struct ReportRequest {
    /// A theatre id or file (ignored with `battle`).
    pub scenario: String,
    /// Report on this built-in battle instead of a campaign.
    pub battle: Option<String>,
    /// Replications of the campaign or the battle.
    pub runs: u64,
    /// Replications of each of the theatre's battles in a campaign report.
    pub battle_runs: u64,
    pub seed: u64,
    pub set: Vec<String>,
    pub params: Option<PathBuf>,
    pub aircraft: Vec<PathBuf>,
}

/// Run what the request asks for and render its report (HTML).
pub fn report(
    request: &ReportRequest,
    threads: Option<usize>,
    command: &str,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<String> {
    airwar_report::check_battle_runs(request.battle_runs)?;
    let mut inputs = Inputs::load(&request.aircraft)?;
    if let Some(id) = &request.battle {
        let battle = BattleRequest {
            battle: BattleSource::BuiltIn(id.clone()),
            runs: request.runs,
            seed: request.seed,
            replications: None,
            set: request.set.clone(),
            params: request.params.clone(),
            aircraft: request.aircraft.clone(),
            keep_replications: false,
        };
        let run = crate::run_battle(&battle, threads, command, progress)?;
        let provenance = serde_json::to_value(&run.provenance).unwrap_or_default();
        return Ok(airwar_report::battle_report(
            &airwar_report::BattleReportInput {
                battle: airwar_report::BattleResult {
                    engagement: &run.engagement,
                    results: &run.results,
                },
                theatre: (inputs.library.theatres.iter())
                    .find(|t| t.battles.contains(&run.engagement.id)),
                sources: &inputs.library.sources,
                provenance: Some(&provenance),
            },
        )?);
    }
    let params = inputs.model_parameters(request.params.as_deref())?;
    let campaign = CampaignRequest {
        scenario: request.scenario.clone(),
        runs: request.runs,
        seed: request.seed,
        replications: None,
        set: request.set.clone(),
        counterfactual: None,
        params: request.params.clone(),
        aircraft: request.aircraft.clone(),
        keep_replications: false,
    };
    let run = crate::run_campaign(&campaign, threads, command, progress)?;
    let provenance = serde_json::to_value(&run.provenance).unwrap_or_default();
    Ok(airwar_report::campaign_report_of_run(
        &airwar_report::CampaignRunParts {
            library: &inputs.library,
            params: &params,
            theatre: &run.theatre,
            campaign: &run.campaign,
            results: &run.results,
            provenance: &provenance,
            battle_runs: request.battle_runs,
            seed: request.seed,
            threads,
        },
    )?)
}
