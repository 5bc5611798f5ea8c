//! Use case: run a theatre's campaign many times, with changes (`--set`, counterfactuals).
//!
//! Data flow: [`CampaignRequest`] → [`Inputs`] (library, user aircraft, parameters) → the
//! theatre's text with the changes applied → [`Campaign::new`] → [`run_campaign`] →
//! [`CampaignRun`], which the outputs crate renders.

use std::path::Path;

use airwar_campaign::counterfactual::{apply_parameter_changes, apply_theatre_changes};
use airwar_campaign::{Campaign, CampaignResults};
use airwar_engine::{Replications, RunConfig};
use airwar_scenario::Theatre;
use serde::{Deserialize, Serialize};

use crate::battle::parse_changes;
use crate::error::{Error, Result};
use crate::inputs::{params_sha256, Inputs, RunInputs};
use crate::provenance::Provenance;

/// A campaign run, as asked for. Everything that decides the result is here (the thread
/// count never does), so a shard's request is the whole run's with `replications` set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignRequest {
    /// A built-in theatre id, or a theatre file.
    pub scenario: String,
    pub runs: u64,
    /// The seed, the parameter file and the user's aircraft files.
    #[serde(flatten)]
    pub inputs: RunInputs,
    /// Only these replications (a shard).
    pub replications: Option<Replications>,
    /// Changes, `PATH=VALUE`, applied in order.
    pub set: Vec<String>,
    /// A named counterfactual, applied after `set`.
    pub counterfactual: Option<String>,
    /// Keep each replication's totals (for `replications.csv` and paired comparisons).
    pub keep_replications: bool,
}

/// A campaign ready to run.
#[derive(Debug, Clone)]
pub struct PreparedCampaign {
    pub campaign: Campaign,
    pub theatre: Theatre,
    pub provenance: Provenance,
}

/// A finished campaign run.
#[derive(Debug, Clone)]
pub struct CampaignRun {
    pub campaign: Campaign,
    pub theatre: Theatre,
    pub results: CampaignResults,
    pub provenance: Provenance,
}

/// The name and text of a theatre: a built-in id, or a file named by its path (with a `/` or
/// ending in `.toml`). A file in the working folder never shadows a built-in id: the file is
/// `./china-1937.toml`, the built-in theatre `china-1937`.
fn theatre_text(inputs: &mut Inputs, scenario: &str) -> Result<(String, String)> {
    let path = Path::new(scenario);
    if scenario.ends_with(".toml") || scenario.contains(std::path::MAIN_SEPARATOR) {
        return Ok((scenario.to_string(), inputs.read(path)?));
    }
    let wanted = format!("scenarios/{scenario}.toml");
    let found = airwar_scenario::builtin::embedded_files(&wanted).next();
    match found {
        Some((p, text)) => Ok((format!("<built-in>/data/{p}"), text.to_string())),
        None => Err(Error::UnknownScenario {
            id: scenario.to_string(),
            suggestion: airwar_scenario::error::closest(
                scenario,
                inputs.library.theatres.iter().map(|t| t.id.as_str()),
            )
            .map(str::to_string),
        }),
    }
}

/// Load the request's theatre, apply its changes and build the campaign; `command` is
/// recorded in the provenance.
pub fn prepare_campaign(request: &CampaignRequest, command: &str) -> Result<PreparedCampaign> {
    prepare_campaign_with(request.inputs.load()?, request, command)
}

/// [`prepare_campaign`] from inputs already loaded by `request.inputs.load()` (a sweep loads
/// them once for all its design points instead of parsing the built-in data at each).
pub fn prepare_campaign_with(
    mut inputs: Inputs,
    request: &CampaignRequest,
    command: &str,
) -> Result<PreparedCampaign> {
    let mut params = inputs.model_parameters(request.inputs.params.as_deref())?;
    let mut cparams = inputs.campaign_parameters()?;
    let (name, text) = theatre_text(&mut inputs, &request.scenario)?;
    let mut changes = parse_changes(&request.set)?;
    if let Some(cf) = &request.counterfactual {
        // A named counterfactual is worded against the theatre as it stands.
        let base = apply_theatre_changes(&mut inputs.library, &name, &text, &[])?;
        changes.extend(airwar_campaign::counterfactual::named(cf, &base)?);
    }
    let rest = apply_parameter_changes(&changes, &mut params, &mut cparams)?;
    let theatre = apply_theatre_changes(&mut inputs.library, &name, &text, &rest)?;
    let campaign = Campaign::new(&theatre, &inputs.library, &params, &cparams)?;
    let provenance = inputs.provenance(
        command,
        request.inputs.seed,
        changes.iter().map(ToString::to_string).collect(),
        params_sha256(&params, Some(&cparams)),
        request.replications,
    );
    Ok(PreparedCampaign {
        campaign,
        theatre,
        provenance,
    })
}

/// Run the request: `threads` workers (None: every core); `progress` hears how many
/// replications have finished.
pub fn run_campaign(
    request: &CampaignRequest,
    threads: Option<usize>,
    command: &str,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<CampaignRun> {
    run_prepared_campaign(
        prepare_campaign(request, command)?,
        request,
        threads,
        progress,
    )
}

/// Run a campaign prepared from `request` (by [`prepare_campaign`] or
/// [`prepare_campaign_with`]).
pub fn run_prepared_campaign(
    c: PreparedCampaign,
    request: &CampaignRequest,
    threads: Option<usize>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<CampaignRun> {
    let config = RunConfig {
        runs: request.runs,
        seed: request.inputs.seed,
        threads,
        replications: request.replications,
    };
    let results =
        airwar_campaign::run_campaign(&c.campaign, config, request.keep_replications, progress)?;
    Ok(CampaignRun {
        campaign: c.campaign,
        theatre: c.theatre,
        results,
        provenance: c.provenance,
    })
}

#[cfg(test)]
mod tests {
    /// The scenario loader's list of modelled observed metrics (used to catch near-miss
    /// spellings) is the campaign model's.
    #[test]
    fn the_loaders_modelled_metrics_are_the_campaigns() {
        let mut model: Vec<&str> = airwar_campaign::metrics::Total::ALL
            .iter()
            .filter_map(|t| t.observed_metric())
            .collect();
        let mut loader = airwar_scenario::theatre::MODELLED_OBSERVED_METRICS.to_vec();
        model.sort_unstable();
        loader.sort_unstable();
        assert_eq!(model, loader);
    }
}
