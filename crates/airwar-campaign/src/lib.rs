//! # airwar-campaign: the campaign model
//!
//! The daily course of a theatre (docs/model.md; docs/architecture.md). Data flow: a checked theatre scenario
//! (`airwar-scenario`) with its battles, the engagement model's parameters and the campaign
//! parameters ([`params`]) → [`campaign::Campaign`] (compiled schedule) → replications, each a
//! daily step of deliveries, events, engagements resolved by the engagement model, attrition,
//! pilots, money and exposure → [`results`] (streamed daily series and totals) → [`totals`]
//! (beside the record), [`commodities`] (repayments split by good) and [`compare`] (two arms on common random numbers). [`counterfactual`]
//! changes any scenario value or parameter (`PATH=VALUE`) and names the built-in questions.

pub mod campaign;
pub mod commodities;
pub mod compare;
pub mod counterfactual;
pub mod dates;
pub mod metrics;
pub mod params;
mod phases;
pub mod results;
pub mod streams;
pub mod totals;

pub use campaign::{Campaign, CampaignOutcome, SERIES, TOTALS};
pub use metrics::{Series, Total};
pub use params::CampaignParameters;
pub use phases::combat::Scratch as CampaignScratch;
pub use results::{run_campaign, run_campaign_totals, CampaignResults};

#[derive(Debug, thiserror::Error)]
pub enum CampaignError {
    #[error("{0}")]
    Invalid(String),
    #[error("--set {0}")]
    Set(String),
    #[error("{0}")]
    Counterfactual(String),
    #[error("{0}")]
    Data(String),
    #[error(transparent)]
    Engine(#[from] airwar_engine::EngineError),
}
