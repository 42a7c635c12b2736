//! Structured logs to a daily-rotating file in the app-data folder (14 days kept) and to stderr.
//! Log ids and codes only: never patient names, NIK, card or phone numbers.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{Builder, Rotation};
use tracing_subscriber::prelude::*;
use tracing_subscriber::EnvFilter;

pub fn init(dir: &Path) -> Option<WorkerGuard> {
    let filter = || EnvFilter::try_from_env("LOKET_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let file = std::fs::create_dir_all(dir).ok().and_then(|_| {
        Builder::new()
            .rotation(Rotation::DAILY)
            .filename_prefix("loket")
            .filename_suffix("log")
            .max_log_files(14)
            .build(dir)
            .ok()
    });
    // Colour only on a terminal: redirected stderr (tauri-driver, service managers) stays plain.
    let colour = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let stderr = tracing_subscriber::fmt::layer()
        .with_ansi(colour)
        .with_writer(std::io::stderr)
        .with_filter(filter());
    match file {
        Some(appender) => {
            let (writer, guard) = tracing_appender::non_blocking(appender);
            let json = tracing_subscriber::fmt::layer()
                .json()
                .with_writer(writer)
                .with_filter(filter());
            tracing_subscriber::registry().with(stderr).with(json).init();
            Some(guard)
        }
        None => {
            tracing_subscriber::registry().with(stderr).init();
            tracing::warn!(dir = %dir.display(), "log folder not writable; logging to stderr only");
            None
        }
    }
}
