//! Several processes issuing into one session at once, and kill -9 in the middle of a loop.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

use common::{add_session, json, loket};

fn check_invariants(db: &std::path::Path, session: i64) -> BTreeMap<i64, u64> {
    assert_eq!(json(db, &["db", "check"])["report"]["ok"], true);
    assert_eq!(json(db, &["opd", "replay", "--check"])["ok"], true);
    let show = json(db, &["opd", "session", "show", &session.to_string()]);
    let mut numbers = BTreeMap::new();
    for slot in show["slots"].as_array().unwrap() {
        assert!(slot["occupied"].as_u64() <= slot["capacity"].as_u64());
        for t in slot["tokens"].as_array().unwrap() {
            let prev = numbers.insert(t["token_id"].as_i64().unwrap(), t["number"].as_u64().unwrap());
            assert!(prev.is_none(), "a token appears once");
        }
    }
    let mut seen: Vec<u64> = numbers.values().copied().collect();
    seen.sort_unstable();
    let n = seen.len();
    seen.dedup();
    assert_eq!(seen.len(), n, "no number repeats");
    numbers
}

#[test]
fn several_processes_issue_into_one_session() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("loket.db");
    let session = add_session(&db, "33690", 12);
    let per_process = 15;
    let script = format!(
        "for i in $(seq {per_process}); do \"{}\" --db \"{}\" --json opd token request --session {session} --source walk_in --at 2026-01-19T07:00:00+07:00 || exit 1; done",
        loket().display(),
        db.display()
    );
    let children: Vec<_> = (0..4)
        .map(|_| {
            Command::new("bash")
                .arg("-c")
                .arg(&script)
                .stdout(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let numbers = check_invariants(&db, session);
    assert_eq!(numbers.len(), 4 * per_process);
    let mut all: Vec<u64> = numbers.values().copied().collect();
    all.sort_unstable();
    assert_eq!(
        all,
        (1..=(4 * per_process) as u64).collect::<Vec<_>>(),
        "numbers 1..n in request order, none lost"
    );
}

#[test]
fn kill_dash_nine_mid_loop_loses_nothing_that_was_printed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("loket.db");
    let session = add_session(&db, "33690", 40);
    let mut printed: Vec<(i64, u64)> = Vec::new();
    for round in 0..15u64 {
        // A shell loop issuing tokens, one compact JSON line each, killed as a group with SIGKILL.
        let script = format!(
            "while true; do \"{}\" --db \"{}\" --json opd token request --session {session} --source online --at 2026-01-19T07:00:00+07:00 | tr -d '\\n '; echo; done",
            loket().display(),
            db.display()
        );
        let mut child = Command::new("bash")
            .arg("-c")
            .arg(&script)
            .process_group(0)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let pid = child.id();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter(|l| !l.is_empty())
                .collect::<Vec<String>>()
        });
        // Let it issue a varying number of tokens before the kill (counted, not timed).
        let wait_ms = 40 + (round * 37) % 120;
        std::thread::sleep(std::time::Duration::from_millis(wait_ms));
        let killed = Command::new("kill")
            .args(["-KILL", "--", &format!("-{pid}")])
            .status()
            .unwrap();
        assert!(killed.success(), "kill -9 of the loop's process group");
        child.wait().unwrap();
        for line in reader.join().unwrap() {
            // A line cut by the kill is not a printed token.
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) {
                printed.push((v["token_id"].as_i64().unwrap(), v["number"].as_u64().unwrap()));
            }
        }
        let numbers = check_invariants(&db, session);
        for (id, number) in &printed {
            assert_eq!(
                numbers.get(id),
                Some(number),
                "token {id} was printed, so it must exist with its number"
            );
        }
    }
    assert!(printed.len() >= 15, "the loops issued tokens ({})", printed.len());
}
