//! The provenance block every JSON output and `summary.json` carries: what produced it.

use airwar_engine::Replications;
use serde::{Deserialize, Serialize};

/// What produced an output: enough to run it again and to tell two outputs' inputs apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// airwar's version.
    pub version: String,
    /// SHA-256 of the data the run used: every built-in data file and every user file read.
    pub data_sha256: String,
    /// The command line, as given.
    pub command: String,
    pub seed: u64,
    /// Changes made to the built-in inputs: `--set PATH=VALUE` and named counterfactuals.
    pub changes: Vec<String>,
    /// SHA-256 of the parameters used (model and campaign, after the changes).
    pub params_sha256: String,
    /// The replications run when the output is one shard of a larger run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replications: Option<Replications>,
}

/// airwar's version, as built.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
