//! `loket quota …` as a process against a `loket-sim` on 127.0.0.1 (`--bpjs-url`): refresh,
//! snapshots and calculate, with the file secret store.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use chrono::NaiveDate;
use loket_bpjs::model::JadwalDokter;
use loket_sim::{Sim, SimConfig, SimHandle, DEMO_CONS_ID, DEMO_SECRET, DEMO_USER_KEY};
use serde_json::Value;

fn loket() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_loket"))
}

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(loket());
        c.arg("--db")
            .arg(self.dir.path().join("loket.db"))
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
        parse(&self.run(args), args)
    }

    /// The simulator's credentials, stored with the production URL: calls reach the
    /// simulator only through `--bpjs-url`.
    fn with_credentials() -> Env {
        let env = Env::new();
        let mut child = env
            .command(&[
                "--json",
                "bpjs",
                "credentials",
                "set",
                "--cons-id",
                DEMO_CONS_ID,
                "--user-key",
                DEMO_USER_KEY,
                "--secret-stdin",
                "--env",
                "production",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{DEMO_SECRET}\n").as_bytes())
            .unwrap();
        parse(&child.wait_with_output().unwrap(), &["credentials", "set"]);
        env
    }
}

fn parse(out: &Output, args: &[&str]) -> Value {
    assert!(
        out.status.success(),
        "loket {args:?} failed ({:?}): {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not one JSON document ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

struct World {
    rt: tokio::runtime::Runtime,
    sim: Option<SimHandle>,
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

impl World {
    fn start() -> World {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let sim = rt
            .block_on(Sim::start(SimConfig {
                seed: 5,
                port: 0,
                libur_percent: 25,
                schedule_window: Some((day("2026-01-01"), day("2026-03-31"))),
                ..SimConfig::default()
            }))
            .unwrap();
        World { rt, sim: Some(sim) }
    }

    fn sim(&self) -> &SimHandle {
        self.sim.as_ref().unwrap()
    }

    fn jadwal(&self, poli: &str, date: NaiveDate) -> Vec<JadwalDokter> {
        self.sim().with_hfis(|h| h.jadwal(poli, date))
    }

    /// A poli and date with several shifts of one doctor and a libur doctor.
    fn busy_day(&self) -> (String, NaiveDate) {
        self.sim().with_hfis(|h| {
            let mut polis: Vec<String> = h.doctors().iter().map(|d| d.kodepoli.clone()).collect();
            polis.dedup();
            (0..60)
                .map(|i| day("2026-01-19") + chrono::Days::new(i))
                .flat_map(|d| polis.iter().map(move |p| (p.clone(), d)))
                .find(|(p, d)| {
                    let j = h.jadwal(p, *d);
                    let multi = j
                        .iter()
                        .any(|a| !a.is_libur() && j.iter().filter(|b| b.kodedokter == a.kodedokter).count() > 1);
                    multi && j.iter().any(JadwalDokter::is_libur)
                })
                .expect("a busy day")
        })
    }
}

impl Drop for World {
    fn drop(&mut self) {
        if let Some(sim) = self.sim.take() {
            self.rt.block_on(sim.shutdown());
        }
    }
}

#[test]
fn refresh_snapshots_and_calculate_through_the_binary() {
    let w = World::start();
    let env = Env::with_credentials();
    let url = w.sim().base_url();
    let (poli, date) = w.busy_day();
    let next = date.succ_opt().unwrap();
    let polis = format!("{poli},BED");
    let dates = format!("{date},{next}");
    let want: Vec<JadwalDokter> = [poli.as_str(), "BED"]
        .iter()
        .flat_map(|p| [date, next].map(|d| w.jadwal(p, d)))
        .flatten()
        .collect();
    let args = [
        "--json",
        "quota",
        "refresh",
        "--poli",
        &polis,
        "--date",
        &dates,
        "--bpjs-url",
        &url,
    ];
    let r = env.json(&args);
    assert_eq!(r["errors"].as_array().unwrap().len(), 0, "{r}");
    assert_eq!(r["fetched_shifts"].as_u64().unwrap() as usize, want.len());
    let open = want.iter().filter(|j| !j.is_libur()).count();
    assert_eq!(r["created_sessions"].as_array().unwrap().len(), open, "{r}");

    let again = env.json(&args);
    assert_eq!(again["created_sessions"].as_array().unwrap().len(), 0);
    assert_eq!(again["updated_sessions"].as_array().unwrap().len(), 0);
    assert_eq!(again["flagged"].as_array().unwrap().len(), 0);

    let d = date.to_string();
    let snaps = env.json(&["--json", "quota", "snapshots", "--date", &d, "--poli", &poli]);
    let snaps = snaps.as_array().unwrap();
    assert_eq!(snaps.len(), w.jadwal(&poli, date).len());
    for s in snaps {
        assert_eq!(s["source"], "BPJS_HFIS");
        assert_eq!(s["session_id"].is_null(), s["libur"].as_bool().unwrap(), "{s}");
    }
    let all = env.json(&["--json", "quota", "snapshots", "--date", &d]);
    assert!(all.as_array().unwrap().len() >= snaps.len());

    // Two tokens on one shift, then its quota.
    let shift = snaps.iter().find(|s| !s["libur"].as_bool().unwrap()).unwrap();
    let sid = shift["session_id"].as_i64().unwrap().to_string();
    let at = format!("{d}T06:00:00+07:00");
    for jenis in ["jkn", "non_jkn"] {
        env.json(&[
            "--json",
            "opd",
            "token",
            "request",
            "--session",
            &sid,
            "--source",
            "walk_in",
            "--jenis",
            jenis,
            "--at",
            &at,
        ]);
    }
    let dokter = shift["doctor_code"].as_str().unwrap();
    let jam = shift["jam_praktek"].as_str().unwrap();
    let q = env.json(&[
        "--json",
        "quota",
        "calculate",
        "--poli",
        &poli,
        "--dokter",
        dokter,
        "--date",
        &d,
        "--jam",
        jam,
    ]);
    let k = shift["kapasitas"].as_u64().unwrap();
    assert_eq!(q["poli_id"], poli.as_str());
    assert_eq!(q["dokter_id"], dokter);
    assert_eq!(q["tanggal"], d.as_str());
    assert_eq!(q["jam_praktek"], jam);
    assert_eq!(q["kuota_jkn"].as_u64().unwrap(), k);
    assert_eq!(q["kuota_nonjkn"].as_u64().unwrap(), k * 3 / 10);
    assert_eq!(q["total_registrasi_jkn"], 1);
    assert_eq!(q["sisa_kuota_jkn"].as_u64().unwrap(), k - 1);
    assert_eq!(q["total_registrasi_nonjkn"], 1);
    assert_eq!(q["sisa_kuota_nonjkn"].as_u64().unwrap(), k * 3 / 10 - 1);
    assert!(q["estimasi_dilayani_berikutnya"]["epoch_ms"].is_i64());

    let human = env.run(&[
        "quota",
        "calculate",
        "--poli",
        &poli,
        "--dokter",
        dokter,
        "--date",
        &d,
        "--jam",
        jam,
    ]);
    assert!(human.status.success());
    assert!(String::from_utf8_lossy(&human.stdout).contains("JKN: kuota"));

    // A poli that cannot be fetched: reported, exit 1, the rest still done.
    let bad = env.run(&[
        "--json",
        "quota",
        "refresh",
        "--poli",
        "X-1",
        "--date",
        &d,
        "--bpjs-url",
        &url,
    ]);
    assert_eq!(bad.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&bad.stdout).unwrap();
    assert_eq!(v["errors"][0]["poli"], "X-1");

    // Without credentials: refused before any call.
    let bare = Env::new().run(&["quota", "refresh", "--poli", "ANA", "--date", &d, "--bpjs-url", &url]);
    assert!(!bare.status.success());
    let bad_date = env.run(&["quota", "snapshots", "--date", "19-01-2026"]);
    assert_eq!(bad_date.status.code(), Some(2));
}
