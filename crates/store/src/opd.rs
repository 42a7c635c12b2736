//! The OPD event log and its projections. The log (`opd_events`) is append-only and the truth;
//! `opd_sessions`, `opd_slots` and `opd_tokens` get what each command's events changed, in the
//! same transaction ([`record`]), and can be rebuilt from the log at any time.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use loket_core::opd::{Event, SessionId, SessionState, SlotId, TokenId};
use loket_core::{Error, ErrorCode, Result};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;

use crate::error::storage_error;
use crate::settings::Actor;

/// Version of the event payload format written now.
pub const EVENT_VERSION: i64 = 1;

/// One stored event with its envelope.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventRecord {
    pub seq: i64,
    pub session_id: SessionId,
    pub kind: String,
    pub version: i64,
    pub at: DateTime<Utc>,
    pub desk_id: String,
    pub clerk: String,
    pub event: Event,
}

/// Ids of a new session and its first slot, allocated inside the write transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NextIds {
    pub session_id: SessionId,
    pub slot_id: SlotId,
}

fn max_plus_one(tx: &Transaction<'_>, sql: &str) -> Result<i64> {
    let max: Option<i64> = tx
        .prepare_cached(sql)
        .and_then(|mut s| s.query_row([], |r| r.get(0)))
        .map_err(storage_error)?;
    Ok(max.unwrap_or(0) + 1)
}

pub fn next_ids(tx: &Transaction<'_>) -> Result<NextIds> {
    Ok(NextIds {
        session_id: SessionId(max_plus_one(tx, "SELECT max(session_id) FROM opd_sessions")?),
        slot_id: SlotId(max_plus_one(tx, "SELECT max(slot_id) FROM opd_slots")?),
    })
}

/// The id of the next token and its number: the next of its doctor on its date, across all of
/// the doctor's sessions that day. One statement (a token issue runs it every time).
pub fn next_token(tx: &Transaction<'_>, doctor_code: &str, date: &str) -> Result<(TokenId, u32)> {
    tx.prepare_cached(
        "SELECT (SELECT coalesce(max(token_id), 0) FROM opd_tokens),
                (SELECT coalesce(max(number), 0) FROM opd_tokens WHERE date = ?1 AND doctor_code = ?2)",
    )
    .and_then(|mut s| {
        s.query_row(params![date, doctor_code], |r| {
            Ok((TokenId(r.get::<_, i64>(0)? + 1), r.get::<_, u32>(1)? + 1))
        })
    })
    .map_err(storage_error)
}

fn decode_event(payload: &str, seq: i64) -> Result<Event> {
    serde_json::from_str(payload).map_err(|e| {
        Error::new(
            ErrorCode::Integrity,
            format!("Peristiwa antrean #{seq} tidak terbaca ({e}); log antrean rusak."),
        )
    })
}

/// A session's events lie in the log from its `session_created` event on (`first_seq`): the log
/// has no index by session (one b-tree fewer written per command), so they are read by a rowid
/// range scan from there.
const SESSION_EVENTS: &str =
    "FROM opd_sessions s JOIN opd_events e ON e.seq >= s.first_seq AND e.session_id = s.session_id
     WHERE s.session_id = ?1 ORDER BY e.seq";

/// The events of one session in order.
pub fn session_events(conn: &Connection, session_id: SessionId) -> Result<Vec<Event>> {
    let mut stmt = conn
        .prepare_cached(&format!("SELECT e.seq, e.payload {SESSION_EVENTS}"))
        .map_err(storage_error)?;
    let rows = stmt
        .query_map([session_id.0], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
        .map_err(storage_error)?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, payload) = row.map_err(storage_error)?;
        out.push(decode_event(&payload, seq)?);
    }
    Ok(out)
}

