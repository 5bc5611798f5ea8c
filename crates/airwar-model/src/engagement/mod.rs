//! The entity-level engagement model (docs/model.md; docs/architecture.md).
//!
//! [`prepare`] compiles a checked engagement and the model parameters into a
//! [`PreparedEngagement`] once; [`simulate`] then runs one replication from a random stream,
//! returning an [`EngagementOutcome`] (every aircraft's fate, claims, crews, passes). The module
//! does no I/O: the engine crate runs replications and streams their statistics.

mod observe;
mod prepare;
mod simulate;

pub use observe::{observation_label, observed_value};
pub use prepare::{
    firepower, prepare, ForceStats, PassTable, PrepareError, PreparedEngagement, SideStats,
};
pub use simulate::{
    simulate, simulate_into, CrewFates, EngagementOutcome, Fate, FateCounts, Workspace,
};
