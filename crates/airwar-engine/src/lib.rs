//! # airwar-engine: the Monte Carlo runner
//!
//! Runs replications of a model in parallel and streams their statistics.
//!
//! Replication `i` always draws from [`airwar_model::rng::stream`]`(seed, i)`. Replications are
//! cut into blocks whose size depends on the number of runs alone ([`block_size`], never on the
//! thread count); blocks fold their outcomes into accumulators of [`CountSummary`]s (one per
//! piece of work a thread takes, not one per block), and accumulators are merged by adding
//! integers.
//! So a run's statistics, and every byte printed from them, are the same on any number of
//! threads, and memory does not grow with the number of replications.

pub mod engagement;
pub mod lanchester;

use std::sync::atomic::{AtomicU64, Ordering};

use airwar_model::rng::{stream, ModelRng};
use rayon::prelude::*;

pub use engagement::{
    replication_columns, run_engagement, run_engagement_keeping, EngagementResults, ForceResult,
    SideResult, TypeResult,
};
pub use lanchester::{run_lanchester, LanchesterResults};

/// Most replications per block: the unit of parallel work and of progress reports.
pub const BLOCK: u64 = 256;

/// Replications per block for a run of `runs`: at most [`BLOCK`], and small enough that a short
/// run of expensive replications (a campaign) still spreads over the cores. It depends on
/// `runs` alone, never on the thread count.
pub fn block_size(runs: u64) -> u64 {
    (runs / 32).clamp(1, BLOCK)
}

/// How many replications, from which seed, on how many threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunConfig {
    pub runs: u64,
    pub seed: u64,
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
    /// Run only these replications of the `runs` (a shard); `None` runs them all. Each
    /// replication keeps its own stream, so shards merged by addition give the whole run.
    pub replications: Option<Replications>,
}

/// The half-open range of replication indices `start..end` a shard runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Replications {
    pub start: u64,
    pub end: u64,
}

impl std::fmt::Display for Replications {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl std::str::FromStr for Replications {
    type Err = String;
    /// `A..B`, half-open, as `--replications` takes it.
    fn from_str(s: &str) -> Result<Self, String> {
        let (a, b) = s
            .split_once("..")
            .ok_or_else(|| format!("expected A..B (half-open, e.g. 0..250), found `{s}`"))?;
        let num = |t: &str| {
            t.trim()
                .parse::<u64>()
                .map_err(|_| format!("expected a whole number of 0 or more, found `{t}` in `{s}`"))
        };
        let r = Replications {
            start: num(a)?,
            end: num(b)?,
        };
        if r.start >= r.end {
            return Err(format!("`{s}` is empty: the end must be above the start"));
        }
        Ok(r)
    }
}

impl RunConfig {
    /// Every replication of `runs`, on every core.
    pub fn new(runs: u64, seed: u64, threads: Option<usize>) -> Self {
        RunConfig {
            runs,
            seed,
            threads,
            replications: None,
        }
    }

    /// The replication indices this run covers.
    pub fn range(&self) -> std::ops::Range<u64> {
        match self.replications {
            Some(r) => r.start..r.end,
            None => 0..self.runs,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("could not start {threads} worker threads: {source}")]
    Threads {
        threads: usize,
        source: rayon::ThreadPoolBuildError,
    },
    #[error("--runs must be at least 1")]
    NoRuns,
    #[error(
        "{runs} replications is above the limit of {limit} for one run (docs/limits.md); \
         split the work into shards with --replications A..B"
    )]
    TooManyRuns { runs: u64, limit: u64 },
    #[error("replications {range} are not within the {runs} runs (0..{runs})")]
    ShardOutside { range: Replications, runs: u64 },
}

/// Something that folds replications' outcomes and merges with another of its kind.
pub trait Accumulator: Send {
    fn merge(&mut self, other: Self);
}

/// Run `config.runs` replications. `make` builds an empty accumulator (and per-thread scratch
/// state), `step` runs replication `i` with its stream and folds it in; `progress` is told how
/// many replications have finished, after each block.
pub fn run_replications<A, S, M, F>(
    config: RunConfig,
    make: M,
    step: F,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<A, EngineError>
where
    A: Accumulator,
    S: Send,
    M: Fn() -> (A, S) + Sync,
    F: Fn(&mut A, &mut S, &mut ModelRng, u64) + Sync,
{
    run_blocks(
        config,
        make,
        |(acc, scratch), range| {
            for i in range {
                let mut rng = stream(config.seed, i);
                step(acc, scratch, &mut rng, i);
            }
        },
        progress,
    )
    .map(|(acc, _)| acc)
}

/// Like [`run_replications`], but `block` runs a whole block of replication indices at once
/// (each index must still draw from `stream(seed, i)`), for models that interleave
/// replications.
pub fn run_block_replications<A, M, F>(
    config: RunConfig,
    make: M,
    block: F,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<A, EngineError>
where
    A: Accumulator,
    M: Fn() -> A + Sync,
    F: Fn(&mut A, std::ops::Range<u64>) + Sync,
{
    run_blocks(
        config,
        || (make(), ()),
        |(acc, _), range| block(acc, range),
        progress,
    )
    .map(|(acc, _)| acc)
}

impl<A: Accumulator, S: Send> Accumulator for (A, S) {
    fn merge(&mut self, other: Self) {
        self.0.merge(other.0);
    }
}

fn run_blocks<T, M, F>(
    config: RunConfig,
    make: M,
    block: F,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<T, EngineError>
where
    T: Accumulator,
    M: Fn() -> T + Sync,
    F: Fn(&mut T, std::ops::Range<u64>) + Sync,
{
    if config.runs == 0 {
        return Err(EngineError::NoRuns);
    }
    if config.runs > airwar_scenario::limits::MAX_RUNS {
        return Err(EngineError::TooManyRuns {
            runs: config.runs,
            limit: airwar_scenario::limits::MAX_RUNS,
        });
    }
    let wanted = config.range();
    if let Some(range) = config.replications {
        if range.start >= range.end || range.end > config.runs {
            return Err(EngineError::ShardOutside {
                range,
                runs: config.runs,
            });
        }
    }
    // Blocks are cut from the whole run, so a shard's blocks are the whole run's blocks,
    // clipped to the shard.
    let size = block_size(config.runs);
    let first_block = wanted.start / size;
    let blocks = wanted.end.div_ceil(size);
    let done = AtomicU64::new(0);
    // Each piece of work rayon hands a thread folds its blocks into one accumulator (and one
    // scratch), rather than building a fresh one per block: a campaign's accumulator holds a
    // histogram per day and series, and building and merging one per block cost about as much
    // as a replication. Merging adds integers, so the grouping never changes the result.
    let work = || {
        (first_block..blocks)
            .into_par_iter()
            .fold(&make, |mut acc, b| {
                let start = (b * size).max(wanted.start);
                let end = (b * size + size).min(wanted.end);
                block(&mut acc, start..end);
                let finished = done.fetch_add(end - start, Ordering::Relaxed) + (end - start);
                progress(finished);
                acc
            })
            .reduce_with(|mut a, b| {
                a.merge(b);
                a
            })
    };
    let result = match config.threads {
        Some(threads) => rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .build()
            .map_err(|source| EngineError::Threads { threads, source })?
            .install(work),
        None => work(),
    };
    // blocks >= 1, so reduce_with always has an item.
    Ok(result.unwrap_or_else(make))
}
