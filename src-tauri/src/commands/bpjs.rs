//! BPJS: credentials (kept outside the database) and the "Tes koneksi" of Pengaturan.
//!
//! The desk's lock is held only for the database part (the profile id); the secret store and
//! the network run on a blocking thread, so the rest of the app stays responsive meanwhile.

use loket_core::Error;
use loket_service::bpjs::TestOutcome;
use loket_service::credentials::{not_configured, CredentialsInput, CredentialsView};
use tauri::State;

use crate::AppState;

pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| Error::internal(format!("Tugas BPJS berhenti tak terduga: {e}")))?
}

/// Cons ID, environment, URL and where they are kept; the secret and user key masked.
#[tauri::command]
#[specta::specta]
pub async fn bpjs_credentials_view(state: State<'_, AppState>) -> Result<CredentialsView, Error> {
    let profile = state.desk()?.bpjs_existing_profile()?;
    blocking(move || match profile {
        Some(p) => p.view(),
        None => Ok(CredentialsView::unconfigured()),
    })
    .await
}

/// Validates and stores the credentials; an empty secret or user key keeps the stored one.
#[tauri::command]
#[specta::specta]
pub async fn bpjs_set_credentials(
    state: State<'_, AppState>,
    input: CredentialsInput,
) -> Result<CredentialsView, Error> {
    // In demo mode the hospital's database gets them (the demo keeps the simulator's); the
    // next start leaves demo mode.
    let profile = if state.desk()?.is_demo() {
        loket_service::Desk::open(&state.real_db)?.0.bpjs_profile()?
    } else {
        state.desk()?.bpjs_profile()?
    };
    blocking(move || profile.set_credentials(&input)).await
}

/// Calls ref/poli with the stored credentials (or `url_override`) and reports the outcome.
#[tauri::command]
#[specta::specta]
pub async fn bpjs_test_connection(
    state: State<'_, AppState>,
    url_override: Option<String>,
) -> Result<TestOutcome, Error> {
    let profile = state.desk()?.bpjs_existing_profile()?.ok_or_else(not_configured)?;
    blocking(move || profile.test_connection(url_override.as_deref())).await
}
