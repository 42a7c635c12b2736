//! Settings use cases: read, validate and store, with the change recorded against desk and clerk.

use loket_core::settings::{self as rules, Settings};
use loket_core::Result;
use loket_store::settings::SettingChange;

use crate::Desk;

impl Desk {
    /// The stored form of one key, or an error naming the keys that exist.
    pub fn setting(&self, key: &str) -> Result<String> {
        if !rules::KEYS.contains(&key) {
            return Err(rules::unknown_key(key));
        }
        self.settings()?.get(key)
    }

    /// Validates `value` and stores it. Invalid input changes nothing and says why.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<Settings> {
        let mut next = self.settings()?;
        let normalized = next.apply(key, value)?;
        // The change is recorded with the desk and clerk on duty before the change, except when
        // the change names them: then the new value is whom it is recorded with.
        let mut actor = self.actor()?;
        match key {
            "desk_id" => actor.desk_id = normalized.clone(),
            "clerk" => actor.clerk = normalized.clone(),
            _ => {}
        }
        let now = self.now();
        self.store
            .write(|tx| loket_store::settings::set(tx, key, &normalized, now, &actor))?;
        tracing::info!(key, "setting changed");
        Ok(next)
    }

    pub fn setting_changes(&self, limit: u32) -> Result<Vec<SettingChange>> {
        loket_store::settings::changes(self.store.conn(), limit)
    }
}

/// Every key with its Indonesian label, for `loket settings get` without a key.
pub fn describe(settings: &Settings) -> Result<Vec<(String, &'static str, String)>> {
    rules::KEYS
        .iter()
        .map(|k| Ok((k.to_string(), rules::label(k), settings.get(k)?)))
        .collect()
}
