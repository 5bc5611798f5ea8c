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
    #[error("could not start the worker threads: {0}")]
    Threads(String),
}
