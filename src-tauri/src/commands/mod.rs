//! Tauri commands, one file per feature. Each is an adapter of a few lines over a use case in
//! `loket-service`; errors cross IPC as `{code, message}` (`loket_core::Error`).

pub mod balance;
pub mod bpjs;
pub mod opd;
pub mod outbox;
pub mod quota;
pub mod settings;
pub mod spm;
pub mod sync;
pub mod system;
