#![allow(dead_code)]
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

pub fn loket() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_loket"))
}

/// Runs `loket --db DB --json ARGS` with a clean environment for app data.
pub fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(loket())
        .arg("--db")
        .arg(db)
        .arg("--json")
        .args(args)
        .env("XDG_DATA_HOME", db.parent().unwrap())
        .env_remove("LOKET_DB")
        .output()
        .unwrap()
}

/// Runs and parses stdout as one JSON document; panics with stderr on failure.
pub fn json(db: &Path, args: &[&str]) -> Value {
    let out = run(db, args);
    assert!(
        out.status.success(),
        "loket {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not one JSON document ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

pub fn add_session(db: &Path, doctor: &str, capacity: u32) -> i64 {
    let cap = capacity.to_string();
    let v = json(
        db,
        &[
            "opd",
            "session",
            "add",
            "--doctor",
            doctor,
            "--doctor-name",
            "dr. Uji",
            "--poli",
            "ANA",
            "--date",
            "2026-01-19",
            "--jam",
            "08:00-12:00",
            "--capacity",
            &cap,
            "--at",
            "2026-01-19T06:00:00+07:00",
        ],
    );
    v["session_id"].as_i64().unwrap()
}
