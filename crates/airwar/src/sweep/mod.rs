//! Use case: a sweep — a campaign or a battle run at every point of a design over some of its
//! inputs, with the Sobol sensitivity indices of every total.
//!
//! Data flow: [`SweepRequest`] → [`Design`] (the values of the varied inputs at each design
//! point) → for each point in the request's range, a [`CampaignRequest`] or
//! [`BattleRequest`] with the point's values as `--set` changes after the request's own, run
//! with `runs` replications seeded by [`point_seed`] → [`SweepRun`] (each replication's totals)
//! → [`sweep_files`]: `sweep.parquet`, `sensitivity.csv` and `summary.json`.
//!
//! Determinism: a point's replications draw from streams of `point_seed(seed, point)` alone,
//! so a point's rows do not depend on which other points ran, on the thread count, or on how
//! the design was cut into shards ([`SweepShard`], merged by [`merge`]).

pub mod design;
pub mod sensitivity;
pub mod table;

use std::path::{Path, PathBuf};

use airwar_engine::Replications;
use rand_core::RngCore;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::battle::{prepare_battle_with, run_prepared_battle, BattleRequest, BattleSource};
use crate::campaign::{prepare_campaign_with, CampaignRequest};
use crate::error::{Error, Result};
use crate::inputs::{Inputs, RunInputs};
use crate::provenance::Provenance;
use design::{Design, DesignKind, Factor, Layout};
use sensitivity::Indices;
use table::Table;

/// Stream key of design point seeds: point `p`'s replications are seeded by
/// `stream(seed ^ POINT_KEY, p).next_u64()`.
pub const POINT_KEY: u64 = 0x5EE9_0000_0000_0001;
/// The file a sweep shard writes beside its rows, for `airwar merge`.
pub const SWEEP_SHARD_FILE: &str = "sweep-shard.json";

/// The seed of design point `point`'s replications in a sweep seeded with `seed`.
pub fn point_seed(seed: u64, point: u64) -> u64 {
    airwar_model::rng::stream(seed ^ POINT_KEY, point).next_u64()
}

/// What a sweep runs at each point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SweepTarget {
    /// A theatre's campaign: a built-in id or a theatre file.
    Campaign(String),
    /// A battle: built in, or an engagement file.
    Battle(BattleSource),
}

impl SweepTarget {
    /// A theatre, or (when `battle` is given) a built-in battle by id or an engagement file
    /// (a path ending in `.toml` or naming a file).
    pub fn new(scenario: Option<String>, battle: Option<String>) -> Result<SweepTarget> {
        match (scenario, battle) {
            (_, Some(b)) => Ok(SweepTarget::Battle(battle_source(&b))),
            (Some(s), None) => Ok(SweepTarget::Campaign(s)),
            (None, None) => Err(Error::Sweep("name a scenario or a battle to sweep".into())),
        }
    }
}

/// A battle named on a command line: a file when the name ends in `.toml` or names a file,
/// otherwise a built-in battle's id.
pub fn battle_source(battle: &str) -> BattleSource {
    if battle.ends_with(".toml") || Path::new(battle).is_file() {
        BattleSource::File(PathBuf::from(battle))
    } else {
        BattleSource::BuiltIn(battle.to_string())
    }
}

/// A sweep, as asked for. Everything that decides the result is here (never the thread
/// count), so a shard's request is the whole sweep's with `points_range` set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepRequest {
    pub target: SweepTarget,
    /// The varied inputs, `PATH=LO:HI`.
    pub vary: Vec<Factor>,
    pub design: DesignKind,
    /// Base points `N` of a `sobol` or `lhs` design (it runs `N·(k+2)`), levels per input of
    /// a `grid` (it runs `N^k`).
    pub points: u64,
    /// Replications at each design point.
    pub runs: u64,
    /// The sweep's seed (each point's is derived from it), the parameter file and the user's
    /// aircraft files.
    #[serde(flatten)]
    pub inputs: RunInputs,
    /// Changes applied at every point, before the varied inputs.
    pub set: Vec<String>,
    /// Only these design points (a shard), half-open.
    pub points_range: Option<Replications>,
}

impl SweepRequest {
    /// The request with the shard's range taken out.
    pub fn whole(&self) -> SweepRequest {
        SweepRequest {
            points_range: None,
            ..self.clone()
        }
    }

