//! What a dashboard simulator looks like: credentials, seed, port, data volumes, faults.

use super::faults::HospitalFault;
use crate::config::SimConfig;
use loket_bpjs::{Clock, SystemClock};
use std::sync::Arc;

/// Demo `token` header accepted by default and printed by the binary.
pub const DEMO_DASHBOARD_TOKEN: &str = "loket-demo-dashboard-token";
/// Demo `x-api-key` header.
pub const DEMO_DASHBOARD_API_KEY: &str = "loket-demo-dashboard-api-key";

/// Settings of one dashboard simulator. Start from [`HospitalConfig::default`] (demo
/// credentials, port 0, seed 1) or [`HospitalConfig::matching`] to agree with a BPJS [`SimConfig`].
#[derive(Clone)]
pub struct HospitalConfig {
    /// Seed of the generated hospital. With the same seed and `libur_percent` as the BPJS
    /// simulator, doctors, sessions and libur days are the same.
    pub seed: u64,
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Accepted `token` header.
    pub token: String,
    /// Accepted `x-api-key` header.
    pub api_key: String,
    /// Faults active from the start.
    pub faults: Vec<HospitalFault>,
    /// BOOKING_PASIEN (239): bookings registered per day. A window of `d` whole past days holds
    /// exactly `d × bookings_per_day` bookings (plus any added through a mutation).
    pub bookings_per_day: u32,
    /// KUNJUNGAN (310): visits per day besides the DM/HT control visits (fewer on Sunday).
    pub visits_per_day: u32,
    /// KUNJUNGAN (310): patients with diabetes and/or hypertension who come for monthly control.
    pub chronic_patients: u32,
    /// KUNJUNGAN (310): chance (percent) that a chronic patient skips a given month.
    pub gap_percent: u8,
    /// DEPOSIT_PASIEN (301): deposits per day (fewer on Sunday).
    pub deposits_per_day: u32,
    /// TAGIHAN_PASIEN (302): bill items per day (fewer on Sunday).
    pub bill_items_per_day: u32,
    /// Size of the patient population the rows draw from.
    pub patient_count: u32,
    /// Days of history before the start date (visits, bills, deposits, registrations).
    pub history_days: u32,
    /// JADWAL_DOKTER (123): days of schedule after today.
    pub schedule_days_ahead: u32,
    /// Chance (percent) that a doctor is off on a given date; keep it equal to the BPJS
    /// simulator's.
    pub libur_percent: u8,
    /// Hospital code used in control letter numbers.
    pub kdppk: String,
    /// The simulator's notion of now (which days exist, today's statuses).
    pub clock: Arc<dyn Clock>,
}

impl Default for HospitalConfig {
    fn default() -> Self {
        let sim = SimConfig::default();
        Self {
            seed: sim.seed,
            port: 0,
            token: DEMO_DASHBOARD_TOKEN.into(),
            api_key: DEMO_DASHBOARD_API_KEY.into(),
            faults: Vec::new(),
            bookings_per_day: 150,
            visits_per_day: 80,
            chronic_patients: 600,
            gap_percent: 12,
            deposits_per_day: 12,
            bill_items_per_day: 150,
            patient_count: 20_000,
            history_days: 400,
            schedule_days_ahead: 120,
            libur_percent: sim.libur_percent,
            kdppk: sim.kdppk,
            clock: Arc::new(SystemClock),
        }
    }
}

impl HospitalConfig {
    /// Defaults that agree with a BPJS simulator: same seed, libur chance, hospital code and clock.
    pub fn matching(sim: &SimConfig) -> Self {
        Self {
            seed: sim.seed,
            libur_percent: sim.libur_percent,
            kdppk: sim.kdppk.clone(),
            clock: sim.clock.clone(),
            ..Self::default()
        }
    }
}

impl std::fmt::Debug for HospitalConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HospitalConfig")
            .field("seed", &self.seed)
            .field("port", &self.port)
            .field("token", &"[hidden]")
            .field("api_key", &"[hidden]")
            .field("faults", &self.faults)
            .field("bookings_per_day", &self.bookings_per_day)
            .field("history_days", &self.history_days)
            .finish_non_exhaustive()
    }
}
