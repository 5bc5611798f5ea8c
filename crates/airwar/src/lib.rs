//! # airwar: the use cases
//!
//! What a user of airwar does, as a library: typed requests in, typed results out, nothing
//! printed. The command-line tool and any other front end (a Python package, a notebook) parse
//! their own arguments into these requests and render the results with `airwar-outputs`.
//!
//! - [`battle`]: replay an engagement many times, with changes ([`battle::run_battle`]);
//! - [`campaign`]: run a theatre's campaign with changes ([`campaign::run_campaign`]);
//! - [`compare`]: a battle or a campaign without and with changes, on common random numbers;
//! - [`validate`]: every observed figure beside the model's predictive distribution;
//! - [`calibrate`]: fit the model or campaign parameters, giving the file to write;
//! - [`aggregation`]: what a Lanchester model fitted to each battle gets wrong;
//! - [`shard`]: run part of either and merge the parts exactly ([`shard::merge`]);
//! - [`output`]: the JSON with its [`provenance::Provenance`], and output folders written whole;
//! - [`commands`]: each command of a front end as one call, what it shows as a [`commands::View`];
//! - [`inputs`]: the library, the user's files and the parameters, with their fingerprints;
//!   [`RunInputs`], the seed and files every request names.
//!
//! Errors ([`error::Error`]) name the thing that is wrong (the file, the battle, the shard).

pub mod aggregation;
pub mod battle;
pub mod calibrate;
pub mod campaign;
pub mod commands;
pub mod compare;
pub mod error;
pub mod fuzzing;
pub mod inputs;
pub mod lanchester;
pub mod output;
pub mod provenance;
pub mod report;
pub mod shard;
pub mod show;
pub mod sweep;
pub mod validate;

/// The seed a run uses unless told otherwise.
pub const DEFAULT_SEED: u64 = 1;

pub use battle::{run_battle, BattleRequest, BattleRun, BattleSource};
pub use calibrate::{calibrate, calibrate_campaign, CalibrateRequest, CampaignCalibrateRequest};
pub use campaign::{run_campaign, CampaignRequest, CampaignRun};
pub use compare::{compare_battle, compare_campaign};
pub use error::{Error, Result};
pub use inputs::RunInputs;
pub use provenance::Provenance;
pub use validate::{validate, BattleSelection, ValidateRequest};
