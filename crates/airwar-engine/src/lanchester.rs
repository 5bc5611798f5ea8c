//! Monte Carlo replications of the stochastic Lanchester square law.

use airwar_model::lanchester::{LanchesterBattle, LanchesterError};
use airwar_statistics::CountSummary;

use crate::{run_block_replications, Accumulator, EngineError, RunConfig};

/// Streamed results of a Lanchester Monte Carlo run.
#[derive(Debug, Clone, Default)]
pub struct LanchesterResults {
    pub runs: u64,
    pub blue_losses: CountSummary,
    pub red_losses: CountSummary,
    pub blue_wins: u64,
    /// Events (one aircraft lost each) over all runs.
    pub events: u64,
}

impl Accumulator for LanchesterResults {
    fn merge(&mut self, other: Self) {
        self.runs += other.runs;
        self.blue_losses.merge(&other.blue_losses);
        self.red_losses.merge(&other.red_losses);
        self.blue_wins += other.blue_wins;
        self.events += other.events;
    }
}

impl LanchesterResults {
    pub fn p_blue_wins(&self) -> f64 {
        self.blue_wins as f64 / self.runs as f64
    }
    /// Standard error of the estimated probability that Blue wins.
    pub fn p_blue_wins_se(&self) -> f64 {
        let p = self.p_blue_wins();
        (p * (1.0 - p) / self.runs as f64).sqrt()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LanchesterRunError {
    #[error(transparent)]
    Model(#[from] LanchesterError),
    #[error(transparent)]
    Engine(#[from] EngineError),
}

/// Run the jump chain `config.runs` times.
pub fn run_lanchester(
    battle: &LanchesterBattle,
    config: RunConfig,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<LanchesterResults, LanchesterRunError> {
    battle.validate()?;
    let results = run_block_replications(
        config,
        LanchesterResults::default,
        |acc, range| {
            battle.simulate_range(config.seed, range, |bl, rl| {
                acc.runs += 1;
                acc.blue_losses.add(bl);
                acc.red_losses.add(rl);
                acc.events += (bl + rl) as u64;
                if battle.red - rl <= battle.red_break && battle.blue - bl > battle.blue_break {
                    acc.blue_wins += 1;
                }
            })
        },
        progress,
    )?;
    Ok(results)
}
