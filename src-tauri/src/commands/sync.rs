//! Sinkronisasi: the dashboard sync jobs (list, edit, run with progress and cancel, history),
//! the dashboard credentials, and the booking stats of Laporan.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use loket_core::sync::{JobConfig, RunWindow};
use loket_core::time::parse_date;
use loket_core::Error;
use loket_service::sync::{sync_run, BookingStat, StatsBy, SyncOutcome};
use loket_store::sync::{RunRow, StoredJob};
use serde::Serialize;
use tauri::{AppHandle, Manager, State};
use tauri_specta::Event as _;

use super::bpjs::blocking;
use crate::events::{QueueChanged, SyncProgress};
use crate::AppState;

#[tauri::command]
#[specta::specta]
pub fn sync_jobs(state: State<'_, AppState>) -> Result<Vec<StoredJob>, Error> {
    state.desk()?.sync_jobs()
}

/// Saves an edited job (validated with the others).
#[tauri::command]
#[specta::specta]
pub fn sync_save_job(state: State<'_, AppState>, job: JobConfig, enabled: bool) -> Result<StoredJob, Error> {
    state.desk()?.sync_save_job(&job, enabled)
}

/// The latest runs, of one job or all.
#[tauri::command]
#[specta::specta]
pub fn sync_runs(state: State<'_, AppState>, job: Option<String>, limit: u32) -> Result<Vec<RunRow>, Error> {
    state.desk()?.sync_runs(job.as_deref(), limit.clamp(1, 500))
}

/// Where the dashboard credentials stand (never the token or key).
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct DashboardView {
    pub configured: bool,
    pub base_url: String,
}

#[tauri::command]
#[specta::specta]
pub fn sync_credentials_view(state: State<'_, AppState>) -> Result<DashboardView, Error> {
    let c = state.desk()?.sync_dashboard_credentials()?;
    Ok(DashboardView {
        configured: c.is_some(),
        base_url: c.map(|c| c.base_url).unwrap_or_default(),
    })
}

#[tauri::command]
#[specta::specta]
pub fn sync_set_credentials(
    state: State<'_, AppState>,
    url: String,
    token: String,
    api_key: String,
) -> Result<DashboardView, Error> {
    let base_url = state.desk()?.sync_set_credentials(&url, &token, &api_key)?;
    Ok(DashboardView {
        configured: true,
        base_url,
    })
}

/// Runs a job now; `sync-progress` events report each page. One run at a time per job.
#[tauri::command]
#[specta::specta]
pub async fn sync_run_now(
    app: AppHandle,
    job: String,
    from: Option<String>,
    to: Option<String>,
) -> Result<SyncOutcome, Error> {
    let window = match (from, to) {
        (Some(f), Some(t)) => RunWindow::Dates {
            from: parse_date(&f)?,
            to: parse_date(&t)?,
        },
        (None, None) => RunWindow::Full,
        _ => return Err(Error::invalid("Isi tanggal awal dan akhir bersama-sama.")),
    };
    blocking(move || run_job(&app, &job, window)).await
}

/// Asks a running job to stop after its current page (its pages so far stay).
#[tauri::command]
#[specta::specta]
pub fn sync_cancel(state: State<'_, AppState>, job: String) -> Result<bool, Error> {
    Ok(state.cancel_sync(&job))
}

/// Runs one job to the end on this (blocking) thread, with progress events.
pub fn run_job(app: &AppHandle, job: &str, window: RunWindow) -> Result<SyncOutcome, Error> {
    let state = app.state::<AppState>();
    let name = job.trim().to_uppercase();
    let cancel = state
        .start_sync(&name)
        .ok_or_else(|| Error::conflict(format!("Sinkronisasi {name} sedang berjalan.")))?;
    let result = (|| {
        let client = state.desk()?.sync_client(None)?;
        let progress = |p: &loket_service::sync::Progress| {
            SyncProgress {
                job: name.clone(),
                progress: *p,
            }
            .emit(app)
            .ok();
        };
        sync_run(state.desk_mutex(), &client, &name, window, &progress, &cancel)
    })();
    state.finish_sync(&name);
    // Bookings that became tokens may have filled a pool.
    if let Ok(mut desk) = state.desk() {
        crate::events::notify_alerts(app, &mut desk);
    }
    if let Ok(SyncOutcome { bookings: Some(b), .. }) = &result {
        for &session_id in &b.sessions_changed {
            QueueChanged { session_id }.emit(app).ok();
        }
    }
    result
}

/// A flag per running job, shared with its run.
#[derive(Default)]
pub struct RunningSyncs(std::sync::Mutex<std::collections::HashMap<String, Arc<AtomicBool>>>);

impl AppState {
    fn start_sync(&self, job: &str) -> Option<Arc<AtomicBool>> {
        let mut running = self.syncs.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if running.contains_key(job) {
            return None;
        }
        let flag = Arc::new(AtomicBool::new(false));
        running.insert(job.to_string(), flag.clone());
        Some(flag)
    }

    fn finish_sync(&self, job: &str) {
        self.syncs
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(job);
    }

    fn cancel_sync(&self, job: &str) -> bool {
        let running = self.syncs.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match running.get(&job.trim().to_uppercase()) {
            Some(flag) => {
                flag.store(true, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }
}

/// Active bookings per doctor or specialization on a date (Laporan).
#[tauri::command]
#[specta::specta]
pub fn stats_bookings(state: State<'_, AppState>, by: StatsBy, date: String) -> Result<Vec<BookingStat>, Error> {
    state.desk()?.sync_booking_stats(by, parse_date(&date)?)
}
