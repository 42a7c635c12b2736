//! One running window per database file: an exclusive lock on `<db>.lock`, released by the OS
//! when the process ends (even after a crash).

use std::fs::{File, OpenOptions};
use std::path::Path;

use loket_core::{Error, ErrorCode, Result};

pub struct DbLock {
    _file: File,
}

impl DbLock {
    pub fn acquire(db: &Path) -> Result<DbLock> {
        if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::storage(format!("Folder data {} tidak dapat dibuat: {e}", dir.display())))?;
        }
        let path = db.with_extension(format!(
            "{}lock",
            db.extension()
                .map(|e| format!("{}.", e.to_string_lossy()))
                .unwrap_or_default()
        ));
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::storage(format!("Berkas kunci {} tidak dapat dibuka: {e}", path.display())))?;
        match file.try_lock() {
            Ok(()) => Ok(DbLock { _file: file }),
            Err(_) => Err(Error::new(
                ErrorCode::AlreadyRunning,
                format!(
                    "Loket sudah berjalan untuk database {}. Gunakan jendela yang sudah terbuka.",
                    db.display()
                ),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("loket.db");
        let first = DbLock::acquire(&db).unwrap();
        assert!(dir.path().join("loket.db.lock").exists());
        let err = DbLock::acquire(&db).err().unwrap();
        assert_eq!(err.code, ErrorCode::AlreadyRunning);
        // Another database is independent.
        let _other = DbLock::acquire(&dir.path().join("demo.db")).unwrap();
        drop(first);
        DbLock::acquire(&db).unwrap();
    }
}
