//! The demo: a desk filled from the local simulators (BPJS Antrean RS and the hospital
//! dashboard) so that a first-time user sees schedules, quotas, tokens and the outbox working.
//!
//! The demo always lives in its own database file and its own credentials folder (the caller
//! passes both), so demo data never mixes with a hospital's. [`Desk::demo_populate`] is
//! deterministic for a given simulator seed and day.

use std::sync::atomic::AtomicBool;

use chrono::Days;
use loket_core::opd::{Jenis, Source};
use loket_core::patient::PatientDetails;
use loket_core::sync::RunWindow;
use loket_core::time::wib_date;
use loket_core::{Error, Result};
use serde::Serialize;

use crate::credentials::{CredentialsInput, DashboardCredentials};
use crate::opd::{TokenAction, TokenRequest};
use crate::sync::{sync_run, ClientPolicy, DashboardClient, JOB_BOOKING, JOB_JADWAL};
use crate::Desk;

/// Where the simulators listen and what they accept.
#[derive(Debug, Clone)]
pub struct DemoServers {
    pub bpjs_base_url: String,
    pub cons_id: String,
    pub secret: String,
    pub user_key: String,
    pub dashboard_url: String,
    pub dashboard_token: String,
    pub dashboard_api_key: String,
    /// The hospital's PPK code the simulator knows.
    pub kode_ppk: String,
}

/// What the demo was filled with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DemoReport {
    pub polis: Vec<String>,
    pub shifts: u32,
    pub sessions: u32,
    pub booking_tokens: u32,
    pub walk_in_tokens: u32,
}

/// How many polis the demo shows.
const DEMO_POLIS: usize = 4;

impl Desk {
    /// Fills this (empty, demo) desk from the simulators: settings, credentials, the HFIS
    /// schedule of today and the next days, synced bookings as online tokens, a few walk-ins at
    /// the desk (one with incomplete BPJS details); their BPJS items wait in the outbox.
    pub fn demo_populate(&mut self, servers: &DemoServers) -> Result<DemoReport> {
        self.set_demo(true);
        let mut report = DemoReport::default();
        self.bpjs_set_credentials(&CredentialsInput {
            cons_id: servers.cons_id.clone(),
            secret: Some(servers.secret.clone()),
            user_key: Some(servers.user_key.clone()),
            env: None,
            base_url: Some(servers.bpjs_base_url.clone()),
        })?;
        self.sync_set_credentials(
            &servers.dashboard_url,
            &servers.dashboard_token,
            &servers.dashboard_api_key,
        )?;
        let conn = self.bpjs_connection(None)?;
        let polis = conn.ref_poli()?;
        let today = wib_date(self.now());
        let dates: Vec<_> = (0..3).filter_map(|d| today.checked_add_days(Days::new(d))).collect();
        // The polis with most shifts this week, so the board is full.
        let mut chosen = Vec::new();
        for p in &polis {
            if chosen.len() == DEMO_POLIS {
                break;
            }
            if chosen.iter().any(|c: &loket_bpjs::model::Poli| c.kdpoli == p.kdpoli) {
                continue;
            }
            let shifts = conn.jadwal(&p.kdpoli, &today.to_string()).map(|j| j.len()).unwrap_or(0);
            if shifts > 0 {
                chosen.push(p.clone());
            }
        }
        if chosen.len() < 3 {
            return Err(Error::internal(
                "the simulator has fewer than 3 polis with a schedule today",
            ));
        }
        let polis_setting = chosen
            .iter()
            .map(|p| format!("{}={}", p.kdpoli, p.nmpoli))
            .collect::<Vec<_>>()
            .join(", ");
        self.set_setting("hospital_name", "RS Contoh Sejahtera (demo)")?;
        self.set_setting("polis", &polis_setting)?;
        self.set_setting("desk_id", "LOKET-DEMO")?;
        self.set_setting("kode_ppk", &servers.kode_ppk)?;
        self.set_setting("clerk", "Petugas Demo")?;
        let codes: Vec<String> = chosen.iter().map(|p| p.kdpoli.clone()).collect();
        report.polis = codes.clone();
        let refreshed = self.quota_refresh_with(&conn, &codes, &dates)?;
        report.shifts = refreshed.fetched_shifts;
        report.sessions = u32::try_from(refreshed.created_sessions.len()).unwrap_or(u32::MAX);

        let dashboard = DashboardCredentials::new(
            &servers.dashboard_url,
            &servers.dashboard_token,
            &servers.dashboard_api_key,
            self.now(),
        )?;
        let client = DashboardClient::new(&dashboard, ClientPolicy::default())?;
        let cancel = AtomicBool::new(false);
        let back = today.checked_sub_days(Days::new(14)).unwrap_or(today);
        let horizon = today.checked_add_days(Days::new(7)).unwrap_or(today);
        // The visits job covers the whole year in the demo, so that Laporan SPM has months to
        // show; the worker's first scheduled run fetches them in the background.
        let mut visits = self.sync_job(crate::spm::JOB_KUNJUNGAN)?;
        let jan1 = chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), 1, 1).unwrap_or(today);
        visits.default_days.back = u32::try_from((today - jan1).num_days()).unwrap_or(0);
        self.sync_save_job(&visits, true)?;
        sync_run(
            &mut *self,
            &client,
            JOB_JADWAL,
            RunWindow::Dates {
                from: today,
                to: horizon,
            },
            &|_| {},
            &cancel,
        )?;
        let bookings = sync_run(
            &mut *self,
            &client,
            JOB_BOOKING,
            RunWindow::Dates { from: back, to: today },
            &|_| {},
            &cancel,
        )?;
        report.booking_tokens = bookings.bookings.map_or(0, |b| b.issued);

        // Walk-ins at the desk today: complete JKN details, non-JKN, and one with the card missing.
        let sessions = self.opd_sessions(&today.to_string(), None)?;
        let patients = [
            (Jenis::Jkn, Some("0001234567890"), "3174012345678901", Some(1u8), false),
            (Jenis::NonJkn, None, "3174019876543210", None, true),
            (Jenis::Jkn, None, "3174011111222233", Some(3u8), false),
        ];
        let now = self.now();
        let mut issued = Vec::new();
        for (i, s) in sessions.iter().take(3).enumerate() {
            let (jenis, kartu, nik, kunjungan, baru) = patients[i % patients.len()];
            let req = TokenRequest {
                session_id: s.session_id,
                slot_id: None,
                source: Source::WalkIn,
                paid: false,
                jenis,
                norm: Some(format!("DEMO{:04}", i + 1)),
                name: None,
                patient: PatientDetails {
                    nomorkartu: kartu.map(String::from),
                    nik: Some(nik.into()),
                    nohp: Some("081234567890".into()),
                    jeniskunjungan: kunjungan,
                    nomorreferensi: kunjungan.map(|_| format!("0301R00101{:02}B00000{i}", now.format("%m"))),
                    pasien_baru: baru,
                    norm: None,
                },
            };
            // A session already past its last slot refuses; the demo just skips it.
            if let Ok(t) = self.opd_request_token(&req) {
                issued.push(t.token_id);
            }
        }
        report.walk_in_tokens = u32::try_from(issued.len()).unwrap_or(u32::MAX);
        if let Some(first) = issued.first() {
            let _ = self.opd_token_action(*first, TokenAction::Call, None);
        }
        // The outbox goes out in the background (the app's worker), as at a real desk.
        // The alerts of filling the demo are its banners; nothing to notify at start.
        self.take_new_alerts();
        tracing::info!(?report, "demo desk populated");
        Ok(report)
    }
}
