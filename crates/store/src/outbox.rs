//! The durable BPJS outbox (`outbox_bookings`, `outbox_items`), the patient details of tokens
//! (`opd_token_patients`), the quota alert state and the clerk's banners (`desk_alerts`).
//!
//! Items are written in the same transaction as the OPD events they report, so a token and what
//! BPJS must hear about it commit together. `(kodebooking, seq)` is unique: the first item
//! planned for a key is kept and later plans are ignored, except the unsent `antrean/add`
//! (seq 0), which is replaced when the clerk completes the patient's details. Items are never
//! deleted (a trigger refuses it).

use chrono::{DateTime, Utc};
use loket_core::opd::{SessionId, TokenId};
use loket_core::outbox::{Booking, BpjsRequest, OutboxItem, SEQ_ADD};
use loket_core::patient::PatientDetails;
use loket_core::quota::{AlertLevel, AlertState};
use loket_core::{Error, ErrorCode, Result};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::Serialize;

use crate::error::storage_error;

fn json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::internal(e.to_string()))
}

fn unjson<T: serde::de::DeserializeOwned>(s: &str, what: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| Error::new(ErrorCode::Integrity, format!("{what} tidak terbaca ({e}).")))
}

// ---- patient details -------------------------------------------------------------------------

pub fn save_patient(
    tx: &Transaction<'_>,
    token_id: TokenId,
    details: &PatientDetails,
    at: DateTime<Utc>,
) -> Result<()> {
    let details = json(details)?;
    tx.prepare_cached(
        "INSERT INTO opd_token_patients (token_id, details, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(token_id) DO UPDATE SET details = excluded.details, updated_at = excluded.updated_at",
    )
    .and_then(|mut s| s.execute(params![token_id.0, details, at.to_rfc3339()]))
    .map_err(storage_error)?;
    Ok(())
}

pub fn patient_of(conn: &Connection, token_id: TokenId) -> Result<Option<PatientDetails>> {
    let raw: Option<String> = conn
        .prepare_cached("SELECT details FROM opd_token_patients WHERE token_id = ?1")
        .and_then(|mut s| s.query_row([token_id.0], |r| r.get(0)).optional())
        .map_err(storage_error)?;
    raw.map(|s| unjson(&s, "Data pasien token")).transpose()
}

// ---- bookings ----------------------------------------------------------------------------------

pub fn insert_booking(tx: &Transaction<'_>, booking: &Booking, at: DateTime<Utc>) -> Result<()> {
    let body = json(booking)?;
    tx.prepare_cached(
        "INSERT INTO outbox_bookings (token_id, kodebooking, booking, created_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(token_id) DO UPDATE SET booking = excluded.booking",
    )
    .and_then(|mut s| s.execute(params![booking.token_id.0, booking.kodebooking, body, at.to_rfc3339()]))
    .map_err(storage_error)?;
    Ok(())
}

pub fn booking_of(conn: &Connection, token_id: TokenId) -> Result<Option<Booking>> {
    let raw: Option<String> = conn
        .prepare_cached("SELECT booking FROM outbox_bookings WHERE token_id = ?1")
        .and_then(|mut s| s.query_row([token_id.0], |r| r.get(0)).optional())
        .map_err(storage_error)?;
    raw.map(|s| unjson(&s, "Data booking BPJS")).transpose()
}

// ---- items -------------------------------------------------------------------------------------

/// Where an item stands. `Incomplete` is a pending item with missing fields; `Waiting` a pending
/// item behind an earlier item of its booking that has not gone out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    Pending,
    Sent,
    Failed,
}

impl ItemState {
    fn parse(s: &str) -> ItemState {
        match s {
            "sent" => ItemState::Sent,
            "failed" => ItemState::Failed,
            _ => ItemState::Pending,
        }
    }
}

/// One stored outbox item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredItem {
    pub id: i64,
    pub token_id: TokenId,
    pub kodebooking: String,
    pub seq: u32,
    pub endpoint: String,
    pub request: BpjsRequest,
    pub missing: Vec<String>,
    pub state: ItemState,
    pub attempts: u32,
    pub next_attempt_at: Option<String>,
    pub last_message: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
}

const ITEM_COLUMNS: &str =
    "id, token_id, kodebooking, seq, endpoint, request, missing, state, attempts, next_attempt_at, last_message, created_at, sent_at";

fn item(r: &Row<'_>) -> rusqlite::Result<(StoredItem, String, String)> {
    Ok((
        StoredItem {
            id: r.get(0)?,
            token_id: TokenId(r.get(1)?),
            kodebooking: r.get(2)?,
            seq: r.get(3)?,
            endpoint: r.get(4)?,
            request: BpjsRequest::Batal(loket_core::outbox::Batal {
                kodebooking: String::new(),
                keterangan: String::new(),
            }),
            missing: Vec::new(),
            state: ItemState::parse(&r.get::<_, String>(7)?),
            attempts: r.get(8)?,
            next_attempt_at: r.get(9)?,
            last_message: r.get(10)?,
            created_at: r.get(11)?,
            sent_at: r.get(12)?,
        },
        r.get(5)?,
        r.get(6)?,
    ))
}

