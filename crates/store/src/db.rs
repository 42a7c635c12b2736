use std::path::{Path, PathBuf};

use loket_core::{Error, ErrorCode, Result};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use serde::Serialize;

use crate::error::storage_error;

mod embedded {
    refinery::embed_migrations!("../../migrations");
}

/// What opening or migrating did.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MigrationReport {
    /// Migrations applied now, as `V{n}__{name}`.
    pub applied: Vec<String>,
    /// The copy taken before applying them, when the file already held data.
    pub backup: Option<PathBuf>,
    pub schema_version: u32,
}

/// The outcome of `loket db check`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CheckReport {
    pub ok: bool,
    /// `["ok"]` or SQLite's list of problems.
    pub integrity: Vec<String>,
    pub foreign_key_violations: i64,
    pub schema_version: u32,
    pub latest_version: u32,
    pub pending: Vec<String>,
}

/// An open database.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
}

fn latest_version() -> u32 {
    embedded::migrations::runner()
        .get_migrations()
        .iter()
        .map(|m| m.version() as u32)
        .max()
        .unwrap_or(0)
}

fn restore_hint(path: &Path) -> String {
    format!(
        "Berkas database {} gagal pemeriksaan integritas. Loket tidak dibuka dan berkas tidak diubah. \
         Untuk memulihkan: tutup Loket, simpan berkas ini untuk diperiksa tim IT, lalu salin cadangan \
         terakhir (misalnya {}.pre-v*.bak atau hasil `loket db backup`) ke lokasi tersebut.",
        path.display(),
        path.display()
    )
}

