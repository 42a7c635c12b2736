//! The Loket desktop app: a Tauri shell over `loket-service`. Commands live in `commands/`, one
//! file per feature, each a few lines over a use case. Bindings for the UI are generated from
//! them (`bindings.rs`) and committed at `ui/src/lib/ipc/bindings.ts`.

pub mod bindings;
mod commands;
mod demo;
mod events;
mod instance;
mod logging;
mod state;
mod worker;

use std::path::PathBuf;
use std::process::ExitCode;

use tauri::Manager;

pub use state::AppState;

/// `--db PATH` from the command line, if given.
fn db_flag() -> Option<PathBuf> {
    let mut args = std::env::args_os().skip(1);
    while let Some(a) = args.next() {
        if a == "--db" {
            return args.next().map(PathBuf::from);
        }
        if let Some(v) = a.to_str().and_then(|s| s.strip_prefix("--db=")) {
            return Some(PathBuf::from(v));
        }
    }
    None
}

pub fn run() -> ExitCode {
    let db = loket_store::paths::resolve_db_path(db_flag());
    let _log_guard = logging::init(&loket_store::paths::app_data_dir().join("logs"));

    // One window per database file.
    let lock = match instance::DbLock::acquire(&db) {
        Ok(lock) => lock,
        Err(e) => {
            eprintln!("{}", e.message);
            tracing::warn!(db = %db.display(), "another instance holds this database");
            return ExitCode::from(3);
        }
    };

    let (desk, report) = match loket_service::Desk::open(&db) {
        Ok(opened) => opened,
        Err(e) => {
            eprintln!("Loket tidak dapat dibuka: {}", e.message);
            tracing::error!(code = e.code.as_str(), "failed to open the database");
            return ExitCode::from(2);
        }
    };
    tracing::info!(db = %db.display(), applied = ?report.applied, backup = ?report.backup, "database opened");

    // Without BPJS credentials: the demo, on its own database (the hospital's stays untouched).
    let (desk, demo_sims) = if demo::wanted(&desk) {
        match demo::start(&db) {
            Ok((demo_desk, sims)) => (demo_desk, Some(sims)),
            Err(e) => {
                tracing::warn!(
                    code = e.code.as_str(),
                    "demo mode could not start; opening the real database"
                );
                eprintln!(
                    "Mode demo tidak dapat dimulai ({}); Loket dibuka tanpa data demo.",
                    e.message
                );
                (desk, None)
            }
        }
    } else {
        (desk, None)
    };
    let real_db = db.clone();

    let builder = bindings::builder();
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            app.manage(AppState::new(desk, lock, real_db, demo_sims));
            worker::spawn(app.handle().clone());
            Ok(())
        })
        .run(tauri::generate_context!());
    match app {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Loket berhenti karena galat: {e}");
            tracing::error!(error = %e, "tauri run failed");
            ExitCode::FAILURE
        }
    }
}
