//! Sinkronisasi storage: the sync jobs (configuration), one target table per job created from
//! its configuration, the page writes, the run history, and the booking → token links.
//!
//! A target table has the job's columns (in order), the key as its primary key, and two
//! columns of its own: `_hash` (the row's content hash, to tell unchanged rows without reading
//! them) and `last_synced_at` (when a sync last wrote the row). Names are validated identifiers
//! (`loket_core::sync::JobConfig::validate`), quoted anyway.

use chrono::{DateTime, NaiveDate, Utc};
use loket_core::sync::{Cell, JobConfig, PagePlan, RunCounts, SkippedRow};
use loket_core::{Error, ErrorCode, Result};
use rusqlite::types::{ToSqlOutput, Value};
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Transaction};
use serde::Serialize;

use crate::error::storage_error;

fn q(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', ""))
}

/// A cell as SQLite stores it: integers as INTEGER, everything else as canonical TEXT.
pub fn sql_value(cell: &Cell) -> Value {
    match cell {
        Cell::Null => Value::Null,
        Cell::Int(i) => Value::Integer(*i),
        other => other.canonical().map_or(Value::Null, Value::Text),
    }
}

struct SqlCell<'a>(&'a Cell);

impl rusqlite::ToSql for SqlCell<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self.0 {
            Cell::Text(s) | Cell::Decimal(s) => ToSqlOutput::Borrowed(rusqlite::types::ValueRef::Text(s.as_bytes())),
            other => ToSqlOutput::Owned(sql_value(other)),
        })
    }
}

fn hash_sql(h: u64) -> i64 {
    i64::from_ne_bytes(h.to_ne_bytes())
}

// ---- jobs ------------------------------------------------------------------------------------

/// A stored job with its switch.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StoredJob {
    pub config: JobConfig,
    pub enabled: bool,
    pub updated_at: String,
}

pub fn jobs(conn: &Connection) -> Result<Vec<StoredJob>> {
    let mut stmt = conn
        .prepare_cached("SELECT config, enabled, updated_at FROM sync_jobs ORDER BY name")
        .map_err(storage_error)?;
    let rows = stmt
        .query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?, r.get::<_, String>(2)?))
        })
        .map_err(storage_error)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(storage_error)?;
    rows.into_iter()
        .map(|(config, enabled, updated_at)| {
            let config: JobConfig = serde_json::from_str(&config).map_err(|e| {
                Error::new(
                    ErrorCode::Integrity,
                    format!("Konfigurasi tugas sinkronisasi rusak: {e}"),
                )
            })?;
            Ok(StoredJob {
                config,
                enabled,
                updated_at,
            })
        })
        .collect()
}

pub fn job(conn: &Connection, name: &str) -> Result<Option<StoredJob>> {
    Ok(jobs(conn)?.into_iter().find(|j| j.config.name == name))
}

/// Inserts or replaces a (validated) job.
pub fn save_job(tx: &Transaction<'_>, job: &JobConfig, enabled: bool, at: DateTime<Utc>) -> Result<()> {
    let config = serde_json::to_string(job).map_err(|e| Error::internal(e.to_string()))?;
    tx.execute(
        "INSERT INTO sync_jobs (name, config, enabled, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(name) DO UPDATE SET config = excluded.config, enabled = excluded.enabled, updated_at = excluded.updated_at",
        params![job.name, config, enabled, at.to_rfc3339()],
    )
    .map_err(storage_error)?;
    Ok(())
}

/// Stores the jobs that are not there yet (first start); existing ones are kept as edited.
pub fn seed_jobs(tx: &Transaction<'_>, builtin: &[JobConfig], at: DateTime<Utc>) -> Result<usize> {
    let mut added = 0;
    for job in builtin {
        let config = serde_json::to_string(job).map_err(|e| Error::internal(e.to_string()))?;
        added += tx
            .execute(
                "INSERT OR IGNORE INTO sync_jobs (name, config, enabled, updated_at) VALUES (?1, ?2, 1, ?3)",
                params![job.name, config, at.to_rfc3339()],
            )
            .map_err(storage_error)?;
    }
    Ok(added)
}

// ---- target tables ---------------------------------------------------------------------------

fn table_exists(conn: &Connection, table: &str) -> Result<bool> {
    conn.prepare_cached("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1")
        .and_then(|mut s| s.exists([table]))
        .map_err(storage_error)
}

fn table_columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let mut stmt = conn
        .prepare(&format!("PRAGMA table_info({})", q(table)))
        .map_err(storage_error)?;
    let cols = stmt
        .query_map([], |r| r.get::<_, String>(1))
        .map_err(storage_error)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(storage_error)?;
    Ok(cols)
}