impl Store {
    /// Opens (creating if needed) the database at `path`, refuses a damaged file, backs it up
    /// before pending migrations, and migrates it to the latest schema.
    pub fn open(path: &Path) -> Result<(Store, MigrationReport)> {
        let existed = path.metadata().map(|m| m.len() > 0).unwrap_or(false);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::storage(format!("Folder data {} tidak dapat dibuat: {e}", dir.display())))?;
        }
        let mut store = Store::open_existing(path, existed)?;
        let report = store.migrate(existed)?;
        Ok((store, report))
    }

    /// Opens a database file that must already exist, without migrating it (for `db check` and
    /// `db backup`).
    pub fn open_unmigrated(path: &Path) -> Result<Store> {
        if !path.exists() {
            return Err(Error::not_found(format!("Database {} belum ada.", path.display())));
        }
        Store::open_existing(path, true)
    }

    fn open_existing(path: &Path, check_first: bool) -> Result<Store> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(storage_error)?;
        let store = Store {
            conn,
            path: Some(path.to_path_buf()),
        };
        if check_first {
            let problems = store
                .integrity("quick_check")
                .map_err(|_| Error::new(ErrorCode::Integrity, restore_hint(path)))?;
            if problems != ["ok"] {
                tracing::error!(path = %path.display(), problems = problems.len(), "integrity check failed; refusing to open");
                return Err(Error::new(ErrorCode::Integrity, restore_hint(path)));
            }
        }
        store.set_pragmas()?;
        Ok(store)
    }

    /// A fresh, migrated in-memory database (tests and dry runs).
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory().map_err(storage_error)?;
        let mut store = Store { conn, path: None };
        store.set_pragmas()?;
        store.migrate(false)?;
        Ok(store)
    }

    fn set_pragmas(&self) -> Result<()> {
        self.conn
            .execute_batch(
                "PRAGMA journal_mode = WAL;
                 PRAGMA foreign_keys = ON;
                 PRAGMA synchronous = FULL;
                 PRAGMA wal_autocheckpoint = 4000;",
            )
            .map_err(storage_error)?;
        // Query-planner stability: without it SQLite (3.54) re-prepares every cached statement
        // that has an ORDER BY, min() or max() next to `col = ?` on each new binding, which was
        // most of the CPU of a token issue. Our plans do not depend on parameter values.
        self.conn
            .set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)
            .map_err(storage_error)?;
        self.conn
            .busy_timeout(std::time::Duration::from_secs(30))
            .map_err(storage_error)
    }

    /// Copies what the write-ahead log holds into the database file without waiting for
    /// readers (`PRAGMA wal_checkpoint(PASSIVE)`). The app's worker calls it between a clerk's
    /// actions, so that a token issue rarely pays for a checkpoint; SQLite still checkpoints by
    /// itself once the log reaches 4000 pages (16 MB), and when the last connection closes.
    pub fn checkpoint(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
            .map_err(storage_error)
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Read access. Writes go through [`Store::write`].
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction: committed when `f` succeeds, rolled back
    /// (nothing changed) when it fails.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(storage_error)?;
        let out = f(&tx)?;
        tx.commit().map_err(storage_error)?;
        Ok(out)
    }

    fn applied_versions(&mut self) -> Result<Vec<u32>> {
        let has_history: bool = self
            .conn
            .query_row(
                "SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE type='table' AND name='refinery_schema_history')",
                [],
                |r| r.get(0),
            )
            .map_err(storage_error)?;
        if !has_history {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare("SELECT version FROM refinery_schema_history ORDER BY version")
            .map_err(storage_error)?;
        let rows = stmt.query_map([], |r| r.get::<_, u32>(0)).map_err(storage_error)?;
        rows.collect::<std::result::Result<_, _>>().map_err(storage_error)
    }

    fn pending(&mut self) -> Result<Vec<String>> {
        let applied = self.applied_versions()?;
        let runner = embedded::migrations::runner();
        let mut pending: Vec<_> = runner
            .get_migrations()
            .iter()
            .filter(|m| !applied.contains(&(m.version() as u32)))
            .map(|m| (m.version(), format!("V{}__{}", m.version(), m.name())))
            .collect();
        pending.sort();
        Ok(pending.into_iter().map(|(_, n)| n).collect())
    }

    /// Applies pending migrations, one transaction each. When `backup_first` and something is
    /// pending, the file is first copied next to itself as `<file>.pre-v<N>.bak`.
    pub fn migrate(&mut self, backup_first: bool) -> Result<MigrationReport> {
        let pending = self.pending()?;
        let latest = latest_version();
        let mut backup = None;
        if !pending.is_empty() && backup_first {
            if let Some(path) = self.path.clone() {
                let dest = free_backup_name(&path, latest);
                self.backup_to(&dest)?;
                tracing::info!(backup = %dest.display(), pending = pending.len(), "backed up before migrating");
                backup = Some(dest);
            }
        }
        if !pending.is_empty() {
            // A migration may rebuild a table that others reference (V10 rebuilds opd_tokens).
            // SQLite's documented way: foreign keys off for the schema change, checked after.
            // The pragma is a no-op inside a transaction, so it goes around the runner.
            self.conn
                .execute_batch("PRAGMA foreign_keys = OFF")
                .map_err(storage_error)?;
            let run = embedded::migrations::runner().set_grouped(false).run(&mut self.conn);
            self.conn
                .execute_batch("PRAGMA foreign_keys = ON")
                .map_err(storage_error)?;
            run.map_err(|e| {
                Error::storage(format!(
                    "Migrasi database gagal; database tetap pada versi sebelumnya: {e}"
                ))
            })?;
            let broken = self.foreign_key_violations()?;
            if broken > 0 {
                tracing::error!(broken, "foreign keys broken after migrating");
                return Err(Error::new(
                    ErrorCode::Integrity,
                    format!(
                        "Setelah migrasi, {broken} rujukan antartabel tidak cocok. Pulihkan database dari cadangan{}.",
                        backup.as_ref().map(|b| format!(" {}", b.display())).unwrap_or_default()
                    ),
                ));
            }
            tracing::info!(applied = ?pending, "migrated");
        }
        Ok(MigrationReport {
            applied: pending,
            backup,
            schema_version: self.schema_version()?,
        })
    }

    pub fn schema_version(&mut self) -> Result<u32> {
        Ok(self.applied_versions()?.into_iter().max().unwrap_or(0))
    }

    fn foreign_key_violations(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))
            .map_err(storage_error)
    }

    fn integrity(&self, pragma: &str) -> rusqlite::Result<Vec<String>> {
        let mut stmt = self.conn.prepare(&format!("PRAGMA {pragma}"))?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.collect()
    }

    /// Full integrity check, foreign keys and migration status. Changes nothing.
    pub fn check(&mut self) -> Result<CheckReport> {
        let integrity = self.integrity("integrity_check").map_err(storage_error)?;
        let foreign_key_violations = self.foreign_key_violations()?;
        let pending = self.pending()?;
        Ok(CheckReport {
            ok: integrity == ["ok"] && foreign_key_violations == 0,
            integrity,
            foreign_key_violations,
            schema_version: self.schema_version()?,
            latest_version: latest_version(),
            pending,
        })
    }

    /// A consistent online copy of the database at `dest`, which must not exist yet.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        if dest.exists() {
            return Err(Error::invalid(format!(
                "Berkas cadangan {} sudah ada; pilih nama lain.",
                dest.display()
            )));
        }
        let dest_str = dest
            .to_str()
            .ok_or_else(|| Error::invalid("Nama berkas cadangan harus teks UTF-8.".to_string()))?;
        self.conn.execute("VACUUM INTO ?1", [dest_str]).map_err(storage_error)?;
        Ok(())
    }
}

fn free_backup_name(path: &Path, version: u32) -> PathBuf {
    let base = format!("{}.pre-v{version}.bak", path.display());
    let mut candidate = PathBuf::from(&base);
    let mut n = 1;
    while candidate.exists() {
        candidate = PathBuf::from(format!("{base}.{n}"));
        n += 1;
    }
    candidate
}
