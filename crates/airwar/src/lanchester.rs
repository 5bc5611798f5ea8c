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

/// The deterministic laws' names, as `Method::new` takes them.
pub const LAWS: [&str; 2] = ["square", "linear"];

impl Method {
    /// The method a front end's choices ask for: `exact` first, then the deterministic `law`
    /// named (one of [`LAWS`]), otherwise `runs` Monte Carlo runs (none: 0) from `seed`.
    pub fn new(exact: bool, law: Option<&str>, runs: Option<u64>, seed: u64) -> Result<Method> {
        Ok(match (exact, law) {
            (true, _) => Method::Exact,
            (false, Some("square")) => Method::Deterministic(Law::Square),
            (false, Some("linear")) => Method::Deterministic(Law::Linear),
            (false, Some(other)) => {
                let laws = LAWS.join(" or ");
                return Err(Error::Lanchester(format!("no law `{other}` ({laws})")));
            }
            (false, None) => Method::MonteCarlo {
                runs: runs.unwrap_or(0),
                seed,
            },
        })
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_comes_first_then_a_law_then_monte_carlo() {
        let m = |exact, law, runs| Method::new(exact, law, runs, 7).unwrap();
        assert_eq!(m(true, Some("linear"), Some(5)), Method::Exact);
        assert_eq!(
            m(false, Some("square"), Some(5)),
            Method::Deterministic(Law::Square)
        );
        assert_eq!(
            m(false, Some("linear"), None),
            Method::Deterministic(Law::Linear)
        );
        let monte_carlo = Method::MonteCarlo { runs: 5, seed: 7 };
        assert_eq!(m(false, None, Some(5)), monte_carlo);
        assert!(Method::new(false, Some("cubic"), None, 7).is_err());
    }
}
