//! # airwar-calibration: calibration and validation against the record
//!
//! Data flow: built-in (or user) battles with observed figures → [`evaluate`] simulates each
//! under a parameter set on common random numbers and turns each observed figure into a
//! predictive [`distribution::Distribution`] and a log-likelihood → [`fit`] searches the global
//! parameters by population Monte Carlo (approximate Bayesian computation) → [`record`] writes
//! the calibrated set with its provenance → [`validate`] sets every observed figure beside the
//! model (with one parameter set, or leave-one-out from a fit) and scores coverage and CRPS →
//! [`aggregation`] measures what a Lanchester model fitted to the entity model gets wrong.

pub mod aggregation;
pub mod baseline;
pub mod campaign_fit;
pub mod campaign_validate;
pub mod distribution;
pub mod evaluate;
pub mod fit;
pub mod psis;
pub mod record;
pub mod validate;

#[derive(Debug, thiserror::Error)]
pub enum CalibrationError {
    #[error(transparent)]
    Prepare(#[from] airwar_model::engagement::PrepareError),
    #[error(transparent)]
    Engine(#[from] airwar_engine::EngineError),
    #[error(transparent)]
    Lanchester(#[from] airwar_model::lanchester::LanchesterError),
    #[error("campaign: {0}")]
    Campaign(String),
    #[error("none of the battles has an observed figure to fit to")]
    NothingObserved,
    #[error("calibration needs at least 4 particles and 1 run")]
    TooSmall,
    #[error("{0}")]
    TooLarge(String),
    #[error("could not start the worker threads: {0}")]
    Threads(String),
}

/// A fit's size within its limits: at least 4 particles and 1 replication, at most
/// [`airwar_scenario::limits::MAX_PARTICLES`] and [`airwar_scenario::limits::MAX_FIT_RUNS`]
/// (memory is then bounded before anything is allocated).
pub fn check_fit_size(particles: usize, runs: u64) -> Result<(), CalibrationError> {
    use airwar_scenario::limits::{check, MAX_FIT_RUNS, MAX_PARTICLES};
    if particles < 4 || runs == 0 {
        return Err(CalibrationError::TooSmall);
    }
    check("particles of a fit", particles as u64, MAX_PARTICLES)
        .and_then(|_| {
            check(
                "replications per parameter set in a fit",
                runs,
                MAX_FIT_RUNS,
            )
        })
        .map(|_| ())
        .map_err(CalibrationError::TooLarge)
}
