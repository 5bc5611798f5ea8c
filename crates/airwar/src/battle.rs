//! Use case: replay one engagement (a built-in battle or a user's file) many times.
//!
//! Data flow: [`BattleRequest`] → its [`RunInputs`] loaded (library, user aircraft, parameters)
//! → the engagement's text with the changes applied in place (`airwar_scenario::change`) → the
//! checked [`Engagement`] → [`prepare`] → [`airwar_engine::run_engagement_keeping`] →
//! [`BattleRun`], which the outputs crate renders.

use std::path::PathBuf;

use airwar_engine::{EngagementResults, Replications, RunConfig};
use airwar_model::engagement::{prepare, PreparedEngagement};
use airwar_model::ModelParameters;
use airwar_scenario::change::{load_changed, set_field, Change, ChangeError};
use airwar_scenario::Engagement;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::inputs::{params_sha256, Inputs, RunInputs};
use crate::provenance::Provenance;

/// Which engagement to replay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BattleSource {
    /// A built-in battle, by id.
    BuiltIn(String),
    /// A user's engagement file.
    File(PathBuf),
}

/// Replications a battle runs by default: about a second of work on one core.
pub const DEFAULT_RUNS: u64 = 50_000;

/// A battle run, as asked for. Everything that decides the result is here (the thread count
/// never does), so a shard's request is the whole run's with `replications` set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BattleRequest {
    pub battle: BattleSource,
    pub runs: u64,
    /// The seed, the parameter file and the user's aircraft files.
    #[serde(flatten)]
    pub inputs: RunInputs,
    /// Only these replications (a shard).
    pub replications: Option<Replications>,
    /// Changes, `PATH=VALUE`, applied in order: `params.NAME` sets a model parameter, any
    /// other path a figure of the engagement's own file.
    #[serde(default)]
    pub set: Vec<String>,
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

/// The name and text of the built-in battle `id` (its file is `battles/ID.toml`, or any
/// battle file whose `id` is `id`).
fn builtin_battle_text(id: &str) -> Option<(String, &'static str)> {
    #[derive(Deserialize)]
    struct Id {
        id: String,
    }
    let wanted = format!("battles/{id}.toml");
    let found = airwar_scenario::builtin::embedded_files(&wanted).next();
    found
        .or_else(|| {
            airwar_scenario::builtin::embedded_files("battles/")
                .find(|(_, text)| toml::from_str::<Id>(text).is_ok_and(|b| b.id == id))
        })
        .map(|(path, text)| (format!("<built-in>/data/{path}"), text))
}

/// Load and prepare the request's engagement, with its changes; `command` is recorded in the
/// provenance.
pub fn prepare_battle(request: &BattleRequest, command: &str) -> Result<PreparedBattle> {
    prepare_battle_with(request.inputs.load()?, request, command)
}

/// [`prepare_battle`] from inputs already loaded by `request.inputs.load()` (a sweep loads
/// them once for all its design points instead of parsing the built-in data at each).
pub fn prepare_battle_with(
    mut inputs: Inputs,
    request: &BattleRequest,
    command: &str,
) -> Result<PreparedBattle> {
    let mut params = inputs.model_parameters(request.inputs.params.as_deref())?;
    let changes = parse_changes(&request.set)?;
    let mut figures = Vec::new();
    for c in &changes {
        match c.path.strip_prefix("params.") {
            Some(name) => {
                params = set_field(&params, name, &c.value, &c.path)?;
                params
                    .validate()
                    .map_err(|e| ChangeError(format!("`{}`: {e}", c.path)))?;
            }
            None => figures.push(c.clone()),
        }
    }
    let (name, text, what) = match &request.battle {
        BattleSource::BuiltIn(id) => {
            let unknown = || Error::UnknownBattle {
                id: id.clone(),
                suggestion: inputs.library.suggest_battle(id).map(str::to_string),
            };
            if inputs.library.battle(id).is_none() {
                return Err(unknown());
            }
            let (name, text) = builtin_battle_text(id).ok_or_else(unknown)?;
            (name, text.to_string(), format!("the battle {id}"))
        }
        BattleSource::File(path) => {
            let text = inputs.read(path)?;
            let name = path.display().to_string();
            let what = format!("the engagement file {name}");
            (name, text, what)
        }
    };
    let engagement = match (&request.battle, figures.is_empty()) {
        (BattleSource::BuiltIn(id), true) => inputs.library.battle(id).cloned(),
        _ => None,
    };
    let engagement = match engagement {
        Some(e) => e,
        None => {
            let lib = &mut inputs.library;
            load_changed(&name, &text, &figures, |n, t| {
                lib.load_engagement(n, t, false)
            })?
            .map_err(|errors| Error::Data { what, errors })?
        }
    };
    let prepared = prepare(&engagement, &inputs.library.aircraft, &params)?;
    let provenance = inputs.provenance(
        command,
        request.inputs.seed,
        changes.iter().map(ToString::to_string).collect(),
        params_sha256(&params, None),
        request.replications,
    );
    Ok(PreparedBattle {
        engagement,
        prepared,
        params,
        provenance,
    })
}

/// Parse `PATH=VALUE` changes.
pub(crate) fn parse_changes(set: &[String]) -> Result<Vec<Change>> {
    set.iter().map(|s| s.parse().map_err(Error::from)).collect()
}

/// Run the request: `threads` workers (None: every core); `progress` hears how many
/// replications have finished.
pub fn run_battle(
    request: &BattleRequest,
    threads: Option<usize>,
    command: &str,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<BattleRun> {
    run_prepared_battle(
        prepare_battle(request, command)?,
        request,
        threads,
        progress,
    )
}

/// Run a battle prepared from `request` (by [`prepare_battle`] or [`prepare_battle_with`]).
pub fn run_prepared_battle(
    b: PreparedBattle,
    request: &BattleRequest,
    threads: Option<usize>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<BattleRun> {
    let config = RunConfig {
        runs: request.runs,
        seed: request.inputs.seed,
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
