//! Events the core pushes to the UI, and desktop notifications.

use serde::{Deserialize, Serialize};
use tauri::AppHandle;
use tauri_plugin_notification::NotificationExt;

/// A session's queue changed (any desk window showing it reloads).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct QueueChanged {
    pub session_id: loket_core::opd::SessionId,
}

/// The outbox worker sent something (the Sinkronisasi screen reloads).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct OutboxChanged {
    pub attempted: u32,
}

/// A schedule refresh finished a poli-date (`done` of `total`).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct RefreshProgress {
    pub done: u32,
    pub total: u32,
}

/// A sync run finished a page (the Sinkronisasi progress bar).
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct SyncProgress {
    pub job: String,
    pub progress: loket_service::sync::Progress,
}

/// Notifies the quota alerts the last command raised (each transition once; the banners are
/// stored by the command itself).
pub fn notify_alerts(app: &AppHandle, desk: &mut loket_service::Desk) {
    for alert in desk.take_new_alerts() {
        let title = if alert.kind == loket_service::outbox::ALERT_QUOTA_FULL {
            "Kuota penuh"
        } else {
            "Kuota hampir penuh"
        };
        notify(app, title, &alert.message);
    }
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
