//! `loket sync …` as a process against the hospital dashboard simulator on 127.0.0.1: credentials,
//! jobs, a run with its JSON counts, status, booking stats, and a kill -9 in the middle of a run
//! that leaves whole pages and is recovered by the next run.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use loket_sim::hospital::{BlockingHospital, HospitalConfig, HospitalFault, HospitalFaultKind, HospitalSim};
use loket_sim::{DEMO_DASHBOARD_API_KEY, DEMO_DASHBOARD_TOKEN};
use serde_json::Value;

fn loket() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_loket"))
}

struct Env {
    dir: tempfile::TempDir,
    sim: BlockingHospital,
}

impl Env {
    fn new() -> Env {
        let sim = HospitalSim::start_blocking(HospitalConfig {
            seed: 9,
            port: 0,
            ..HospitalConfig::default()
        })
        .unwrap();
        let env = Env {
            dir: tempfile::tempdir().unwrap(),
            sim,
        };
        let url = env.sim.base_url();
        env.json(&[
            "sync",
            "credentials",
            "set",
            "--url",
            &url,
            "--token",
            DEMO_DASHBOARD_TOKEN,
            "--api-key",
            DEMO_DASHBOARD_API_KEY,
        ]);
        env
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("loket.db")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(loket());
        c.arg("--db")
            .arg(self.db())
            .arg("--json")
            .args(args)
            .env("XDG_DATA_HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("LOKET_SECRETS", "file")
            .env_remove("LOKET_DB")
            .env_remove("LOKET_LOG");
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).stdin(Stdio::null()).output().unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    fn query(&self, sql: &str) -> i64 {
        let conn = rusqlite_conn(&self.db());
        conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }
}

fn rusqlite_conn(path: &std::path::Path) -> loket_store::rusqlite::Connection {
    let c = loket_store::rusqlite::Connection::open(path).unwrap();
    c.busy_timeout(Duration::from_secs(5)).unwrap();
    c
}

#[test]
fn run_status_jobs_and_stats_as_json() {
    let env = Env::new();
    let jobs = env.json(&["sync", "jobs"]);
    assert_eq!(jobs.as_array().unwrap().len(), 6);
    let today = chrono_today();
    let r = env.json(&["sync", "run", "JADWAL_DOKTER", "--from", &today, "--to", &today]);
    assert_eq!(r["run"]["status"], "ok");
    let fetched = r["run"]["counts"]["fetched"].as_u64().unwrap();
    assert!(fetched > 0);
    assert_eq!(r["run"]["counts"]["inserted"].as_u64().unwrap(), fetched);
    let status = env.json(&["sync", "status"]);
    let jadwal = status
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["job"] == "JADWAL_DOKTER")
        .unwrap();
    assert_eq!(jadwal["last_run"]["status"], "ok");
    let stats = env.json(&["stats", "bookings", "--by", "doctor", "--date", &today]);
    let doctors: i64 = env.query(&format!(
        "SELECT count(DISTINCT id_dokter) FROM sync_jadwal_dokter WHERE tanggal = '{today}'"
    ));
    assert_eq!(
        stats.as_array().unwrap().len() as i64,
        doctors,
        "every doctor, with 0 when none"
    );

    // Bad input: a clear error, exit 1, nothing run.
    let bad = env.run(&["sync", "run", "NOPE"]);
    assert!(!bad.status.success());
    let bad = env.run(&["sync", "run", "KUNJUNGAN", "--from", "2026-13-01", "--to", "2026-01-01"]);
    assert!(!bad.status.success());
}

fn chrono_today() -> String {
    #[allow(clippy::disallowed_methods)]
    let now = chrono::Utc::now();
    loket_core::time::wib_date(now).to_string()
}

#[test]
fn a_kill_in_the_middle_leaves_whole_pages_and_the_next_run_completes() {
    let env = Env::new();
    // Page 4 hangs long enough to be killed while waiting for it.
    env.sim.add_fault(HospitalFault::always(
        Some(310),
        Some(4),
        HospitalFaultKind::Delay { millis: 20_000 },
    ));
    let today = chrono_today();
    let from = loket_core::time::parse_date(&today).unwrap() - chrono::Days::new(20);
    let from = from.to_string();
    let mut child = env
        .command(&["sync", "run", "KUNJUNGAN", "--from", &from, "--to", &today])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the run never reached page 3"
        );
        std::thread::sleep(Duration::from_millis(100));
        if env.db().exists() {
            let conn = rusqlite_conn(&env.db());
            let done: Option<i64> = conn
                .query_row(
                    "SELECT max(pages_done) FROM sync_runs WHERE job = 'KUNJUNGAN'",
                    [],
                    |r| r.get(0),
                )
                .unwrap_or(None);
            if done == Some(3) {
                break;
            }
        }
    }
    let killed = Command::new("kill")
        .arg("-9")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(killed.success());
    let _ = child.wait();

    assert_eq!(
        env.query("SELECT count(*) FROM sync_kunjungan"),
        300,
        "three whole pages of 100"
    );
    assert_eq!(env.query("SELECT count(*) FROM sync_runs WHERE status = 'running'"), 1);
    env.sim.clear_faults();
    let r = env.json(&["sync", "run", "KUNJUNGAN", "--from", &from, "--to", &today]);
    assert_eq!(r["run"]["status"], "ok");
    assert_eq!(r["run"]["counts"]["unchanged"], 300);
    let total = r["run"]["counts"]["fetched"].as_i64().unwrap();
    assert_eq!(env.query("SELECT count(*) FROM sync_kunjungan"), total);
    assert_eq!(
        env.query("SELECT count(*) FROM sync_runs WHERE status = 'interrupted'"),
        1
    );
    let check = env.run(&["db", "check"]);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
}
