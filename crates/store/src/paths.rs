//! Where the database lives: `--db PATH`, else `LOKET_DB`, else the OS app-data location
//! (`$XDG_DATA_HOME/id.loket.desk/loket.db`, i.e. `~/.local/share/id.loket.desk/loket.db`), the same
//! folder Tauri uses for the app identifier `id.loket.desk`.

use std::path::PathBuf;

pub const APP_IDENTIFIER: &str = "id.loket.desk";
pub const DB_FILE: &str = "loket.db";

/// The app-data folder of Loket.
pub fn app_data_dir() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join(APP_IDENTIFIER)
}

/// Resolves the database path: explicit flag, then `LOKET_DB`, then the app-data default.
pub fn resolve_db_path(flag: Option<PathBuf>) -> PathBuf {
    flag.or_else(|| {
        std::env::var_os("LOKET_DB")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    })
    .unwrap_or_else(|| app_data_dir().join(DB_FILE))
}
