//! Saldo pasien at hospital scale: 10k patients × 24 months, 1M charge items, deposits and a few
//! hundred tariffs, synced into the job tables. Measures, in the same run on the same file:
//!
//! - the full recomputation (`loket balance sync --all --force`: projections discarded and
//!   rebuilt, every source checked against the ledger) against ONE SQL aggregate over the same
//!   rows (price lookup, monthly sums and running closing balance in SQL, floating point), and
//!   their ratio;
//! - a full verification (`loket balance sync --all`: everything recalculated in memory and
//!   compared, nothing to write);
//! - the real-time update after one new charge item (one sync page of one row: write +
//!   recalculation of that patient, one transaction with synchronous=FULL), and after a tariff
//!   change that reprices one item code for every patient.
//!
//! `cargo bench -p loket-service --bench balance`; scale down with LOKET_BENCH_PATIENTS,
//! LOKET_BENCH_CHARGES, LOKET_BENCH_DEPOSITS (per patient), LOKET_BENCH_CODES (item codes).

mod common;

use common::{env, median};
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc};
use loket_core::sync::{plan_page, Deduper};
use loket_service::balance::BalanceTarget;
use loket_service::{Desk, FixedClock};
use serde_json::{json, Value};

use loket_core::rng::SplitMix64 as Rng;

const MONTHS: i64 = 24;

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 1, 1).unwrap()
}

/// A day in the 24 months 2023-01 .. 2024-12.
fn some_day(rng: &mut Rng) -> NaiveDate {
    start() + chrono::TimeDelta::days(rng.below((MONTHS * 365 / 12) as u64) as i64)
}

fn patient(i: u64) -> String {
    format!("RM{i:06}")
}

fn code(i: u64) -> String {
    format!("K{i:04}")
}

fn charge_row(id: i64, rng: &mut Rng, patients: u64, codes: u64) -> Value {
    const JUMLAH: [&str; 6] = ["1", "1", "2", "0.5", "2.5", "10"];
    const FAKTOR: [&str; 4] = ["1", "1", "1.5", "1.25"];
    let p = rng.below(patients);
    json!({
        "id_tagihan_item": id, "id_tagihan": id / 4, "no_rm": patient(p), "tanggal": some_day(rng).to_string(),
        "kode_item": code(rng.below(codes)), "nama_item": "Item",
        "jumlah": JUMLAH[rng.below(6) as usize], "faktor": FAKTOR[rng.below(4) as usize],
        "status": if rng.below(100) < 3 { "Batal" } else { "Lunas" }
    })
}

/// Writes rows into a job's table the way a sync page stores them (plan + upsert), without the
/// real-time recalculation: the fill only.
fn fill(desk: &mut Desk, job_name: &str, rows: impl Iterator<Item = Value>) -> usize {
    let job = desk.sync_job(job_name).unwrap();
    let now = desk.now();
    let mut n = 0;
    let mut page = Vec::with_capacity(5_000);
    let flush = |desk: &mut Desk, page: &mut Vec<Value>| {
        desk.store_mut()
            .write(|tx| {
                loket_store::sync::ensure_table(tx, &job)?;
                let plan = plan_page(&job, page, &mut Deduper::new(), |_| None);
                assert!(plan.skipped.is_empty(), "{:?}", plan.skipped.first());
                loket_store::sync::apply_plan(tx, &job, &plan, now)
            })
            .unwrap();
        page.clear();
    };
    for row in rows {
        page.push(row);
        n += 1;
        if page.len() == 5_000 {
            flush(desk, &mut page);
        }
    }
    if !page.is_empty() {
        flush(desk, &mut page);
    }
    n
}

