//! The use cases of Loket. The desktop app's Tauri commands and the `loket` CLI are thin adapters
//! over [`Desk`]; neither holds business logic of its own.
//!
//! To add a use case: write a method on `Desk` (or a function taking `&mut Desk`) in the module of
//! its feature, then expose it in `src-tauri/src/commands/<feature>.rs` and `crates/cli`.

pub mod balance;
pub mod bpjs;
pub mod clock;
pub mod credentials;
pub mod demo;
mod desk;
pub mod opd;
pub mod outbox;
pub mod quota;
pub mod settings;
pub mod simulate;
pub mod spm;
pub mod status;
pub mod sync;
pub mod ticket;

pub use clock::{Clock, FixedClock, SystemClock};
pub use desk::Desk;
pub use loket_core::{Error, ErrorCode, Result};
