use loket_core::Error;
use loket_service::status::AppStatus;
use tauri::{AppHandle, State};
use tauri_plugin_notification::NotificationExt;

use crate::AppState;

#[tauri::command]
#[specta::specta]
pub fn app_status(state: State<'_, AppState>) -> Result<AppStatus, Error> {
    state.desk()?.status()
}

/// Sends a desktop notification so the clerk can see that notifications reach them.
#[tauri::command]
#[specta::specta]
pub fn send_test_notification(app: AppHandle, state: State<'_, AppState>) -> Result<(), Error> {
    let desk_id = state.desk()?.settings()?.desk_id;
    app.notification()
        .builder()
        .title("Loket: notifikasi uji")
        .body(format!("Notifikasi dari {desk_id} berfungsi."))
        .show()
        .map_err(|e| {
            tracing::warn!(error = %e, "test notification failed");
            Error::internal(format!("Notifikasi tidak dapat dikirim: {e}"))
        })?;
    tracing::info!("test notification sent");
    Ok(())
}

/// Restarts the app (after real credentials were saved in demo mode).
#[tauri::command]
#[specta::specta]
pub fn app_restart(app: AppHandle) {
    tracing::info!("restart requested");
    app.restart();
}
