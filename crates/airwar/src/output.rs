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

/// The files `compare --battle ... --out` writes: summary.json (the `--json` contract),
/// effects.csv (one row per figure) and replications.csv (one row per replication and arm).
pub fn battle_comparison_files(c: &BattleComparison, runs: u64) -> Vec<OutputFile> {
    let metrics: Vec<&str> = c.effects.iter().map(|e| e.metric.as_str()).collect();
    fn rows(r: &BattleRun) -> &[(u64, Vec<u32>)] {
        r.results.per_replication.as_deref().unwrap_or(&[])
    }
    let (base_columns, changed_columns) = (
        crate::compare::columns(&c.base),
        crate::compare::columns(&c.changed),
    );
    comparison_files(
        battle_comparison_json(c, runs),
        &c.effects,
        crate::compare::paired_rows(
            &metrics,
            (&base_columns, rows(&c.base)),
            (&changed_columns, rows(&c.changed)),
        ),
    )
}

/// The files `compare SCENARIO --out` writes, as [`battle_comparison_files`] does for a
/// battle.
pub fn campaign_comparison_files(c: &CampaignComparison, runs: u64) -> Vec<OutputFile> {
    let columns: Vec<String> = airwar_campaign::TOTALS
        .iter()
        .map(|t| t.to_string())
        .collect();
    let metrics: Vec<&str> = columns.iter().map(String::as_str).collect();
    fn rows(r: &CampaignRun) -> &[(u64, Vec<u64>)] {
        r.results.per_replication.as_deref().unwrap_or(&[])
    }
    comparison_files(
        campaign_comparison_json(c, runs),
        &c.effects,
        crate::compare::paired_rows(
            &metrics,
            (&columns, rows(&c.base)),
            (&columns, rows(&c.changed)),
        ),
    )
}

fn comparison_files(
    summary: Value,
    effects: &[crate::compare::Effect],
    replications: Vec<Vec<String>>,
) -> Vec<OutputFile> {
    let mut rows = vec![[
        "metric",
        "base",
        "changed",
        "difference",
        "difference_lo95",
        "difference_hi95",
        "width_paired",
        "width_independent",
    ]
    .map(str::to_string)
    .to_vec()];
    for e in effects {
        rows.push(vec![
            e.metric.clone(),
            e.base.to_string(),
            e.alternative.to_string(),
            e.difference.mean.to_string(),
            e.difference.lo.to_string(),
            e.difference.hi.to_string(),
            e.width_paired.to_string(),
            e.width_independent.to_string(),
        ]);
    }
    vec![
        OutputFile {
            name: "summary.json",
            text: pretty(&summary),
        },
        OutputFile {
            name: "effects.csv",
            text: airwar_outputs::csv::render(&rows),
        },
        OutputFile {
            name: "replications.csv",
            text: airwar_outputs::csv::render(&replications),
        },
    ]
}

/// A battle comparison's folder, with `shard.json` when it ran a shard.
pub fn battle_comparison_folder(
    request: &crate::BattleRequest,
    c: &BattleComparison,
) -> Vec<OutputFile> {
    let mut files = battle_comparison_files(c, request.runs);
    if request.replications.is_some() {
        files.push(crate::shard::battle_comparison_shard(request, c));
    }
    files
}

/// A campaign comparison's folder, with `shard.json` when it ran a shard.
pub fn campaign_comparison_folder(
    request: &crate::CampaignRequest,
    c: &CampaignComparison,
) -> Vec<OutputFile> {
    let mut files = campaign_comparison_files(c, request.runs);
    if request.replications.is_some() {
        files.push(crate::shard::campaign_comparison_shard(request, c));
    }
    files
}

/// Names of the files airwar writes into an output folder: a folder holding anything else is
/// the user's, and is never replaced.
const OUTPUT_NAMES: &[&str] = &[
    "summary.json",
    "totals.csv",
    "timeseries.csv",
    "replications.csv",
    "battle.json",
    "shard.json",
    "sweep.parquet",
    "sensitivity.csv",
    "sweep-shard.json",
    "effects.csv",
    airwar_report::png::MANIFEST,
];

