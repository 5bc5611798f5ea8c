"""airwar for Python: campaigns, battles, comparisons, validation and parameter sweeps.

Every function runs the same request as the ``airwar`` command with the same seed, and gives
the same numbers: ``airwar.run("korea-1950", runs=20, seed=3).totals`` holds the ``totals``
of ``airwar run korea-1950 --runs 20 --seed 3 --json``. Results are pandas DataFrames, and
every result carries its ``provenance`` (airwar's version, the data and parameter hashes, the
call, the seed and the changes).

A sweep runs here, or on any ``concurrent.futures.Executor`` (a process pool, a
``dask.distributed.Client``, :class:`RayExecutor`): the design is cut into shards of design
points, each shard runs in a worker, and the merged result is the local one, byte for byte.
"""

from __future__ import annotations

import io
import json
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import pandas as pd

from . import _native
from ._native import AirwarError

__all__ = [
    "AirwarError",
    "BattleResult",
    "Comparison",
    "RayExecutor",
    "RunResult",
    "Sweep",
    "Validation",
    "battle",
    "compare",
    "run",
    "sweep",
    "validate",
]

__version__: str = _native.__version__

Number = Union[int, float]


def _changes(set: Optional[Mapping[str, Any]]) -> List[str]:
    """``{path: value}`` as ``PATH=VALUE`` changes (``--set``), in the mapping's order."""
    if not set:
        return []
    out = []
    for path, value in set.items():
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, float):
            text = repr(value)
        else:
            text = str(value)
        out.append(f"{path}={text}")
    return out


def _call(name: str, *args: Any, **kwargs: Any) -> str:
    """The call as written, for the provenance's ``command``."""
    words = [repr(a) for a in args]
    words += [f"{k}={v!r}" for k, v in kwargs.items() if v is not None]
    return f"airwar.{name}({', '.join(words)})"


@dataclass
class RunResult:
    """A campaign run: ``totals`` (one row per total: ``metric``, ``mean``, ``p05``, ``p95``
    and ``observed`` where history records it), ``replications`` (one row per replication,
    a column per total), ``provenance`` and the whole ``summary`` (the JSON contract)."""

    totals: pd.DataFrame
    replications: pd.DataFrame
    provenance: Dict[str, Any]
    summary: Dict[str, Any] = field(repr=False)


@dataclass
class BattleResult:
    """A battle replayed: ``totals`` (one row per side and figure: ``side``, ``metric``
    (``losses`` or ``claims``), ``mean``, ``sd``, ``se``, ``p05``, ``p50``, ``p95``),
    ``replications`` (one row per replication: the columns of ``replications.csv``),
    ``provenance`` and the whole ``summary`` (the ``battle --json`` contract)."""

    totals: pd.DataFrame
    replications: pd.DataFrame
    provenance: Dict[str, Any]
    summary: Dict[str, Any] = field(repr=False)


@dataclass
class Comparison:
    """A paired comparison on common random numbers: ``effects`` (one row per figure:
    ``metric``, ``base``, ``alternative``, the difference's mean and 95% interval,
    ``width_paired``, ``width_independent``), ``provenance`` and the whole ``summary``."""

    effects: pd.DataFrame
    provenance: Dict[str, Any]
    summary: Dict[str, Any] = field(repr=False)


@dataclass
class Validation:
    """Every observed figure beside the model's 90% interval: ``items`` (one row per figure),
    ``provenance`` and the whole ``summary`` (coverage, CRPS, skill, ...)."""

    items: pd.DataFrame
    provenance: Dict[str, Any]
    summary: Dict[str, Any] = field(repr=False)


@dataclass
class Sweep:
    """A sweep: ``results`` (the rows of ``sweep.parquet``: ``point``, ``replication``, the
    varied values, then every total), ``sensitivity`` (the rows of ``sensitivity.csv``:
    ``parameter``, ``metric``, ``S1``, ``S1_lo``, ``S1_hi``, ``ST``, ``ST_lo``, ``ST_hi``),
    ``provenance``, the ``summary`` (``summary.json``) and the ``files`` themselves, as bytes
    (:meth:`write` puts them in a folder, as ``airwar sweep --out`` does)."""

    results: pd.DataFrame
    sensitivity: pd.DataFrame
    provenance: Dict[str, Any]
    summary: Dict[str, Any] = field(repr=False)
    files: Dict[str, bytes] = field(repr=False)

    def write(self, folder: str) -> None:
        """Write ``sweep.parquet``, ``sensitivity.csv`` and ``summary.json`` into ``folder``."""
        import os

        os.makedirs(folder, exist_ok=True)
        for name, data in self.files.items():
            tmp = os.path.join(folder, f".{name}.partial")
            with open(tmp, "wb") as f:
                f.write(data)
            os.replace(tmp, os.path.join(folder, name))


