pub mod balance;
pub mod bpjs;
pub mod db;
pub mod opd;
pub mod outbox;
pub mod quota;
pub mod settings;
pub mod spm;
pub mod sync;

use std::path::Path;

use loket_core::Result;
use loket_service::Desk;

/// Opens (and migrates) the desk database; the migration report goes to the log.
pub fn open(db: &Path) -> Result<Desk> {
    let (desk, report) = Desk::open(db)?;
    if !report.applied.is_empty() {
        tracing::info!(applied = ?report.applied, backup = ?report.backup, "database migrated");
    }
    Ok(desk)
}
