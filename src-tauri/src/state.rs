use std::sync::{Mutex, MutexGuard};

use loket_core::{Error, Result};
use loket_service::Desk;

use crate::instance::DbLock;

/// What every command reaches: the open desk (one SQLite connection) behind a mutex.
pub struct AppState {
    desk: Mutex<Desk>,
    /// The sync jobs running now, with their cancel flags.
    pub(crate) syncs: crate::commands::sync::RunningSyncs,
    /// The hospital's database (where real credentials are saved, also in demo mode).
    pub(crate) real_db: std::path::PathBuf,
    /// The simulators of demo mode, alive while the app runs.
    _demo: Option<crate::demo::DemoSims>,
    _lock: DbLock,
}

impl AppState {
    pub fn new(desk: Desk, lock: DbLock, real_db: std::path::PathBuf, demo: Option<crate::demo::DemoSims>) -> Self {
        AppState {
            desk: Mutex::new(desk),
            syncs: Default::default(),
            real_db,
            _demo: demo,
            _lock: lock,
        }
    }

    /// The lock itself, for the outbox worker, which takes it step by step.
    pub fn desk_mutex(&self) -> &Mutex<Desk> {
        &self.desk
    }

    pub fn desk(&self) -> Result<MutexGuard<'_, Desk>> {
        self.desk
            .lock()
            .map_err(|_| Error::internal("Status aplikasi rusak setelah galat sebelumnya; mulai ulang Loket."))
    }
}