/// Creates the job's table, or adds the columns an edited job gained (columns are never
/// dropped: what was synced stays).
pub fn ensure_table(tx: &Transaction<'_>, job: &JobConfig) -> Result<()> {
    if !table_exists(tx, &job.table)? {
        let cols: Vec<String> = job
            .fields
            .iter()
            .map(|f| format!("{} {}", q(&f.column), f.kind.sqlite_type()))
            .collect();
        let key: Vec<String> = job.key.iter().map(|k| q(k)).collect();
        tx.execute_batch(&format!(
            "CREATE TABLE {} ({}, _hash INTEGER NOT NULL, last_synced_at TEXT NOT NULL,
               _changes INTEGER NOT NULL DEFAULT 0, PRIMARY KEY ({}))",
            q(&job.table),
            cols.join(", "),
            key.join(", ")
        ))
        .map_err(storage_error)?;
        return Ok(());
    }
    let have = table_columns(tx, &job.table)?;
    if !have.iter().any(|c| c == "_changes") {
        tx.execute_batch(&format!(
            "ALTER TABLE {} ADD COLUMN _changes INTEGER NOT NULL DEFAULT 0",
            q(&job.table)
        ))
        .map_err(storage_error)?;
    }
    for f in &job.fields {
        if !have.contains(&f.column) {
            tx.execute_batch(&format!(
                "ALTER TABLE {} ADD COLUMN {} {}",
                q(&job.table),
                q(&f.column),
                f.kind.sqlite_type()
            ))
            .map_err(storage_error)?;
        }
    }
    Ok(())
}

/// What writing a page did, as the database saw it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applied {
    pub inserted: u32,
    pub updated: u32,
    pub unchanged: u32,
}

/// Writes a page's rows (its inserts and updates) with one upsert each, prepared once. The
/// database tells new, changed and unchanged rows apart in the same statement: an existing row
/// whose `_hash` is the same is not written at all (no change counted), a changed one is
/// rewritten and its `_changes` counter bumped. A written row is new when the statement moved
/// the connection's last insert rowid; an update does not move it. An unmoved rowid is ambiguous
/// only while that rowid is not a row of this table (a new row may then take it): in that case
/// `_changes` = 0 tells a new row. Once the last insert rowid names a row of the table (checked
/// once per page, and true after any insert), an unmoved rowid is an update without a lookup.
/// So planning may treat every row as new without a lookup, and the counts stay exact.
pub fn apply_plan(tx: &Transaction<'_>, job: &JobConfig, plan: &PagePlan, at: DateTime<Utc>) -> Result<Applied> {
    let mut applied = Applied {
        unchanged: u32::try_from(plan.unchanged.len()).unwrap_or(u32::MAX),
        ..Applied::default()
    };
    if plan.inserts.is_empty() && plan.updates.is_empty() {
        return Ok(applied);
    }
    let cols: Vec<String> = job.fields.iter().map(|f| q(&f.column)).collect();
    let n = cols.len();
    let placeholders: Vec<String> = (1..=n + 2).map(|i| format!("?{i}")).collect();
    let set: Vec<String> = job
        .fields
        .iter()
        .filter(|f| !job.key.contains(&f.column))
        .map(|f| format!("{0} = excluded.{0}", q(&f.column)))
        .chain([
            "_hash = excluded._hash".to_string(),
            "last_synced_at = excluded.last_synced_at".to_string(),
            "_changes = _changes + 1".to_string(),
        ])
        .collect();
    let sql = format!(
        "INSERT INTO {table} ({}, _hash, last_synced_at) VALUES ({}) ON CONFLICT ({}) DO UPDATE SET {}
         WHERE {table}._hash <> excluded._hash",
        cols.join(", "),
        placeholders.join(", "),
        job.key.iter().map(|k| q(k)).collect::<Vec<_>>().join(", "),
        set.join(", "),
        table = q(&job.table),
    );
    let mut stmt = tx.prepare_cached(&sql).map_err(storage_error)?;
    let changes_sql = format!(
        "SELECT _changes FROM {} WHERE {}",
        q(&job.table),
        job.key
            .iter()
            .enumerate()
            .map(|(i, k)| format!("{} = ?{}", q(k), i + 1))
            .collect::<Vec<_>>()
            .join(" AND ")
    );
    let at = at.to_rfc3339();
    // A new row never takes a rowid the table already holds.
    let mut settled: bool = tx
        .prepare_cached(&format!(
            "SELECT EXISTS (SELECT 1 FROM {} WHERE rowid = ?1)",
            q(&job.table)
        ))
        .and_then(|mut s| s.query_row([tx.last_insert_rowid()], |r| r.get(0)))
        .map_err(storage_error)?;
    for row in plan.inserts.iter().chain(&plan.updates) {
        for (i, cell) in row.cells.iter().enumerate() {
            stmt.raw_bind_parameter(i + 1, SqlCell(cell)).map_err(storage_error)?;
        }
        stmt.raw_bind_parameter(n + 1, hash_sql(row.hash))
            .map_err(storage_error)?;
        stmt.raw_bind_parameter(n + 2, at.as_str()).map_err(storage_error)?;
        let rowid_before = tx.last_insert_rowid();
        if stmt.raw_execute().map_err(storage_error)? == 0 {
            applied.unchanged += 1;
        } else if tx.last_insert_rowid() != rowid_before {
            applied.inserted += 1;
            settled = true;
        } else if settled {
            applied.updated += 1;
        } else {
            let changes: i64 = tx
                .prepare_cached(&changes_sql)
                .and_then(|mut s| s.query_row(params_from_iter(row.key.0.iter().map(SqlCell)), |r| r.get(0)))
                .map_err(storage_error)?;
            if changes == 0 {
                // The new row took the last insert rowid: from now on it names a row here.
                applied.inserted += 1;
                settled = true;
            } else {
                applied.updated += 1;
            }
        }
    }
    Ok(applied)
}

