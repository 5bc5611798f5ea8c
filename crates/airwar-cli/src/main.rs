//! `airwar`: the command-line shell over the airwar library.
//!
//! Each subcommand parses its arguments into a request of the `airwar` crate, runs it and
//! renders the result with `airwar::output` and `airwar-outputs`. No use case lives here.

use std::{path::PathBuf, process::ExitCode};

use airwar::battle::DEFAULT_RUNS;
use airwar::commands::{self, SourcesFormat};
use airwar::lanchester::{Method, LAWS};
use airwar::validate::{CampaignFitSettings, FitSettings, Progress};
use airwar::{BattleSource, RunInputs, DEFAULT_SEED};
use airwar_engine::Replications;
use airwar_model::lanchester::LanchesterBattle;
use airwar_outputs::terminal::Replicating::{Battle, Campaign};
use airwar_outputs::terminal::{checked, fail, note, points_done, print, scored_progress};
use airwar_outputs::terminal::{show, wanted, Bar, WHEN};
use anyhow::Result;
use clap::{Args, CommandFactory, Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "airwar",
    version,
    about = "Historical air-campaign simulator: replay cited air battles many times and set the outcomes beside the record",
    after_help = "Start with `airwar battle` (replays the built-in Wuhan battle of 29 April 1938) or `airwar battles`.\n\nExit codes: 0 fine; 1 bad input (arguments, data, limits); 2 a file could not be read or written. A closed pipe ends quietly with 0. NO_COLOR is honoured (airwar writes no colour)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// An aircraft file to add to the built-in types (repeatable); its id and aliases must be
    /// new. Engagement and theatre files may also declare types in `[[aircraft]]` tables.
    #[arg(long, global = true, value_name = "FILE")]
    aircraft: Vec<PathBuf>,
    /// No progress bars (they are only ever drawn on a terminal's stderr).
    #[arg(long, global = true)]
    no_progress: bool,
    /// No progress bars and no notes on stderr; errors are still printed.
    #[arg(long, global = true)]
    quiet: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Run a theatre's campaign day by day, many times (default: china-1937).
    Run(CampaignArgs),
    /// List the named counterfactuals and the questions they answer.
    Counterfactuals(Json),
    /// Run a campaign or a battle and a changed version of it on common random numbers; report
    /// every effect.
    Compare(CompareArgs),
    /// List the built-in battles.
    Battles(Json),
    /// Replay a built-in battle many times (default: the Wuhan battle of 29 April 1938).
    Battle {
        /// Battle id, as `airwar battles` lists them.
        #[arg(default_value = "wuhan-1938-04-29")]
        id: String,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Print a battle's inputs (context, sides, forces, what history recorded), each figure
    /// with its citation and doubtful mark.
    Show {
        /// A built-in battle id (`airwar battles`) or an engagement file (a path with a `/` or
        /// ending in .toml).
        battle: String,
        /// Change a figure first, PATH=VALUE (repeatable), as for `airwar battle`.
        #[arg(long = "set")]
        set: Vec<String>,
        #[command(flatten)]
        json: Json,
    },
    /// Replay an engagement file many times.
    Engage {
        /// The engagement file (docs/format.md).
        file: PathBuf,
        #[command(flatten)]
        run: RunArgs,
    },
    /// List the theatre scenarios, or show one: forces, bases, routes, rules, timeline, totals.
    Scenarios {
        /// A theatre id (china-1937, korea-1950) or a theatre file; without it, the list.
        id: Option<String>,
        #[command(flatten)]
        json: Json,
    },
    /// List aircraft types, or show one with every citation.
    Types {
        /// A type's id or alias, e.g. "I-16 type 10"; without it, the list.
        name: Option<String>,
        #[command(flatten)]
        json: Json,
    },
    /// Check engagement files: exit 0 when good, otherwise print located errors and exit 1.
    Check {
        /// The files to check: engagement, theatre or aircraft files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Also reject figures without a citation.
        #[arg(long)]
        strict: bool,
    },
    /// Lanchester baselines: exact, Monte Carlo or deterministic.
    Lanchester(LanchesterArgs),
    /// Run a campaign (or --battle) at every point of a design over some inputs; write
    /// sweep.parquet, sensitivity.csv (Sobol indices) and summary.json.
    Sweep(SweepArgs),
    /// Merge the output folders of shards (`--replications A..B --out DIR`, or a sweep's
    /// `--points-range A..B --out DIR`) into the files of the whole run.
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
        /// A parameter file to print, completed with the defaults.
        #[arg(long)]
        params: Option<PathBuf>,
    },
    /// Set every observed figure beside the model's 90% interval; coverage and CRPS.
    Validate(ValidateArgs),
    /// Fit the global model parameters to the observed battles and write a parameter file.
    Calibrate(CalibrateArgs),
    /// Write one self-contained HTML report: a campaign's map, timeline, charts, battles and
    /// validation, or with --battle one battle's.
    Report(ReportArgs),
    /// Multi-resolution check: fit a Lanchester model to each battle and report the aggregation error.
    Aggregation {
        /// Battle ids (default: every built-in battle).
        ids: Vec<String>,
        /// Replications of each battle.
        #[arg(long, default_value_t = 4000)]
        runs: u64,
        #[command(flatten)]
        common: Common,
    },
    /// Print a shell's completion script, e.g. `airwar completions bash > ~/.local/share/bash-completion/completions/airwar`.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `airwar man > airwar.1; man ./airwar.1`.
    Man,
}

