//! What a simulator instance looks like: credentials, seed, port, policies, faults.

use crate::faults::Fault;
use chrono::NaiveDate;
use loket_bpjs::{Clock, SystemClock};
use std::sync::Arc;
use std::time::Duration;

/// Demo consumer id printed by the binary.
pub const DEMO_CONS_ID: &str = "10001";
/// Demo consumer secret.
pub const DEMO_SECRET: &str = "loket-demo-secret";
/// Demo Antrean user key.
pub const DEMO_USER_KEY: &str = "loket-demo-user-key";

/// Settings of one simulator. Start from [`SimConfig::default`] (demo credentials, port 0).
#[derive(Clone)]
pub struct SimConfig {
    /// Seed of the generated hospital (polis, doctors, schedules, libur days).
    pub seed: u64,
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Accepted `X-cons-id`.
    pub cons_id: String,
    /// Secret of that consumer.
    pub secret: String,
    /// Accepted `user_key`.
    pub user_key: String,
    /// Faults active from the start.
    pub faults: Vec<Fault>,
    /// Accepted drift of `X-timestamp` from the simulator's clock (`None` = any).
    pub timestamp_tolerance: Option<Duration>,
    /// Write `/` as `\/` inside the ciphertext, as some BPJS serializers do.
    pub escape_slashes: bool,
    /// Hospital code on dashboards.
    pub kdppk: String,
    /// Hospital name on dashboards.
    pub nmppk: String,
    /// Dates with schedules; `None` = 30 days back to 120 days ahead of the clock's today.
    pub schedule_window: Option<(NaiveDate, NaiveDate)>,
    /// Chance (percent) that a doctor is off on a given date.
    pub libur_percent: u8,
    /// Referral numbers refused with `Rujukan tidak valid` (JKN, jeniskunjungan 1).
    pub invalid_rujukan: Vec<String>,
    /// The simulator's notion of now (server receipt times, timestamp drift).
    pub clock: Arc<dyn Clock>,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            seed: 1,
            port: 0,
            cons_id: DEMO_CONS_ID.into(),
            secret: DEMO_SECRET.into(),
            user_key: DEMO_USER_KEY.into(),
            faults: Vec::new(),
            timestamp_tolerance: Some(Duration::from_secs(300)),
            escape_slashes: true,
            kdppk: "0101R001".into(),
            nmppk: "RS SIMULASI LOKET".into(),
            schedule_window: None,
            libur_percent: 8,
            invalid_rujukan: vec!["RUJUKAN-KEDALUWARSA".into()],
            clock: Arc::new(SystemClock),
        }
    }
}

impl std::fmt::Debug for SimConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimConfig")
            .field("seed", &self.seed)
            .field("port", &self.port)
            .field("cons_id", &self.cons_id)
            .field("secret", &"[hidden]")
            .field("user_key", &"[hidden]")
            .field("faults", &self.faults)
            .field("timestamp_tolerance", &self.timestamp_tolerance)
            .finish_non_exhaustive()
    }
}
