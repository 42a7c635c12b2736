//! What the status bar shows.

use loket_core::Result;
use serde::{Deserialize, Serialize};

use crate::Desk;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AppStatus {
    pub hospital_name: String,
    pub desk_id: String,
    pub clerk: String,
    /// Whether BPJS credentials were saved for this database (they live outside it).
    pub bpjs_configured: bool,
    /// Whether the last BPJS call got through; `None` until one was made.
    pub bpjs_online: Option<bool>,
    pub demo_mode: bool,
    /// RFC 3339 UTC instant of the last successful sync, if any.
    pub last_sync_at: Option<String>,
    pub db_path: String,
    pub version: String,
}

impl Desk {
    pub fn status(&self) -> Result<AppStatus> {
        let s = self.settings()?;
        Ok(AppStatus {
            hospital_name: s.hospital_name,
            desk_id: s.desk_id,
            clerk: s.clerk,
            // The profile id is assigned when credentials are first saved.
            bpjs_configured: crate::credentials::existing_profile_id(self.store.conn())?.is_some(),
            bpjs_online: None,
            demo_mode: self.is_demo(),
            last_sync_at: self
                .store
                .conn()
                .query_row(
                    "SELECT max(finished_at) FROM sync_runs WHERE status IN ('ok', 'partial')",
                    [],
                    |r| r.get(0),
                )
                .map_err(loket_store::storage_error)?,
            db_path: self
                .store
                .path()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| ":memory:".into()),
            version: env!("CARGO_PKG_VERSION").to_string(),
        })
    }
}
