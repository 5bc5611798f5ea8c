//! Use case: the Lanchester baselines of a two-sided fight, solved exactly, by Monte Carlo or
//! by a deterministic law; the result is the JSON contract of `airwar-outputs`.

use airwar_engine::RunConfig;
use airwar_model::lanchester::{deterministic, LanchesterBattle, Law};
use serde_json::Value;

use crate::error::{Error, Result};

/// How to solve the fight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Method {
    /// The stochastic square law, exactly.
    Exact,
    /// Monte Carlo runs of the stochastic square law's jump chain.
    MonteCarlo { runs: u64, seed: u64 },
    /// A deterministic law.
    Deterministic(Law),
}

/// Solve `battle` by `method` on `threads` workers (None: every core).
pub fn solve(battle: &LanchesterBattle, method: Method, threads: Option<usize>) -> Result<Value> {
    let err = |e: &dyn std::fmt::Display| Error::Lanchester(e.to_string());
    battle.validate().map_err(|e| err(&e))?;
    Ok(match method {
        Method::Exact => {
            let s = battle.exact().map_err(|e| err(&e))?;
            airwar_outputs::json::lanchester_exact(battle, &s)
        }
        Method::Deterministic(law) => {
            let o = deterministic(battle, law).map_err(|e| err(&e))?;
            let name = match law {
                Law::Square => "square",
                Law::Linear => "linear",
            };
            airwar_outputs::json::lanchester_deterministic(battle, name, &o)
        }
        Method::MonteCarlo { runs, seed } => {
            let config = RunConfig {
                runs,
                seed,
                threads,
                replications: None,
            };
            let r = airwar_engine::run_lanchester(battle, config, &|_| {}).map_err(|e| err(&e))?;
            airwar_outputs::json::lanchester_monte_carlo(battle, &r, seed)
        }
    })
}