fn decode(rows: Vec<(StoredItem, String, String)>) -> Result<Vec<StoredItem>> {
    rows.into_iter()
        .map(|(mut it, request, missing)| {
            it.request = unjson(&request, "Permintaan outbox")?;
            it.missing = unjson(&missing, "Daftar data kurang outbox")?;
            Ok(it)
        })
        .collect()
}

fn query_items(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<Vec<StoredItem>> {
    let mut stmt = conn.prepare_cached(sql).map_err(storage_error)?;
    let rows = stmt
        .query_map(params, item)
        .map_err(storage_error)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(storage_error)?;
    decode(rows)
}

/// Stores planned items: the first item of each `(kodebooking, seq)` is kept, except that an
/// unsent `antrean/add` is replaced (new body, new missing list). Returns how many rows changed.
pub fn enqueue(tx: &Transaction<'_>, items: &[OutboxItem], at: DateTime<Utc>) -> Result<usize> {
    let mut insert = tx
        .prepare_cached(
            "INSERT INTO outbox_items (token_id, kodebooking, seq, endpoint, request, missing, state, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7)
             ON CONFLICT(kodebooking, seq) DO UPDATE SET request = excluded.request, missing = excluded.missing
             WHERE outbox_items.seq = ?8 AND outbox_items.state = 'pending'",
        )
        .map_err(storage_error)?;
    let at = at.to_rfc3339();
    let mut changed = 0;
    for it in items {
        changed += insert
            .execute(params![
                it.token_id.0,
                it.kodebooking,
                it.seq,
                it.request.endpoint(),
                json(&it.request)?,
                json(&it.missing)?,
                at,
                SEQ_ADD
            ])
            .map_err(storage_error)?;
    }
    Ok(changed)
}

/// The next item of every booking whose chain can move: its first unsent item, when that item
/// is pending, complete and due at `now`. Oldest first, at most `limit`.
pub fn due(conn: &Connection, now: DateTime<Utc>, limit: u32) -> Result<Vec<StoredItem>> {
    query_items(
        conn,
        &format!(
            "SELECT {ITEM_COLUMNS} FROM outbox_items i
             WHERE i.state = 'pending' AND i.missing = '[]'
               AND (i.next_attempt_at IS NULL OR i.next_attempt_at <= ?1)
               AND NOT EXISTS (SELECT 1 FROM outbox_items j
                               WHERE j.kodebooking = i.kodebooking AND j.seq < i.seq AND j.state != 'sent')
             ORDER BY i.id LIMIT ?2"
        ),
        params![now.to_rfc3339(), limit],
    )
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<StoredItem>> {
    Ok(query_items(
        conn,
        &format!("SELECT {ITEM_COLUMNS} FROM outbox_items WHERE id = ?1"),
        [id],
    )?
    .into_iter()
    .next())
}

/// Items for the Sinkronisasi screen: the unsent ones first (oldest first), then the latest sent.
pub fn list(conn: &Connection, limit: u32) -> Result<Vec<StoredItem>> {
    query_items(
        conn,
        &format!(
            "SELECT {ITEM_COLUMNS} FROM outbox_items
             ORDER BY state = 'sent', CASE WHEN state = 'sent' THEN -id ELSE id END LIMIT ?1"
        ),
        [limit],
    )
}

pub fn of_token(conn: &Connection, token_id: TokenId) -> Result<Vec<StoredItem>> {
    query_items(
        conn,
        &format!("SELECT {ITEM_COLUMNS} FROM outbox_items WHERE token_id = ?1 ORDER BY seq"),
        [token_id.0],
    )
}

/// The outcome of one attempt, as the worker records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    Sent { message: String },
    Retry { next_at: DateTime<Utc>, message: String },
    Failed { message: String },
}

pub fn record(tx: &Transaction<'_>, id: i64, attempt: &Attempt, at: DateTime<Utc>) -> Result<()> {
    let at = at.to_rfc3339();
    let (state, next, message, sent_at) = match attempt {
        Attempt::Sent { message } => ("sent", None, message.as_str(), Some(at.as_str())),
        Attempt::Retry { next_at, message } => ("pending", Some(next_at.to_rfc3339()), message.as_str(), None),
        Attempt::Failed { message } => ("failed", None, message.as_str(), None),
    };
    tx.prepare_cached(
        "UPDATE outbox_items SET state = ?2, attempts = attempts + 1, next_attempt_at = ?3, last_message = ?4,
           sent_at = ?5 WHERE id = ?1 AND state != 'sent'",
    )
    .and_then(|mut s| s.execute(params![id, state, next, message, sent_at]))
    .map_err(storage_error)?;
    Ok(())
}

/// Makes a failed item (or one waiting for its next attempt) due now. `false` when the item is
/// already sent or does not exist.
pub fn retry(tx: &Transaction<'_>, id: i64) -> Result<bool> {
    let n = tx
        .execute(
            "UPDATE outbox_items SET state = 'pending', next_attempt_at = NULL WHERE id = ?1 AND state != 'sent'",
            [id],
        )
        .map_err(storage_error)?;
    Ok(n == 1)
}

/// Counts for the outbox summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Summary {
    /// Unsent and complete (due now, or waiting for a retry or an earlier item).
    pub pending: u32,
    /// Unsent and missing patient details.
    pub incomplete: u32,
    pub sent: u32,
    /// Refused by BPJS; the booking's chain waits for the clerk.
    pub failed: u32,
}

