//! The BPJS outbox (Sinkronisasi screen), the patient details of a token, and the clerk's
//! banners (quota alerts).

use loket_core::opd::TokenId;
use loket_core::patient::PatientDetails;
use loket_core::Error;
use loket_service::outbox::{OutboxItemView, OutboxStatus, RunReport, TokenDetailsOutcome};
use loket_store::outbox::DeskAlert;
use tauri::{AppHandle, State};

use super::bpjs::blocking;
use crate::AppState;

/// Summary and items, unsent first.
#[tauri::command]
#[specta::specta]
pub fn outbox_status(state: State<'_, AppState>, limit: u32) -> Result<OutboxStatus, Error> {
    state.desk()?.outbox_status(limit.clamp(1, 1000))
}

/// Sends a failed item again, with the rest of its booking after it.
#[tauri::command]
#[specta::specta]
pub fn outbox_retry(state: State<'_, AppState>, id: i32) -> Result<OutboxItemView, Error> {
    state.desk()?.outbox_retry(i64::from(id))
}

/// Runs the worker now instead of waiting for its next round.
#[tauri::command]
#[specta::specta]
pub async fn outbox_run_now(app: AppHandle) -> Result<RunReport, Error> {
    blocking(move || crate::worker::run_outbox(&app)).await
}

/// Stores the patient details BPJS needs for a token already issued (given fields replace the
/// stored ones); says whether the token goes to BPJS and what is still missing.
#[tauri::command]
#[specta::specta]
pub fn opd_token_details(
    state: State<'_, AppState>,
    token_id: TokenId,
    details: PatientDetails,
) -> Result<TokenDetailsOutcome, Error> {
    state.desk()?.opd_token_details(token_id, &details)
}

/// The details stored for a token, to prefill the dialog.
#[tauri::command]
#[specta::specta]
pub fn opd_token_patient(state: State<'_, AppState>, token_id: TokenId) -> Result<PatientDetails, Error> {
    state.desk()?.opd_token_patient(token_id)
}

/// Open banners, newest first.
#[tauri::command]
#[specta::specta]
pub fn alerts_open(state: State<'_, AppState>) -> Result<Vec<DeskAlert>, Error> {
    state.desk()?.open_alerts()
}

#[tauri::command]
#[specta::specta]
pub fn alert_dismiss(state: State<'_, AppState>, id: i32) -> Result<(), Error> {
    state.desk()?.dismiss_alert(i64::from(id))
}
