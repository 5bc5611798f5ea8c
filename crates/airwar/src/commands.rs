//! Each command of a front end as one call: where it writes is checked before any work, the
//! use case runs, its files are written whole, and what it shows comes back as a [`View`]
//! (`airwar_outputs::view`: its JSON contract or its text, made only when asked for, by
//! `airwar-outputs` and [`crate::output`]). A front end parses its arguments into the
//! request, draws the progress it hears and prints the view; nothing here prints.

use std::path::{Path, PathBuf};

use airwar_calibration::aggregation::AggregationCheck;
use airwar_calibration::campaign_fit::CampaignFit;
use airwar_calibration::fit::FitResult;
use airwar_campaign::counterfactual::{Counterfactual, COUNTERFACTUALS};
use airwar_model::lanchester::LanchesterBattle;
use airwar_model::params::ModelParameters;
use airwar_outputs::{campaign, report, sparkline, table, text};
use airwar_scenario::bibliography::Bibliography;
use airwar_scenario::Library;
use serde_json::{json, Value};

use crate::aggregation::AggregationRequest;
use crate::battle::{BattleRequest, BattleRun, BattleSource};
use crate::calibrate::{CalibrateRequest, Calibration, CampaignCalibrateRequest};
use crate::campaign::{CampaignRequest, CampaignRun};
use crate::compare::CampaignComparison;
use crate::error::Result;
use crate::inputs::{find_theatre, find_type, Inputs};
use crate::lanchester::Method;
use crate::output;
use crate::show::{BattleInputs, ShowRequest};
use crate::sweep::{SweepRequest, SweepRun};
use crate::validate::{Progress, ValidateRequest, ValidationRun};

pub use airwar_outputs::view::{shown, Shown, View};

/// `airwar counterfactuals`: the named counterfactuals.
pub fn counterfactuals() -> Shown<&'static [Counterfactual]> {
    shown(COUNTERFACTUALS, |l| json!(l), |l| text::counterfactuals(l))
}

/// The library: the built-in data and the user's aircraft files.
pub fn library(aircraft: &[PathBuf]) -> Result<Library> {
    Ok(Inputs::load(aircraft)?.library)
}

/// `airwar battles`: the built-in battles.
pub fn battles(aircraft: &[PathBuf]) -> Result<Shown<Library>> {
    let json = |l: &Library| airwar_outputs::json::battle_list(&l.battles);
    Ok(shown(library(aircraft)?, json, text::battle_list))
}

/// How `airwar sources` shows the bibliography as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourcesFormat {
    /// A table of the sources with their figure counts.
    Table,
    /// BibTeX entries.
    BibTeX,
    /// CSL-JSON items, for reference managers.
    CslJson,
}

impl SourcesFormat {
    /// The format of a front end's flags: BibTeX if asked for, then CSL-JSON, else the table.
    pub fn from_flags(bibtex: bool, csl_json: bool) -> SourcesFormat {
        match (bibtex, csl_json) {
            (true, _) => SourcesFormat::BibTeX,
            (_, true) => SourcesFormat::CslJson,
            _ => SourcesFormat::Table,
        }
    }
}

/// `airwar sources`: the bibliography of the data and the user's aircraft files; its JSON is
/// the entries, its text the `format` asked for.
pub fn sources(aircraft: &[PathBuf], format: SourcesFormat) -> Result<Shown<Bibliography>> {
    let text: fn(&Bibliography) -> String = match format {
        SourcesFormat::Table => table::bibliography_table,
        SourcesFormat::BibTeX => Bibliography::bibtex,
        SourcesFormat::CslJson => |b| format!("{:#}\n", b.csl_json()),
    };
    let bibliography = Bibliography::of(&library(aircraft)?);
    Ok(shown(bibliography, |b| json!(b.entries), text))
}

/// `airwar params`: the model parameters (the calibrated ones, or the file `params` over
/// them), their text the commented TOML.
pub fn params(params: Option<&Path>) -> Result<Shown<ModelParameters>> {
    let p = Inputs::load(&[])?.model_parameters(params)?;
    Ok(shown(p, |p| json!(p), ModelParameters::to_commented_toml))
}

/// `airwar check`: check files of any kind against the library with the user's aircraft;
/// the lines of the good files and the located errors of the others, apart.
pub fn check(aircraft: &[PathBuf], files: &[PathBuf], strict: bool) -> Result<(String, String)> {
    let checked = crate::inputs::check_files(aircraft, files, strict)?;
    Ok(text::check_results(&checked))
}

