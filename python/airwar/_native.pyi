"""Type hints of airwar's native module (Rust, built by maturin). Use the functions of the
``airwar`` package; these take and give the command line's texts and files."""

from typing import List, Optional, Sequence, Tuple

__version__: str

class AirwarError(Exception):
    """An airwar run could not be done: bad input data, an unknown scenario or battle, a
    change that cannot be applied, shards that do not merge."""

def run(
    scenario: str,
    runs: int,
    seed: int,
    set: Sequence[str],
    params: Optional[str],
    threads: Optional[int],
    command: str,
) -> Tuple[str, str]:
    """A campaign run: (summary.json text, replications.csv text)."""

def battle(
    battle: str,
    runs: int,
    seed: int,
    set: Sequence[str],
    params: Optional[str],
    threads: Optional[int],
    command: str,
) -> Tuple[str, str]:
    """A battle replayed: (summary.json text, replications.csv text)."""

def compare(
    scenario: Optional[str],
    battle: Optional[str],
    set: Sequence[str],
    counterfactual: Optional[str],
    runs: int,
    seed: int,
    params: Optional[str],
    threads: Optional[int],
    command: str,
) -> str:
    """The `compare --json` text."""

def validate(
    scenario: Optional[str],
    runs: int,
    seed: int,
    campaign_runs: int,
    params: Optional[str],
    threads: Optional[int],
    command: str,
) -> str:
    """The `validate --json` text (in-sample)."""

def sweep_request(
    scenario: Optional[str],
    battle: Optional[str],
    vary: Sequence[str],
    design: str,
    points: int,
    runs: int,
    seed: int,
    set: Sequence[str],
    params: Optional[str],
) -> Tuple[str, int]:
    """A sweep's request (JSON) and how many design points it runs."""

def sweep_run(
    request: str, threads: Optional[int], command: str
) -> List[Tuple[str, bytes]]:
    """The whole sweep's files: sweep.parquet, sensitivity.csv, summary.json."""

def sweep_shard(
    request: str, start: int, end: int, threads: Optional[int], command: str
) -> str:
    """Design points start..end of a sweep: the shard's JSON."""

def sweep_merge(shards: Sequence[str], command: str) -> List[Tuple[str, bytes]]:
    """Shards merged: the whole sweep's files."""
