//! The `loket` binary as a process: JSON on stdout, errors on stderr with exit codes.

mod common;

use common::{add_session, json, run};

#[test]
fn settings_get_and_set_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("loket.db");
    let all = json(&db, &["settings", "get"]);
    assert_eq!(all["nonjkn_ratio_bp"], 3000);
    assert_eq!(all["weight_emergency"], 1000);
    let set = json(&db, &["settings", "set", "nonjkn_ratio", "0,25"]);
    assert_eq!(set, serde_json::json!({"key": "nonjkn_ratio", "value": "0.25"}));
    assert_eq!(json(&db, &["settings", "get", "nonjkn_ratio"])["value"], "0.25");

    let bad = run(&db, &["settings", "set", "minutes_per_patient", "nol"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(bad.stdout.is_empty());
    let err: serde_json::Value = serde_json::from_slice(&bad.stderr).unwrap();
    assert_eq!(err["error"]["code"], "invalid_input");
    assert!(err["error"]["message"].as_str().unwrap().contains("Menit per pasien"));
    assert_eq!(
        json(&db, &["settings", "get", "minutes_per_patient"])["value"],
        "6",
        "unchanged"
    );
    assert_eq!(run(&db, &["settings", "get", "no_such_key"]).status.code(), Some(2));
}

#[test]
fn db_commands() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("loket.db");
    let m = json(&db, &["db", "migrate"]);
    assert!(m["report"]["schema_version"].as_u64().unwrap() >= 2);
    let c = json(&db, &["db", "check"]);
    assert_eq!(c["report"]["ok"], true);
    let dest = dir.path().join("copy.db");
    json(&db, &["db", "backup", dest.to_str().unwrap()]);
    assert!(dest.exists());
    assert_eq!(
        run(&db, &["db", "backup", dest.to_str().unwrap()]).status.code(),
        Some(2),
        "never overwrites"
    );
    assert_eq!(
        run(&dir.path().join("missing.db"), &["db", "check"]).status.code(),
        Some(3)
    );
}

#[test]
fn opd_interface_as_the_issue_specifies() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("loket.db");
    let opened = json(
        &db,
        &[
            "opd",
            "session",
            "add",
            "--doctor",
            "33690",
            "--doctor-name",
            "dr. A",
            "--poli",
            "ANA",
            "--date",
            "2026-01-19",
            "--jam",
            "08:00-10:30",
            "--capacity",
            "5",
            "--at",
            "2026-01-19T06:00:00+07:00",
        ],
    );
    let slots = opened["slots"].as_array().unwrap();
    assert_eq!(slots.len(), 3);
    assert_eq!(
        slots
            .iter()
            .map(|s| s["capacity"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        [2, 2, 1]
    );
    for k in ["slot_id", "start", "end", "capacity"] {
        assert!(slots[0].get(k).is_some(), "{k}");
    }
    let sid = opened["session_id"].to_string();
    let at = "2026-01-19T07:00:00+07:00";
    let t1 = json(
        &db,
        &[
            "opd",
            "token",
            "request",
            "--session",
            &sid,
            "--source",
            "walk_in",
            "--norm",
            "000001",
            "--at",
            at,
        ],
    );
    for k in [
        "token_id",
        "number",
        "code",
        "slot_id",
        "status",
        "position",
        "waitlist_position",
    ] {
        assert!(t1.get(k).is_some(), "{k} in {t1}");
    }
    assert_eq!(t1["code"], "ANA-001");
    assert_eq!(t1["status"], "confirmed");
    assert_eq!(t1["position"], 1);
    assert_eq!(t1["waitlist_position"], serde_json::Value::Null);
    let slot1 = t1["slot_id"].to_string();
    json(
        &db,
        &[
            "opd",
            "token",
            "request",
            "--session",
            &sid,
            "--slot",
            &slot1,
            "--source",
            "online",
            "--at",
            at,
        ],
    );
    let w = json(
        &db,
        &[
            "opd",
            "token",
            "request",
            "--session",
            &sid,
            "--slot",
            &slot1,
            "--source",
            "online",
            "--jenis",
            "non_jkn",
            "--at",
            at,
        ],
    );
    assert_eq!(
        (w["status"].as_str(), w["waitlist_position"].as_u64()),
        (Some("waitlisted"), Some(1))
    );
    let p = json(
        &db,
        &[
            "opd",
            "token",
            "request",
            "--session",
            &sid,
            "--slot",
            &slot1,
            "--source",
            "follow_up",
            "--paid",
            "--at",
            at,
        ],
    );
    assert_eq!(p["status"], "confirmed", "paid follow-up displaces the online token");

    let id = t1["token_id"].to_string();
    assert_eq!(json(&db, &["opd", "token", "call", &id])["status"], "in_progress");
    assert_eq!(json(&db, &["opd", "token", "complete", &id])["status"], "completed");
    let again = run(&db, &["opd", "token", "cancel", &id]);
    assert_eq!(again.status.code(), Some(4), "completed cannot be cancelled");

    let show = json(&db, &["opd", "session", "show", &sid]);
    assert!(show["session"].is_object());
    let tokens = show["slots"][0]["tokens"].as_array().unwrap();
    for k in [
        "token_id",
        "number",
        "code",
        "source",
        "paid",
        "jenis",
        "status",
        "priority",
        "requested_at",
        "position",
        "waitlist_position",
    ] {
        assert!(tokens[0].get(k).is_some(), "{k}");
    }
    assert_eq!(show["slots"][0]["occupied"], 2);
    assert_eq!(
        json(&db, &["opd", "slot", "capacity", &slot1, "3"])["slot"]["occupied"],
        3
    );
    let events = json(&db, &["opd", "events", "--session", &sid]);
    assert!(events.as_array().unwrap().len() >= 10);
    assert_eq!(json(&db, &["opd", "replay", "--check"])["ok"], true);
    let sim = json(
        &db,
        &[
            "opd",
            "simulate",
            "--doctors",
            "3",
            "--seed",
            "42",
            "--date",
            "2026-01-20",
        ],
    );
    assert_eq!(sim["ok"], true, "{sim}");
    assert!(sim["checks"].as_array().unwrap().len() >= 5);
    assert_eq!(
        json(&db, &["opd", "events"]).as_array().unwrap().len(),
        events.as_array().unwrap().len(),
        "simulate leaves --db alone"
    );
}

#[test]
fn bad_input_is_refused_in_indonesian() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("loket.db");
    let sid = add_session(&db, "1", 4).to_string();
    for (args, needle) in [
        (
            vec!["opd", "token", "request", "--session", &sid, "--source", "vip"],
            "Sumber",
        ),
        (
            vec!["opd", "token", "request", "--session", "99", "--source", "online"],
            "tidak ditemukan",
        ),
        (
            vec![
                "opd",
                "session",
                "add",
                "--doctor",
                "1",
                "--doctor-name",
                "x",
                "--poli",
                "ANA",
                "--date",
                "2026-02-30",
                "--jam",
                "08:00-09:00",
                "--capacity",
                "1",
            ],
            "Tanggal",
        ),
        (
            vec![
                "opd",
                "session",
                "add",
                "--doctor",
                "1",
                "--doctor-name",
                "x",
                "--poli",
                "ANA",
                "--date",
                "2026-02-03",
                "--jam",
                "09:00-08:00",
                "--capacity",
                "1",
            ],
            "Jam praktek",
        ),
    ] {
        let out = run(&db, &args);
        assert!(!out.status.success(), "{args:?}");
        let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
        assert!(
            err["error"]["message"].as_str().unwrap().contains(needle),
            "{args:?}: {err}"
        );
    }
}