/// A session's state rebuilt from its log, or `None` when it does not exist.
pub fn load_session(conn: &Connection, session_id: SessionId) -> Result<Option<SessionState>> {
    let events = session_events(conn, session_id)?;
    if events.is_empty() {
        return Ok(None);
    }
    SessionState::from_events(&events).map(Some)
}

/// The sequence number of the newest event in the log (0 when it is empty): while it is
/// unchanged, no command has changed any session.
pub fn log_head(conn: &Connection) -> Result<i64> {
    conn.prepare_cached("SELECT coalesce(max(seq), 0) FROM opd_events")
        .and_then(|mut s| s.query_row([], |r| r.get(0)))
        .map_err(storage_error)
}

/// Records a command's events in the caller's transaction: appends them to the log and writes
/// what they changed into the projection. Returns the sequence number of the last event.
pub fn record(
    tx: &Transaction<'_>,
    state: &SessionState,
    events: &[Event],
    at: DateTime<Utc>,
    actor: &Actor,
) -> Result<i64> {
    let last = append(tx, state.session.session_id, events, at, actor)?;
    // One multi-row INSERT numbers its rows consecutively.
    let first = last - i64::try_from(events.len()).unwrap_or(0) + 1;
    project(tx, state, events, first, at)?;
    Ok(last)
}

/// Appends events with their envelope, in one statement; returns the sequence number of the last
/// one.
fn append(
    tx: &Transaction<'_>,
    session_id: SessionId,
    events: &[Event],
    at: DateTime<Utc>,
    actor: &Actor,
) -> Result<i64> {
    if events.is_empty() {
        return Ok(tx.last_insert_rowid());
    }
    // The session, time, desk and clerk are shared (?1 to ?4); each event adds its kind and
    // payload.
    let rows: Vec<String> = (0..events.len())
        .map(|i| format!("(?1, ?{}, {EVENT_VERSION}, ?2, ?3, ?4, ?{})", 5 + 2 * i, 6 + 2 * i))
        .collect();
    let mut stmt = tx
        .prepare_cached(&format!(
            "INSERT INTO opd_events (session_id, kind, version, at, desk_id, clerk, payload) VALUES {}",
            rows.join(", ")
        ))
        .map_err(storage_error)?;
    let at = at.to_rfc3339();
    let payloads = events
        .iter()
        .map(serde_json::to_string)
        .collect::<std::result::Result<Vec<String>, _>>()
        .map_err(|e| Error::internal(e.to_string()))?;
    stmt.raw_bind_parameter(1, session_id.0).map_err(storage_error)?;
    stmt.raw_bind_parameter(2, at.as_str()).map_err(storage_error)?;
    stmt.raw_bind_parameter(3, actor.desk_id.as_str())
        .map_err(storage_error)?;
    stmt.raw_bind_parameter(4, actor.clerk.as_str())
        .map_err(storage_error)?;
    for (i, (e, payload)) in events.iter().zip(&payloads).enumerate() {
        stmt.raw_bind_parameter(5 + 2 * i, e.kind()).map_err(storage_error)?;
        stmt.raw_bind_parameter(6 + 2 * i, payload.as_str())
            .map_err(storage_error)?;
    }
    stmt.raw_execute().map_err(storage_error)?;
    Ok(tx.last_insert_rowid())
}

