use loket_core::Error;

/// Maps a SQLite failure to the clerk-facing error. SQLite's messages name tables and columns,
/// never the values in them, so no patient data leaks through here.
pub fn storage_error(e: rusqlite::Error) -> Error {
    match e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::DatabaseBusy => {
            Error::storage("Database sedang dipakai proses lain terlalu lama; coba lagi.")
        }
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase => Error::new(
            loket_core::ErrorCode::Integrity,
            "Berkas database rusak atau bukan database Loket. Pulihkan dari cadangan (loket db backup).",
        ),
        other => Error::storage(format!("Gagal mengakses database lokal: {other}")),
    }
}
