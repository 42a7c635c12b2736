//! Shared state behind the routes.

use crate::bookings::Bookings;
use crate::config::SimConfig;
use crate::faults::FaultTable;
use crate::hfis::Hfis;
use std::sync::Mutex;
use std::time::Instant;
use tokio::sync::watch;

/// One request as the simulator saw it (before any checks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// Endpoint name, e.g. `antrean/add`, `antrean/pendaftaran/aktif`.
    pub endpoint: String,
    /// When it arrived (monotonic).
    pub at: Instant,
    /// Its `X-timestamp` header, if any.
    pub timestamp: Option<String>,
}

/// Mutable state, behind one lock held only for short, non-async sections.
pub(crate) struct SimState {
    pub(crate) hfis: Hfis,
    pub(crate) bookings: Bookings,
    pub(crate) faults: FaultTable,
    pub(crate) log: Vec<RecordedRequest>,
}

pub(crate) struct Shared {
    pub(crate) config: SimConfig,
    pub(crate) state: Mutex<SimState>,
    pub(crate) started: Instant,
    pub(crate) shutdown: watch::Receiver<bool>,
}

impl Shared {
    /// Locks the state; a panic in another request does not poison the simulator.
    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, SimState> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