/// Writes the projection rows that `events` changed, taking their values from `state` (the
/// session after the events): the session and its slots when it was created, a slot whose
/// capacity changed, a new token's row, and the slot and status of every other token an event
/// names. Nothing else can change: the state is the fold of the events. Positions are not
/// stored; they follow from the stored order fields (see [`projected`]).
fn project(
    tx: &Transaction<'_>,
    state: &SessionState,
    events: &[Event],
    first_seq: i64,
    at: DateTime<Utc>,
) -> Result<()> {
    let s = &state.session;
    let mut new_tokens: Vec<TokenId> = Vec::new();
    let mut moved: Vec<TokenId> = Vec::new();
    let mut resized: Vec<SlotId> = Vec::new();
    for (seq, event) in (first_seq..).zip(events) {
        match event {
            Event::SessionCreated { .. } => insert_session(tx, state, seq, at)?,
            Event::CapacityChanged { slot_id, .. } => resized.push(*slot_id),
            Event::Requested { token_id, .. } => new_tokens.push(*token_id),
            other => moved.extend(other.token_id()),
        }
    }
    moved.retain(|id| !new_tokens.contains(id));
    moved.sort_unstable();
    moved.dedup();
    resized.sort_unstable();
    resized.dedup();
    let missing = |what: String| Error::internal(format!("projection: {what} is not in the session state"));
    if !resized.is_empty() {
        let mut stmt = tx
            .prepare_cached("UPDATE opd_slots SET capacity = ?2 WHERE slot_id = ?1")
            .map_err(storage_error)?;
        for slot_id in resized {
            let slot = state.slot(slot_id).ok_or_else(|| missing(format!("slot {slot_id}")))?;
            stmt.execute(params![slot_id.0, slot.capacity]).map_err(storage_error)?;
        }
    }
    if !new_tokens.is_empty() {
        let mut stmt = tx
            .prepare_cached(
                "INSERT INTO opd_tokens (token_id, session_id, slot_id, doctor_code, date, number, code, source, paid,
                   jenis, norm, name, status, priority, requested_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            )
            .map_err(storage_error)?;
        let date = s.date.to_string();
        for token_id in new_tokens {
            let t = state
                .token(token_id)
                .ok_or_else(|| missing(format!("token {token_id}")))?;
            stmt.execute(params![
                t.token_id.0,
                s.session_id.0,
                t.slot_id.0,
                s.doctor_code,
                date,
                t.number,
                state.code(t),
                t.source.as_str(),
                t.paid,
                t.jenis.as_str(),
                t.norm,
                t.name,
                t.status.as_str(),
                t.priority,
                t.requested_at.to_rfc3339()
            ])
            .map_err(storage_error)?;
        }
    }
    if !moved.is_empty() {
        let mut stmt = tx
            .prepare_cached("UPDATE opd_tokens SET slot_id = ?2, status = ?3 WHERE token_id = ?1")
            .map_err(storage_error)?;
        for token_id in moved {
            let t = state
                .token(token_id)
                .ok_or_else(|| missing(format!("token {token_id}")))?;
            stmt.execute(params![token_id.0, t.slot_id.0, t.status.as_str()])
                .map_err(storage_error)?;
        }
    }
    Ok(())
}

fn insert_session(tx: &Transaction<'_>, state: &SessionState, first_seq: i64, at: DateTime<Utc>) -> Result<()> {
    let s = &state.session;
    tx.execute(
        "INSERT INTO opd_sessions (session_id, doctor_code, doctor_name, poli_code, date, jam, capacity, slot_minutes,
           created_at, first_seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            s.session_id.0,
            s.doctor_code,
            s.doctor_name,
            s.poli_code,
            s.date.to_string(),
            s.jam.to_string(),
            s.capacity,
            s.slot_minutes,
            at.to_rfc3339(),
            first_seq
        ],
    )
    .map_err(storage_error)?;
    let mut stmt = tx
        .prepare_cached(
            "INSERT INTO opd_slots (slot_id, session_id, start_at, end_at, capacity) VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .map_err(storage_error)?;
    for slot in &state.slots {
        stmt.execute(params![
            slot.slot_id.0,
            s.session_id.0,
            slot.start.to_rfc3339(),
            slot.end.to_rfc3339(),
            slot.capacity
        ])
        .map_err(storage_error)?;
    }
    Ok(())
}

/// The medical-record number a token was issued with.
pub fn token_norm(conn: &Connection, token_id: TokenId) -> Result<Option<String>> {
    conn.prepare_cached("SELECT norm FROM opd_tokens WHERE token_id = ?1")
        .and_then(|mut s| s.query_row([token_id.0], |r| r.get(0)).optional())
        .map(Option::flatten)
        .map_err(storage_error)
}

