//! # airwar-model: the combat models
//!
//! - [`params`]: the global model parameters, in one documented place.
//! - [`rng`]: seeded random streams, one per replication, derived from (seed, index) alone.
//! - [`lanchester`]: deterministic square and linear laws; the stochastic square law as a jump
//!   chain with an exact dynamic-programming solution.
//! - [`engagement`]: the entity-level engagement model.
//! - [`rounding`]: `f64::round`'s result without its library call.
//!
//! The models are pure: data in, outcomes out, no I/O.

pub mod engagement;
pub mod lanchester;
pub mod params;
pub mod rng;
pub mod rounding;

pub use params::ModelParameters;
