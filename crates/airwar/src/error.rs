//! The use cases' errors: each names the thing that is wrong (the file, the battle, the type,
//! the shard), never a command-line flag, so that any front end can word its own advice.

use std::path::PathBuf;

use airwar_scenario::DataErrors;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is larger than the limit of {limit} bytes for an input file (docs/limits.md)")]
    TooLarge { path: PathBuf, limit: u64 },
    #[error("cannot write {path}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Located problems in a data file (the built-in data, or a user's).
    #[error("{what} has errors:\n{errors}")]
    Data { what: String, errors: DataErrors },
    #[error("no built-in battle `{id}`{}; the built-in battles are listed by id", hint(.suggestion))]
    UnknownBattle {
        id: String,
        suggestion: Option<String>,
    },
    #[error("no scenario `{id}`{}; the built-in scenarios are listed by id", hint(.suggestion))]
    UnknownScenario {
        id: String,
        suggestion: Option<String>,
    },
    #[error("no theatre `{id}`: the built-in theatres are {}", .known.join(", "))]
    UnknownTheatre { id: String, known: Vec<String> },
    #[error("none of the battles chosen records an observed figure to use")]
    NoBattles,
    #[error("{0}")]
    Parameters(String),
    /// A size outside its limit (airwar_scenario::limits).
    #[error("{0}")]
    Limit(String),
    #[error(transparent)]
    Calibration(#[from] airwar_calibration::CalibrationError),
    #[error(transparent)]
    Report(#[from] airwar_report::ReportError),
    #[error("could not start the worker threads: {0}")]
    Threads(String),
    #[error("{0}")]
    Lanchester(String),
    #[error("no aircraft type `{name}`{}; the types are listed by name", hint(.suggestion))]
    UnknownType {
        name: String,
        suggestion: Option<String>,
    },
    /// A change (`PATH=VALUE`) that cannot be applied.
    #[error("the change {0}")]
    Change(#[from] airwar_scenario::change::ChangeError),
    #[error(transparent)]
    Prepare(#[from] airwar_model::engagement::PrepareError),
    #[error(transparent)]
    Campaign(#[from] airwar_campaign::CampaignError),
    #[error(transparent)]
    Engine(#[from] airwar_engine::EngineError),
    /// Shards that cannot be merged, and why.
    #[error("{0}")]
    Shard(String),
    #[error("{0}")]
    Output(String),
    /// A sweep that cannot run as asked (its design, its range of points).
    #[error("{0}")]
    Sweep(String),
}

impl Error {
    /// The located problems of a data file, when that is what is wrong: a front end prints
    /// them as they are.
    pub fn located(&self) -> Option<&DataErrors> {
        match self {
            Error::Data { errors, .. } => Some(errors),
            _ => None,
        }
    }
}

fn hint(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
