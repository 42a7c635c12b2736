//! Events the core pushes to the UI, and desktop notifications.

use serde::{Deserialize, Serialize};
use tauri::AppHandle;
use tauri_plugin_notification::NotificationExt;

/// A session's queue changed (any desk window showing it reloads).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct QueueChanged {
    pub session_id: loket_core::opd::SessionId,
}

/// Shows a desktop notification; a failure is logged, never fatal.
pub fn notify(app: &AppHandle, title: &str, body: &str) {
    if let Err(e) = app
        .notification()
        .builder()
        .title(format!("Loket: {title}"))
        .body(body)
        .show()
    {
        tracing::warn!(error = %e, "notification failed");
    }
}