/// The same months in one SQL statement: the tariff in force by a correlated subquery, amounts in
/// floating point rounded by SQLite, monthly sums, the running closing balance by a window.
const SQL_AGGREGATE: &str = "
WITH priced AS (
  SELECT c.no_rm AS no_rm, substr(c.tanggal, 1, 7) AS ym,
         round(CAST(c.jumlah AS REAL) * CAST(coalesce(c.faktor, '1') AS REAL) * t.harga) AS amount,
         CAST(c.jumlah AS REAL) * CAST(coalesce(c.faktor, '1') AS REAL) AS volume
    FROM sync_tagihan_pasien c
    JOIN sync_tarif t ON t.kode_item = c.kode_item AND t.berlaku_mulai = (
         SELECT max(t2.berlaku_mulai) FROM sync_tarif t2
          WHERE t2.kode_item = c.kode_item AND t2.berlaku_mulai <= c.tanggal)
   WHERE lower(trim(coalesce(c.status, ''))) <> 'batal'
), per_month AS (
  SELECT no_rm, ym, 0 AS deposits, sum(amount) AS purchases, sum(volume) AS volume FROM priced GROUP BY no_rm, ym
  UNION ALL
  SELECT no_rm, substr(tanggal, 1, 7), sum(jumlah), 0, 0 FROM sync_deposit_pasien
   WHERE lower(trim(coalesce(status, ''))) <> 'batal' GROUP BY 1, 2
), totals AS (
  SELECT no_rm, ym, sum(deposits) AS d, sum(purchases) AS p, sum(volume) AS v FROM per_month GROUP BY no_rm, ym
)
SELECT no_rm, ym, d, p, sum(d - p) OVER (PARTITION BY no_rm ORDER BY ym) AS closing, v FROM totals";

