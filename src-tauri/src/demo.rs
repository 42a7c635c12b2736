//! Demo mode: with no BPJS credentials for the hospital's database, the app runs on a separate
//! demo database filled from the local simulators (BPJS Antrean RS and the hospital dashboard,
//! in this process on 127.0.0.1), labelled "MODE DEMO". Saving real BPJS credentials (which go
//! to the hospital's database) leaves demo mode at the next start. `LOKET_DEMO=0` turns it off.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use loket_core::Result;
use loket_service::credentials::SecretStore;
use loket_service::demo::DemoServers;
use loket_service::Desk;
use loket_sim::hospital::{BlockingHospital, HospitalConfig, HospitalSim};
use loket_sim::{
    Sim, SimConfig, SimHandle, DEMO_CONS_ID, DEMO_DASHBOARD_API_KEY, DEMO_DASHBOARD_TOKEN, DEMO_SECRET, DEMO_USER_KEY,
};

/// The running simulators; they stop when this is dropped (at exit).
pub struct DemoSims {
    _runtime: tokio::runtime::Runtime,
    _bpjs: SimHandle,
    _dashboard: BlockingHospital,
}

/// Whether this start should be the demo: `--demo` / `--no-demo` on the command line decide;
/// else `LOKET_DEMO=0` turns it off; else the demo runs when the hospital's database has no BPJS
/// credentials.
pub fn wanted(real: &Desk) -> bool {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--demo") {
        return true;
    }
    if args.iter().any(|a| a == "--no-demo") || std::env::var("LOKET_DEMO").is_ok_and(|v| v.trim() == "0") {
        return false;
    }
    !real.bpjs_configured().unwrap_or(true)
}

/// The demo database beside the hospital's (`loket.db` → `loket-demo.db`).
pub fn db_path(real: &Path) -> PathBuf {
    let stem = real.file_stem().and_then(|s| s.to_str()).unwrap_or("loket");
    real.with_file_name(format!("{stem}-demo.db"))
}

/// Starts the simulators and opens a fresh demo desk filled from them.
pub fn start(real_db: &Path) -> Result<(Desk, DemoSims)> {
    let path = db_path(real_db);
    // Fresh every start: today's schedule and bookings, nothing left from last time.
    for suffix in ["", "-wal", "-shm", ".lock"] {
        let _ = std::fs::remove_file(PathBuf::from(format!("{}{suffix}", path.display())));
    }
    let secrets_dir = path.with_file_name("demo-credentials");
    let _ = std::fs::remove_dir_all(&secrets_dir);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .thread_name("loket-demo-sim")
        .build()
        .map_err(|e| loket_core::Error::internal(format!("demo runtime: {e}")))?;
    let config = SimConfig {
        port: 0,
        ..SimConfig::default()
    };
    let hospital = HospitalConfig {
        port: 0,
        ..HospitalConfig::matching(&config)
    };
    let kode_ppk = config.kdppk.clone();
    let bpjs = runtime
        .block_on(Sim::start(config))
        .map_err(|e| loket_core::Error::internal(format!("demo BPJS simulator: {e}")))?;
    let dashboard = HospitalSim::start_blocking(hospital)
        .map_err(|e| loket_core::Error::internal(format!("demo dashboard simulator: {e}")))?;
    let (mut desk, _) = Desk::open_with_clock(&path, Arc::new(loket_service::clock::SystemClock))?;
    desk.use_secret_store(SecretStore::file_in(secrets_dir));
    let report = desk.demo_populate(&DemoServers {
        bpjs_base_url: bpjs.base_url(),
        cons_id: DEMO_CONS_ID.into(),
        secret: DEMO_SECRET.into(),
        user_key: DEMO_USER_KEY.into(),
        dashboard_url: dashboard.base_url(),
        dashboard_token: DEMO_DASHBOARD_TOKEN.into(),
        dashboard_api_key: DEMO_DASHBOARD_API_KEY.into(),
        kode_ppk,
    })?;
    tracing::info!(db = %path.display(), ?report, "demo mode");
    Ok((
        desk,
        DemoSims {
            _runtime: runtime,
            _bpjs: bpjs,
            _dashboard: dashboard,
        },
    ))
}
