//! `airwar._native`: the `airwar` crate's use cases for Python. Each function takes plain
//! values, runs the same request the command line would (with the GIL released), and gives
//! back the same texts and files the command writes: JSON, CSV and Parquet bytes. The
//! Python package (`airwar/__init__.py`) turns them into pandas DataFrames.

use std::path::PathBuf;

use airwar::sweep::{battle_source, SweepRequest, SweepShard, SweepTarget};
use airwar::{BattleRequest, CampaignRequest, RunInputs};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

create_exception!(
    _native,
    AirwarError,
    PyException,
    "An airwar run could not be done: bad input data, an unknown scenario or battle, a change that cannot be applied, shards that do not merge."
);

fn err(e: airwar::Error) -> PyErr {
    AirwarError::new_err(e.to_string())
}

fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default() + "\n"
}

/// Run a campaign: `(summary.json text, replications.csv text)`.
#[pyfunction]
#[pyo3(signature = (scenario, runs, seed, set, params, threads, command))]
#[allow(clippy::too_many_arguments)]
fn run(
    py: Python<'_>,
    scenario: String,
    runs: u64,
    seed: u64,
    set: Vec<String>,
    params: Option<PathBuf>,
    threads: Option<usize>,
    command: String,
) -> PyResult<(String, String)> {
    let request = CampaignRequest {
        scenario,
        runs,
        inputs: RunInputs::new(seed, params, Vec::new()),
        replications: None,
        set,
        counterfactual: None,
        keep_replications: true,
    };
    py.allow_threads(|| {
        let run = airwar::run_campaign(&request, threads, &command, &|_| {}).map_err(err)?;
        Ok((
            pretty(&airwar::output::campaign_json(&run)),
            airwar_outputs::campaign::replications_csv(&run.results),
        ))
    })
}

/// Replay a battle: `(summary.json text, replications.csv text)`.
#[pyfunction]
#[pyo3(signature = (battle, runs, seed, set, params, threads, command))]
#[allow(clippy::too_many_arguments)]
fn battle(
    py: Python<'_>,
    battle: String,
    runs: u64,
    seed: u64,
    set: Vec<String>,
    params: Option<PathBuf>,
    threads: Option<usize>,
    command: String,
) -> PyResult<(String, String)> {
    let request = BattleRequest {
        battle: battle_source(&battle),
        runs,
        inputs: RunInputs::new(seed, params, Vec::new()),
        replications: None,
        set,
        keep_replications: true,
    };
    py.allow_threads(|| {
        let run = airwar::run_battle(&request, threads, &command, &|_| {}).map_err(err)?;
        let files = airwar::output::battle_files(&run);
        let csv = files
            .iter()
            .find(|f| f.name == "replications.csv")
            .map(|f| f.text.clone())
            .unwrap_or_default();
        Ok((pretty(&airwar::output::battle_json(&run)), csv))
    })
}

/// Compare a campaign (or a battle) without and with changes: the `compare --json` text.
#[pyfunction]
#[pyo3(signature = (scenario, battle, set, counterfactual, runs, seed, params, threads, command))]
#[allow(clippy::too_many_arguments)]
fn compare(
    py: Python<'_>,
    scenario: Option<String>,
    battle: Option<String>,
    set: Vec<String>,
    counterfactual: Option<String>,
    runs: u64,
    seed: u64,
    params: Option<PathBuf>,
    threads: Option<usize>,
    command: String,
) -> PyResult<String> {
    py.allow_threads(|| match (scenario, battle) {
        (_, Some(b)) => {
            let request = BattleRequest {
                battle: battle_source(&b),
                runs,
                inputs: RunInputs::new(seed, params, Vec::new()),
                replications: None,
                set,
                keep_replications: true,
            };
            let c = airwar::compare_battle(&request, threads, &command, &|_| {}).map_err(err)?;
            Ok(pretty(&airwar::output::battle_comparison_json(&c, runs)))
        }
        (Some(s), None) => {
            let request = CampaignRequest {
                scenario: s,
                runs,
                inputs: RunInputs::new(seed, params, Vec::new()),
                replications: None,
                set,
                counterfactual,
                keep_replications: true,
            };
            let c = airwar::compare_campaign(&request, threads, &command, &|_| {}).map_err(err)?;
            Ok(pretty(&airwar::output::campaign_comparison_json(&c, runs)))
        }
        (None, None) => Err(AirwarError::new_err(
            "name a scenario or a battle to compare",
        )),
    })
}

