//! What a run writes: its JSON (with provenance) and the files of an output folder, each
//! whole or not at all.

use std::path::{Path, PathBuf};

use serde_json::Value;

use airwar_calibration::campaign_fit::CampaignFit;
use airwar_calibration::fit::FitResult;

use crate::battle::BattleRun;
use crate::calibrate::Calibration;
use crate::campaign::CampaignRun;
use crate::compare::{BattleComparison, CampaignComparison};
use crate::error::{Error, Result};
use crate::validate::ValidationRun;

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

/// The validation's JSON contract (`validate --json`) with its provenance.
pub fn validation_json(run: &ValidationRun) -> Value {
    let mut v = serde_json::to_value(&run.validation).unwrap_or(Value::Null);
    v["provenance"] = serde_json::to_value(&run.provenance).unwrap_or(Value::Null);
    v
}

/// The validation report (Markdown), ending with what produced it.
pub fn validation_report(run: &ValidationRun) -> String {
    let p = &run.provenance;
    let mut text = airwar_outputs::report::validation_markdown(&run.validation, &p.command);
    text.push_str(&format!(
        "\n## Provenance\n\n- airwar {}\n- data SHA-256: `{}`\n- parameters SHA-256: `{}`\n- seed: {}\n",
        p.version, p.data_sha256, p.params_sha256, p.seed
    ));
    text
}

/// `calibrate --json`: the fit's record (method, battles, ranges, ...), the parameters found,
/// the file written and the provenance.
pub fn calibration_json(run: &Calibration<FitResult>, file: &Path) -> Value {
    let record = airwar_calibration::record::CalibrationRecord::from_fit(&run.fit);
    serde_json::json!({
        "kind": "battles",
        "file": file.display().to_string(),
        "parameters": run.fit.parameters,
        "calibration": record,
        "provenance": run.provenance,
    })
}

/// `calibrate --campaign --json`: the fit's record, the parameters found, each theatre's
/// leave-one-out diagnostic, the file written and the provenance.
pub fn campaign_calibration_json(run: &Calibration<CampaignFit>, file: &Path) -> Value {
    let folds: Vec<_> = (0..run.fit.theatre_ids.len())
        .map(|t| run.fit.fold(t))
        .collect();
    serde_json::json!({
        "kind": "campaign",
        "file": file.display().to_string(),
        "parameters": run.fit.parameters,
        "calibration": run.fit.record,
        "folds": folds,
        "provenance": run.provenance,
    })
}

/// `compare --battle --json`: the campaign comparison's contract, with `battle` for
/// `scenario`.
pub fn battle_comparison_json(c: &BattleComparison, runs: u64) -> Value {
    let p = &c.changed.provenance;
    serde_json::json!({
        "runs": runs,
        "seed": p.seed,
        "battle": c.changed.engagement.id,
        "changes": p.changes,
        "effects": c.effects,
        "provenance": p,
    })
}

/// `compare --json` for a campaign.
pub fn campaign_comparison_json(c: &CampaignComparison, runs: u64) -> Value {
    let p = &c.changed.provenance;
    serde_json::json!({
        "runs": runs,
        "seed": p.seed,
        "scenario": c.base.theatre.id,
        "changes": p.changes,
        "effects": c.effects,
        "provenance": p,
    })
}

/// A battle comparison as a table.
pub fn battle_effects_table(c: &BattleComparison, runs: u64) -> String {
    let rows: Vec<airwar_outputs::campaign::EffectRow> = c
        .effects
        .iter()
        .map(|e| airwar_outputs::campaign::EffectRow {
            metric: &e.metric,
            base: e.base,
            alternative: e.alternative,
            difference: [e.difference.mean, e.difference.lo, e.difference.hi],
            width_paired: e.width_paired,
            width_independent: e.width_independent,
        })
        .collect();
    let (id, changes) = (&c.changed.engagement.id, &c.changed.provenance.changes);
    airwar_outputs::campaign::effect_rows_table(id, changes, &rows, runs)
}

/// Write a whole file or nothing: write beside it, then rename over it.
pub fn write_file(path: &Path, text: &str) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| Error::Output(format!("{} is not a file name", path.display())))?;
    let tmp = dir.join(format!(".{}.partial", name.to_string_lossy()));
    let write_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Write { path, source }
    };
    std::fs::write(&tmp, text).map_err(write_err(&tmp))?;
    std::fs::rename(&tmp, path).map_err(write_err(path))
}

/// The files a battle run writes to its folder, with `shard.json` when it ran a shard.
pub fn battle_folder(request: &crate::BattleRequest, run: &BattleRun) -> Vec<OutputFile> {
    let mut files = battle_files(run);
    if request.replications.is_some() {
        files.push(crate::shard::battle_shard(request, run));
    }
    files
}

/// The files a campaign run writes to its folder, with `shard.json` when it ran a shard.
pub fn campaign_folder(request: &crate::CampaignRequest, run: &CampaignRun) -> Vec<OutputFile> {
    let mut files = campaign_files(run);
    if request.replications.is_some() {
        files.push(crate::shard::campaign_shard(request, run));
    }
    files
}
