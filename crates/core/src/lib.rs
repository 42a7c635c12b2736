//! Loket's pure domain: identifiers, money, WIB time rules, settings validation and the OPD
//! allocation engine.
//!
//! Architecture Invariant: nothing here performs IO or reads the clock. Functions that depend on
//! the time take `now` as an argument. To add a domain rule, put the data types and a pure
//! function here, then call it from a use case in `loket-service`.

pub mod balance;
pub mod error;
pub mod money;
pub mod opd;
pub mod outbox;
pub mod patient;
pub mod quota;
pub mod redact;
pub mod rng;
pub mod settings;
pub mod spm;
pub mod sync;
pub mod ticket;
pub mod time;

pub use error::{Error, ErrorCode, Result};
pub use money::Rupiah;