/// Every observed figure beside the model's 90% interval: the `validate --json` text.
#[pyfunction]
#[pyo3(signature = (scenario, runs, seed, campaign_runs, params, threads, command))]
#[allow(clippy::too_many_arguments)]
fn validate(
    py: Python<'_>,
    scenario: Option<String>,
    runs: u64,
    seed: u64,
    campaign_runs: u64,
    params: Option<PathBuf>,
    threads: Option<usize>,
    command: String,
) -> PyResult<String> {
    use airwar::validate::{BattleSelection, CampaignFitSettings, FitSettings, Progress};
    let request = airwar::ValidateRequest {
        selection: BattleSelection::new(scenario.as_deref().unwrap_or("all"), Vec::new(), false),
        leave_one_out: false,
        fit: FitSettings::new(128, 2, 200),
        runs,
        inputs: RunInputs::new(seed, params, Vec::new()),
        campaign_runs,
        campaign_fit: CampaignFitSettings::new(40, 64, 2),
    };
    py.allow_threads(|| {
        let run =
            airwar::validate(&request, threads, &command, &Progress::silent()).map_err(err)?;
        Ok(pretty(&airwar::output::validation_json(&run)))
    })
}

/// A sweep's request as JSON, from the values `airwar sweep` takes (each `vary` item is
/// `PATH=LO:HI`); Python keeps it and hands it back to run the sweep or its shards.
#[pyfunction]
#[pyo3(signature = (scenario, battle, vary, design, points, runs, seed, set, params))]
#[allow(clippy::too_many_arguments)]
fn sweep_request(
    scenario: Option<String>,
    battle: Option<String>,
    vary: Vec<String>,
    design: String,
    points: u64,
    runs: u64,
    seed: u64,
    set: Vec<String>,
    params: Option<PathBuf>,
) -> PyResult<(String, u64)> {
    let target = SweepTarget::new(scenario, battle).map_err(err)?;
    let vary = vary
        .iter()
        .map(|v| v.parse().map_err(AirwarError::new_err))
        .collect::<PyResult<Vec<_>>>()?;
    let request = SweepRequest {
        target,
        vary,
        design: design.parse().map_err(AirwarError::new_err)?,
        points,
        runs,
        inputs: RunInputs::new(seed, params, Vec::new()),
        set,
        points_range: None,
    };
    let n = request.design().map_err(err)?.points.len() as u64;
    Ok((serde_json::to_string(&request).unwrap_or_default(), n))
}

fn parse_request(request: &str) -> PyResult<SweepRequest> {
    serde_json::from_str(request)
        .map_err(|e| AirwarError::new_err(format!("not a sweep request made by airwar: {e}")))
}

fn files<'py>(
    py: Python<'py>,
    files: Vec<airwar::sweep::SweepFile>,
) -> Vec<(String, Bound<'py, PyBytes>)> {
    files
        .into_iter()
        .map(|f| (f.name.to_string(), PyBytes::new(py, &f.bytes)))
        .collect()
}

/// Run a whole sweep here: its files, `[(name, bytes)]` (`sweep.parquet`,
/// `sensitivity.csv`, `summary.json`).
#[pyfunction]
#[pyo3(signature = (request, threads, command))]
fn sweep_run<'py>(
    py: Python<'py>,
    request: String,
    threads: Option<usize>,
    command: String,
) -> PyResult<Vec<(String, Bound<'py, PyBytes>)>> {
    let request = parse_request(&request)?;
    let out = py.allow_threads(|| {
        let run = airwar::sweep::run_sweep(&request, threads, &command, &|_, _| {})?;
        airwar::sweep::sweep_files(&run)
    });
    Ok(files(py, out.map_err(err)?))
}

/// Run design points `start..end` of a sweep: the shard's JSON, to merge.
#[pyfunction]
#[pyo3(signature = (request, start, end, threads, command))]
fn sweep_shard(
    py: Python<'_>,
    request: String,
    start: u64,
    end: u64,
    threads: Option<usize>,
    command: String,
) -> PyResult<String> {
    let request = SweepRequest {
        points_range: Some(airwar_engine::Replications { start, end }),
        ..parse_request(&request)?
    };
    py.allow_threads(|| {
        let run = airwar::sweep::run_sweep(&request, threads, &command, &|_, _| {})?;
        Ok(airwar::sweep::shard_json(&run))
    })
    .map_err(err)
}

/// Merge shards' JSON into the whole sweep's files, `[(name, bytes)]`.
#[pyfunction]
#[pyo3(signature = (shards, command))]
fn sweep_merge<'py>(
    py: Python<'py>,
    shards: Vec<String>,
    command: String,
) -> PyResult<Vec<(String, Bound<'py, PyBytes>)>> {
    let out = py.allow_threads(|| {
        let shards = shards
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let name = format!("shard {i}");
                let shard: SweepShard = airwar::sweep::parse_shard(s, &name)?;
                Ok((name, shard))
            })
            .collect::<airwar::Result<Vec<_>>>()?;
        let run = airwar::sweep::merge(shards, &command)?;
        airwar::sweep::sweep_files(&run)
    });
    Ok(files(py, out.map_err(err)?))
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("AirwarError", m.py().get_type::<AirwarError>())?;
    m.add("__version__", airwar::provenance::VERSION)?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(battle, m)?)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_request, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_run, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_shard, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_merge, m)?)?;
    Ok(())
}