/// `airwar scenarios [ID]`: the theatres, or the one `id` names (an id or a file).
pub fn scenarios(aircraft: &[PathBuf], id: Option<&str>) -> Result<Box<dyn View>> {
    let lib = library(aircraft)?;
    Ok(match id {
        None => Box::new(shown(lib, text::theatre_list_json, text::theatre_list)),
        Some(id) => Box::new(shown(
            find_theatre(&lib, id)?.clone(),
            |t| json!(t),
            table::theatre,
        )),
    })
}

/// `airwar types [NAME]`: the aircraft types, or the one `name` names (an id or alias).
pub fn types(aircraft: &[PathBuf], name: Option<&str>) -> Result<Box<dyn View>> {
    let lib = library(aircraft)?;
    Ok(match name {
        None => Box::new(shown(
            lib.aircraft.types,
            |t| json!(t),
            |t| table::type_list(t),
        )),
        Some(n) => Box::new(shown(
            find_type(&lib, n)?.clone(),
            |t| json!(t),
            table::type_detail,
        )),
    })
}

/// `airwar show`: a battle's inputs with their citations.
pub fn show(request: &ShowRequest) -> Result<Shown<BattleInputs>> {
    let text = |s: &BattleInputs| table::battle_inputs(&s.engagement, &s.doubtful_sources);
    Ok(shown(
        crate::show::show_battle(request)?,
        |s| json!(s.engagement),
        text,
    ))
}

/// `airwar aggregation`: what a Lanchester model fitted to each battle gets wrong.
pub fn aggregation(request: &AggregationRequest) -> Result<Shown<Vec<AggregationCheck>>> {
    let checks = crate::aggregation::aggregation(request)?;
    Ok(shown(
        checks,
        |c| json!(c),
        |c| report::aggregation_table(c),
    ))
}

/// `airwar lanchester`: `battle` solved by `method` on `threads` workers (None: every core);
/// its JSON the contract, its text the same as aligned lines.
pub fn lanchester(
    battle: &LanchesterBattle,
    method: Method,
    threads: Option<usize>,
) -> Result<Shown<Value>> {
    let solution = crate::lanchester::solve(battle, method, threads)?;
    Ok(shown(solution, Value::clone, text::key_values))
}