fn main() {
    let patients = env("LOKET_BENCH_PATIENTS", 10_000) as u64;
    let charges = env("LOKET_BENCH_CHARGES", 1_000_000);
    let deposits_each = env("LOKET_BENCH_DEPOSITS", 5) as u64;
    let codes = env("LOKET_BENCH_CODES", 200) as u64;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.db");
    // 2024-12-20 WIB: the 24th month is the current one.
    let now: DateTime<Utc> = DateTime::parse_from_rfc3339("2024-12-20T03:00:00Z").unwrap().to_utc();
    let (mut desk, _) = Desk::open_with_clock(&path, Arc::new(FixedClock(now))).unwrap();
    desk.store().conn().execute_batch("PRAGMA synchronous = OFF").unwrap();

    // Fill: tariffs (every code from before the history, 40 % repriced in 2024; the last codes
    // only from mid-2023, so earlier charges of them are unpriced), deposits, charges.
    let t0 = Instant::now();
    let mut rng = Rng(42);
    let mut tariffs = Vec::new();
    for k in 0..codes {
        let first = if k >= codes - codes / 50 {
            "2023-07-01"
        } else {
            "2022-06-01"
        };
        tariffs.push(json!({"kode_item": code(k), "nama_item": "Item", "harga": 1_000 + rng.below(200) * 250, "berlaku_mulai": first}));
        if rng.below(10) < 4 {
            tariffs.push(json!({"kode_item": code(k), "nama_item": "Item", "harga": 1_000 + rng.below(200) * 250, "berlaku_mulai": "2024-01-01"}));
        }
    }
    let n_tariffs = fill(&mut desk, "TARIF", tariffs.into_iter());
    let mut rng = Rng(7);
    let n_deposits = fill(
        &mut desk,
        "DEPOSIT_PASIEN",
        (0..patients * deposits_each).map(|i| {
            json!({"id_deposit": i as i64 + 1, "no_rm": patient(i % patients), "nama_rm": format!("Pasien {}", i % patients),
                   "tanggal": some_day(&mut rng).to_string(), "jumlah": 100_000 + rng.below(50) as i64 * 50_000,
                   "metode": "Tunai", "status": if rng.below(100) < 2 { "Batal" } else { "Aktif" }})
        }),
    );
    let mut rng = Rng(9);
    let n_charges = fill(
        &mut desk,
        "TAGIHAN_PASIEN",
        (0..charges).map(|i| charge_row(i as i64 + 1, &mut rng, patients, codes)),
    );
    desk.store()
        .conn()
        .execute_batch("PRAGMA synchronous = FULL; PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    eprintln!(
        "filled {n_tariffs} tariffs, {n_deposits} deposits, {n_charges} charge items of {patients} patients in {:.1?}",
        t0.elapsed()
    );

    // The first calculation of everyone (the ledger gets one entry per deposit and priced item).
    let t = Instant::now();
    let init = desk.balance_init(&BalanceTarget::All, false, None).unwrap();
    let init_time = t.elapsed();
    eprintln!(
        "balance init --all: {:.2?} ({} patients, {} months, {} transactions, {} unpriced, {} ledger entries)",
        init_time, init.patients, init.months_written, init.transactions_written, init.unpriced, init.ledger_appended
    );
    desk.store()
        .conn()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();

    // Full recomputation vs one SQL aggregate, interleaved; medians.
    let runs = env("LOKET_BENCH_RUNS", 3);
    let mut forced = Vec::new();
    let mut sql = Vec::new();
    let mut sql_rows = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let r = desk.balance_sync(&BalanceTarget::All, None, true, None).unwrap();
        forced.push(t.elapsed());
        assert_eq!(r.ledger_appended, 0, "force agrees with the ledger");
        desk.store()
            .conn()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .unwrap();

        let t = Instant::now();
        let conn = desk.store().conn();
        let mut stmt = conn.prepare(SQL_AGGREGATE).unwrap();
        let rows: Vec<(String, String, i64, f64)> = stmt
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get::<_, f64>(4)? as i64, r.get::<_, f64>(3)?))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        sql.push(t.elapsed());
        sql_rows = rows;
    }
    let t = Instant::now();
    let verify = desk.balance_sync(&BalanceTarget::All, None, false, None).unwrap();
    let verify_time = t.elapsed();
    assert_eq!(verify.patients_changed, 0);

    // How far the floating-point SQL agrees with the exact calculation, month by month.
    let agree = {
        let conn = desk.store().conn();
        let mut stmt = conn
            .prepare("SELECT closing_balance FROM balance_months WHERE no_rm = ?1 AND year_month = ?2")
            .unwrap();
        sql_rows
            .iter()
            .filter(|(no_rm, ym, closing, _)| {
                stmt.query_row([no_rm, ym], |r| r.get::<_, i64>(0)).ok() == Some(*closing)
            })
            .count()
    };

    // Real time: one new charge item, as one sync page; then a tariff change.
    let mut rng = Rng(99);
    let mut one = Vec::new();
    for i in 0..env("LOKET_BENCH_INCREMENTAL", 20) {
        let row = charge_row(10_000_000 + i as i64, &mut rng, patients, codes);
        let t = Instant::now();
        desk.sync_apply_rows("TAGIHAN_PASIEN", &[row]).unwrap();
        one.push(t.elapsed());
    }
    let mut tariff_change = Vec::new();
    for k in 0..3u64 {
        let row = json!({"kode_item": code(k), "nama_item": "Item", "harga": 9_999, "berlaku_mulai": "2024-06-01"});
        let t = Instant::now();
        desk.sync_apply_rows("TARIF", &[row]).unwrap();
        tariff_change.push(t.elapsed());
    }
    let ledger: i64 = desk
        .store()
        .conn()
        .query_row("SELECT count(*) FROM balance_ledger", [], |r| r.get(0))
        .unwrap();

    let (f, s) = (median(&forced), median(&sql));
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) / (1 << 20);
    println!(
        "data: {patients} patients x {MONTHS} months, {n_charges} charge items, {n_deposits} deposits, {n_tariffs} tariffs; \
         {} month rows; db {size} MiB; ledger {ledger} entries",
        init.months_written
    );
    println!("balance init --all (first calculation, ledger written): {init_time:.2?}");
    println!("full recomputation (balance sync --all --force):      {f:.2?} (runs {forced:.2?})");
    println!("one SQL aggregate over the same rows:                 {s:.2?} (runs {sql:.2?})");
    println!(
        "ratio recomputation/aggregate: {:.1}x (the recomputation also writes {} months + {} transactions and checks the ledger; the aggregate only reads)",
        f.as_secs_f64() / s.as_secs_f64(),
        init.months_written,
        init.transactions_written
    );
    println!("full verification (balance sync --all, nothing to write): {verify_time:.2?}");
    println!(
        "SQL aggregate agrees with the exact closing balance on {agree} of its {} active months",
        sql_rows.len()
    );
    println!(
        "real time, one new charge item (sync page of 1 row, recalculation, commit): median {:.2?} (runs {one:.1?})",
        median(&one)
    );
    println!(
        "real time, one tariff change repricing one item code for every patient: median {:.2?} (runs {tariff_change:.1?})",
        median(&tariff_change)
    );
}