/// The session a token or slot belongs to.
pub fn session_of_token(conn: &Connection, token_id: TokenId) -> Result<Option<SessionId>> {
    conn.query_row(
        "SELECT session_id FROM opd_tokens WHERE token_id = ?1",
        [token_id.0],
        |r| r.get(0),
    )
    .optional()
    .map(|o| o.map(SessionId))
    .map_err(storage_error)
}

pub fn session_of_slot(conn: &Connection, slot_id: SlotId) -> Result<Option<SessionId>> {
    conn.query_row(
        "SELECT session_id FROM opd_slots WHERE slot_id = ?1",
        [slot_id.0],
        |r| r.get(0),
    )
    .optional()
    .map(|o| o.map(SessionId))
    .map_err(storage_error)
}

/// A session as listed for a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionRow {
    pub session_id: SessionId,
    pub doctor_code: String,
    pub doctor_name: String,
    pub poli_code: String,
    pub date: String,
    pub jam: String,
    pub capacity: u32,
    pub occupied: u32,
    pub waitlisted: u32,
}

/// Two columns: the tokens that occupy a place and the waitlisted ones, among the tokens of the
/// session `s` (through the doctor-date index) that also meet `scope`.
fn token_counts(scope: &str) -> String {
    let count = |status: &str| {
        format!(
            "(SELECT count(*) FROM opd_tokens t
              WHERE t.doctor_code = s.doctor_code AND t.date = s.date AND {scope} AND t.status IN ({status}))"
        )
    };
    format!(
        "{}, {}",
        count("'confirmed', 'in_progress', 'completed'"),
        count("'waitlisted'")
    )
}

pub fn list_sessions(conn: &Connection, date: &str, poli: Option<&str>) -> Result<Vec<SessionRow>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT s.session_id, s.doctor_code, s.doctor_name, s.poli_code, s.date, s.jam,
                    (SELECT coalesce(sum(l.capacity), 0) FROM opd_slots l WHERE l.session_id = s.session_id),
                    {}
             FROM opd_sessions s
             WHERE s.date = ?1 AND (?2 IS NULL OR s.poli_code = ?2)
             ORDER BY s.poli_code, s.jam, s.doctor_name, s.session_id",
            token_counts("t.session_id = s.session_id")
        ))
        .map_err(storage_error)?;
    let rows = stmt
        .query_map(params![date, poli], |r| {
            Ok(SessionRow {
                session_id: SessionId(r.get(0)?),
                doctor_code: r.get(1)?,
                doctor_name: r.get(2)?,
                poli_code: r.get(3)?,
                date: r.get(4)?,
                jam: r.get(5)?,
                capacity: r.get(6)?,
                occupied: r.get(7)?,
                waitlisted: r.get(8)?,
            })
        })
        .map_err(storage_error)?;
    rows.collect::<rusqlite::Result<_>>().map_err(storage_error)
}

/// Events with their envelope, of one session or all, oldest first.
pub fn events(conn: &Connection, session_id: Option<SessionId>) -> Result<Vec<EventRecord>> {
    const COLUMNS: &str = "e.seq, e.session_id, e.kind, e.version, e.at, e.desk_id, e.clerk, e.payload";
    let mut stmt = match session_id {
        Some(_) => conn.prepare_cached(&format!("SELECT {COLUMNS} {SESSION_EVENTS}")),
        None => conn.prepare_cached(&format!("SELECT {COLUMNS} FROM opd_events e ORDER BY e.seq")),
    }
    .map_err(storage_error)?;
    let params: &[&dyn rusqlite::ToSql] = match &session_id {
        Some(id) => &[&id.0],
        None => &[],
    };
    let rows = stmt
        .query_map(params, |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
            ))
        })
        .map_err(storage_error)?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, session_id, kind, version, at, desk_id, clerk, payload) = row.map_err(storage_error)?;
        let at = DateTime::parse_from_rfc3339(&at)
            .map_err(|_| {
                Error::new(
                    ErrorCode::Integrity,
                    format!("Waktu peristiwa antrean #{seq} tidak terbaca."),
                )
            })?
            .with_timezone(&Utc);
        out.push(EventRecord {
            seq,
            session_id: SessionId(session_id),
            kind,
            version,
            at,
            desk_id,
            clerk,
            event: decode_event(&payload, seq)?,
        });
    }
    Ok(out)
}

