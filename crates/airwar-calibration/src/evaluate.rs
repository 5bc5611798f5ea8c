//! Simulating a set of battles under one parameter set and collecting, for each observed figure,
//! the model's distribution for it.
//!
//! Replication `i` of every battle draws from `stream(seed, i)` whatever the parameters, so two
//! parameter sets are compared on common random numbers: the difference between their outcomes
//! comes from the parameters, not from the luck of the draw.

use airwar_engine::{run_engagement, RunConfig};
use airwar_model::engagement::prepare;
use airwar_model::ModelParameters;
use airwar_scenario::{AircraftDatabase, Engagement};

use crate::distribution::Distribution;
use crate::CalibrationError;

/// One battle's observed figures under one parameter set.
#[derive(Debug, Clone)]
pub struct BattleEvaluation {
    /// One per `[[observed]]` row; None where the model does not produce the figure.
    pub predictive: Vec<Option<Distribution>>,
    /// Σ log-likelihood of the battle's observed figures.
    pub log_likelihood: f64,
}

/// The largest value an observed figure can plausibly take, for the likelihood's floor.
fn upper_bound(e: &Engagement, o: &airwar_scenario::engagement::Observation) -> u32 {
    let all: u32 = e
        .sides
        .iter()
        .map(|s| s.airborne() + s.parked.iter().map(|p| p.count.value).sum::<u32>())
        .sum();
    match o.metric {
        // A side cannot lose more than it had.
        airwar_scenario::ObservedMetric::Losses => all,
        // Claims have no hard bound; three times everything in the fight is generous.
        airwar_scenario::ObservedMetric::Claims => 3 * all,
    }
}

/// Simulate `e` `runs` times under `params` and score its observed figures.
pub fn evaluate_battle(
    e: &Engagement,
    db: &AircraftDatabase,
    params: &ModelParameters,
    runs: u64,
    seed: u64,
) -> Result<BattleEvaluation, CalibrationError> {
    let p = prepare(e, db, params)?;
    let config = RunConfig {
        runs,
        seed,
        threads: None,
    };
    let results = run_engagement(&p, config, &|_| {})?;
    let mut log_likelihood = 0.0;
    let predictive = e
        .observed
        .iter()
        .zip(&results.observed)
        .map(|(o, s)| {
            s.as_ref().map(|s| {
                let d = Distribution::from_summary(s);
                log_likelihood += d.log_likelihood(o.value, upper_bound(e, o));
                d
            })
        })
        .collect();
    Ok(BattleEvaluation {
        predictive,
        log_likelihood,
    })
}