def _first(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """The frame with ``columns`` first (JSON objects come with their keys sorted)."""
    first = [c for c in columns if c in frame.columns]
    return frame[first + [c for c in frame.columns if c not in first]]


def _csv(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text)) if text.strip() else pd.DataFrame()


def run(
    scenario: str = "china-1937",
    *,
    runs: int = 100,
    seed: int = 1,
    set: Optional[Mapping[str, Any]] = None,
    params: Optional[str] = None,
    threads: Optional[int] = None,
) -> RunResult:
    """Run a theatre's campaign ``runs`` times (``airwar run``).

    ``set`` changes anything ``--set`` can: ``{"params.lethality": 0.01,
    "campaign.repayment_years": 5}``; ``params`` is a model parameter file.
    """
    command = _call("run", scenario, runs=runs, seed=seed, set=dict(set) if set else None)
    text, csv = _native.run(scenario, runs, seed, _changes(set), params, threads, command)
    summary = json.loads(text)
    return RunResult(
        totals=_first(pd.DataFrame(summary["totals"]), "metric", "mean", "p05", "p95"),
        replications=_csv(csv),
        provenance=summary["provenance"],
        summary=summary,
    )


def battle(
    id_or_file: str = "wuhan-1938-04-29",
    *,
    runs: int = 50_000,
    seed: int = 1,
    set: Optional[Mapping[str, Any]] = None,
    params: Optional[str] = None,
    threads: Optional[int] = None,
) -> BattleResult:
    """Replay a built-in battle (by id) or an engagement file ``runs`` times (``airwar battle``,
    ``airwar engage``); ``set`` changes the battle's own figures or the model parameters."""
    command = _call("battle", id_or_file, runs=runs, seed=seed, set=dict(set) if set else None)
    text, csv = _native.battle(id_or_file, runs, seed, _changes(set), params, threads, command)
    summary = json.loads(text)
    rows = []
    for side in summary["sides"]:
        for metric in ("losses", "claims"):
            rows.append({"side": side["name"], "metric": metric, **side[metric]})
    return BattleResult(
        totals=pd.DataFrame(rows),
        replications=_csv(csv),
        provenance=summary["provenance"],
        summary=summary,
    )


def compare(
    scenario: Optional[str] = None,
    *,
    battle: Optional[str] = None,
    set: Optional[Mapping[str, Any]] = None,
    counterfactual: Optional[str] = None,
    runs: int = 100,
    seed: int = 1,
    params: Optional[str] = None,
    threads: Optional[int] = None,
) -> Comparison:
    """Run a campaign (or a ``battle``) as it stands and changed (``set``, or a named
    ``counterfactual``), both on the same random numbers (``airwar compare``)."""
    command = _call(
        "compare",
        scenario,
        battle=battle,
        set=dict(set) if set else None,
        counterfactual=counterfactual,
        runs=runs,
        seed=seed,
    )
    text = _native.compare(
        scenario, battle, _changes(set), counterfactual, runs, seed, params, threads, command
    )
    summary = json.loads(text)
    effects = _first(pd.json_normalize(summary["effects"], sep="_"), "metric")
    return Comparison(effects=effects, provenance=summary["provenance"], summary=summary)


def validate(
    scenario: str = "all",
    *,
    runs: int = 4000,
    seed: int = 1,
    campaign_runs: int = 50,
    params: Optional[str] = None,
    threads: Optional[int] = None,
) -> Validation:
    """Set every observed figure of a theatre's battles (``"all"``: every theatre's) and its
    campaign totals beside the model's 90% interval (``airwar validate``, in-sample)."""
    command = _call("validate", scenario, runs=runs, seed=seed, campaign_runs=campaign_runs)
    text = _native.validate(scenario, runs, seed, campaign_runs, params, threads, command)
    summary = json.loads(text)
    items = _first(pd.json_normalize(summary["items"], sep="_"), "id", "metric", "kind")
    return Validation(items=items, provenance=summary["provenance"], summary=summary)


def _vary(vary: Mapping[str, Tuple[Number, Number]]) -> List[str]:
    """``{path: (lo, hi)}`` as ``PATH=LO:HI``: two ints vary over whole numbers, as on the
    command line ``30:60`` does; floats (``0.05``, ``1.0``) over reals."""
    out = []
    for path, bounds in vary.items():
        lo, hi = bounds
        text = [repr(float(b)) if isinstance(b, float) else str(int(b)) for b in (lo, hi)]
        out.append(f"{path}={text[0]}:{text[1]}")
    return out


