//! What a run writes: its JSON (with provenance) and the files of an output folder, each
//! whole or not at all.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::battle::BattleRun;
use crate::campaign::CampaignRun;
use crate::error::{Error, Result};

/// One file of an output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub name: &'static str,
    pub text: String,
}

/// The battle's JSON contract (`battle --json`, `summary.json`) with its provenance.
pub fn battle_json(run: &BattleRun) -> Value {
    let mut v = airwar_outputs::json::engagement(
        &run.engagement,
        &run.prepared,
        &run.results,
        run.provenance.seed,
    );
    v["provenance"] = serde_json::to_value(&run.provenance).unwrap_or(Value::Null);
    v
}

/// The campaign's JSON contract (`run --json`, `summary.json`) with its provenance.
pub fn campaign_json(run: &CampaignRun) -> Value {
    let mut v = airwar_outputs::campaign::summary_json(
        &run.campaign,
        &run.theatre,
        &run.results,
        run.provenance.seed,
    );
    v["provenance"] = serde_json::to_value(&run.provenance).unwrap_or(Value::Null);
    v
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default() + "\n"
}

/// The files `battle --out` and `engage --out` write: summary.json and replications.csv.
pub fn battle_files(run: &BattleRun) -> Vec<OutputFile> {
    let sides: Vec<String> = run
        .engagement
        .sides
        .iter()
        .map(|s| s.name.clone())
        .collect();
    let columns = airwar_engine::replication_columns(&run.prepared, &sides);
    vec![
        OutputFile {
            name: "summary.json",
            text: pretty(&battle_json(run)),
        },
        OutputFile {
            name: "replications.csv",
            text: airwar_outputs::csv::replications(
                &columns,
                run.results.per_replication.as_deref().unwrap_or(&[]),
            ),
        },
    ]
}

/// The files `run --out` writes: summary.json, totals.csv, timeseries.csv, replications.csv.
pub fn campaign_files(run: &CampaignRun) -> Vec<OutputFile> {
    let (c, t, r) = (&run.campaign, &run.theatre, &run.results);
    vec![
        OutputFile {
            name: "summary.json",
            text: pretty(&campaign_json(run)),
        },
        OutputFile {
            name: "totals.csv",
            text: airwar_outputs::campaign::totals_csv(c, t, r),
        },
        OutputFile {
            name: "timeseries.csv",
            text: airwar_outputs::campaign::series_csv(c, r),
        },
        OutputFile {
            name: "replications.csv",
            text: airwar_outputs::campaign::replications_csv(r),
        },
    ]
}

/// Write `files` into `dir` (created if needed): every file is first written beside its final
/// name, and only when all are written are they renamed into place, so a failure leaves the
/// folder's earlier files as they were and no half-written file under a final name.
pub fn write_folder(dir: &Path, files: &[OutputFile]) -> Result<()> {
    let write_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Write { path, source }
    };
    std::fs::create_dir_all(dir).map_err(write_err(dir))?;
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    for f in files {
        let tmp = dir.join(format!(".{}.partial", f.name));
        if let Err(e) = std::fs::write(&tmp, &f.text) {
            for (t, _) in &staged {
                let _ = std::fs::remove_file(t);
            }
            let _ = std::fs::remove_file(&tmp);
            return Err(write_err(&tmp)(e));
        }
        staged.push((tmp, dir.join(f.name)));
    }
    for (tmp, path) in &staged {
        std::fs::rename(tmp, path).map_err(write_err(path))?;
    }
    Ok(())
}
