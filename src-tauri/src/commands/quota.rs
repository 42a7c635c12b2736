//! Kuota: the day board of HFIS shifts with their live JKN/non-JKN quota, and "Perbarui jadwal".
//!
//! A refresh asks BPJS once per poli × date on a blocking thread without the desk's lock; the
//! lock is taken only to write what came back, so the rest of the app stays responsive.

use loket_core::time::parse_date;
use loket_core::Error;
use loket_service::credentials::not_configured;
use loket_service::quota::{quota_refresh_run, BoardShift, RefreshReport};
use tauri::{AppHandle, Manager, State};
use tauri_specta::Event as _;

use super::bpjs::blocking;
use crate::events::{notify, QueueChanged, RefreshProgress};
use crate::AppState;

/// Every shift of the snapshot on `date` (optionally one poli) with its quota.
#[tauri::command]
#[specta::specta]
pub fn quota_board(state: State<'_, AppState>, date: String, poli: Option<String>) -> Result<Vec<BoardShift>, Error> {
    state.desk()?.quota_board(&date, poli.as_deref())
}

/// Fetches the HFIS schedule for every poli × date and creates or resizes their sessions; the
/// run is recorded in the history and `refresh-progress` events report each poli-date.
#[tauri::command]
#[specta::specta]
pub async fn quota_refresh(app: AppHandle, polis: Vec<String>, dates: Vec<String>) -> Result<RefreshReport, Error> {
    let dates = dates.iter().map(|d| parse_date(d)).collect::<Result<Vec<_>, Error>>()?;
    blocking(move || refresh(&app, &polis, &dates)).await
}

/// One recorded refresh on this (blocking) thread, with progress events and queue updates.
pub fn refresh(app: &AppHandle, polis: &[String], dates: &[chrono::NaiveDate]) -> Result<RefreshReport, Error> {
    let state = app.state::<AppState>();
    let profile = state.desk()?.bpjs_existing_profile()?.ok_or_else(not_configured)?;
    let conn = profile.connection(None)?;
    let progress = |done: u32, total: u32| {
        RefreshProgress { done, total }.emit(app).ok();
    };
    let report = quota_refresh_run(state.desk_mutex(), &conn, polis, dates, &progress)?;
    for s in report.created_sessions.iter().chain(&report.updated_sessions) {
        if let Some(session_id) = s.session_id {
            QueueChanged { session_id }.emit(app).ok();
        }
    }
    if !report.flagged.is_empty() {
        notify(
            app,
            "Jadwal perlu diperiksa",
            &format!(
                "{} jadwal HFIS berubah sementara antrean sudah terbit; lihat layar Kuota.",
                report.flagged.len()
            ),
        );
    }
    Ok(report)
}