/// Rows in a job's table.
pub fn row_count(conn: &Connection, job: &JobConfig) -> Result<i64> {
    if !table_exists(conn, &job.table)? {
        return Ok(0);
    }
    conn.query_row(&format!("SELECT count(*) FROM {}", q(&job.table)), [], |r| r.get(0))
        .map_err(storage_error)
}

// ---- runs ------------------------------------------------------------------------------------

/// One run as the history lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RunRow {
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub id: i64,
    pub job: String,
    pub window_from: String,
    pub window_to: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub status: String,
    pub pages_done: u32,
    pub pages_total: u32,
    pub counts: RunCounts,
    pub skipped_rows: Vec<SkippedRow>,
    pub error: Option<String>,
    /// `full`, `incremental` or `manual` (dates the clerk chose).
    pub kind: String,
}

/// Records a run starting; `kind` as [`RunWindow::kind`](loket_core::sync::RunWindow::kind).
pub fn start_run(
    tx: &Transaction<'_>,
    job: &str,
    kind: &str,
    from: NaiveDate,
    to: NaiveDate,
    at: DateTime<Utc>,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO sync_runs (job, kind, window_from, window_to, started_at, status) VALUES (?1, ?2, ?3, ?4, ?5, 'running')",
        params![job, kind, from.to_string(), to.to_string(), at.to_rfc3339()],
    )
    .map_err(storage_error)?;
    Ok(tx.last_insert_rowid())
}

/// The run's progress after a page, written in the page's transaction.
pub fn record_progress(
    tx: &Transaction<'_>,
    run_id: i64,
    pages_done: u32,
    pages_total: u32,
    counts: &RunCounts,
    skipped: &[SkippedRow],
) -> Result<()> {
    let skipped = serde_json::to_string(skipped).map_err(|e| Error::internal(e.to_string()))?;
    tx.prepare_cached(
        "UPDATE sync_runs SET pages_done = ?2, pages_total = ?3, fetched = ?4, inserted = ?5, updated = ?6,
           unchanged = ?7, skipped = ?8, duplicates = ?9, skipped_rows = ?10 WHERE id = ?1",
    )
    .and_then(|mut s| {
        s.execute(params![
            run_id,
            pages_done,
            pages_total,
            counts.fetched,
            counts.inserted,
            counts.updated,
            counts.unchanged,
            counts.skipped,
            counts.duplicates,
            skipped
        ])
    })
    .map_err(storage_error)?;
    Ok(())
}

pub fn finish_run(
    tx: &Transaction<'_>,
    run_id: i64,
    status: &str,
    error: Option<&str>,
    at: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        "UPDATE sync_runs SET status = ?2, error = ?3, finished_at = ?4 WHERE id = ?1",
        params![run_id, status, error, at.to_rfc3339()],
    )
    .map_err(storage_error)?;
    Ok(())
}

/// Runs left `running` by a process that died: marked as interrupted (their pages stay).
pub fn close_abandoned_runs(tx: &Transaction<'_>, at: DateTime<Utc>) -> Result<usize> {
    tx.execute(
        "UPDATE sync_runs SET status = 'interrupted', finished_at = ?1,
           error = 'Proses berhenti di tengah jalan; halaman yang sudah tersimpan tetap utuh.' WHERE status = 'running'",
        [at.to_rfc3339()],
    )
    .map_err(storage_error)
}

