//! `loket balance …` as a process: init (dry run and real) on the V6 fixture's synced rows, sync
//! with `--force` and `--from-month`, show, transactions and unpriced with their `--json`
//! shapes, human output in Indonesian, and errors with exit codes.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use chrono::DateTime;
use common::{json, run};
use loket_service::{Desk, FixedClock};
use serde_json::{json, Value};

fn v6_fixture(dir: &Path) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../store/tests/fixtures/v6.sqlite");
    let dest = dir.join("loket.db");
    std::fs::copy(src, &dest).unwrap();
    dest
}

fn count(db: &Path, table: &str) -> i64 {
    let conn = loket_store::rusqlite::Connection::open(db).unwrap();
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    k.sort();
    k
}

#[test]
fn init_sync_show_and_transactions_on_synced_rows() {
    let dir = tempfile::tempdir().unwrap();
    let db = v6_fixture(dir.path());
    json(&db, &["db", "migrate"]);

    let dry = json(&db, &["balance", "init", "--all", "--dry-run", "--as-of", "2026-11"]);
    assert_eq!(
        (dry["dry_run"].as_bool(), dry["as_of"].as_str()),
        (Some(true), Some("2026-11"))
    );
    assert_eq!(dry["patients"], 46);
    let appended = dry["ledger_appended"].as_i64().unwrap();
    assert!(appended > 100, "{dry}");
    assert_eq!(count(&db, "balance_ledger"), 0, "a dry run writes nothing");
    assert_eq!(count(&db, "balance_months"), 0);

    let done = json(&db, &["balance", "init", "--all", "--as-of", "2026-11"]);
    assert_eq!(done["dry_run"], false);
    assert_eq!(done["ledger_appended"].as_i64(), Some(appended));
    assert_eq!(count(&db, "balance_ledger"), appended);

    let show = json(&db, &["balance", "show", "--patient", "00085102"]);
    assert_eq!(keys(&show), ["months", "patient"]);
    assert_eq!(show["patient"], "00085102");
    let months = show["months"].as_array().unwrap();
    assert_eq!(months.len(), 1);
    assert_eq!(
        keys(&months[0]),
        [
            "closing_balance",
            "last_calculated_at",
            "opening_balance",
            "total_deposits",
            "total_purchases",
            "total_volume",
            "year_month"
        ]
    );
    assert_eq!(months[0]["year_month"], "2026-11");
    assert_eq!(months[0]["opening_balance"], 0);
    assert!(months[0]["total_volume"].is_string(), "exact decimal as text");
    let purchases = months[0]["total_purchases"].as_i64().unwrap();
    assert_eq!(months[0]["closing_balance"].as_i64(), Some(-purchases));

    let t = json(
        &db,
        &["balance", "transactions", "--patient", "00085102", "--month", "2026-11"],
    );
    assert_eq!(
        (t["patient"].as_str(), t["month"].as_str()),
        (Some("00085102"), Some("2026-11"))
    );
    let items = t["transactions"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    let obat = items.iter().find(|x| x["kode_item"] == "OBT001").unwrap();
    assert_eq!(
        (obat["jumlah"].as_str(), obat["faktor"].as_str()),
        (Some("14"), Some("1"))
    );
    assert_eq!(obat["pricing_used"]["kode_item"], "OBT001");
    assert!(obat["pricing_used"]["berlaku_mulai"].is_string());
    assert_eq!(obat["amount"].as_i64(), Some(14 * obat["harga"].as_i64().unwrap()));
    assert_eq!(
        items.iter().map(|x| x["amount"].as_i64().unwrap()).sum::<i64>(),
        purchases
    );

    // Force gives the same rows and appends nothing to the ledger.
    let forced = json(&db, &["balance", "sync", "--all", "--force", "--as-of", "2026-11"]);
    assert_eq!(
        (forced["force"].as_bool(), forced["ledger_appended"].as_i64()),
        (Some(true), Some(0))
    );
    let again = json(&db, &["balance", "show", "--patient", "00085102"]);
    assert_eq!(again["months"][0]["closing_balance"], months[0]["closing_balance"]);
    let from = json(
        &db,
        &[
            "balance",
            "sync",
            "--patient",
            "00085102",
            "--from-month",
            "2026-10",
            "--as-of",
            "2026-11",
        ],
    );
    assert_eq!(
        (from["patients"].as_i64(), from["patients_changed"].as_i64()),
        (Some(1), Some(0))
    );
    assert_eq!(from["from_month"], "2026-10");
    assert_eq!(count(&db, "balance_ledger"), appended);
}

#[test]
fn unpriced_human_output_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("loket.db");
    {
        let now = DateTime::parse_from_rfc3339("2024-03-20T03:00:00Z").unwrap().to_utc();
        let (mut desk, _) = Desk::open_with_clock(&db, Arc::new(FixedClock(now))).unwrap();
        desk.sync_apply_rows(
            "TAGIHAN_PASIEN",
            &[
                json!({"id_tagihan_item": 7, "id_tagihan": 1, "no_rm": "00-77", "tanggal": "2024-03-02",
                     "kode_item": "RAD9", "nama_item": "Rontgen", "jumlah": "1", "faktor": "1", "status": "Lunas"}),
            ],
        )
        .unwrap();
    }
    let u = json(&db, &["balance", "unpriced"]);
    assert_eq!(u["count"], 1);
    assert_eq!(
        u["unpriced"][0],
        json!({"id_tagihan_item": 7, "id_tagihan": 1, "no_rm": "00-77", "kode_item": "RAD9",
               "tanggal": "2024-03-02", "reason": "tanpa_tarif"})
    );

    // Human output, in Indonesian.
    let human = Command::new(common::loket())
        .arg("--db")
        .arg(&db)
        .args(["balance", "sync", "--all", "--as-of", "2024-04"])
        .env_remove("LOKET_DB")
        .output()
        .unwrap();
    assert!(human.status.success());
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(
        text.contains("pasien diperiksa") && text.contains("tagihan tanpa harga"),
        "{text}"
    );
    let unpriced = Command::new(common::loket())
        .arg("--db")
        .arg(&db)
        .args(["balance", "unpriced"])
        .output()
        .unwrap();
    let text = String::from_utf8(unpriced.stdout).unwrap();
    assert!(text.contains("belum ada tarif yang berlaku"), "{text}");

    // Errors: an unknown patient (3), a bad month (2), no target (2, from clap).
    let missing = run(&db, &["balance", "show", "--patient", "NOPE"]);
    assert_eq!(missing.status.code(), Some(3));
    let err: Value = serde_json::from_slice(&missing.stderr).unwrap();
    assert_eq!(err["error"]["code"], "not_found");
    let bad = run(
        &db,
        &["balance", "transactions", "--patient", "00-77", "--month", "2024-13"],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(run(&db, &["balance", "init", "--dry-run"]).status.code(), Some(2));
    assert_eq!(
        run(&db, &["balance", "sync", "--all", "--patient", "X"]).status.code(),
        Some(2),
        "--all and --patient exclude each other"
    );
}
