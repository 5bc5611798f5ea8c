"""The Python package against the command line, and sweeps on executors against the local
sweep. The command-line binary is taken from $AIRWAR_BIN, else the repository's
target/release or target/debug (`cargo build` first); without it those tests fail."""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import shutil
import subprocess
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

import airwar

ROOT = Path(__file__).resolve().parents[2]

# A small Korean sweep: 2 inputs, 4 base points (16 design points), 3 replications each.
SWEEP = dict(
    vary={"campaign.contact_share": (0.05, 0.3), "params.lethality": (0.01, 0.03)},
    design="sobol",
    points=4,
    runs=3,
    seed=7,
)


def cli() -> str:
    env = os.environ.get("AIRWAR_BIN")
    if env:
        return env
    for profile in ("release", "debug"):
        p = ROOT / "target" / profile / "airwar"
        if p.is_file():
            return str(p)
    found = shutil.which("airwar")
    if found:
        return found
    pytest.fail("no airwar binary: set AIRWAR_BIN or run `cargo build` at the repository root")


def cli_json(*args: str) -> dict:
    out = subprocess.run([cli(), *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def local_sweep() -> airwar.Sweep:
    return airwar.sweep("korea-1950", **SWEEP)


def test_run_totals_equal_the_command_lines():
    r = airwar.run("korea-1950", runs=20, seed=3)
    expected = cli_json("run", "korea-1950", "--runs", "20", "--seed", "3", "--json")
    cli_totals = pd.DataFrame(expected["totals"])
    assert set(r.totals.columns) == set(cli_totals.columns)
    pd.testing.assert_frame_equal(r.totals, cli_totals[list(r.totals.columns)])
    assert list(r.totals.columns[:4]) == ["metric", "mean", "p05", "p95"]
    assert len(r.replications) == 20
    assert list(r.replications.columns[1:]) == list(r.totals["metric"])
    p = r.provenance
    assert p["seed"] == 3
    assert p["data_sha256"] == expected["provenance"]["data_sha256"]
    assert p["params_sha256"] == expected["provenance"]["params_sha256"]
    assert p["command"].startswith("airwar.run('korea-1950'")


def test_changes_reach_the_run_and_its_provenance():
    base = airwar.run("korea-1950", runs=10, seed=1)
    changed = airwar.run("korea-1950", runs=10, seed=1, set={"campaign.contact_share": 0.2})
    claims = lambda r: float(r.totals.set_index("metric").loc["claims", "mean"])  # noqa: E731
    assert claims(changed) > claims(base)
    assert changed.provenance["changes"] == ["campaign.contact_share=0.2"]


def test_a_battle_equals_the_command_lines():
    b = airwar.battle("wuhan-1938-04-29", runs=500, seed=2)
    expected = cli_json("battle", "wuhan-1938-04-29", "--runs", "500", "--seed", "2", "--json")
    assert b.summary["sides"] == expected["sides"]
    assert set(b.totals["metric"]) == {"losses", "claims"}
    assert len(b.totals) == 2 * len(expected["sides"])
    assert len(b.replications) == 500


def test_compare_equals_the_command_lines():
    c = airwar.compare("korea-1950", set={"campaign.contact_share": 0.12}, runs=10, seed=4)
    expected = cli_json(
        "compare", "korea-1950", "--set", "campaign.contact_share=0.12",
        "--runs", "10", "--seed", "4", "--json",
    )
    assert c.summary["effects"] == expected["effects"]
    assert "difference_mean" in c.effects.columns


def test_a_battle_comparison_equals_the_command_lines():
    change = "sides[0].forces[type=A5M].count=54"
    path, value = change.rsplit("=", 1)
    c = airwar.compare(battle="wuhan-1938-04-29", set={path: int(value)}, runs=300, seed=5)
    expected = cli_json(
        "compare", "--battle", "wuhan-1938-04-29", "--set", change,
        "--runs", "300", "--seed", "5", "--json",
    )
    assert c.summary["effects"] == expected["effects"]
    assert c.summary["battle"] == "wuhan-1938-04-29"


def test_validate_gives_items_with_provenance():
    v = airwar.validate("korea-1950", runs=200, campaign_runs=5)
    assert {"id", "metric", "observed", "inside_90"} <= set(v.items.columns)
    assert len(v.items) > 0
    assert v.provenance["seed"] == 1


def test_errors_name_the_problem():
    with pytest.raises(airwar.AirwarError, match="korea-1950"):
        airwar.run("korea-1905", runs=1)
    with pytest.raises(airwar.AirwarError, match="empty"):
        airwar.sweep("korea-1950", vary={"params.lethality": (0.3, 0.1)}, points=2, runs=1)


def test_a_sweep_has_its_rows_and_indices(local_sweep):
    s = local_sweep
    assert len(s.results) == 16 * 3
    assert list(s.results.columns[:4]) == [
        "point", "replication", "campaign.contact_share", "params.lethality",
    ]
    assert list(s.sensitivity.columns) == [
        "parameter", "metric", "S1", "S1_lo", "S1_hi", "ST", "ST_lo", "ST_hi",
    ]
    assert set(s.sensitivity["parameter"]) == set(SWEEP["vary"])
    assert s.summary["design_points"] == 16
    assert s.provenance["seed"] == 7


def test_a_sweep_equals_the_command_lines(local_sweep, tmp_path):
    subprocess.run(
        [
            cli(), "sweep", "korea-1950",
            "--vary", "campaign.contact_share=0.05:0.3",
            "--vary", "params.lethality=0.01:0.03",
            "--points", "4", "--runs", "3", "--seed", "7", "--out", str(tmp_path),
        ],
        check=True,
        capture_output=True,
    )
    for name in ("sweep.parquet", "sensitivity.csv"):
        assert (tmp_path / name).read_bytes() == local_sweep.files[name], name


def assert_same_sweep(a: airwar.Sweep, b: airwar.Sweep) -> None:
    assert a.files == b.files
    pd.testing.assert_frame_equal(a.results, b.results)
    pd.testing.assert_frame_equal(a.sensitivity, b.sensitivity)


def test_a_sweep_on_a_process_pool_equals_the_local_one(local_sweep):
    # Spawned, not forked: a forked child would inherit a copy of the parent's thread pool
    # without its threads.
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=ctx) as pool:
        s = airwar.sweep("korea-1950", executor=pool, shards=5, **SWEEP)
    assert_same_sweep(s, local_sweep)


def test_a_sweep_on_a_dask_cluster_equals_the_local_one(local_sweep):
    distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed")
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as cluster, distributed.Client(cluster) as client:
        s = airwar.sweep("korea-1950", executor=client, **SWEEP)
    assert_same_sweep(s, local_sweep)


def test_a_sweep_on_ray_equals_the_local_one(local_sweep):
    ray = pytest.importorskip("ray", reason="ray does not import here (not installed)")
    ray.init(num_cpus=2, include_dashboard=False)
    try:
        s = airwar.sweep("korea-1950", executor=airwar.RayExecutor(), **SWEEP)
    finally:
        ray.shutdown()
    assert_same_sweep(s, local_sweep)
