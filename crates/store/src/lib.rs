//! Loket's local SQLite replica.
//!
//! `Store::open` resolves nothing by itself: the caller passes the path (see `paths`). Opening sets
//! the pragmas, refuses a file that fails its integrity check (never touching it), backs the file up
//! before applying pending migrations, and migrates one transaction per migration.
//! Every write goes through [`Store::write`], a `BEGIN IMMEDIATE` transaction.
//!
//! To add a table: add `migrations/V{n}__name.sql`, a fixture of the previous version in
//! `tests/fixtures/`, and a repository module here that takes `&Connection` or `&Transaction`.

pub mod balance;
mod db;
mod error;
pub mod opd;
pub mod outbox;
pub mod paths;
pub mod quota;
pub mod settings;
pub mod sync;

pub use db::{CheckReport, MigrationReport, Store};
pub use error::storage_error;
pub use rusqlite;
