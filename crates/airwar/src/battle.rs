//! Use case: replay one engagement (a built-in battle or a user's file) many times.
//!
//! Data flow: [`BattleRequest`] → [`Inputs`] (library, user aircraft, parameters) → the
//! checked [`Engagement`] → [`prepare`] → [`airwar_engine::run_engagement_keeping`] →
//! [`BattleRun`], which the outputs crate renders.

use std::path::PathBuf;

use airwar_engine::{EngagementResults, Replications, RunConfig};
use airwar_model::engagement::{prepare, PreparedEngagement};
use airwar_model::ModelParameters;
use airwar_scenario::Engagement;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::inputs::{params_sha256, Inputs};
use crate::provenance::{Provenance, VERSION};

/// Which engagement to replay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BattleSource {
    /// A built-in battle, by id.
    BuiltIn(String),
    /// A user's engagement file.
    File(PathBuf),
}

/// A battle run, as asked for. Everything that decides the result is here (the thread count
/// never does), so a shard's request is the whole run's with `replications` set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BattleRequest {
    pub battle: BattleSource,
    pub runs: u64,
    pub seed: u64,
    /// Only these replications (a shard).
    pub replications: Option<Replications>,
    /// A model parameter file over the calibrated set.
    pub params: Option<PathBuf>,
    /// User aircraft files.
    pub aircraft: Vec<PathBuf>,
    /// Keep each replication's figures (for `replications.csv`).
    pub keep_replications: bool,
}

/// A battle ready to run: the engagement, prepared, with the provenance of its inputs.
#[derive(Debug, Clone)]
pub struct PreparedBattle {
    pub engagement: Engagement,
    pub prepared: PreparedEngagement,
    pub params: ModelParameters,
    pub provenance: Provenance,
}

/// A finished battle run.
#[derive(Debug, Clone)]
pub struct BattleRun {
    pub engagement: Engagement,
    pub prepared: PreparedEngagement,
    pub results: EngagementResults,
    pub provenance: Provenance,
}

/// Load and prepare the request's engagement; `command` is recorded in the provenance.
pub fn prepare_battle(request: &BattleRequest, command: &str) -> Result<PreparedBattle> {
    let mut inputs = Inputs::load(&request.aircraft)?;
    let params = inputs.model_parameters(request.params.as_deref())?;
    let engagement = match &request.battle {
        BattleSource::BuiltIn(id) => match inputs.library.battle(id) {
            Some(b) => b.clone(),
            None => {
                return Err(Error::UnknownBattle {
                    id: id.clone(),
                    suggestion: inputs.library.suggest_battle(id).map(str::to_string),
                })
            }
        },
        BattleSource::File(path) => {
            let text = inputs.read(path)?;
            let name = path.display().to_string();
            inputs
                .library
                .load_engagement(&name, &text, false)
                .map_err(|errors| Error::Data {
                    what: format!("the engagement file {name}"),
                    errors,
                })?
        }
    };
    let prepared = prepare(&engagement, &inputs.library.aircraft, &params)?;
    let provenance = Provenance {
        version: VERSION.to_string(),
        data_sha256: inputs.data_sha256(),
        command: command.to_string(),
        seed: request.seed,
        changes: Vec::new(),
        params_sha256: params_sha256(&params, None),
        replications: request.replications,
    };
    Ok(PreparedBattle {
        engagement,
        prepared,
        params,
        provenance,
    })
}

/// Run the request: `threads` workers (None: every core); `progress` hears how many
/// replications have finished.
pub fn run_battle(
    request: &BattleRequest,
    threads: Option<usize>,
    command: &str,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<BattleRun> {
    let b = prepare_battle(request, command)?;
    let config = RunConfig {
        runs: request.runs,
        seed: request.seed,
        threads,
        replications: request.replications,
    };
    let results = airwar_engine::run_engagement_keeping(
        &b.prepared,
        config,
        request.keep_replications,
        progress,
    )?;
    Ok(BattleRun {
        engagement: b.engagement,
        prepared: b.prepared,
        results,
        provenance: b.provenance,
    })
}
