use std::path::{Path, PathBuf};

use clap::Subcommand;
use loket_core::{Error, ErrorCode, Result};
use loket_store::Store;
use serde_json::json;

use crate::output::Output;

#[derive(Subcommand)]
pub enum DbCommand {
    /// Create the database if needed and apply pending migrations (backing the file up first).
    Migrate,
    /// Full integrity check, foreign keys and migration status; changes nothing.
    Check,
    /// Write a consistent copy of the database to DEST (default: next to it, timestamped).
    Backup { dest: Option<PathBuf> },
}

pub fn run(cmd: DbCommand, db: &Path, out: &Output) -> Result<()> {
    match cmd {
        DbCommand::Migrate => {
            let (_, report) = Store::open(db)?;
            out.print(&json!({ "db": db, "report": report }), || {
                let applied = if report.applied.is_empty() {
                    "tidak ada".into()
                } else {
                    report.applied.join(", ")
                };
                let backup = report
                    .backup
                    .as_ref()
                    .map(|b| format!("\ncadangan: {}", b.display()))
                    .unwrap_or_default();
                format!(
                    "database: {}\nversi skema: {}\nmigrasi diterapkan: {applied}{backup}",
                    db.display(),
                    report.schema_version
                )
            });
            Ok(())
        }
        DbCommand::Check => {
            let mut store = Store::open_unmigrated(db)?;
            let report = store.check()?;
            out.print(&json!({ "db": db, "report": report }), || {
                format!(
                    "database: {}\nintegritas: {}\npelanggaran foreign key: {}\nversi skema: {} dari {}{}",
                    db.display(),
                    report.integrity.join("; "),
                    report.foreign_key_violations,
                    report.schema_version,
                    report.latest_version,
                    if report.pending.is_empty() {
                        String::new()
                    } else {
                        format!("\nmigrasi tertunda: {}", report.pending.join(", "))
                    }
                )
            });
            if report.ok {
                Ok(())
            } else {
                Err(Error::new(
                    ErrorCode::Integrity,
                    "Database gagal pemeriksaan integritas; pulihkan dari cadangan.",
                ))
            }
        }
        DbCommand::Backup { dest } => {
            let store = Store::open_unmigrated(db)?;
            let dest = match dest {
                Some(d) => d,
                None => {
                    let stamp = loket_core::time::to_wib(loket_service::Clock::now(&loket_service::SystemClock))
                        .format("%Y%m%d-%H%M%S");
                    PathBuf::from(format!("{}.backup-{stamp}", db.display()))
                }
            };
            store.backup_to(&dest)?;
            out.print(&json!({ "db": db, "backup": dest }), || {
                format!("cadangan ditulis ke {}", dest.display())
            });
            Ok(())
        }
    }
}
