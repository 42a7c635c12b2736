//! Stored settings and their append-only change history.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use loket_core::Result;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;

use crate::error::storage_error;

/// Who made a change, recorded with every write a clerk causes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    pub desk_id: String,
    pub clerk: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SettingChange {
    pub seq: i64,
    pub key: String,
    pub old_value: Option<String>,
    pub new_value: String,
    pub changed_at: String,
    pub desk_id: String,
    pub clerk: String,
}

/// Grows with every stored change: a cheap way to tell whether cached settings are current,
/// including after writes by another process.
pub fn version(conn: &Connection) -> Result<i64> {
    conn.prepare_cached("SELECT coalesce(max(seq), 0) FROM settings_changes")
        .and_then(|mut s| s.query_row([], |r| r.get(0)))
        .map_err(storage_error)
}

pub fn load(conn: &Connection) -> Result<BTreeMap<String, String>> {
    let mut stmt = conn
        .prepare_cached("SELECT key, value FROM settings")
        .map_err(storage_error)?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(storage_error)?;
    rows.collect::<rusqlite::Result<_>>().map_err(storage_error)
}

/// Stores a normalised value. Returns whether it changed; an unchanged value records nothing.
pub fn set(tx: &Transaction<'_>, key: &str, value: &str, at: DateTime<Utc>, actor: &Actor) -> Result<bool> {
    let old: Option<String> = tx
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0))
        .optional()
        .map_err(storage_error)?;
    if old.as_deref() == Some(value) {
        return Ok(false);
    }
    let at = at.to_rfc3339();
    tx.execute(
        "INSERT INTO settings (key, value, updated_at, desk_id, clerk) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at,
           desk_id = excluded.desk_id, clerk = excluded.clerk",
        params![key, value, at, actor.desk_id, actor.clerk],
    )
    .map_err(storage_error)?;
    tx.execute(
        "INSERT INTO settings_changes (key, old_value, new_value, changed_at, desk_id, clerk) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![key, old, value, at, actor.desk_id, actor.clerk],
    )
    .map_err(storage_error)?;
    Ok(true)
}

pub fn changes(conn: &Connection, limit: u32) -> Result<Vec<SettingChange>> {
    let mut stmt = conn
        .prepare("SELECT seq, key, old_value, new_value, changed_at, desk_id, clerk FROM settings_changes ORDER BY seq DESC LIMIT ?1")
        .map_err(storage_error)?;
    let rows = stmt
        .query_map([limit], |r| {
            Ok(SettingChange {
                seq: r.get(0)?,
                key: r.get(1)?,
                old_value: r.get(2)?,
                new_value: r.get(3)?,
                changed_at: r.get(4)?,
                desk_id: r.get(5)?,
                clerk: r.get(6)?,
            })
        })
        .map_err(storage_error)?;
    rows.collect::<rusqlite::Result<_>>().map_err(storage_error)
}
