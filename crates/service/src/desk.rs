use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use loket_core::settings::Settings;
use loket_core::Result;
use loket_store::settings::Actor;
use loket_store::{MigrationReport, Store};

use crate::clock::{Clock, SystemClock};

/// One open desk profile: its database and its clock.
pub struct Desk {
    pub(crate) store: Store,
    clock: Arc<dyn Clock>,
}

impl Desk {
    /// Opens (and migrates) the database at `path` with the system clock.
    pub fn open(path: &Path) -> Result<(Desk, MigrationReport)> {
        Desk::open_with_clock(path, Arc::new(SystemClock))
    }

    pub fn open_with_clock(path: &Path, clock: Arc<dyn Clock>) -> Result<(Desk, MigrationReport)> {
        let (store, report) = Store::open(path)?;
        Ok((Desk { store, clock }, report))
    }

    pub fn in_memory(clock: Arc<dyn Clock>) -> Result<Desk> {
        Ok(Desk {
            store: Store::open_in_memory()?,
            clock,
        })
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn set_clock(&mut self, clock: Arc<dyn Clock>) {
        self.clock = clock;
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// The effective settings (stored values over defaults).
    pub fn settings(&self) -> Result<Settings> {
        Settings::from_stored(&loket_store::settings::load(self.store.conn())?)
    }

    /// The desk and clerk that every change is recorded with.
    pub fn actor(&self) -> Result<Actor> {
        let s = self.settings()?;
        Ok(Actor {
            desk_id: s.desk_id,
            clerk: s.clerk,
        })
    }
}
