//! # airwar-scenario: the scenario format
//!
//! Everything airwar knows about history enters through this crate. Data flows in two phases:
//!
//! 1. **raw**: TOML text is parsed with serde into `Raw*` structs that keep the byte span of every
//!    value ([`toml::Spanned`]); syntax errors, unknown fields and missing fields are reported
//!    here with their location ([`error`]).
//! 2. **checked**: [`check::Checker`] converts each raw figure into a typed, range-checked
//!    [`cited::Figure`] with its [`cited::Citation`], resolves aircraft names against the
//!    [`aircraft::AircraftDatabase`] and side names within the file, and collects every problem.
//!
//! The shipped data ([`builtin::Library`]) is embedded from the workspace's `data/` folder and is
//! loaded strictly: every historical figure in it must carry a citation.

pub mod aircraft;
pub mod bibliography;
pub mod builtin;
pub mod change;
pub mod check;
pub mod cited;
pub mod date;
pub mod engagement;
pub mod error;
pub mod file_kind;
pub mod limits;
pub mod source;
pub mod theatre;

pub use aircraft::{AircraftDatabase, AircraftRole, AircraftType};
pub use builtin::Library;
pub use change::Change;
pub use cited::{Bound, Citation, Figure};
pub use date::Date;
pub use engagement::{Engagement, Force, Mission, ObservedMetric, Posture, Role, Side, Where};
pub use error::{DataError, DataErrors};
pub use file_kind::FileKind;
pub use theatre::Theatre;