/// `airwar battle` and `engage`: replay a battle, writing its folder to `out` if given.
pub fn battle(
    request: &BattleRequest,
    out: Option<&Path>,
    threads: Option<usize>,
    command: &str,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Shown<BattleRun>> {
    out.map(output::check_folder_target).transpose()?;
    let run = crate::run_battle(request, threads, command, progress)?;
    if let Some(dir) = out {
        output::write_folder(dir, &output::battle_folder(request, &run))?;
    }
    let text = |r: &BattleRun| {
        table::engagement(&r.engagement, &r.prepared, &r.results, r.provenance.seed)
    };
    Ok(shown(run, output::battle_json, text))
}

/// `airwar run`: a campaign, writing its folder to `out` if given; its text ends with the
/// main daily series as sparklines when `sparklines` is true.
pub fn campaign(
    request: &CampaignRequest,
    out: Option<&Path>,
    sparklines: bool,
    threads: Option<usize>,
    command: &str,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Shown<(CampaignRun, bool)>> {
    out.map(output::check_folder_target).transpose()?;
    let run = crate::run_campaign(request, threads, command, progress)?;
    if let Some(dir) = out {
        output::write_folder(dir, &output::campaign_folder(request, &run))?;
    }
    let text = |(run, sparklines): &(CampaignRun, bool)| {
        let (c, r) = (&run.campaign, &run.results);
        let mut text = campaign::totals_table(c, &run.theatre, r, run.provenance.seed);
        if *sparklines {
            text.push_str(&sparkline::campaign_sparklines(c, r, sparkline::WIDTH));
        }
        text
    };
    Ok(shown(
        (run, sparklines),
        |(r, _)| output::campaign_json(r),
        text,
    ))
}

/// `airwar compare`: the request's campaign without and with its changes or, given `battle`,
/// that built-in battle without and with the request's `set` changes (with the same runs,
/// seed, replications, parameters and aircraft); the folder goes to `out` if given.
pub fn compare(
    request: &CampaignRequest,
    battle: Option<String>,
    out: Option<&Path>,
    threads: Option<usize>,
    command: &str,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Box<dyn View>> {
    out.map(output::check_folder_target).transpose()?;
    let request = CampaignRequest {
        keep_replications: true,
        ..request.clone()
    };
    if let Some(id) = battle {
        let request = BattleRequest {
            battle: BattleSource::BuiltIn(id),
            runs: request.runs,
            inputs: request.inputs,
            replications: request.replications,
            set: request.set,
            keep_replications: true,
        };
        let c = crate::compare_battle(&request, threads, command, progress)?;
        if let Some(dir) = out {
            output::write_folder(dir, &output::battle_comparison_folder(&request, &c))?;
        }
        return Ok(Box::new(shown(
            (c, request.runs),
            |(c, runs)| output::battle_comparison_json(c, *runs),
            |(c, runs)| output::battle_effects_table(c, *runs),
        )));
    }
    let c = crate::compare_campaign(&request, threads, command, progress)?;
    if let Some(dir) = out {
        output::write_folder(dir, &output::campaign_comparison_folder(&request, &c))?;
    }
    let text = |(c, runs): &(CampaignComparison, u64)| {
        let (id, changes) = (&c.base.theatre.id, &c.changed.provenance.changes);
        campaign::effects_table(id, changes, &c.effects, *runs)
    };
    Ok(Box::new(shown(
        (c, request.runs),
        |(c, runs)| output::campaign_comparison_json(c, *runs),
        text,
    )))
}

/// `airwar validate`: the validation, with its Markdown report written to `report` if given.
pub fn validate(
    request: &ValidateRequest,
    report: Option<&Path>,
    threads: Option<usize>,
    command: &str,
    progress: &Progress,
) -> Result<Shown<ValidationRun>> {
    report.map(output::check_file_target).transpose()?;
    let run = crate::validate(request, threads, command, progress)?;
    if let Some(path) = report {
        output::write_file(path, &output::validation_report(&run))?;
    }
    let text = |r: &ValidationRun| report::validation_table(&r.validation);
    Ok(shown(run, output::validation_json, text))
}

/// `airwar calibrate`: fit the model parameters to the battles and write the file `out`.
pub fn calibrate(
    request: &CalibrateRequest,
    out: &Path,
    threads: Option<usize>,
    command: &str,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Shown<(Calibration<FitResult>, PathBuf)>> {
    output::check_file_target(out)?;
    let run = crate::calibrate(request, threads, command, progress)?;
    output::write_file(out, &run.text)?;
    Ok(shown(
        (run, out.to_path_buf()),
        |(run, out)| output::calibration_json(run, out),
        |(run, out)| text::calibration(&run.fit, out),
    ))
}

/// `airwar calibrate --campaign`: fit the campaign parameters to the theatres' totals and
/// write the file `out`.
pub fn calibrate_campaign(
    request: &CampaignCalibrateRequest,
    out: &Path,
    threads: Option<usize>,
    command: &str,
) -> Result<Shown<(Calibration<CampaignFit>, PathBuf)>> {
    output::check_file_target(out)?;
    let run = crate::calibrate_campaign(request, threads, command)?;
    output::write_file(out, &run.text)?;
    Ok(shown(
        (run, out.to_path_buf()),
        |(run, out)| output::campaign_calibration_json(run, out),
        |(run, out)| text::campaign_calibration(&run.fit, out),
    ))
}

/// `airwar sweep`: run the design and write its files to `out`; `progress` hears design
/// points done (of all).
pub fn sweep(
    request: &SweepRequest,
    out: &Path,
    threads: Option<usize>,
    command: &str,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Shown<SweepRun>> {
    output::check_folder_target(out)?;
    let run = crate::sweep::run_sweep(request, threads, command, progress)?;
    crate::sweep::write_sweep(out, &crate::sweep::sweep_files(&run)?)?;
    Ok(shown(
        run,
        crate::sweep::summary_json,
        crate::sweep::text_summary,
    ))
}

/// `airwar merge`: the shards' folders (of a sweep, or of runs or comparisons) merged into the
/// whole run's files in `out`; what was merged, in words.
pub fn merge(dirs: &[PathBuf], out: &Path, command: &str) -> Result<String> {
    output::check_folder_target(out)?;
    let sweep = dirs
        .first()
        .is_some_and(|d| crate::sweep::is_sweep_shard_folder(d));
    if sweep {
        let run = crate::sweep::merge_folders(dirs, command)?;
        crate::sweep::write_sweep(out, &crate::sweep::sweep_files(&run)?)?;
    } else {
        output::write_folder(out, &crate::shard::merge(dirs, command)?)?;
    }
    let kind = if sweep { "sweep shards" } else { "shards" };
    Ok(format!(
        "merged {} {kind} into {}",
        dirs.len(),
        out.display()
    ))
}

/// `airwar report`: run what the request asks for and write its HTML page and its figures
/// where the request says (each if given); `written` hears each thing written, in words.
pub fn report(
    request: &crate::report::ReportRequest,
    threads: Option<usize>,
    command: &str,
    progress: &(dyn Fn(u64) + Sync),
    written: &dyn Fn(String),
) -> Result<()> {
    let (out, figures) = (request.out.as_deref(), request.figures.as_deref());
    out.map(output::check_file_target).transpose()?;
    figures.map(output::check_folder_target).transpose()?;
    let report = crate::report::report(request, threads, command, progress)?;
    if let Some(dir) = figures {
        let files = crate::report::figure_files(&report)?;
        let files: Vec<(&str, &[u8])> = files.iter().map(|f| (&*f.name, &*f.bytes)).collect();
        output::write_folder_bytes(dir, &files)?;
        let n = report.figures.len();
        written(format!("wrote {n} figures to {}", dir.display()));
    }
    if let Some(path) = out {
        output::write_file(path, &report.html)?;
        written(format!("wrote {}", path.display()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::RunInputs;

    #[test]
    fn a_battle_comparison_is_the_campaign_requests_battle_with_its_changes() {
        let request = CampaignRequest {
            scenario: String::new(),
            runs: 300,
            inputs: RunInputs {
                seed: 7,
                ..RunInputs::default()
            },
            replications: None,
            set: vec!["context.warning_minutes=5".into()],
            counterfactual: None,
            keep_replications: false,
        };
        let battle = Some("wuhan-1938-04-29".to_string());
        let view = compare(&request, battle, None, Some(1), "t", &|_| {}).unwrap();
        let v = view.json();
        assert_eq!(
            (v["battle"].as_str(), v["runs"].as_u64()),
            (Some("wuhan-1938-04-29"), Some(300))
        );
        assert_eq!(v["changes"], json!(["context.warning_minutes=5"]));
        assert!(
            view.text().contains("losses of A5M"),
            "each side's figures by name"
        );
    }

    #[test]
    fn sources_show_their_entries_as_json_and_the_format_asked_for_as_text() {
        let format = SourcesFormat::from_flags;
        assert_eq!(format(false, false), SourcesFormat::Table);
        assert_eq!(format(true, true), SourcesFormat::BibTeX);
        assert_eq!(format(false, true), SourcesFormat::CslJson);
        let table = sources(&[], SourcesFormat::Table).unwrap();
        let bibtex = sources(&[], SourcesFormat::BibTeX).unwrap();
        let csl = sources(&[], SourcesFormat::CslJson).unwrap();
        assert_eq!(table.json(), bibtex.json());
        assert!(bibtex.text().starts_with("@misc{"));
        let items: Value = serde_json::from_str(&csl.text()).unwrap();
        assert_eq!(items, csl.value.csl_json());
        assert!(sources(&[PathBuf::from("missing.toml")], SourcesFormat::Table).is_err());
    }

    #[test]
    fn params_are_the_calibrated_ones_or_a_file_s_and_a_missing_file_is_an_error() {
        let p = params(None).unwrap();
        assert!(p.text().contains("lethality"));
        assert!(params(Some(Path::new("missing.toml"))).is_err());
    }

    #[test]
    fn lanchester_solves_a_valid_fight_and_refuses_an_invalid_one() {
        let battle = LanchesterBattle {
            blue: 6,
            red: 5,
            blue_rate: 1.0,
            red_rate: 1.0,
            blue_break: 0,
            red_break: 0,
        };
        let view = lanchester(&battle, Method::Exact, Some(1)).unwrap();
        assert!(view.json().is_object());
        assert!(!view.text().is_empty());
        let bad = LanchesterBattle {
            blue_rate: -1.0,
            ..battle
        };
        assert!(lanchester(&bad, Method::Exact, Some(1)).is_err());
    }

    #[test]
    fn check_parts_good_files_from_located_errors() {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("bad.toml");
        std::fs::write(&bad, "[context]\n").unwrap();
        let example = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../docs/example-engagement.toml"
        );
        let (good, errors) = check(&[], &[PathBuf::from(example), bad], false).unwrap();
        assert!(good.starts_with("ok: "), "{good}");
        assert!(errors.contains("bad.toml"), "{errors}");
        assert!(check(&[PathBuf::from("missing.toml")], &[], false).is_err());
    }

    #[test]
    fn merge_refuses_a_bad_target_before_reading_shards() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a-file");
        std::fs::write(&file, "x").unwrap();
        assert!(merge(&[dir.path().join("missing")], &file, "t").is_err());
    }
}