#[derive(Args)]
struct Json {
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// The arguments most commands share.
#[derive(Args)]
struct Common {
    /// Seed: the same seed gives the same output on any number of threads.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u64,
    /// Worker threads (default: every core).
    #[arg(long, value_parser = threads)]
    threads: Option<usize>,
    /// Model parameter file (TOML); see `airwar params`.
    #[arg(long)]
    params: Option<PathBuf>,
    /// Print the JSON contract instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct SweepArgs {
    /// Theatre id or file.
    #[arg(required_unless_present = "battle", conflicts_with = "battle")]
    scenario: Option<String>,
    /// Sweep a built-in battle (or, with a path ending in .toml, an engagement file) instead.
    #[arg(long)]
    battle: Option<String>,
    /// An input to vary, PATH=LO:HI (repeatable; PATH as --set takes it); bounds written
    /// without a decimal point vary over whole numbers.
    #[arg(long, required = true, value_name = "PATH=LO:HI")]
    vary: Vec<airwar::sweep::design::Factor>,
    /// sobol or lhs (N·(k+2) points, as the Sobol estimators need) or grid (N levels a side).
    #[arg(long, default_value = "sobol")]
    design: airwar::sweep::design::DesignKind,
    /// Base points of the design, N (for a grid: levels per input).
    #[arg(long, default_value_t = 64)]
    points: u64,
    /// Replications at each design point.
    #[arg(long, default_value_t = 20)]
    runs: u64,
    /// A change at every point, PATH=VALUE (repeatable).
    #[arg(long = "set")]
    set: Vec<String>,
    /// Run only design points A..B (half-open) as a shard, for `airwar merge`.
    #[arg(long, value_name = "A..B")]
    points_range: Option<Replications>,
    /// Where to write the files, all or none.
    #[arg(long)]
    out: PathBuf,
    #[command(flatten)]
    common: Common,
}

#[derive(Args)]
struct CampaignArgs {
    /// Theatre id (see `airwar scenarios`) or a theatre file.
    #[arg(default_value = "china-1937")]
    scenario: String,
    /// Replications.
    #[arg(long, default_value_t = 100)]
    runs: u64,
    #[command(flatten)]
    common: Common,
    /// Change a scenario value or parameter: PATH=VALUE (repeatable), e.g.
    /// params.lethality=0.01, campaign.repayment_years=5, routes[id=alma-ata-lanzhou].transit_days=3.
    #[arg(long = "set")]
    set: Vec<String>,
    /// Run a named counterfactual (`airwar counterfactuals`), after the --set changes.
    #[arg(long)]
    counterfactual: Option<String>,
    /// Write summary.json, totals.csv, timeseries.csv and replications.csv here, all or none.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Run only replications A..B (half-open, within --runs) as a shard; with --out the folder
    /// also gets shard.json for `airwar merge`.
    #[arg(long, value_name = "A..B")]
    replications: Option<Replications>,
    /// End with the main daily series as sparklines: auto (when stdout is a terminal and not
    /// --quiet), always or never. Never with --json.
    #[arg(long, value_parser = WHEN, default_value = "auto")]
    sparklines: String,
}

#[derive(Args)]
#[command(group(clap::ArgGroup::new("change").required(true).multiple(true).args(["counterfactual", "set"])))]
struct CompareArgs {
    /// Theatre id or file.
    #[arg(required_unless_present = "battle", conflicts_with = "battle")]
    scenario: Option<String>,
    /// Compare a built-in battle instead (its changes given with --set).
    #[arg(long, conflicts_with = "counterfactual")]
    battle: Option<String>,
    /// A named counterfactual (`airwar counterfactuals`).
    #[arg(long)]
    counterfactual: Option<String>,
    /// Changes, PATH=VALUE (repeatable): without --counterfactual, the alternative arm's; with
    /// it, made to both arms (the counterfactual is asked of the changed scenario).
    #[arg(long = "set")]
    set: Vec<String>,
    /// Replications per arm.
    #[arg(long, default_value_t = 100)]
    runs: u64,
    #[command(flatten)]
    common: Common,
    /// Run only replications A..B (half-open, within --runs) of both arms.
    #[arg(long, value_name = "A..B")]
    replications: Option<Replications>,
    /// Write summary.json, effects.csv and replications.csv here (and shard.json for a shard:
    /// `airwar merge` combines them), all or none.
    #[arg(long)]
    out: Option<PathBuf>,
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
    #[command(flatten)]
    common: Common,
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
    /// Seed, threads, base parameters (the unfitted ones are kept from here) and JSON output.
    #[command(flatten)]
    common: Common,
    /// Where to write the calibrated parameter file.
    #[arg(long, default_value = "calibrated-parameters.toml")]
    out: PathBuf,
    /// Fit the campaign model's unknown inputs (contact share, route capacity, loss
    /// replacement, operation and front-distance effects, the record's discrepancy) to the
    /// theatres' recorded totals instead (writes a campaign parameter file; the default
    /// data/campaign-parameters.toml is one).
    #[arg(long)]
    campaign: bool,
    #[command(flatten)]
    campaign_fit: CampaignFitArgs,
}

#[derive(Args)]
struct CampaignFitArgs {
    /// Campaign replications per theatre and parameter set (campaign fit).
    #[arg(long, default_value_t = 60)]
    campaign_runs: u64,
    /// Parameter sets carried through the campaign fit.
    #[arg(long, default_value_t = 128)]
    campaign_particles: usize,
    /// Metropolis moves per particle at each tempering stage of the campaign fit.
    #[arg(long, default_value_t = 2)]
    campaign_moves: usize,
}

impl CampaignFitArgs {
    fn settings(&self) -> CampaignFitSettings {
        CampaignFitSettings::new(
            self.campaign_runs,
            self.campaign_particles,
            self.campaign_moves,
        )
    }
}

#[derive(Args)]
struct RunArgs {
    /// Replications.
    #[arg(long, default_value_t = DEFAULT_RUNS)]
    runs: u64,
    #[command(flatten)]
    common: Common,
    /// Change a model parameter or a figure of the battle's file: PATH=VALUE (repeatable), e.g.
    /// params.lethality=0.01, context.warning_minutes=5, sides[0].forces[type=A5M].count=40.
    #[arg(long = "set")]
    set: Vec<String>,
    /// Write summary.json and replications.csv (one row per replication) here, all or none.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Run only replications A..B (half-open, within --runs) as a shard; with --out the folder
    /// also gets shard.json for `airwar merge`.
    #[arg(long, value_name = "A..B")]
    replications: Option<Replications>,
}

#[derive(Args)]
struct ReportArgs {
    /// Theatre id (see `airwar scenarios`) or a theatre file.
    #[arg(default_value = "china-1937", conflicts_with = "battle")]
    scenario: String,
    /// Report on this battle instead of a campaign: a built-in battle's id or an engagement
    /// file (FILE.toml).
    #[arg(long)]
    battle: Option<String>,
    /// The HTML file to write (written whole or not at all).
    #[arg(long, required_unless_present = "figures")]
    out: Option<PathBuf>,
    /// Also write every chart as SVG and PNG (with figures.json, their captions) into this
    /// folder, all or none.
    #[arg(long, value_name = "DIR")]
    figures: Option<PathBuf>,
    /// Add the rows of a validation to the forest plot: the output of `airwar validate
    /// --leave-one-out --json` (held-out intervals, which the report cannot afford to refit).
    #[arg(long, value_name = "FILE.json")]
    validation: Option<PathBuf>,
    /// Replications (default: 100 of a campaign, 50,000 of a battle).
    #[arg(long)]
    runs: Option<u64>,
    /// Replications of each of the theatre's battles in a campaign report.
    #[arg(long, default_value_t = 4000)]
    battle_runs: u64,
    /// Change a scenario value or parameter: PATH=VALUE (repeatable), as for `run` and `battle`.
    #[arg(long = "set")]
    set: Vec<String>,
    #[command(flatten)]
    common: Common,
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
    #[arg(long, value_parser = LAWS)]
    law: Option<String>,
    /// Seed of the Monte Carlo runs.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u64,
    /// Worker threads (default: every core).
    #[arg(long, value_parser = threads)]
    threads: Option<usize>,
    #[command(flatten)]
    json: Json,
}

/// Exit codes: 0 fine, 1 bad input (arguments, data, limits), 2 input or output failed.
fn main() -> ExitCode {
    match Cli::try_parse() {
        Ok(cli) => run(cli).unwrap_or_else(|e| {
            let located = e.downcast_ref().and_then(airwar::Error::located);
            ExitCode::from(fail(e.as_ref(), located.map(|l| l as _)))
        }),
        Err(e) => {
            let _ = e.print();
            ExitCode::from(u8::from(e.use_stderr()))
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    (cli.quiet || cli.no_progress).then(|| airwar_outputs::terminal::silence(!cli.quiet));
    let aircraft = cli.aircraft;
    let command = airwar::provenance::command_line(std::env::args().skip(1));
    match cli.command {
        Command::Run(a) => run_campaign(a, aircraft, &command)?,
        Command::Compare(a) => compare(a, aircraft, &command)?,
        Command::Battle { id, run } => battle(BattleSource::BuiltIn(id), run, aircraft, &command)?,
        Command::Engage { file, run } => battle(BattleSource::File(file), run, aircraft, &command)?,
        Command::Validate(a) => validate(a, aircraft, &command)?,
        Command::Calibrate(a) => calibrate(a, aircraft, &command)?,
        Command::Lanchester(a) => lanchester(a)?,
        Command::Report(a) => report(a, aircraft, &command)?,
        Command::Sweep(a) => sweep(a, aircraft, &command)?,
        Command::Counterfactuals(j) => print(j.json, &commands::counterfactuals())?,
        Command::Battles(j) => print(j.json, &commands::battles(&aircraft)?)?,
        Command::Scenarios { id, json } => {
            print(json.json, &*commands::scenarios(&aircraft, id.as_deref())?)?
        }
        Command::Types { name, json } => {
            print(json.json, &*commands::types(&aircraft, name.as_deref())?)?
        }
        Command::Show { battle, set, json } => {
            let request = airwar::show::ShowRequest::named(&battle, set, aircraft);
            print(json.json, &commands::show(&request)?)?
        }
        Command::Check { files, strict } => {
            let (good, errors) = commands::check(&aircraft, &files, strict)?;
            return Ok(ExitCode::from(checked(&good, &errors)?));
        }
        Command::Merge { dirs, out } => note(commands::merge(&dirs, &out, &command)?),
        Command::Aggregation { ids, runs, common } => {
            let request = airwar::aggregation::AggregationRequest {
                battles: ids,
                runs,
                inputs: RunInputs::new(common.seed, common.params, aircraft),
            };
            print(common.json, &commands::aggregation(&request)?)?
        }
        Command::Sources {
            bibtex,
            csl_json,
            json,
        } => {
            let format = SourcesFormat::from_flags(bibtex, csl_json);
            print(json, &commands::sources(&aircraft, format)?)?
        }
        Command::Completions { shell } => generated(Cli::command(), Some(shell))?,
        Command::Man => generated(Cli::command(), None)?,
        Command::Params { params } => print(false, &commands::params(params.as_deref())?)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `--threads`: at least 1 (leaving it out uses every core, the same everywhere).
fn threads(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("at least 1 (leave --threads out to use every core)".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("a whole number of threads, not `{text}`")),
    }
}

/// `airwar completions SHELL` (a shell given) or `airwar man`: the completion script or the
/// manual page (roff) on stdout.
fn generated(mut cli: clap::Command, shell: Option<clap_complete::Shell>) -> Result<()> {
    let mut out = Vec::new();
    match shell {
        Some(shell) => clap_complete::generate(shell, &mut cli, "airwar", &mut out),
        None => clap_mangen::Man::new(cli).render(&mut out)?,
    }
    Ok(show(&String::from_utf8_lossy(&out))?)
}

fn battle(s: BattleSource, a: RunArgs, aircraft: Vec<PathBuf>, command: &str) -> Result<()> {
    let request = airwar::BattleRequest {
        battle: s,
        runs: a.runs,
        inputs: RunInputs::new(a.common.seed, a.common.params, aircraft),
        replications: a.replications,
        set: a.set,
        keep_replications: a.out.is_some(),
    };
    let bar = Bar::new(a.replications, a.runs, 1, Battle);
    let (out, threads) = (a.out.as_deref(), a.common.threads);
    let run = commands::battle(&request, out, threads, command, &|d| bar.set(d))?;
    Ok(print(a.common.json, &run)?)
}

fn report(a: ReportArgs, aircraft: Vec<PathBuf>, command: &str) -> Result<()> {
    let request = airwar::report::ReportRequest {
        scenario: a.scenario,
        battle: a.battle,
        runs: a.runs,
        battle_runs: a.battle_runs,
        inputs: RunInputs::new(a.common.seed, a.common.params, aircraft),
        set: a.set,
        validation: a.validation,
        out: a.out,
        figures: a.figures,
    };
    let of = request.battle.as_ref().map_or(Campaign, |_| Battle);
    let bar = Bar::new(None, request.runs(), 1, of);
    commands::report(&request, a.common.threads, command, &|d| bar.set(d), &note)?;
    Ok(())
}

fn lanchester(a: LanchesterArgs) -> Result<()> {
    let battle = LanchesterBattle {
        blue: a.blue,
        red: a.red,
        blue_rate: a.blue_rate,
        red_rate: a.red_rate,
        blue_break: a.blue_break,
        red_break: a.red_break,
    };
    let method = Method::new(a.exact, a.law.as_deref(), a.runs, a.seed)?;
    let solution = commands::lanchester(&battle, method, a.threads)?;
    Ok(print(a.json.json, &solution)?)
}

fn run_campaign(a: CampaignArgs, aircraft: Vec<PathBuf>, command: &str) -> Result<()> {
    let request = airwar::CampaignRequest {
        scenario: a.scenario,
        runs: a.runs,
        inputs: RunInputs::new(a.common.seed, a.common.params, aircraft),
        replications: a.replications,
        set: a.set,
        counterfactual: a.counterfactual,
        keep_replications: a.out.is_some(),
    };
    let sparklines = wanted(&a.sparklines);
    let bar = Bar::new(a.replications, a.runs, 1, Campaign);
    let (out, threads, progress) = (a.out.as_deref(), a.common.threads, |d| bar.set(d));
    let run = commands::campaign(&request, out, sparklines, threads, command, &progress)?;
    Ok(print(a.common.json, &run)?)
}

fn sweep(a: SweepArgs, aircraft: Vec<PathBuf>, command: &str) -> Result<()> {
    let request = airwar::sweep::SweepRequest {
        target: airwar::sweep::SweepTarget::new(a.scenario, a.battle)?,
        vary: a.vary,
        design: a.design,
        points: a.points,
        runs: a.runs,
        inputs: RunInputs::new(a.common.seed, a.common.params, aircraft),
        set: a.set,
        points_range: a.points_range,
    };
    let run = commands::sweep(&request, &a.out, a.common.threads, command, &points_done)?;
    Ok(print(a.common.json, &run)?)
}

fn compare(a: CompareArgs, aircraft: Vec<PathBuf>, command: &str) -> Result<()> {
    let request = airwar::CampaignRequest {
        scenario: a.scenario.unwrap_or_default(),
        runs: a.runs,
        inputs: RunInputs::new(a.common.seed, a.common.params, aircraft),
        replications: a.replications,
        set: a.set,
        counterfactual: a.counterfactual,
        keep_replications: true,
    };
    let of = a.battle.as_ref().map_or(Campaign, |_| Battle);
    let bar = Bar::new(a.replications, a.runs, 2, of);
    let (out, threads, progress) = (a.out.as_deref(), a.common.threads, |d| bar.set(d));
    let view = commands::compare(&request, a.battle, out, threads, command, &progress)?;
    Ok(print(a.common.json, &*view)?)
}

fn validate(a: ValidateArgs, aircraft: Vec<PathBuf>, command: &str) -> Result<()> {
    let s = a.selection;
    let request = airwar::ValidateRequest {
        selection: airwar::BattleSelection::new(&s.scenario, s.battle_files, s.only_files),
        leave_one_out: a.leave_one_out,
        fit: FitSettings::new(a.fit.particles, a.fit.moves, a.fit.fit_runs),
        runs: a.runs,
        inputs: RunInputs::new(a.common.seed, a.common.params, aircraft),
        campaign_runs: a.campaign_validation_runs,
        campaign_fit: a.campaign_fit.settings(),
    };
    let progress = Progress {
        scored: &scored_progress("fitting"),
        stage: &|s| note(s),
    };
    let report = a.report.as_deref();
    let run = commands::validate(&request, report, a.common.threads, command, &progress)?;
    Ok(print(a.common.json, &run)?)
}

fn calibrate(a: CalibrateArgs, aircraft: Vec<PathBuf>, command: &str) -> Result<()> {
    let threads = a.common.threads;
    let inputs = RunInputs::new(a.common.seed, a.common.params, aircraft);
    if a.campaign {
        let request = airwar::CampaignCalibrateRequest {
            fit: a.campaign_fit.settings(),
            inputs,
        };
        let run = commands::calibrate_campaign(&request, &a.out, threads, command)?;
        return Ok(print(a.common.json, &run)?);
    }
    let s = a.selection;
    let request = airwar::CalibrateRequest {
        selection: airwar::BattleSelection::new(&s.scenario, s.battle_files, s.only_files),
        fit: FitSettings::new(a.fit.particles, a.fit.moves, a.fit.fit_runs),
        inputs,
    };
    let progress = scored_progress("calibrating");
    let run = commands::calibrate(&request, &a.out, threads, command, &progress)?;
    Ok(print(a.common.json, &run)?)
}