const RUN_COLUMNS: &str = "id, job, window_from, window_to, started_at, finished_at, status, pages_done, pages_total,
    fetched, inserted, updated, unchanged, skipped, duplicates, skipped_rows, error, kind";

fn run_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RunRow> {
    let skipped: String = r.get(15)?;
    Ok(RunRow {
        id: r.get(0)?,
        job: r.get(1)?,
        window_from: r.get(2)?,
        window_to: r.get(3)?,
        started_at: r.get(4)?,
        finished_at: r.get(5)?,
        status: r.get(6)?,
        pages_done: r.get(7)?,
        pages_total: r.get(8)?,
        counts: RunCounts {
            fetched: r.get(9)?,
            inserted: r.get(10)?,
            updated: r.get(11)?,
            unchanged: r.get(12)?,
            skipped: r.get(13)?,
            duplicates: r.get(14)?,
        },
        skipped_rows: serde_json::from_str(&skipped).unwrap_or_default(),
        error: r.get(16)?,
        kind: r.get(17)?,
    })
}

/// The latest runs, newest first, of one job or all.
pub fn runs(conn: &Connection, job: Option<&str>, limit: u32) -> Result<Vec<RunRow>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {RUN_COLUMNS} FROM sync_runs WHERE ?1 IS NULL OR job = ?1 ORDER BY id DESC LIMIT ?2"
        ))
        .map_err(storage_error)?;
    let rows = stmt
        .query_map(params![job, limit], run_row)
        .map_err(storage_error)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(storage_error)?;
    Ok(rows)
}

pub fn run(conn: &Connection, id: i64) -> Result<Option<RunRow>> {
    conn.query_row(
        &format!("SELECT {RUN_COLUMNS} FROM sync_runs WHERE id = ?1"),
        [id],
        run_row,
    )
    .optional()
    .map_err(storage_error)
}

/// The start of the last successful (or partial) run of a job, for its schedules: of a full
/// run only (`full_only`), or of any run that covered the incremental window (full or
/// incremental).
pub fn last_run_started(conn: &Connection, job: &str, full_only: bool) -> Result<Option<DateTime<Utc>>> {
    let at: Option<String> = conn
        .query_row(
            "SELECT max(started_at) FROM sync_runs WHERE job = ?1 AND status IN ('ok', 'partial')
               AND (kind = 'full' OR (?2 = 0 AND kind = 'incremental'))",
            params![job, full_only],
            |r| r.get(0),
        )
        .map_err(storage_error)?;
    Ok(at
        .and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
        .map(|t| t.to_utc()))
}

/// The start of the last scheduled run of a job that did not succeed (failed, cancelled or
/// interrupted) and came after its last successful one: when the scheduler last tried in vain.
pub fn last_failed_attempt(conn: &Connection, job: &str) -> Result<Option<DateTime<Utc>>> {
    let at: Option<String> = conn
        .query_row(
            "SELECT max(started_at) FROM sync_runs WHERE job = ?1 AND kind <> 'manual'
               AND status IN ('failed', 'cancelled', 'interrupted')
               AND started_at > coalesce(
                 (SELECT max(started_at) FROM sync_runs WHERE job = ?1 AND status IN ('ok', 'partial')), '')",
            [job],
            |r| r.get(0),
        )
        .map_err(storage_error)?;
    Ok(at
        .and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
        .map(|t| t.to_utc()))
}

// ---- bookings → tokens -----------------------------------------------------------------------

/// The token a booking became, and its session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookingToken {
    pub booking_id: i64,
    pub token_id: i64,
    pub session_id: i64,
}

pub fn booking_token(conn: &Connection, booking_id: i64) -> Result<Option<BookingToken>> {
    conn.prepare_cached("SELECT token_id, session_id FROM booking_tokens WHERE booking_id = ?1")
        .and_then(|mut s| {
            s.query_row([booking_id], |r| {
                Ok(BookingToken {
                    booking_id,
                    token_id: r.get(0)?,
                    session_id: r.get(1)?,
                })
            })
            .optional()
        })
        .map_err(storage_error)
}

pub fn link_booking(tx: &Transaction<'_>, link: BookingToken, at: DateTime<Utc>) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO booking_tokens (booking_id, token_id, session_id, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(booking_id) DO UPDATE SET token_id = excluded.token_id, session_id = excluded.session_id,
           updated_at = excluded.updated_at",
    )
    .and_then(|mut s| {
        s.execute(params![
            link.booking_id,
            link.token_id,
            link.session_id,
            at.to_rfc3339()
        ])
    })
    .map_err(storage_error)?;
    Ok(())
}
