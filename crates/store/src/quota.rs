//! HFIS schedule snapshots (`schedule_snapshots`): the shifts BPJS last reported per poli and
//! date, each linked to the OPD session it created or updated, with a flag for the clerk when
//! the shift could not be applied without harming issued tokens.

use chrono::{DateTime, Utc};
use loket_core::opd::{Jenis, SessionId, Status};
use loket_core::quota::Usage;
use loket_core::Result;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::Serialize;

use crate::error::storage_error;

/// The source of every snapshot row written today.
pub const SOURCE_HFIS: &str = "BPJS_HFIS";

/// One shift as fetched (what a refresh writes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftInput {
    pub poli_code: String,
    pub poli_name: String,
    pub subspesialis_code: String,
    pub subspesialis_name: String,
    pub doctor_code: String,
    pub doctor_name: String,
    /// `YYYY-MM-DD` (WIB).
    pub date: String,
    /// `HH:MM` (WIB).
    pub start_time: String,
    pub end_time: String,
    pub kapasitas: u32,
    pub libur: bool,
}

/// One stored snapshot row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SnapshotRow {
    pub id: i64,
    pub poli_code: String,
    pub poli_name: String,
    pub subspesialis_code: String,
    pub subspesialis_name: String,
    pub doctor_code: String,
    pub doctor_name: String,
    pub date: String,
    pub start_time: String,
    pub end_time: String,
    pub kapasitas: u32,
    pub libur: bool,
    pub source: String,
    pub fetched_at: String,
    pub session_id: Option<SessionId>,
    pub flag_reason: Option<String>,
    pub flagged_at: Option<String>,
}

const COLUMNS: &str = "id, poli_code, poli_name, subspesialis_code, subspesialis_name, doctor_code, doctor_name, date,
    start_time, end_time, kapasitas, libur, source, fetched_at, session_id, flag_reason, flagged_at";

fn row(r: &Row<'_>) -> rusqlite::Result<SnapshotRow> {
    Ok(SnapshotRow {
        id: r.get(0)?,
        poli_code: r.get(1)?,
        poli_name: r.get(2)?,
        subspesialis_code: r.get(3)?,
        subspesialis_name: r.get(4)?,
        doctor_code: r.get(5)?,
        doctor_name: r.get(6)?,
        date: r.get(7)?,
        start_time: r.get(8)?,
        end_time: r.get(9)?,
        kapasitas: r.get(10)?,
        libur: r.get(11)?,
        source: r.get(12)?,
        fetched_at: r.get(13)?,
        session_id: r.get::<_, Option<i64>>(14)?.map(SessionId),
        flag_reason: r.get(15)?,
        flagged_at: r.get(16)?,
    })
}

/// Inserts the shift or refreshes its row (same poli, doctor, date and start); the session link
/// and flag are kept. Returns the row as stored now.
pub fn upsert(tx: &Transaction<'_>, shift: &ShiftInput, fetched_at: DateTime<Utc>) -> Result<SnapshotRow> {
    tx.query_row(
        &format!(
            "INSERT INTO schedule_snapshots (poli_code, poli_name, subspesialis_code, subspesialis_name, doctor_code,
               doctor_name, date, start_time, end_time, kapasitas, libur, source, fetched_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
             ON CONFLICT (poli_code, doctor_code, date, start_time) DO UPDATE SET
               poli_name = excluded.poli_name, subspesialis_code = excluded.subspesialis_code,
               subspesialis_name = excluded.subspesialis_name, doctor_name = excluded.doctor_name,
               end_time = excluded.end_time, kapasitas = excluded.kapasitas, libur = excluded.libur,
               source = excluded.source, fetched_at = excluded.fetched_at
             RETURNING {COLUMNS}"
        ),
        params![
            shift.poli_code,
            shift.poli_name,
            shift.subspesialis_code,
            shift.subspesialis_name,
            shift.doctor_code,
            shift.doctor_name,
            shift.date,
            shift.start_time,
            shift.end_time,
            shift.kapasitas,
            shift.libur,
            SOURCE_HFIS,
            fetched_at.to_rfc3339()
        ],
        row,
    )
    .map_err(storage_error)
}

/// Marks a row whose shift HFIS no longer reports as not practising (`libur`), with the reason.
/// The row and its session stay: tokens are never deleted.
pub fn mark_vanished(tx: &Transaction<'_>, id: i64, reason: &str, at: DateTime<Utc>) -> Result<()> {
    tx.execute(
        "UPDATE schedule_snapshots SET libur = 1, flag_reason = ?2,
           flagged_at = CASE WHEN flag_reason IS ?2 THEN flagged_at ELSE ?3 END WHERE id = ?1",
        params![id, reason, at.to_rfc3339()],
    )
    .map_err(storage_error)?;
    Ok(())
}