pub fn summary(conn: &Connection) -> Result<Summary> {
    conn.query_row(
        "SELECT coalesce(sum(state = 'pending' AND missing = '[]'), 0), coalesce(sum(state = 'pending' AND missing != '[]'), 0),
                coalesce(sum(state = 'sent'), 0), coalesce(sum(state = 'failed'), 0) FROM outbox_items",
        [],
        |r| {
            Ok(Summary {
                pending: r.get(0)?,
                incomplete: r.get(1)?,
                sent: r.get(2)?,
                failed: r.get(3)?,
            })
        },
    )
    .map_err(storage_error)
}

// ---- quota alerts and banners ------------------------------------------------------------------

fn level(s: &str) -> AlertLevel {
    match s {
        "full" => AlertLevel::Full,
        "threshold" => AlertLevel::Threshold,
        _ => AlertLevel::Normal,
    }
}

pub fn alert_state(conn: &Connection, session_id: SessionId) -> Result<AlertState> {
    conn.prepare_cached("SELECT jkn, nonjkn FROM quota_alert_state WHERE session_id = ?1")
        .and_then(|mut s| {
            s.query_row([session_id.0], |r| {
                Ok(AlertState {
                    jkn: level(&r.get::<_, String>(0)?),
                    nonjkn: level(&r.get::<_, String>(1)?),
                })
            })
            .optional()
        })
        .map(Option::unwrap_or_default)
        .map_err(storage_error)
}

pub fn set_alert_state(tx: &Transaction<'_>, session_id: SessionId, state: AlertState) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO quota_alert_state (session_id, jkn, nonjkn) VALUES (?1, ?2, ?3)
         ON CONFLICT(session_id) DO UPDATE SET jkn = excluded.jkn, nonjkn = excluded.nonjkn",
    )
    .and_then(|mut s| s.execute(params![session_id.0, state.jkn.as_str(), state.nonjkn.as_str()]))
    .map_err(storage_error)?;
    Ok(())
}

/// A banner for the clerk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DeskAlert {
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub id: i64,
    pub kind: String,
    pub session_id: Option<SessionId>,
    pub message: String,
    pub created_at: String,
}

pub fn add_alert(
    tx: &Transaction<'_>,
    kind: &str,
    session_id: Option<SessionId>,
    message: &str,
    at: DateTime<Utc>,
) -> Result<DeskAlert> {
    let created_at = at.to_rfc3339();
    tx.prepare_cached("INSERT INTO desk_alerts (kind, session_id, message, created_at) VALUES (?1, ?2, ?3, ?4)")
        .and_then(|mut s| s.execute(params![kind, session_id.map(|s| s.0), message, created_at]))
        .map_err(storage_error)?;
    Ok(DeskAlert {
        id: tx.last_insert_rowid(),
        kind: kind.to_string(),
        session_id,
        message: message.to_string(),
        created_at,
    })
}

pub fn open_alerts(conn: &Connection, limit: u32) -> Result<Vec<DeskAlert>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT id, kind, session_id, message, created_at FROM desk_alerts WHERE dismissed_at IS NULL
             ORDER BY id DESC LIMIT ?1",
        )
        .map_err(storage_error)?;
    let rows = stmt
        .query_map([limit], |r| {
            Ok(DeskAlert {
                id: r.get(0)?,
                kind: r.get(1)?,
                session_id: r.get::<_, Option<i64>>(2)?.map(SessionId),
                message: r.get(3)?,
                created_at: r.get(4)?,
            })
        })
        .map_err(storage_error)?;
    rows.collect::<rusqlite::Result<Vec<_>>>().map_err(storage_error)
}

pub fn dismiss_alert(tx: &Transaction<'_>, id: i64, at: DateTime<Utc>) -> Result<bool> {
    let n = tx
        .execute(
            "UPDATE desk_alerts SET dismissed_at = ?2 WHERE id = ?1 AND dismissed_at IS NULL",
            params![id, at.to_rfc3339()],
        )
        .map_err(storage_error)?;
    Ok(n == 1)
}
