//! `airwar`: the command-line shell over the airwar library.
//!
//! Each subcommand parses its arguments, loads what it needs through `airwar-scenario`, runs the
//! engine and hands the results to `airwar-outputs`. No model logic lives here.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use airwar_engine::{Replications, RunConfig};
use airwar_model::lanchester::{deterministic, LanchesterBattle, Law};
use airwar_model::ModelParameters;
use airwar_scenario::{DataErrors, Engagement, Library};
use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Replications a battle runs by default: about a second of work on one core for the built-in
/// battles.
const DEFAULT_RUNS: u64 = 50_000;
const DEFAULT_SEED: u64 = 1;

#[derive(Parser)]
#[command(
    name = "airwar",
    version,
    about = "Historical air-campaign simulator: replay cited air battles many times and set the outcomes beside the record",
    after_help = "Start with `airwar battle` (replays the built-in Wuhan battle of 29 April 1938) or `airwar battles`."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// An aircraft file to add to the built-in types (repeatable); its id and aliases must be
    /// new. Engagement and theatre files may also declare types in `[[aircraft]]` tables.
    #[arg(long, global = true, value_name = "FILE")]
    aircraft: Vec<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Run a theatre's campaign day by day, many times (default: china-1937).
    Run(CampaignArgs),
    /// List the named counterfactuals and the questions they answer.
    Counterfactuals {
        #[arg(long)]
        json: bool,
    },
    /// Run a campaign and a changed version of it on common random numbers; report every effect.
    Compare(CompareArgs),
    /// List the built-in battles.
    Battles {
        #[arg(long)]
        json: bool,
    },
    /// Replay a built-in battle many times (default: the Wuhan battle of 29 April 1938).
    Battle {
        /// Battle id, as `airwar battles` lists them.
        #[arg(default_value = "wuhan-1938-04-29")]
        id: String,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Replay an engagement file many times.
    Engage {
        file: PathBuf,
        #[command(flatten)]
        run: RunArgs,
    },
    /// List the theatre scenarios, or show one: forces, bases, routes, rules, timeline, totals.
    Scenarios {
        id: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List aircraft types, or show one with every citation.
    Types {
        name: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Check engagement files: exit 0 when good, otherwise print located errors and exit 1.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Also reject figures without a citation.
        #[arg(long)]
        strict: bool,
    },
    /// Lanchester baselines: exact, Monte Carlo or deterministic.
    Lanchester(LanchesterArgs),
    /// Merge the output folders of shards (`--replications A..B --out DIR`) into the files
    /// of the whole run.
    Merge {
        /// The shards' output folders.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Where to write the merged files.
        #[arg(long)]
        out: PathBuf,
    },
    /// The bibliography: every source the data cites, with how many figures cite it.
    Sources {
        /// Print BibTeX entries.
        #[arg(long, conflicts_with = "csl_json")]
        bibtex: bool,
        /// Print CSL-JSON items (for Zotero and other reference managers).
        #[arg(long)]
        csl_json: bool,
        /// Print the entries as JSON (id, title, url, doubtful, figures).
        #[arg(long, conflicts_with_all = ["bibtex", "csl_json"])]
        json: bool,
    },
    /// Print the model parameters (defaults, or a file's) as TOML, each with its meaning.
    Params {
        #[arg(long)]
        params: Option<PathBuf>,
    },
    /// Set every observed figure beside the model's 90% interval; coverage and CRPS.
    Validate(ValidateArgs),
    /// Fit the global model parameters to the observed battles and write a parameter file.
    Calibrate(CalibrateArgs),
    /// Multi-resolution check: fit a Lanchester model to each battle and report the aggregation error.
    Aggregation {
        /// Battle ids (default: every built-in battle).
        ids: Vec<String>,
        #[arg(long, default_value_t = 4000)]
        runs: u64,
        #[arg(long, default_value_t = DEFAULT_SEED)]
        seed: u64,
        #[arg(long)]
        params: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
struct CampaignArgs {
    /// Theatre id (see `airwar scenarios`) or a theatre file.
    #[arg(default_value = "china-1937")]
    scenario: String,
    /// Replications.
    #[arg(long, default_value_t = 100)]
    runs: u64,
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u64,
    #[arg(long)]
    threads: Option<usize>,
    /// Change a scenario value or parameter: PATH=VALUE (repeatable), e.g.
    /// params.lethality=0.01, campaign.repayment_years=5, routes[id=alma-ata-lanzhou].transit_days=3.
    #[arg(long = "set")]
    set: Vec<String>,
    /// Model parameter file.
    #[arg(long)]
    params: Option<PathBuf>,
    /// Write summary.json, totals.csv, timeseries.csv and replications.csv here, all or none.
    #[arg(long)]
    out: Option<PathBuf>,
    #[arg(long)]
    json: bool,
    /// Run only replications A..B (half-open, within --runs) as a shard; with --out the folder
    /// also gets shard.json for `airwar merge`.
    #[arg(long, value_name = "A..B")]
    replications: Option<Replications>,
}

#[derive(Args)]
#[command(group(clap::ArgGroup::new("change").required(true).args(["counterfactual", "set"])))]
struct CompareArgs {
    /// Theatre id or file.
    scenario: String,
    /// A named counterfactual (`airwar counterfactuals`).
    #[arg(long)]
    counterfactual: Option<String>,
    /// Changes for the alternative arm: PATH=VALUE (repeatable).
    #[arg(long = "set")]
    set: Vec<String>,
    #[arg(long, default_value_t = 100)]
    runs: u64,
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u64,
    #[arg(long)]
    threads: Option<usize>,
    #[arg(long)]
    params: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

/// Which battles to validate or fit.
#[derive(Args)]
struct BattleSelection {
    /// Theatre: china-1937, korea-1950 or all.
    #[arg(default_value = "all")]
    scenario: String,
    /// An engagement file to include (repeatable); files that are not built in can be validated.
    #[arg(long = "battle-file")]
    battle_files: Vec<PathBuf>,
    /// Only the files given with --battle-file, no built-in battles.
    #[arg(long)]
    only_files: bool,
}

#[derive(Args)]
struct FitArgs {
    /// Parameter sets carried through the fit.
    #[arg(long, default_value_t = 128)]
    particles: usize,
    /// Metropolis moves per particle at each tempering stage of the fit.
    #[arg(long, default_value_t = 2)]
    moves: usize,
    /// Replications of each battle for each parameter set.
    #[arg(long = "fit-runs", default_value_t = 200)]
    fit_runs: u64,
}

#[derive(Args)]
struct ValidateArgs {
    #[command(flatten)]
    selection: BattleSelection,
    /// Refit without each battle in turn and predict it (the honest measure).
    #[arg(long)]
    leave_one_out: bool,
    #[command(flatten)]
    fit: FitArgs,
    /// Replications per battle (without --leave-one-out).
    #[arg(long, default_value_t = 4000)]
    runs: u64,
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u64,
    #[arg(long)]
    threads: Option<usize>,
    #[arg(long)]
    params: Option<PathBuf>,
    #[arg(long)]
    json: bool,
    /// Write the validation report (Markdown) to this file, e.g. docs/validation.md.
    #[arg(long)]
    report: Option<PathBuf>,
    /// Campaign replications for the theatres' totals (0 leaves the totals out).
    #[arg(long = "campaign-validation-runs", default_value_t = 50)]
    campaign_validation_runs: u64,
    /// Settings of the campaign refits that leave-one-theatre-out needs where reweighting
    /// cannot be trusted.
    #[command(flatten)]
    campaign_fit: CampaignFitArgs,
}

#[derive(Args)]
struct CalibrateArgs {
    #[command(flatten)]
    selection: BattleSelection,
    #[command(flatten)]
    fit: FitArgs,
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u64,
    #[arg(long)]
    threads: Option<usize>,
    /// Base parameters (the unfitted ones are kept from here).
    #[arg(long)]
    params: Option<PathBuf>,
    /// Where to write the calibrated parameter file.
    #[arg(long, default_value = "calibrated-parameters.toml")]
    out: PathBuf,
    /// Fit the campaign model's unknown inputs (contact share, route capacity, loss
    /// replacement) to the theatres' recorded totals instead (writes a campaign parameter file;
    /// the default data/campaign-parameters.toml is one).
    #[arg(long)]
    campaign: bool,
    #[command(flatten)]
    campaign_fit: CampaignFitArgs,
}

#[derive(Args)]
struct CampaignFitArgs {
    /// Campaign replications per theatre and parameter set (campaign fit).
    #[arg(long, default_value_t = 40)]
    campaign_runs: u64,
    /// Parameter sets carried through the campaign fit.
    #[arg(long, default_value_t = 64)]
    campaign_particles: usize,
    /// Metropolis moves per particle at each tempering stage of the campaign fit.
    #[arg(long, default_value_t = 2)]
    campaign_moves: usize,
}

impl CampaignFitArgs {
    fn config(&self, seed: u64) -> airwar_calibration::campaign_fit::CampaignFitConfig {
        airwar_calibration::campaign_fit::CampaignFitConfig {
            particles: self.campaign_particles,
            moves: self.campaign_moves,
            runs: self.campaign_runs,
            seed,
        }
    }
}

#[derive(Args)]
struct RunArgs {
    /// Replications.
    #[arg(long, default_value_t = DEFAULT_RUNS)]
    runs: u64,
    /// Seed: the same seed gives the same output on any number of threads.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u64,
    /// Worker threads (default: every core).
    #[arg(long)]
    threads: Option<usize>,
    /// Model parameter file (TOML); see `airwar params`.
    #[arg(long)]
    params: Option<PathBuf>,
    /// Print the JSON contract instead of a table.
    #[arg(long)]
    json: bool,
    /// Write summary.json and replications.csv (one row per replication) here, all or none.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Run only replications A..B (half-open, within --runs) as a shard; with --out the folder
    /// also gets shard.json for `airwar merge`.
    #[arg(long, value_name = "A..B")]
    replications: Option<Replications>,
}

#[derive(Clone, Copy, ValueEnum)]
enum LawArg {
    Square,
    Linear,
}

#[derive(Args)]
#[command(group(clap::ArgGroup::new("method").required(true).args(["exact", "runs", "law"])))]
struct LanchesterArgs {
    /// Blue's aircraft.
    #[arg(long)]
    blue: u32,
    /// Red's aircraft.
    #[arg(long)]
    red: u32,
    /// Blue's kill rate per aircraft (a).
    #[arg(long)]
    blue_rate: f64,
    /// Red's kill rate per aircraft (b).
    #[arg(long)]
    red_rate: f64,
    /// Blue breaks off at this many aircraft.
    #[arg(long, default_value_t = 0)]
    blue_break: u32,
    /// Red breaks off at this many aircraft.
    #[arg(long, default_value_t = 0)]
    red_break: u32,
    /// Solve the stochastic square law exactly.
    #[arg(long)]
    exact: bool,
    /// Monte Carlo runs of the jump chain.
    #[arg(long)]
    runs: Option<u64>,
    /// Solve a deterministic law instead.
    #[arg(long, value_enum)]
    law: Option<LawArg>,
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u64,
    #[arg(long)]
    threads: Option<usize>,
    #[arg(long)]
    json: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// The built-in library with the user's aircraft files (`--aircraft`) added.
fn library(aircraft: &[PathBuf]) -> Result<Library> {
    Ok(airwar::inputs::Inputs::load(aircraft)?.library)
}

fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

fn run(cli: Cli) -> Result<ExitCode> {
    let aircraft = cli.aircraft.as_slice();
    match cli.command {
        Command::Run(args) => run_campaign(args, aircraft),
        Command::Counterfactuals { json } => {
            let list = airwar_campaign::counterfactual::COUNTERFACTUALS;
            if json {
                print_json(&serde_json::to_value(list)?)?;
            } else {
                for c in list {
                    println!(
                        "{} ({})\n  {}\n  changes: {}\n",
                        c.name,
                        c.scenario,
                        c.question,
                        c.changes.join(" ")
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Compare(args) => compare(args, aircraft),
        Command::Battles { json } => {
            let lib = library(aircraft)?;
            if json {
                print_json(&airwar_outputs::json::battle_list(&lib.battles))?;
            } else {
                for b in &lib.battles {
                    println!("{:<26} {}  {}", b.id, b.date.value, b.title);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Battle { id, run } => battle(airwar::BattleSource::BuiltIn(id), &run, aircraft),
        Command::Engage { file, run } => battle(airwar::BattleSource::File(file), &run, aircraft),
        Command::Scenarios { id, json } => {
            let lib = library(aircraft)?;
            match id {
                None if json => print_json(&serde_json::to_value(
                    lib.theatres
                        .iter()
                        .map(|t| serde_json::json!({"id": t.id, "title": t.title, "start": t.start.value, "end": t.end.value, "battles": t.battles}))
                        .collect::<Vec<_>>(),
                )?)?,
                None => {
                    for t in &lib.theatres {
                        println!("{:<12} {} to {}  {}", t.id, t.start.value, t.end.value, t.title);
                    }
                }
                Some(id) => {
                    let Some(t) = lib.theatre(&id) else {
                        let hint = did_you_mean(airwar_scenario::error::closest(&id, lib.theatres.iter().map(|t| t.id.as_str())));
                        bail!("no scenario `{id}`{hint}; `airwar scenarios` lists them");
                    };
                    if json {
                        print_json(&serde_json::to_value(t)?)?;
                    } else {
                        print!("{}", airwar_outputs::table::theatre(t));
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Types { name, json } => {
            let lib = library(aircraft)?;
            match name {
                None if json => print_json(&serde_json::to_value(&lib.aircraft.types)?)?,
                None => print!("{}", airwar_outputs::table::type_list(&lib.aircraft.types)),
                Some(n) => {
                    let Some(t) = lib.aircraft.get(&n) else {
                        let hint = did_you_mean(lib.aircraft.suggest(&n));
                        bail!("no aircraft type `{n}`{hint}; `airwar types` lists them");
                    };
                    if json {
                        print_json(&serde_json::to_value(t)?)?;
                    } else {
                        print!("{}", airwar_outputs::table::type_detail(t));
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { files, strict } => {
            let mut lib = library(aircraft)?;
            let mut failed = false;
            for file in &files {
                // Read once: pipes and /dev/stdin can be checked too.
                let text = read_text(file)?;
                let name = file.display().to_string();
                let checked = match airwar_scenario::FileKind::detect(&text) {
                    airwar_scenario::FileKind::Theatre => {
                        lib.load_theatre(&name, &text, strict).map(|t| {
                            format!(
                                "theatre {}, {} battles, {} observed totals",
                                t.id,
                                t.battles.len(),
                                t.observed.len()
                            )
                        })
                    }
                    airwar_scenario::FileKind::Aircraft => {
                        lib.add_aircraft(&name, &text, strict).map(|t| {
                            format!(
                                "aircraft type {}, {}, in service {}",
                                t.id,
                                t.role.name(),
                                t.year_in_service.value
                            )
                        })
                    }
                    airwar_scenario::FileKind::Engagement => {
                        lib.load_engagement(&name, &text, strict).map(|e| {
                            format!(
                                "{}, {} aircraft in the air, {} observed figures",
                                e.id,
                                e.airborne(),
                                e.observed.len()
                            )
                        })
                    }
                };
                match checked {
                    Ok(what) => println!("ok: {name} ({what})"),
                    Err(errors) => {
                        eprintln!("{errors}");
                        failed = true;
                    }
                }
            }
            Ok(if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Lanchester(args) => lanchester(args),
        Command::Merge { dirs, out } => {
            let files = airwar::shard::merge(&dirs, &command_line())?;
            airwar::output::write_folder(&out, &files)?;
            eprintln!("merged {} shards into {}", dirs.len(), out.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Validate(args) => validate(args, aircraft),
        Command::Calibrate(args) => calibrate(args, aircraft),
        Command::Aggregation {
            ids,
            runs,
            seed,
            params,
            json,
        } => aggregation(ids, runs, seed, params, json, aircraft),
        Command::Sources {
            bibtex,
            csl_json,
            json,
        } => {
            let lib = library(aircraft)?;
            let b = airwar_scenario::bibliography::Bibliography::of(&lib);
            if bibtex {
                print!("{}", b.bibtex());
            } else if csl_json {
                print_json(&b.csl_json())?;
            } else if json {
                print_json(&serde_json::to_value(&b.entries)?)?;
            } else {
                print!("{}", airwar_outputs::table::bibliography_table(&b));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Params { params } => {
            let p = load_params(params.as_deref())?;
            print!("{}", p.to_commented_toml());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Read and check an engagement file. The outer error is for I/O; the inner for data problems.
fn load_file(
    lib: &mut Library,
    path: &Path,
    strict: bool,
) -> Result<std::result::Result<Engagement, DataErrors>> {
    let text = read_text(path)?;
    Ok(lib.load_engagement(&path.display().to_string(), &text, strict))
}

fn load_params(path: Option<&Path>) -> Result<ModelParameters> {
    let file = match path {
        Some(p) => Some((p.display().to_string(), read_text(p)?)),
        None => None,
    };
    Ok(airwar::inputs::model_parameters(
        file.as_ref().map(|(n, t)| (n.as_str(), t.as_str())),
    )?)
}

fn progress_bar(total: u64) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() || total < 20_000 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} replications ({eta} left)")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(bar)
}

/// The command line as typed, for the provenance block: the program as `airwar`, and without
/// `--threads` (which never changes a result), so that the same run gives the same bytes on any
/// machine and thread count.
fn command_line() -> String {
    let mut words = vec!["airwar".to_string()];
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--threads" {
            args.next();
            continue;
        }
        if a.starts_with("--threads=") {
            continue;
        }
        words.push(
            if a.is_empty() || a.contains(|c: char| c.is_whitespace() || c == '\'' || c == '"') {
                format!("'{}'", a.replace('\'', "'\\''"))
            } else {
                a
            },
        );
    }
    words.join(" ")
}

/// Data errors are printed as located messages and exit 1; anything else is an error.
fn data_errors(e: airwar::Error) -> Result<ExitCode> {
    match e {
        airwar::Error::Data { errors, .. } => {
            eprintln!("{errors}");
            Ok(ExitCode::FAILURE)
        }
        e => Err(e.into()),
    }
}

fn battle(source: airwar::BattleSource, args: &RunArgs, aircraft: &[PathBuf]) -> Result<ExitCode> {
    let request = airwar::BattleRequest {
        battle: source,
        runs: args.runs,
        seed: args.seed,
        replications: args.replications,
        params: args.params.clone(),
        aircraft: aircraft.to_vec(),
        keep_replications: args.out.is_some(),
    };
    let bar = progress_bar(args.replications.map_or(args.runs, |r| r.end - r.start));
    let run = airwar::run_battle(&request, args.threads, &command_line(), &|done| {
        if let Some(b) = &bar {
            b.set_position(done);
        }
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let run = match run {
        Ok(run) => run,
        Err(e) => return data_errors(e),
    };
    if let Some(dir) = &args.out {
        let mut files = airwar::output::battle_files(&run);
        if request.replications.is_some() {
            files.push(airwar::shard::battle_shard(&request, &run));
        }
        airwar::output::write_folder(dir, &files)?;
    }
    if args.json {
        print_json(&airwar::output::battle_json(&run))?;
    } else {
        print!(
            "{}",
            airwar_outputs::table::engagement(
                &run.engagement,
                &run.prepared,
                &run.results,
                args.seed
            )
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn lanchester(a: LanchesterArgs) -> Result<ExitCode> {
    let battle = LanchesterBattle {
        blue: a.blue,
        red: a.red,
        blue_rate: a.blue_rate,
        red_rate: a.red_rate,
        blue_break: a.blue_break,
        red_break: a.red_break,
    };
    battle.validate()?;
    let value = if a.exact {
        let s = battle.exact()?;
        airwar_outputs::json::lanchester_exact(&battle, &s)
    } else if let Some(law) = a.law {
        let (law, name) = match law {
            LawArg::Square => (Law::Square, "square"),
            LawArg::Linear => (Law::Linear, "linear"),
        };
        let o = deterministic(&battle, law)?;
        airwar_outputs::json::lanchester_deterministic(&battle, name, &o)
    } else {
        let runs = a.runs.unwrap_or(0);
        let config = RunConfig {
            runs,
            seed: a.seed,
            threads: a.threads,
            replications: None,
        };
        let bar = progress_bar(runs.saturating_mul(((a.blue + a.red) as u64).max(1)) / 100);
        let r = airwar_engine::run_lanchester(&battle, config, &|_| {})?;
        drop(bar);
        airwar_outputs::json::lanchester_monte_carlo(&battle, &r, a.seed)
    };
    if a.json {
        print_json(&value)?;
    } else {
        for (k, v) in value.as_object().into_iter().flatten() {
            if k != "battle" {
                println!("{k:<18} {v}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn run_campaign(args: CampaignArgs, aircraft: &[PathBuf]) -> Result<ExitCode> {
    let request = airwar::CampaignRequest {
        scenario: args.scenario.clone(),
        runs: args.runs,
        seed: args.seed,
        replications: args.replications,
        set: args.set.clone(),
        counterfactual: None,
        params: args.params.clone(),
        aircraft: aircraft.to_vec(),
        keep_replications: args.out.is_some(),
    };
    let bar = progress_bar(
        args.replications
            .map_or(args.runs, |r| r.end - r.start)
            .saturating_mul(200),
    );
    let run = airwar::run_campaign(&request, args.threads, &command_line(), &|done| {
        if let Some(b) = &bar {
            b.set_position(done * 200);
        }
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let run = match run {
        Ok(run) => run,
        Err(e) => return data_errors(e),
    };
    if let Some(dir) = &args.out {
        let mut files = airwar::output::campaign_files(&run);
        if request.replications.is_some() {
            files.push(airwar::shard::campaign_shard(&request, &run));
        }
        airwar::output::write_folder(dir, &files)?;
    }
    if args.json {
        print_json(&airwar::output::campaign_json(&run))?;
    } else {
        print!(
            "{}",
            airwar_outputs::campaign::totals_table(
                &run.campaign,
                &run.theatre,
                &run.results,
                args.seed
            )
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn compare(args: CompareArgs, aircraft: &[PathBuf]) -> Result<ExitCode> {
    let base = airwar::CampaignRequest {
        scenario: args.scenario.clone(),
        runs: args.runs,
        seed: args.seed,
        replications: None,
        set: Vec::new(),
        counterfactual: None,
        params: args.params.clone(),
        aircraft: aircraft.to_vec(),
        keep_replications: true,
    };
    let alternative = airwar::CampaignRequest {
        set: args.set.clone(),
        counterfactual: args.counterfactual.clone(),
        ..base.clone()
    };
    let command = command_line();
    let (a, b) = match (
        airwar::run_campaign(&base, args.threads, &command, &|_| {}),
        airwar::run_campaign(&alternative, args.threads, &command, &|_| {}),
    ) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return data_errors(e),
    };
    let effects = airwar_campaign::compare::effects(&a.results, &b.results);
    let change_text = b.provenance.changes.clone();
    if args.json {
        print_json(&serde_json::json!({
            "runs": args.runs,
            "seed": args.seed,
            "scenario": a.theatre.id,
            "changes": change_text,
            "effects": effects,
            "provenance": b.provenance,
        }))?;
    } else {
        print!(
            "{}",
            airwar_outputs::campaign::effects_table(
                &a.theatre.id,
                &change_text,
                &effects,
                args.runs
            )
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The battles a validation or fit uses: built-in battles of the theatre, plus user files.
fn select_battles(lib: &mut Library, sel: &BattleSelection) -> Result<Vec<Engagement>> {
    let theatre_battles: Option<&Vec<String>> = match sel.scenario.as_str() {
        "all" => None,
        id => match lib.theatre(id) {
            Some(t) => Some(&t.battles),
            None => {
                let names: Vec<&str> = lib.theatres.iter().map(|t| t.id.as_str()).collect();
                bail!("no scenario `{id}`: expected {} or all", names.join(", "))
            }
        },
    };
    let mut battles: Vec<Engagement> = if sel.only_files {
        Vec::new()
    } else {
        lib.battles
            .iter()
            .filter(|b| theatre_battles.is_none_or(|ids| ids.contains(&b.id)))
            .filter(|b| !b.observed.is_empty())
            .cloned()
            .collect()
    };
    let mut failed = false;
    for f in &sel.battle_files {
        match load_file(lib, f, false)? {
            Ok(e) => battles.push(e),
            Err(errors) => {
                eprintln!("{errors}");
                failed = true;
            }
        }
    }
    if failed {
        bail!("a battle file has errors (above)");
    }
    if battles.is_empty() {
        bail!("no battles with observed figures to use");
    }
    Ok(battles)
}

fn fit_config(
    args: &FitArgs,
    seed: u64,
    threads: Option<usize>,
) -> airwar_calibration::fit::FitConfig {
    airwar_calibration::fit::FitConfig {
        particles: args.particles,
        moves: args.moves,
        runs: args.fit_runs,
        seed,
        threads,
    }
}

fn fit_progress(label: &'static str) -> impl Fn(usize) + Sync {
    let bar = std::io::stderr().is_terminal().then(|| {
        let b = indicatif::ProgressBar::new_spinner();
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {msg}: {pos} parameter sets scored ({elapsed})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        b.set_message(label);
        b
    });
    move |done| {
        if let Some(b) = &bar {
            b.set_position(done as u64);
        }
    }
}

fn validate(args: ValidateArgs, aircraft: &[PathBuf]) -> Result<ExitCode> {
    let mut lib = library(aircraft)?;
    let battles = select_battles(&mut lib, &args.selection)?;
    let params = load_params(args.params.as_deref())?;
    let pool = rayon_pool(args.threads)?;
    let validation = if args.leave_one_out {
        let config = fit_config(&args.fit, args.seed, args.threads);
        let fit = airwar_calibration::fit::fit(
            &battles,
            &lib.aircraft,
            &params,
            config,
            &fit_progress("fitting"),
        )?;
        pool.install(|| {
            airwar_calibration::validate::validate_leave_one_out(
                &fit,
                &battles,
                &lib.aircraft,
                &params,
                config,
                &|id, done, of| eprintln!("refitting without {id} ({done} of {of})"),
            )
        })?
    } else {
        // The battles the parameters in use were fitted to are scored in-sample.
        let fitted_to = match &args.params {
            None => airwar_calibration::record::default_parameters()?.1,
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                airwar_calibration::record::parse(&text)
                    .ok()
                    .and_then(|(_, r)| r)
            }
        }
        .map(|r| r.battles)
        .unwrap_or_default();
        pool.install(|| {
            airwar_calibration::validate::validate(
                &battles,
                &lib.aircraft,
                &params,
                args.runs,
                args.seed,
                &fitted_to,
            )
        })?
    };
    let validation = if args.campaign_validation_runs > 0 && !args.selection.only_files {
        let theatres: Vec<&airwar_scenario::Theatre> = lib
            .theatres
            .iter()
            .filter(|t| args.selection.scenario == "all" || t.id == args.selection.scenario)
            .collect();
        let (mut items, mut folds) = (Vec::new(), Vec::new());
        for t in theatres {
            let (i, f) = pool.install(|| validate_theatre(&lib, t, &params, &args))?;
            items.extend(i);
            folds.extend(f);
        }
        airwar_calibration::validate::extend(validation, items, folds)
    } else {
        validation
    };
    if let Some(path) = &args.report {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let command = format!("airwar {}", args.join(" "));
        let text = airwar_outputs::report::validation_markdown(&validation, &command);
        write_atomically(path, &text)?;
    }
    if args.json {
        print_json(&serde_json::to_value(&validation)?)?;
    } else {
        print!("{}", airwar_outputs::report::validation_table(&validation));
    }
    Ok(ExitCode::SUCCESS)
}

/// A theatre's campaign totals beside the totals history records, as validation items: with
/// the embedded posterior (in-sample), or with the theatre left out of it (--leave-one-out;
/// refitted without the theatre where PSIS says the reweighting cannot be trusted).
fn validate_theatre(
    lib: &Library,
    theatre: &airwar_scenario::Theatre,
    params: &ModelParameters,
    args: &ValidateArgs,
) -> Result<(
    Vec<airwar_calibration::validate::Item>,
    Vec<airwar_calibration::validate::FoldReport>,
)> {
    use airwar_calibration::campaign_validate::{campaign_items, held_out_parameters};
    let embedded = airwar_calibration::campaign_fit::default_campaign_parameters()?;
    let config = RunConfig {
        runs: args.campaign_validation_runs,
        seed: args.seed,
        threads: args.threads,
        replications: None,
    };
    let (cparams, fitted_here, fold) = if args.leave_one_out {
        match held_out_parameters(&embedded, &theatre.id) {
            Some((held, k, ess)) => {
                let refitted = airwar_calibration::psis::needs_refit(k, embedded.posterior.len());
                let cparams = if refitted {
                    eprintln!("refitting the campaign without {}", theatre.id);
                    let others: Vec<String> = lib
                        .theatres
                        .iter()
                        .filter(|t| t.id != theatre.id)
                        .map(|t| t.id.clone())
                        .collect();
                    airwar_calibration::campaign_fit::fit_campaign(
                        lib,
                        params,
                        &airwar_campaign::CampaignParameters::default(),
                        args.campaign_fit.config(args.seed),
                        &others,
                    )?
                    .parameters
                } else {
                    held
                };
                let fold = airwar_calibration::validate::FoldReport {
                    id: theatre.id.clone(),
                    kind: "theatre",
                    pareto_k: k,
                    effective_sample_size: ess,
                    refitted,
                };
                (cparams, false, Some(fold))
            }
            None => (embedded, false, None),
        }
    } else {
        let fitted_here = embedded
            .posterior
            .iter()
            .any(|d| d.log_likelihood.contains_key(&theatre.id));
        (embedded, fitted_here, None)
    };
    let campaign = airwar_campaign::Campaign::new(theatre, lib, params, &cparams)?;
    let results = airwar_campaign::run_campaign(&campaign, config, false, &|_| {})?;
    Ok((
        campaign_items(&campaign, theatre, &results, fitted_here),
        fold.into_iter().collect(),
    ))
}

fn calibrate(args: CalibrateArgs, aircraft: &[PathBuf]) -> Result<ExitCode> {
    let mut lib = library(aircraft)?;
    if args.campaign {
        let params = load_params(args.params.as_deref())?;
        let pool = rayon_pool(args.threads)?;
        let fit = pool.install(|| {
            airwar_calibration::campaign_fit::fit_campaign(
                &lib,
                &params,
                &airwar_campaign::CampaignParameters::default(),
                args.campaign_fit.config(args.seed),
                &[],
            )
        })?;
        write_atomically(&args.out, &airwar_calibration::campaign_fit::to_toml(&fit)?)?;
        println!(
            "fitted {} campaign parameters to {} theatres; wrote {}",
            fit.record.ranges.len(),
            fit.record.theatres.len(),
            args.out.display()
        );
        for (name, r) in &fit.record.ranges {
            println!(
                "  {name:<34} {:>9.4}  [{:.4} - {:.4}]",
                r.mean, r.p05, r.p95
            );
        }
        println!("\neach theatre predicted from the fit to the others (PSIS reweighting):");
        for t in 0..fit.theatre_ids.len() {
            let fold = fit.fold(t);
            println!(
                "  {:<12} Pareto k {:.2}, effective draws {:.1}{}",
                fold.theatre,
                fold.pareto_k,
                fold.effective_sample_size,
                if fold.needs_refit {
                    " (not to be trusted: `airwar validate --leave-one-out` refits)"
                } else {
                    ""
                }
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let battles = select_battles(&mut lib, &args.selection)?;
    let base = load_params(args.params.as_deref())?;
    let fit = airwar_calibration::fit::fit(
        &battles,
        &lib.aircraft,
        &base,
        fit_config(&args.fit, args.seed, args.threads),
        &fit_progress("calibrating"),
    )?;
    let record = airwar_calibration::record::CalibrationRecord::from_fit(&fit);
    let text = airwar_calibration::record::to_toml(&fit.parameters, &record);
    write_atomically(&args.out, &text)?;
    println!(
        "fitted {} parameters to {} battles ({} particles, {} tempering stages, {} moves each, {:.0}% accepted; {} runs per battle)",
        fit.ranges.len(),
        battles.len(),
        args.fit.particles,
        fit.stages,
        args.fit.moves,
        100.0 * fit.acceptance,
        args.fit.fit_runs
    );
    for (name, r) in &fit.ranges {
        println!(
            "  {name:<24} {:>9.4}  [{:.4} - {:.4}]",
            r.mean, r.p05, r.p95
        );
    }
    println!("wrote {}", args.out.display());
    Ok(ExitCode::SUCCESS)
}

fn aggregation(
    ids: Vec<String>,
    runs: u64,
    seed: u64,
    params: Option<PathBuf>,
    json: bool,
    aircraft: &[PathBuf],
) -> Result<ExitCode> {
    let lib = library(aircraft)?;
    let params = load_params(params.as_deref())?;
    let battles: Vec<&Engagement> = if ids.is_empty() {
        lib.battles.iter().collect()
    } else {
        ids.iter()
            .map(|id| {
                lib.battle(id).ok_or_else(|| {
                    anyhow!("no built-in battle `{id}`; `airwar battles` lists them")
                })
            })
            .collect::<Result<_>>()?
    };
    let checks = battles
        .iter()
        .filter(|b| b.sides.iter().all(|s| s.airborne() > 0))
        .map(|b| airwar_calibration::aggregation::check(b, &lib.aircraft, &params, runs, seed))
        .collect::<Result<Vec<_>, _>>()?;
    if json {
        print_json(&serde_json::to_value(&checks)?)?;
    } else {
        print!("{}", airwar_outputs::report::aggregation_table(&checks));
    }
    Ok(ExitCode::SUCCESS)
}

fn rayon_pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| anyhow!("could not start worker threads: {e}"))
}

/// Write a whole file or nothing: write beside it, then rename over it.
fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| anyhow!("{} is not a file name", path.display()))?;
    let tmp = dir.join(format!(".{}.partial", name.to_string_lossy()));
    std::fs::write(&tmp, text).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// " (did you mean `X`?)" when there is a close name, else nothing.
fn did_you_mean(closest: Option<&str>) -> String {
    closest
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}

fn print_json(v: &serde_json::Value) -> Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, v)?;
    writeln!(out)?;
    Ok(())
}
