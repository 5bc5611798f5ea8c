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

/// A command line as the provenance records it: the program as `airwar`, the arguments quoted
/// where a shell would need it, and without `--threads` (which never changes a result), so the
/// same run gives the same bytes on any machine and thread count.
pub fn command_line(args: impl IntoIterator<Item = String>) -> String {
    let mut words = vec!["airwar".to_string()];
    let mut args = args.into_iter();
    while let Some(a) = args.next() {
        if a == "--threads" {
            args.next();
        } else if !a.starts_with("--threads=") {
            let quote =
                a.is_empty() || a.contains(|c: char| c.is_whitespace() || "'\"".contains(c));
            words.push(if quote {
                format!("'{}'", a.replace('\'', "'\\''"))
            } else {
                a
            });
        }
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_command_line_leaves_out_threads_and_quotes_spaces() {
        let args = [
            "battle",
            "--threads",
            "2",
            "--set",
            "a=\"b c\"",
            "--threads=3",
        ];
        assert_eq!(
            super::command_line(args.map(String::from)),
            "airwar battle --set 'a=\"b c\"'"
        );
    }
}