    /// The design the request runs.
    pub fn design(&self) -> Result<Design> {
        Design::new(
            self.design,
            self.points,
            self.vary.clone(),
            self.inputs.seed,
        )
        .map_err(Error::Sweep)
    }

    /// The design points it runs: its range, or the whole design.
    pub fn range(&self, design: &Design) -> Result<Replications> {
        let n = design.points.len() as u64;
        let r = self
            .points_range
            .unwrap_or(Replications { start: 0, end: n });
        if r.start >= r.end || r.end > n {
            return Err(Error::Sweep(format!(
                "design points {r} are outside the design, which has {n} points (0..{n})"
            )));
        }
        let rows = (r.end - r.start).saturating_mul(self.runs);
        airwar_scenario::limits::check(
            "rows of a sweep or a shard of one",
            rows,
            airwar_scenario::limits::MAX_SWEEP_ROWS,
        )
        .map_err(|e| {
            Error::Sweep(format!(
                "{e}: run shards with fewer points (--points-range)"
            ))
        })?;
        Ok(r)
    }
}

/// One design point's replications: `(replication, totals)` in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointResult {
    pub point: u64,
    pub replications: Vec<(u64, Vec<u64>)>,
}

/// A finished sweep, or a shard of one.
#[derive(Debug, Clone)]
pub struct SweepRun {
    pub request: SweepRequest,
    pub design: Design,
    /// The totals' names (the columns of `replications.csv`).
    pub columns: Vec<String>,
    /// The points run, in design order.
    pub points: Vec<PointResult>,
    /// Of the sweep as a whole: the data and the parameters before the varied inputs; its
    /// changes are the request's own `set` followed by each `--vary` range.
    pub provenance: Provenance,
}

impl SweepRun {
    /// Whether every design point ran (a whole sweep, or merged shards).
    pub fn is_complete(&self) -> bool {
        self.points.len() == self.design.points.len()
    }
}

/// One point's request: the sweep's changes, then the point's values.
fn point_changes(request: &SweepRequest, values: &[f64]) -> Vec<String> {
    let mut set = request.set.clone();
    for (f, v) in request.vary.iter().zip(values) {
        set.push(format!("{}={}", f.path, f.text(*v)));
    }
    set
}

/// Run one design point: its totals' names and its replications. `inputs` are the sweep's,
/// loaded once (parsing the built-in data again for every point cost more than a battle's
/// replications at the point).
fn run_point(
    request: &SweepRequest,
    inputs: &Inputs,
    point: u64,
    values: &[f64],
    command: &str,
) -> Result<(Vec<String>, PointResult, Provenance)> {
    let seed = point_seed(request.inputs.seed, point);
    let set = point_changes(request, values);
    let (columns, replications, provenance) = match &request.target {
        SweepTarget::Campaign(scenario) => {
            let r = CampaignRequest {
                scenario: scenario.clone(),
                runs: request.runs,
                inputs: RunInputs {
                    seed,
                    ..request.inputs.clone()
                },
                replications: None,
                set,
                counterfactual: None,
                keep_replications: true,
            };
            let prepared = prepare_campaign_with(inputs.clone(), &r, command)?;
            // A point keeps each replication's totals, so the run's day-by-day statistics
            // are not made.
            let config = airwar_engine::RunConfig {
                runs: r.runs,
                seed: r.inputs.seed,
                threads: None,
                replications: None,
            };
            let rows = airwar_campaign::run_campaign_totals(&prepared.campaign, config, &|_| {})?;
            let columns = airwar_campaign::TOTALS
                .iter()
                .map(|t| t.to_string())
                .collect();
            (columns, rows, prepared.provenance)
        }
        SweepTarget::Battle(battle) => {
            let r = BattleRequest {
                battle: battle.clone(),
                runs: request.runs,
                inputs: RunInputs {
                    seed,
                    ..request.inputs.clone()
                },
                replications: None,
                set,
                keep_replications: true,
            };
            let prepared = prepare_battle_with(inputs.clone(), &r, command)?;
            let run = run_prepared_battle(prepared, &r, None, &|_| {})?;
            let columns = crate::compare::columns(&run);
            let rows = run
                .results
                .per_replication
                .clone()
                .unwrap_or_default()
                .into_iter()
                .map(|(i, v)| (i, v.into_iter().map(u64::from).collect()))
                .collect();
            (columns, rows, run.provenance)
        }
    };
    Ok((
        columns,
        PointResult {
            point,
            replications,
        },
        provenance,
    ))
}