/// Links a row to its session and sets (or clears, with `None`) its flag.
pub fn link(
    tx: &Transaction<'_>,
    id: i64,
    session_id: Option<SessionId>,
    flag_reason: Option<&str>,
    at: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        "UPDATE schedule_snapshots SET session_id = ?2, flag_reason = ?3,
           flagged_at = CASE WHEN ?3 IS NULL THEN NULL WHEN flag_reason IS ?3 THEN flagged_at ELSE ?4 END
         WHERE id = ?1",
        params![id, session_id.map(|s| s.0), flag_reason, at.to_rfc3339()],
    )
    .map_err(storage_error)?;
    Ok(())
}

/// A session of the doctor at the poli, date and jam that no snapshot row claims yet (one opened
/// by hand before the first refresh), to be adopted rather than duplicated.
pub fn unclaimed_session(
    tx: &Transaction<'_>,
    doctor_code: &str,
    poli_code: &str,
    date: &str,
    jam: &str,
) -> Result<Option<SessionId>> {
    tx.query_row(
        "SELECT session_id FROM opd_sessions s
         WHERE doctor_code = ?1 AND poli_code = ?2 AND date = ?3 AND jam = ?4
           AND NOT EXISTS (SELECT 1 FROM schedule_snapshots n WHERE n.session_id = s.session_id)
         ORDER BY session_id LIMIT 1",
        params![doctor_code, poli_code, date, jam],
        |r| r.get(0).map(SessionId),
    )
    .optional()
    .map_err(storage_error)
}

/// The snapshot shift a session came from (its first row), or `None` for a session opened by hand.
pub fn shift_of_session(conn: &Connection, session_id: SessionId) -> Result<Option<SnapshotRow>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM schedule_snapshots WHERE session_id = ?1 ORDER BY id LIMIT 1"
    ))
    .and_then(|mut s| s.query_row([session_id.0], row).optional())
    .map_err(storage_error)
}

/// The rows of a date, optionally of one poli, ordered by poli, doctor and start.
pub fn list(conn: &Connection, date: &str, poli: Option<&str>) -> Result<Vec<SnapshotRow>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM schedule_snapshots WHERE date = ?1 AND (?2 IS NULL OR poli_code = ?2)
             ORDER BY poli_code, doctor_code, start_time"
        ))
        .map_err(storage_error)?;
    let rows = stmt.query_map(params![date, poli], row).map_err(storage_error)?;
    rows.collect::<rusqlite::Result<_>>().map_err(storage_error)
}

/// The shifts of one doctor at one poli on one date.
pub fn of_doctor(conn: &Connection, poli: &str, doctor_code: &str, date: &str) -> Result<Vec<SnapshotRow>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM schedule_snapshots WHERE poli_code = ?1 AND doctor_code = ?2 AND date = ?3
             ORDER BY start_time"
        ))
        .map_err(storage_error)?;
    let rows = stmt
        .query_map(params![poli, doctor_code, date], row)
        .map_err(storage_error)?;
    rows.collect::<rusqlite::Result<_>>().map_err(storage_error)
}

/// The highest token number of a doctor on a date (0 when none): the next token gets one more.
pub fn max_number(conn: &Connection, doctor_code: &str, date: &str) -> Result<u32> {
    conn.prepare_cached("SELECT coalesce(max(number), 0) FROM opd_tokens WHERE doctor_code = ?1 AND date = ?2")
        .and_then(|mut s| s.query_row(params![doctor_code, date], |r| r.get(0)))
        .map_err(storage_error)
}

/// The rows of a date (optionally one poli) with the tokens of each row's session that count
/// toward its quota (all but cancelled ones), per pool, in one query.
pub fn board(conn: &Connection, date: &str, poli: Option<&str>) -> Result<Vec<(SnapshotRow, Usage)>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS},
               (SELECT count(*) FROM opd_sessions o JOIN opd_tokens t ON t.doctor_code = o.doctor_code
                  AND t.date = o.date AND t.session_id = o.session_id
                  WHERE o.session_id = schedule_snapshots.session_id AND t.jenis = ?3 AND t.status <> ?5),
               (SELECT count(*) FROM opd_sessions o JOIN opd_tokens t ON t.doctor_code = o.doctor_code
                  AND t.date = o.date AND t.session_id = o.session_id
                  WHERE o.session_id = schedule_snapshots.session_id AND t.jenis = ?4 AND t.status <> ?5)
             FROM schedule_snapshots WHERE date = ?1 AND (?2 IS NULL OR poli_code = ?2)
             ORDER BY poli_code, doctor_code, start_time"
        ))
        .map_err(storage_error)?;
    let rows = stmt
        .query_map(
            params![
                date,
                poli,
                Jenis::Jkn.as_str(),
                Jenis::NonJkn.as_str(),
                Status::Cancelled.as_str()
            ],
            |r| {
                let usage = Usage {
                    jkn: r.get(17)?,
                    nonjkn: r.get(18)?,
                };
                Ok((row(r)?, usage))
            },
        )
        .map_err(storage_error)?;
    rows.collect::<rusqlite::Result<_>>().map_err(storage_error)
}
