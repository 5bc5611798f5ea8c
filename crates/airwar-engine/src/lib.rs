//! # airwar-engine: the Monte Carlo runner
//!
//! Runs replications of a model in parallel and streams their statistics.
//!
//! Replication `i` always draws from [`airwar_model::rng::stream`]`(seed, i)`. Replications are
//! cut into blocks whose size depends on the number of runs alone ([`block_size`], never on the
//! thread count); each block folds its
//! outcomes into an accumulator of [`CountSummary`]s, and blocks are merged by adding integers.
//! So a run's statistics, and every byte printed from them, are the same on any number of
//! threads, and memory does not grow with the number of replications.

pub mod engagement;
pub mod lanchester;

use std::sync::atomic::{AtomicU64, Ordering};

use airwar_model::rng::{stream, ModelRng};
use rayon::prelude::*;

pub use engagement::{run_engagement, EngagementResults, ForceResult, SideResult, TypeResult};
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
    let size = block_size(config.runs);
    let blocks = config.runs.div_ceil(size);
    let done = AtomicU64::new(0);
    let work = || {
        (0..blocks)
            .into_par_iter()
            .map(|b| {
                let mut acc = make();
                let start = b * size;
                let end = (start + size).min(config.runs);
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