/// Check, before a run starts, that `dir` can receive a run's files: it does not exist yet, or
/// it is a real folder (not a symlink) holding only files airwar writes (those of
/// [`OUTPUT_NAMES`], and in a figures folder the files its `figures.json` lists).
pub fn check_folder_target(dir: &Path) -> Result<()> {
    let dir = normalised(dir);
    let refuse = |why: String| {
        Err(Error::Output(format!(
            "cannot write to {}: {why}",
            dir.display()
        )))
    };
    match std::fs::symlink_metadata(&dir) {
        Err(_) => Ok(()),
        Ok(m) if m.file_type().is_symlink() => refuse("it is a symbolic link".into()),
        Ok(m) if !m.is_dir() => refuse("it exists and is not a folder".into()),
        Ok(_) => {
            let entries = std::fs::read_dir(&dir).map_err(|source| Error::Write {
                path: dir.clone(),
                source,
            })?;
            let figures = std::fs::read_to_string(dir.join(airwar_report::png::MANIFEST))
                .map(|text| airwar_report::png::manifest_files(&text))
                .unwrap_or_default();
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if !OUTPUT_NAMES.contains(&name.as_str()) && !figures.contains(&name) {
                    return refuse(format!(
                        "it holds `{name}`, which airwar did not write; choose a new or empty folder"
                    ));
                }
            }
            Ok(())
        }
    }
}

/// Check, before a run starts, that `path` can receive a file: it does not exist, or it is a
/// regular file (never a symlink or a device).
pub fn check_file_target(path: &Path) -> Result<()> {
    match std::fs::symlink_metadata(path) {
        Err(_) => Ok(()),
        Ok(m) if m.is_file() => Ok(()),
        Ok(m) => Err(Error::Output(format!(
            "cannot write to {}: it is {}",
            path.display(),
            if m.file_type().is_symlink() {
                "a symbolic link"
            } else {
                "not a regular file"
            }
        ))),
    }
}

/// `path` with `x/..` pairs removed, so `--out a/../b` makes no stray folder `a`.
fn normalised(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// A name for staging beside `target` that no other run uses at the same time.
fn staging_name(target: &Path, what: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let name = target
        .file_name()
        .map_or_else(|| "out".to_string(), |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.{what}-{}-{nanos}", std::process::id()))
}

/// Write `bytes` to `path` and flush it to the disk.
fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = std::fs::File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Write a run's files into `dir` as one set: they are written and flushed in a uniquely named
/// staging folder beside `dir`, which then takes `dir`'s place (the old set, if any, is moved
/// aside first and removed after). So a failure or a kill leaves either the old set or the new
/// one, never a mixture and never a `.partial` file under a final name, and two runs writing
/// to the same folder cannot mix their files. A symlink, a non-folder or a folder with files
/// airwar did not write is refused ([`check_folder_target`]).
pub fn write_folder(dir: &Path, files: &[OutputFile]) -> Result<()> {
    let files: Vec<(&str, &[u8])> = files.iter().map(|f| (f.name, f.text.as_bytes())).collect();
    write_folder_bytes(dir, &files)
}

/// [`write_folder`] for files of any bytes (`sweep.parquet`): `(name, contents)`.
pub fn write_folder_bytes(dir: &Path, files: &[(&str, &[u8])]) -> Result<()> {
    let dir = normalised(dir);
    check_folder_target(&dir)?;
    let write_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Write { path, source }
    };
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(write_err(parent))?;
    }
    let staging = staging_name(&dir, "staging");
    std::fs::create_dir(&staging).map_err(write_err(&staging))?;
    let staged = files.iter().try_for_each(|(name, bytes)| {
        write_synced(&staging.join(name), bytes).map_err(write_err(&staging.join(name)))
    });
    if let Err(e) = staged {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    let old = staging_name(&dir, "replaced");
    let had_old = std::fs::rename(&dir, &old).is_ok();
    if let Err(e) = std::fs::rename(&staging, &dir) {
        if had_old {
            let _ = std::fs::rename(&old, &dir);
        }
        let _ = std::fs::remove_dir_all(&staging);
        return Err(write_err(&dir)(e));
    }
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
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
    let (e, changes) = (&c.changed.engagement, &c.changed.provenance.changes);
    let sides: Vec<String> = e.sides.iter().map(|s| s.name.clone()).collect();
    airwar_outputs::campaign::battle_effects_table(&e.id, &sides, changes, &c.effects, runs)
}

/// Write one file whole: flushed under a unique temporary name beside `path`, then renamed
/// over it, so a reader never sees half a file; a symlink or a device is refused.
pub fn write_file(path: &Path, text: &str) -> Result<()> {
    check_file_target(path)?;
    if path.file_name().is_none() {
        return Err(Error::Output(format!(
            "{} is not a file name",
            path.display()
        )));
    }
    let write_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Write { path, source }
    };
    let tmp = staging_name(path, "partial");
    if let Err(e) = write_synced(&tmp, text.as_bytes()) {
        let _ = std::fs::remove_file(&tmp);
        return Err(write_err(&tmp)(e));
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        write_err(path)(e)
    })
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