/// Every session id that has events.
/// Every session's events, in order: one pass over the whole log.
pub fn session_logs(conn: &Connection) -> Result<BTreeMap<SessionId, Vec<Event>>> {
    let mut stmt = conn
        .prepare("SELECT seq, session_id, payload FROM opd_events ORDER BY seq")
        .map_err(storage_error)?;
    let mut rows = stmt.query([]).map_err(storage_error)?;
    let mut out: BTreeMap<SessionId, Vec<Event>> = BTreeMap::new();
    while let Some(r) = rows.next().map_err(storage_error)? {
        let seq: i64 = r.get(0).map_err(storage_error)?;
        let payload: String = r.get(2).map_err(storage_error)?;
        out.entry(SessionId(r.get(1).map_err(storage_error)?))
            .or_default()
            .push(decode_event(&payload, seq)?);
    }
    Ok(out)
}

/// What the projection tables hold for a session, in a comparable form:
/// slots as (slot_id, capacity, occupied, waitlisted), the counts taken from the token rows, and tokens as
/// (token_id, slot_id, number, code, status, position, waitlist_position).
#[allow(clippy::type_complexity)]
pub fn projected(
    conn: &Connection,
    session_id: SessionId,
) -> Result<(
    Vec<(i64, u32, u32, u32)>,
    Vec<(i64, i64, u32, String, String, Option<u32>, Option<u32>)>,
)> {
    let mut s = conn
        .prepare_cached(&format!(
            "SELECT l.slot_id, l.capacity, {}
             FROM opd_sessions s JOIN opd_slots l ON l.session_id = s.session_id
             WHERE s.session_id = ?1 ORDER BY l.slot_id",
            token_counts("t.slot_id = l.slot_id")
        ))
        .map_err(storage_error)?;
    let slots = s
        .query_map([session_id.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .map_err(storage_error)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(storage_error)?;
    let mut t = conn
        .prepare_cached(
            "SELECT t.token_id, t.slot_id, t.number, t.code, t.status,
               CASE t.status WHEN 'confirmed' THEN row_number() OVER place END,
               CASE t.status WHEN 'waitlisted' THEN row_number() OVER place END
             FROM opd_sessions s JOIN opd_tokens t
               ON t.doctor_code = s.doctor_code AND t.date = s.date AND t.session_id = s.session_id
             WHERE s.session_id = ?1
             WINDOW place AS (PARTITION BY t.slot_id, t.status ORDER BY t.priority DESC, t.requested_at, t.number)
             ORDER BY t.token_id",
        )
        .map_err(storage_error)?;
    let tokens = t
        .query_map([session_id.0], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })
        .map_err(storage_error)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(storage_error)?;
    Ok((slots, tokens))
}

/// (doctor_code, date, number) groups that appear more than once. Empty when numbering is sound.
pub fn duplicate_numbers(conn: &Connection) -> Result<Vec<(String, String, u32)>> {
    let mut stmt = conn
        .prepare(
            "SELECT doctor_code, date, number FROM opd_tokens GROUP BY doctor_code, date, number HAVING count(*) > 1",
        )
        .map_err(storage_error)?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .map_err(storage_error)?;
    rows.collect::<rusqlite::Result<_>>().map_err(storage_error)
}