def _run_shard(request: str, start: int, end: int, command: str) -> str:
    """Run design points ``start..end`` (in a worker): the shard's JSON."""
    return _native.sweep_shard(request, start, end, None, command)


def _shard_ranges(points: int, shards: int) -> List[Tuple[int, int]]:
    shards = max(1, min(shards, points))
    bounds = [points * i // shards for i in range(shards + 1)]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


def _executor_workers(executor: Any) -> int:
    """How many workers an executor has, to cut the design into about four shards each."""
    for attr in ("_max_workers",):
        n = getattr(executor, attr, None)
        if isinstance(n, int) and n > 0:
            return n
    ncores = getattr(executor, "ncores", None)  # dask.distributed.Client
    if callable(ncores):
        try:
            return max(1, sum(ncores().values()))
        except Exception:  # noqa: BLE001 - a client that cannot say: assume a few workers
            return 4
    return 4


def sweep(
    scenario: Optional[str] = None,
    *,
    vary: Mapping[str, Tuple[Number, Number]],
    battle: Optional[str] = None,
    design: str = "sobol",
    points: int = 64,
    runs: int = 20,
    seed: int = 1,
    set: Optional[Mapping[str, Any]] = None,
    params: Optional[str] = None,
    executor: Any = None,
    shards: Optional[int] = None,
    threads: Optional[int] = None,
) -> Sweep:
    """Run a campaign (or a ``battle``) at every point of a design over the ``vary`` inputs
    (``airwar sweep``) and estimate each input's Sobol indices for every total.

    ``vary`` maps a ``--set`` path to its range, ``{"campaign.contact_share": (0.05, 0.15)}``
    (two ints vary over whole numbers). ``design`` is ``"sobol"`` or ``"lhs"`` (``points``
    base points, enlarged to the ``points·(k+2)`` the Saltelli/Jansen estimators need) or
    ``"grid"`` (``points`` levels a side). Each design point runs ``runs`` replications on its
    own seed, so the result does not depend on where a point ran.

    ``executor``: any ``concurrent.futures.Executor`` (``ProcessPoolExecutor``,
    :class:`RayExecutor`) or a ``dask.distributed.Client``: the design is cut into ``shards``
    ranges of design points (default: four per worker), each runs as one task, and the
    shards are merged; the result equals the local one.
    """
    if not vary:
        raise ValueError("vary names no inputs: give {path: (lo, hi)}")
    request, n = _native.sweep_request(
        scenario, battle, _vary(vary), design, points, runs, seed, _changes(set), params
    )
    command = _call(
        "sweep",
        scenario,
        battle=battle,
        vary={k: tuple(v) for k, v in vary.items()},
        design=design,
        points=points,
        runs=runs,
        seed=seed,
        set=dict(set) if set else None,
    )
    if executor is None:
        files = dict(_native.sweep_run(request, threads, command))
    else:
        ranges = _shard_ranges(n, shards or 4 * _executor_workers(executor))
        futures = [executor.submit(_run_shard, request, a, b, command) for a, b in ranges]
        results = [f.result() for f in futures]
        files = dict(_native.sweep_merge(results, command))
    summary = json.loads(files["summary.json"])
    results = pd.read_parquet(io.BytesIO(files["sweep.parquet"]))
    sensitivity = pd.read_csv(io.BytesIO(files["sensitivity.csv"]))
    return Sweep(
        results=results,
        sensitivity=sensitivity,
        provenance=summary["provenance"],
        summary=summary,
        files=files,
    )


class RayExecutor:
    """A ``concurrent.futures``-style executor on Ray: ``submit(fn, *args)`` runs ``fn`` as a
    Ray task and returns a ``Future``. Pass it to :func:`sweep` as ``executor``; Ray must be
    installed and ``ray.init()`` called (or it is called with no arguments)."""

    def __init__(self, max_workers: Optional[int] = None) -> None:
        import ray

        if not ray.is_initialized():
            ray.init()
        self._ray = ray
        self._max_workers = max_workers or int(ray.cluster_resources().get("CPU", 1))

    def submit(self, fn: Any, *args: Any, **kwargs: Any) -> Future:
        remote = self._ray.remote(fn)
        ref = remote.remote(*args, **kwargs)
        return ref.future()

    def shutdown(self, wait: bool = True) -> None:
        """Ray stays up: call ``ray.shutdown()`` when done with it."""
