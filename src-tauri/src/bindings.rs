//! The commands the UI may call, and the TypeScript bindings generated from them.
//! `ui/src/lib/ipc/bindings.ts` is committed; the test below fails when it is stale, and
//! `LOKET_WRITE_BINDINGS=1 cargo test -p loket-desk bindings` rewrites it.

use specta_typescript::Typescript;
use tauri_specta::{collect_commands, collect_events, Builder};

use crate::commands::{balance, bpjs, opd, outbox, quota, settings, spm, sync, system};
use crate::events::{OutboxChanged, QueueChanged, RefreshProgress, SyncProgress};

pub const BINDINGS_PATH: &str = "ui/src/lib/ipc/bindings.ts";

pub fn builder() -> Builder<tauri::Wry> {
    Builder::<tauri::Wry>::new()
        .commands(collect_commands![
            system::app_status,
            system::send_test_notification,
            system::app_restart,
            settings::get_settings,
            settings::set_setting,
            opd::opd_sessions,
            opd::opd_session,
            opd::opd_events,
            opd::opd_add_session,
            opd::opd_request_token,
            opd::opd_token_action,
            opd::opd_set_slot_capacity,
            opd::opd_ticket,
            opd::opd_print_ticket,
            bpjs::bpjs_credentials_view,
            bpjs::bpjs_set_credentials,
            bpjs::bpjs_test_connection,
            quota::quota_board,
            quota::quota_refresh,
            outbox::outbox_status,
            outbox::outbox_retry,
            outbox::outbox_run_now,
            outbox::opd_token_details,
            outbox::opd_token_patient,
            outbox::alerts_open,
            outbox::alert_dismiss,
            sync::sync_jobs,
            sync::sync_save_job,
            sync::sync_runs,
            sync::sync_credentials_view,
            sync::sync_set_credentials,
            sync::sync_run_now,
            sync::sync_cancel,
            sync::stats_bookings,
            spm::spm_report,
            spm::spm_month,
            spm::spm_patient,
            spm::spm_set_target,
            spm::spm_csv,
            spm::spm_export_csv,
            balance::balance_search,
            balance::balance_show,
            balance::balance_transactions,
            balance::balance_current,
            balance::balance_unpriced,
        ])
        .events(collect_events![
            QueueChanged,
            OutboxChanged,
            SyncProgress,
            RefreshProgress
        ])
}

/// Writes the TypeScript bindings to `path`.
pub fn export(path: &std::path::Path) -> Result<(), String> {
    builder()
        .export(
            Typescript::default()
                .header("// Generated from the Rust commands by src-tauri/src/bindings.rs. Do not edit.\n"),
            path,
        )
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn bindings_are_fresh() {
        let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join(super::BINDINGS_PATH);
        if std::env::var_os("LOKET_WRITE_BINDINGS").is_some() {
            super::export(&committed).unwrap();
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let fresh = dir.path().join("bindings.ts");
        super::export(&fresh).unwrap();
        let want = std::fs::read_to_string(&fresh).unwrap();
        let have = std::fs::read_to_string(&committed).unwrap_or_default();
        assert!(
            want == have,
            "{} is stale: run `LOKET_WRITE_BINDINGS=1 cargo test -p loket-desk bindings` and commit it",
            super::BINDINGS_PATH
        );
    }
}