/// The sweep's provenance, from the inputs as they stand before the varied values.
fn sweep_provenance(request: &SweepRequest, inputs: &Inputs, command: &str) -> Result<Provenance> {
    let mut p = match &request.target {
        SweepTarget::Campaign(scenario) => {
            let r = CampaignRequest {
                scenario: scenario.clone(),
                runs: request.runs,
                inputs: request.inputs.clone(),
                replications: None,
                set: request.set.clone(),
                counterfactual: None,
                keep_replications: false,
            };
            prepare_campaign_with(inputs.clone(), &r, command)?.provenance
        }
        SweepTarget::Battle(battle) => {
            let r = BattleRequest {
                battle: battle.clone(),
                runs: request.runs,
                inputs: request.inputs.clone(),
                replications: None,
                set: request.set.clone(),
                keep_replications: false,
            };
            prepare_battle_with(inputs.clone(), &r, command)?.provenance
        }
    };
    p.changes
        .extend(request.vary.iter().map(|f| format!("vary {f}")));
    Ok(p)
}

/// Run the request's design points: `threads` workers (None: every core), points run side by
/// side; `progress` hears how many points have finished, of how many.
pub fn run_sweep(
    request: &SweepRequest,
    threads: Option<usize>,
    command: &str,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<SweepRun> {
    if request.runs == 0 {
        return Err(Error::Sweep(
            "a sweep needs at least one run per point".into(),
        ));
    }
    let design = request.design()?;
    let range = request.range(&design)?;
    let inputs = request.inputs.load()?;
    let provenance = sweep_provenance(request, &inputs, command)?;
    let total = range.end - range.start;
    let done = std::sync::atomic::AtomicU64::new(0);
    let work = || {
        (range.start..range.end)
            .into_par_iter()
            .map(|p| {
                let r = run_point(request, &inputs, p, &design.points[p as usize], command);
                let d = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                progress(d, total);
                r
            })
            .collect::<Result<Vec<_>>>()
    };
    let results = match threads {
        Some(t) => rayon::ThreadPoolBuilder::new()
            .num_threads(t.max(1))
            .build()
            .map_err(|e| Error::Threads(e.to_string()))?
            .install(work),
        None => work(),
    }?;
    let mut columns: Option<Vec<String>> = None;
    let mut points = Vec::with_capacity(results.len());
    for (c, point, p) in results {
        match &columns {
            None => columns = Some(c),
            Some(first) if *first != c => {
                return Err(Error::Sweep(format!(
                    "design point {} reports other totals than the first ({}): a varied input changes which figures the run has",
                    point.point,
                    p.changes.join(" ")
                )))
            }
            Some(_) => {}
        }
        points.push(point);
    }
    Ok(SweepRun {
        request: request.clone(),
        design,
        columns: columns.unwrap_or_default(),
        points,
        provenance,
    })
}

/// The rows of `sweep.parquet`.
pub fn table(run: &SweepRun) -> Table {
    let mut t = Table {
        inputs: run
            .request
            .vary
            .iter()
            .map(|f| (f.path.clone(), Vec::new()))
            .collect(),
        totals: run
            .columns
            .iter()
            .map(|c| (c.clone(), Vec::new()))
            .collect(),
        metadata: vec![
            (
                "airwar.sweep".into(),
                serde_json::to_string(&run.request.whole()).unwrap_or_default(),
            ),
            (
                "airwar.provenance".into(),
                serde_json::to_string(&Provenance {
                    command: String::new(),
                    ..run.provenance.clone()
                })
                .unwrap_or_default(),
            ),
        ],
        ..Table::default()
    };
    for p in &run.points {
        let values = &run.design.points[p.point as usize];
        for (i, totals) in &p.replications {
            t.point.push(p.point as i64);
            t.replication.push(*i as i64);
            for (col, v) in t.inputs.iter_mut().zip(values) {
                col.1.push(*v);
            }
            for (col, v) in t.totals.iter_mut().zip(totals) {
                col.1.push((*v).min(i64::MAX as u64) as i64);
            }
        }
    }
    t
}

/// Every input's indices for every total, in the order (total, input).
pub fn sensitivity(run: &SweepRun) -> Vec<(String, String, Indices)> {
    let mut out = Vec::new();
    for (m, metric) in run.columns.iter().enumerate() {
        let per_point: Vec<Vec<f64>> = run
            .points
            .iter()
            .map(|p| p.replications.iter().map(|(_, v)| v[m] as f64).collect())
            .collect();
        let mut rng = sensitivity::bootstrap_stream(run.request.inputs.seed, m);
        let indices = sensitivity::indices(&per_point, run.design.layout, &mut rng);
        for (f, ix) in run.request.vary.iter().zip(indices) {
            out.push((f.path.clone(), metric.clone(), ix));
        }
    }
    out
}

/// `sensitivity.csv`: `parameter, metric, S1, S1_lo, S1_hi, ST, ST_lo, ST_hi`, a row per
/// varied input and total; empty cells where the total does not vary over the design.
pub fn sensitivity_csv(rows: &[(String, String, Indices)]) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| Error::Output(format!("sensitivity.csv: {e}"));
    w.write_record([
        "parameter",
        "metric",
        "S1",
        "S1_lo",
        "S1_hi",
        "ST",
        "ST_lo",
        "ST_hi",
    ])
    .map_err(err)?;
    let cell = |v: Option<f64>| v.map(|x| format!("{x:.6}")).unwrap_or_default();
    for (parameter, metric, ix) in rows {
        w.write_record([
            parameter.clone(),
            metric.clone(),
            cell(ix.s1),
            cell(ix.s1_lo),
            cell(ix.s1_hi),
            cell(ix.st),
            cell(ix.st_lo),
            cell(ix.st_hi),
        ])
        .map_err(err)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| Error::Output(format!("sensitivity.csv: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::Output(format!("sensitivity.csv: {e}")))
}

/// `summary.json`: what ran (target, design, inputs, sizes), how the indices were estimated,
/// and the provenance.
pub fn summary_json(run: &SweepRun) -> Value {
    let r = &run.request;
    let (target, id) = match &r.target {
        SweepTarget::Campaign(s) => ("scenario", s.clone()),
        SweepTarget::Battle(BattleSource::BuiltIn(b)) => ("battle", b.clone()),
        SweepTarget::Battle(BattleSource::File(f)) => ("battle", f.display().to_string()),
    };
    let k = r.vary.len();
    let estimator = match run.design.layout {
        Layout::Saltelli { base, .. } => format!(
            "Sobol indices by the Saltelli (S1) and Jansen (ST) estimators on each point's mean over its replications; the design of {base} base points was enlarged to the A, B and AB_i matrices the estimators need: {base}·(k+2) = {} design points for k = {k} inputs; 95% intervals are percentiles of {} bootstrap resamples of the base points",
            run.design.points.len(),
            sensitivity::RESAMPLES
        ),
        Layout::Grid { levels, .. } => format!(
            "Sobol indices by the exact variance decomposition of the full factorial ({levels}^{k} = {} points) of each point's mean over its replications; 95% intervals are percentiles of {} bootstrap resamples of each point's replications (Monte Carlo noise only)",
            run.design.points.len(),
            sensitivity::RESAMPLES
        ),
    };
    let mut v = json!({
        "kind": "sweep",
        "design": r.design.name(),
        "points": r.points,
        "design_points": run.design.points.len(),
        "points_range": r.points_range,
        "points_run": run.points.len(),
        "runs": r.runs,
        "seed": r.inputs.seed,
        "vary": r.vary,
        "set": r.set,
        "columns": run.columns,
        "rows": run.points.iter().map(|p| p.replications.len()).sum::<usize>(),
        "sensitivity": if run.is_complete() { Value::String(estimator) } else { Value::Null },
        "provenance": run.provenance,
    });
    v[target] = Value::String(id);
    v
}

/// A file of a sweep's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SweepFile {
    pub name: &'static str,
    pub bytes: Vec<u8>,
}

/// The files of a sweep's folder: `sweep.parquet` and `summary.json`; `sensitivity.csv` when
/// the whole design ran; `sweep-shard.json` when the request is a shard.
pub fn sweep_files(run: &SweepRun) -> Result<Vec<SweepFile>> {
    let mut files = vec![SweepFile {
        name: "sweep.parquet",
        bytes: table(run).to_parquet()?,
    }];
    if run.is_complete() {
        files.push(SweepFile {
            name: "sensitivity.csv",
            bytes: sensitivity_csv(&sensitivity(run))?.into_bytes(),
        });
    }
    let summary = serde_json::to_string_pretty(&summary_json(run)).unwrap_or_default() + "\n";
    files.push(SweepFile {
        name: "summary.json",
        bytes: summary.into_bytes(),
    });
    if run.request.points_range.is_some() {
        files.push(SweepFile {
            name: SWEEP_SHARD_FILE,
            bytes: shard_json(run).into_bytes(),
        });
    }
    Ok(files)
}

/// Write a sweep's files into `dir` as one set, replacing the set there (see
/// [`crate::output::write_folder`]), so a folder never pairs one sweep's rows with another's
/// indices, nor keeps a shard file beside a whole sweep.
pub fn write_sweep(dir: &Path, files: &[SweepFile]) -> Result<()> {
    let named: Vec<(&str, &[u8])> = files.iter().map(|f| (f.name, f.bytes.as_slice())).collect();
    crate::output::write_folder_bytes(dir, &named)
}

/// What a shard ran and found: enough to merge it with the other shards of its sweep.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SweepShard {
    pub request: SweepRequest,
    pub provenance: Provenance,
    pub columns: Vec<String>,
    pub points: Vec<PointResult>,
}

/// The shard's own file (JSON).
pub fn shard_json(run: &SweepRun) -> String {
    serde_json::to_string(&SweepShard {
        request: run.request.clone(),
        provenance: run.provenance.clone(),
        columns: run.columns.clone(),
        points: run.points.clone(),
    })
    .unwrap_or_default()
        + "\n"
}

/// Read a sweep shard file's text.
pub fn parse_shard(text: &str, name: &str) -> Result<SweepShard> {
    serde_json::from_str(text).map_err(|e| {
        Error::Shard(format!(
            "{name} is not a sweep shard written by airwar: {e}"
        ))
    })
}

/// Whether `dir` holds a sweep shard.
pub fn is_sweep_shard_folder(dir: &Path) -> bool {
    dir.join(SWEEP_SHARD_FILE).is_file()
}

/// Merge the shards of one sweep (named for messages) into the whole sweep: they must come
/// from one request, one version of airwar with the same data and parameters, and cover
/// every design point exactly once. `command` becomes the merged sweep's provenance command.
pub fn merge(shards: Vec<(String, SweepShard)>, command: &str) -> Result<SweepRun> {
    let Some((first_name, first)) = shards.first() else {
        return Err(Error::Shard("no sweep shards to merge".into()));
    };
    let whole = first.request.whole();
    for (name, s) in &shards[1..] {
        if s.request.whole() != whole {
            return Err(Error::Shard(format!(
                "{first_name} and {name} are shards of different sweeps (their requests differ)"
            )));
        }
        let (a, b) = (&first.provenance, &s.provenance);
        if (&a.data_sha256, &a.params_sha256, &a.version)
            != (&b.data_sha256, &b.params_sha256, &b.version)
        {
            return Err(Error::Shard(format!(
                "{first_name} and {name} ran on different data, parameters or versions of airwar"
            )));
        }
        if s.columns != first.columns {
            return Err(Error::Shard(format!(
                "{first_name} and {name} report different totals"
            )));
        }
    }
    let design = whole.design()?;
    let n = design.points.len() as u64;
    let mut points: Vec<PointResult> = Vec::with_capacity(n as usize);
    let mut names: Vec<(u64, &str)> = Vec::new();
    for (name, s) in &shards {
        let r = s
            .request
            .points_range
            .ok_or_else(|| Error::Shard(format!("{name} holds a whole sweep, not a shard")))?;
        let held: Vec<u64> = s.points.iter().map(|p| p.point).collect();
        if held != (r.start..r.end).collect::<Vec<_>>() {
            return Err(Error::Shard(format!(
                "{name} does not hold the design points {r} it names"
            )));
        }
        names.extend(held.iter().map(|p| (*p, name.as_str())));
        points.extend(s.points.iter().cloned());
    }
    points.sort_by_key(|p| p.point);
    names.sort();
    let mut next = 0;
    for w in names.windows(2) {
        if w[0].0 == w[1].0 {
            return Err(Error::Shard(format!(
                "design point {} is in both {} and {}",
                w[0].0, w[0].1, w[1].1
            )));
        }
    }
    for p in &points {
        if p.point != next {
            return Err(Error::Shard(format!("no shard holds design point {next}")));
        }
        next += 1;
    }
    if next != n {
        return Err(Error::Shard(format!(
            "no shard holds design points {next}..{n}"
        )));
    }
    // The data and parameters here must be the ones the shards ran on.
    let provenance = sweep_provenance(&whole, &whole.inputs.load()?, command)?;
    if provenance.data_sha256 != first.provenance.data_sha256
        || provenance.params_sha256 != first.provenance.params_sha256
    {
        return Err(Error::Shard(
            "the shards' data or parameter files have changed since they ran (their SHA-256 differ); merge where they ran, with the same files".into(),
        ));
    }
    Ok(SweepRun {
        request: whole,
        design,
        columns: first.columns.clone(),
        points,
        provenance,
    })
}

/// Merge the shard folders (`--points-range A..B --out DIR`) of one sweep.
pub fn merge_folders(dirs: &[PathBuf], command: &str) -> Result<SweepRun> {
    let shards = dirs
        .iter()
        .map(|d| {
            let path = d.join(SWEEP_SHARD_FILE);
            let text = std::fs::read_to_string(&path).map_err(|source| Error::Read {
                path: path.clone(),
                source,
            })?;
            let name = d.display().to_string();
            Ok((
                name.clone(),
                parse_shard(&text, &path.display().to_string())?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    merge(shards, command)
}

/// The sweep in words: what ran and, for a whole sweep, every index of the totals that vary.
pub fn text_summary(run: &SweepRun) -> String {
    use std::fmt::Write;
    let r = &run.request;
    let mut o = String::new();
    let rows: usize = run.points.iter().map(|p| p.replications.len()).sum();
    let base = match run.design.layout {
        Layout::Grid { .. } => "levels per input",
        Layout::Saltelli { .. } => "base points",
    };
    let _ = writeln!(
        o,
        "{} design of {} {base} over {} inputs: {} design points, {} replications each ({} rows run)",
        r.design.name(),
        r.points,
        r.vary.len(),
        run.design.points.len(),
        r.runs,
        rows
    );
    if !run.is_complete() {
        let range = r.points_range.map(|p| p.to_string()).unwrap_or_default();
        let _ = writeln!(
            o,
            "a shard (design points {range}): `airwar merge` its folder with the others' for the indices"
        );
        return o;
    }
    let _ = writeln!(
        o,
        "\nSobol indices: S1 first order, ST total, with 95% bootstrap intervals\n{:<38} {:<40} {:>22} {:>22}",
        "total", "input", "S1", "ST"
    );
    let f = |v: Option<f64>| v.map_or("-".to_string(), |x| format!("{x:.2}"));
    for (parameter, metric, ix) in sensitivity(run) {
        if ix.s1.is_none() {
            continue;
        }
        let _ = writeln!(
            o,
            "{metric:<38} {parameter:<40} {:>22} {:>22}",
            format!("{} [{}, {}]", f(ix.s1), f(ix.s1_lo), f(ix.s1_hi)),
            format!("{} [{}, {}]", f(ix.st), f(ix.st_lo), f(ix.st_hi)),
        );
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(design: DesignKind, points: u64, runs: u64) -> SweepRequest {
        SweepRequest {
            target: SweepTarget::Campaign("korea-1950".into()),
            vary: vec!["params.lethality=0.004:0.01".parse().unwrap()],
            design,
            points,
            runs,
            inputs: RunInputs::default(),
            set: Vec::new(),
            points_range: None,
        }
    }

    #[test]
    fn sweeps_beyond_the_limits_are_refused_before_they_run() {
        let r = request(DesignKind::Lhs, 100_000, 1_000);
        let d = r.design().unwrap();
        let e = r.range(&d).unwrap_err().to_string();
        assert!(e.contains("rows of a sweep"), "{e}");
        // A shard of the same sweep within the limit is fine.
        let shard = SweepRequest {
            points_range: Some(Replications {
                start: 0,
                end: 1_000,
            }),
            ..r
        };
        assert!(shard.range(&d).is_ok());
        let mut grid = request(DesignKind::Grid, 10_000, 1);
        grid.vary
            .push("campaign.serviceable_share=0.5:0.9".parse().unwrap());
        let e = grid
            .design()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("design points of a sweep"), "{e}");
    }

    #[test]
    fn point_seeds_differ_by_point_and_by_seed() {
        assert_ne!(point_seed(1, 0), point_seed(1, 1));
        assert_ne!(point_seed(1, 0), point_seed(2, 0));
        assert_eq!(point_seed(5, 9), point_seed(5, 9));
    }
}
