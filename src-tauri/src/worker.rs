//! The worker: a background thread that, every few seconds, sends what is due to BPJS (the
//! outbox), refreshes the HFIS schedule once a day at the configured time (WIB), and runs the
//! dashboard sync jobs whose schedules are due. It takes the desk's lock only for the short
//! database steps (never while a server answers).

use std::time::Duration;

use loket_core::{Error, Result};
use loket_service::outbox::{run_up_to, OutboxSender, RunReport};
use tauri::{AppHandle, Manager};
use tauri_specta::Event as _;

use crate::events::OutboxChanged;
use crate::AppState;

/// Pause between two rounds.
const ROUND: Duration = Duration::from_secs(10);
/// Most outbox sends in one round (about what the BPJS rate limit allows in a round); the rest
/// go in the next rounds, so the schedules are never kept waiting long.
const ROUND_SENDS: u32 = 50;

/// One round: nothing when no BPJS credentials are stored.
pub fn run_outbox(app: &AppHandle) -> Result<RunReport> {
    let state = app.state::<AppState>();
    let Some(profile) = state.desk()?.bpjs_existing_profile()? else {
        return Ok(RunReport::default());
    };
    let sender = OutboxSender::new(&profile.connection(None)?)?;
    let report = run_up_to(state.desk_mutex(), &sender, ROUND_SENDS)?;
    if report.attempted > 0 {
        OutboxChanged {
            attempted: report.attempted,
        }
        .emit(app)
        .ok();
    }
    Ok(report)
}

/// The daily HFIS refresh when due, and the dashboard sync jobs whose schedules are due.
fn run_schedules(app: &AppHandle) -> Result<()> {
    let state = app.state::<AppState>();
    let due = state.desk()?.quota_daily_refresh_due()?;
    if let Some((polis, dates)) = due {
        tracing::info!(polis = polis.len(), days = dates.len(), "daily schedule refresh");
        crate::commands::quota::refresh(app, &polis, &dates)?;
    }
    // Collected first (the desk's lock must not be held while the jobs run); the credentials
    // (secret store IO) are looked at only when a job is due.
    let due = state.desk()?.sync_due_jobs()?;
    if !due.is_empty() && state.desk()?.sync_dashboard_credentials()?.is_some() {
        for (job, window) in due {
            if let Err(e) = crate::commands::sync::run_job(app, &job, window) {
                tracing::warn!(job = %job, code = e.code.as_str(), "scheduled sync failed");
            }
        }
    }
    Ok(())
}

/// Starts the worker thread for the app's lifetime: the outbox every round, and the schedules.
pub fn spawn(app: AppHandle) {
    if let Ok(mut desk) = app.state::<AppState>().desk() {
        if let Err(e) = desk.sync_close_abandoned() {
            log_error(&e);
        }
    }
    let spawned = std::thread::Builder::new().name("worker".into()).spawn(move || loop {
        if let Err(e) = run_outbox(&app) {
            log_error(&e);
        }
        if let Err(e) = run_schedules(&app) {
            log_error(&e);
        }
        // Between the clerk's actions: keep the write-ahead log short (see Store::checkpoint).
        if let Err(e) = app.state::<AppState>().desk().and_then(|d| d.store().checkpoint()) {
            log_error(&e);
        }
        std::thread::sleep(ROUND);
    });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "cannot start the outbox worker");
    }
}

fn log_error(e: &Error) {
    tracing::warn!(code = e.code.as_str(), "worker round failed");
}
