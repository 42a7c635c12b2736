use std::cell::RefCell;
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use loket_core::settings::Settings;
use loket_core::Result;
use loket_store::settings::Actor;
use loket_store::{MigrationReport, Store};
use rusqlite::Connection;

use crate::clock::{Clock, SystemClock};

/// One open desk profile: its database and its clock.
pub struct Desk {
    pub(crate) store: Store,
    clock: Arc<dyn Clock>,
    /// Settings with the change-log version they were read at.
    pub(crate) settings_cache: RefCell<Option<(i64, Arc<Settings>)>>,
    /// The last session a command touched, valid while the log's newest event is unchanged.
    pub(crate) opd_cache: Option<crate::opd::CachedSession>,
    /// Quota alerts raised by commands since the caller last took them (to notify).
    pub(crate) new_alerts: Vec<loket_store::outbox::DeskAlert>,
    /// Where credentials live when not the process's default (`LOKET_SECRETS`): the demo's own.
    secrets: Option<crate::credentials::SecretStore>,
    /// This desk is the demo (generated data, simulators), not a hospital's.
    demo: bool,
}

impl Desk {
    /// Opens (and migrates) the database at `path` with the system clock.
    pub fn open(path: &Path) -> Result<(Desk, MigrationReport)> {
        Desk::open_with_clock(path, Arc::new(SystemClock))
    }

    pub fn open_with_clock(path: &Path, clock: Arc<dyn Clock>) -> Result<(Desk, MigrationReport)> {
        let (store, report) = Store::open(path)?;
        Ok((Desk::new(store, clock), report))
    }

    fn new(store: Store, clock: Arc<dyn Clock>) -> Desk {
        Desk {
            store,
            clock,
            settings_cache: RefCell::new(None),
            opd_cache: None,
            new_alerts: Vec::new(),
            secrets: None,
            demo: false,
        }
    }

    pub fn in_memory(clock: Arc<dyn Clock>) -> Result<Desk> {
        Ok(Desk::new(Store::open_in_memory()?, clock))
    }

    /// Keeps this desk's credentials in `secrets` instead of the process's default store.
    pub fn use_secret_store(&mut self, secrets: crate::credentials::SecretStore) {
        self.secrets = Some(secrets);
    }

    /// The secret store this desk uses.
    pub fn secret_store(&self) -> Result<crate::credentials::SecretStore> {
        match &self.secrets {
            Some(s) => Ok(s.clone()),
            None => crate::credentials::SecretStore::from_env(),
        }
    }

    /// Marks the desk as the demo (shown as "MODE DEMO").
    pub fn set_demo(&mut self, demo: bool) {
        self.demo = demo;
    }

    pub fn is_demo(&self) -> bool {
        self.demo
    }

    /// The quota alerts raised since the last call, for a desktop notification each.
    pub fn take_new_alerts(&mut self) -> Vec<loket_store::outbox::DeskAlert> {
        std::mem::take(&mut self.new_alerts)
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
        settings_through(&self.settings_cache, self.store.conn()).map(|s| Settings::clone(&s))
    }

    /// The desk and clerk that every change is recorded with.
    pub fn actor(&self) -> Result<Actor> {
        settings_through(&self.settings_cache, self.store.conn()).map(|s| actor_of(&s))
    }
}

/// The desk and clerk of `settings`, as changes are recorded with them.
pub(crate) fn actor_of(settings: &Settings) -> Actor {
    Actor {
        desk_id: settings.desk_id.clone(),
        clerk: settings.clerk.clone(),
    }
}

/// The stored settings read through `cache` on `conn` (inside a write transaction, a command
/// reads them in its own snapshot instead of opening a read transaction of their own). Shared,
/// not copied: a token issue reads them on every command.
pub(crate) fn settings_through(
    cache: &RefCell<Option<(i64, Arc<Settings>)>>,
    conn: &Connection,
) -> Result<Arc<Settings>> {
    let version = loket_store::settings::version(conn)?;
    if let Some((v, s)) = cache.borrow().as_ref() {
        if *v == version {
            return Ok(Arc::clone(s));
        }
    }
    let settings = Arc::new(Settings::from_stored(&loket_store::settings::load(conn)?)?);
    *cache.borrow_mut() = Some((version, Arc::clone(&settings)));
    Ok(settings)
}
