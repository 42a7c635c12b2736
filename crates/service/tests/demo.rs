//! The demo desk filled from both simulators over HTTP on 127.0.0.1: at least 3 polis and 6
//! doctors with several shifts, quotas, booking and walk-in tokens, and the outbox at work.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::DateTime;
use loket_bpjs::ManualClock;
use loket_service::credentials::SecretStore;
use loket_service::demo::DemoServers;
use loket_service::{Desk, FixedClock};
use loket_sim::hospital::{HospitalConfig, HospitalSim};
use loket_sim::{
    Sim, SimConfig, DEMO_CONS_ID, DEMO_DASHBOARD_API_KEY, DEMO_DASHBOARD_TOKEN, DEMO_SECRET, DEMO_USER_KEY,
};

/// 2026-01-19 08:00 WIB, a Monday.
const NOW_SECS: u64 = 1_768_784_400;

#[test]
fn the_demo_shows_schedules_quotas_tokens_and_the_outbox() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let clock = Arc::new(ManualClock::at(NOW_SECS));
    let config = SimConfig {
        seed: 1,
        port: 0,
        clock: clock.clone(),
        // The client signs with the real clock; the simulator lives on 2026-01-19.
        timestamp_tolerance: None,
        ..SimConfig::default()
    };
    let hospital = HospitalConfig {
        port: 0,
        ..HospitalConfig::matching(&config)
    };
    let kode_ppk = config.kdppk.clone();
    let bpjs = rt.block_on(Sim::start(config)).unwrap();
    let dashboard = HospitalSim::start_blocking(hospital).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let now = DateTime::from_timestamp(NOW_SECS as i64, 0).unwrap();
    let (mut desk, _) = Desk::open_with_clock(&dir.path().join("demo.db"), Arc::new(FixedClock(now))).unwrap();
    desk.use_secret_store(SecretStore::file_in(dir.path().join("secrets")));
    let report = desk
        .demo_populate(&DemoServers {
            bpjs_base_url: bpjs.base_url(),
            cons_id: DEMO_CONS_ID.into(),
            secret: DEMO_SECRET.into(),
            user_key: DEMO_USER_KEY.into(),
            dashboard_url: dashboard.base_url(),
            dashboard_token: DEMO_DASHBOARD_TOKEN.into(),
            dashboard_api_key: DEMO_DASHBOARD_API_KEY.into(),
            kode_ppk,
        })
        .unwrap();
    assert!(report.polis.len() >= 3, "{report:?}");
    assert!(desk.status().unwrap().demo_mode);
    let board = desk.quota_board("2026-01-19", None).unwrap();
    let doctors: BTreeSet<_> = board.iter().map(|b| b.doctor_code.clone()).collect();
    assert!(doctors.len() >= 6, "{} doctors", doctors.len());
    assert!(board.len() > doctors.len(), "several shifts");
    assert!(report.booking_tokens > 0 && report.walk_in_tokens > 0, "{report:?}");
    // The outbox waits for the worker; one round sends what is complete.
    let sender = loket_service::outbox::OutboxSender::new(&desk.bpjs_connection(None).unwrap()).unwrap();
    let pending = desk.outbox_summary().unwrap().pending;
    assert!(pending > 0);
    let round = loket_service::outbox::run_once(&mut desk, &sender).unwrap();
    assert!(round.sent > 0, "{round:?}");
    let outbox = desk.outbox_status(500).unwrap().summary;
    assert!(outbox.sent > 0 && outbox.incomplete > 0, "{outbox:?}");
    // Bookings bring their patient's details: most of their BPJS items are complete.
    let items = desk.outbox_status(5000).unwrap().items;
    let adds: Vec<_> = items.iter().filter(|i| i.endpoint == "antrean/add").collect();
    let complete = adds.iter().filter(|i| i.state != "incomplete").count();
    assert!(
        complete * 2 > adds.len(),
        "{complete} of {} booking adds complete",
        adds.len()
    );
    rt.block_on(bpjs.shutdown());
}
