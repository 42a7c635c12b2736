//! The outbox worker: a background thread that sends what is due to BPJS every few seconds,
//! taking the desk's lock only for the short database steps (never while BPJS answers).

use std::time::Duration;

use loket_core::{Error, Result};
use loket_service::outbox::{run_once, OutboxSender, RunReport};
use tauri::{AppHandle, Manager};
use tauri_specta::Event as _;

use crate::events::OutboxChanged;
use crate::AppState;

/// Pause between two rounds.
const ROUND: Duration = Duration::from_secs(10);

/// One round: nothing when no BPJS credentials are stored.
pub fn run_outbox(app: &AppHandle) -> Result<RunReport> {
    let state = app.state::<AppState>();
    let Some(profile) = state.desk()?.bpjs_existing_profile()? else {
        return Ok(RunReport::default());
    };
    let sender = OutboxSender::new(&profile.connection(None)?)?;
    let report = run_once(state.desk_mutex(), &sender)?;
    if report.attempted > 0 {
        OutboxChanged {
            attempted: report.attempted,
        }
        .emit(app)
        .ok();
    }
    Ok(report)
}

/// Starts the worker thread for the app's lifetime.
pub fn spawn(app: AppHandle) {
    let spawned = std::thread::Builder::new().name("outbox".into()).spawn(move || loop {
        if let Err(e) = run_outbox(&app) {
            log_error(&e);
        }
        std::thread::sleep(ROUND);
    });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "cannot start the outbox worker");
    }
}

fn log_error(e: &Error) {
    tracing::warn!(code = e.code.as_str(), "outbox round failed");
}
