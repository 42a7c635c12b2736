//! Sinkronisasi throughput: 100k bookings from the dashboard simulator over loopback, end to end
//! (`sync_run`: HTTP, plan, apply, progress), then the apply step alone (plan + upsert, one
//! transaction per page, as a sync page does) against, on the same rows in the same run:
//! - a raw prepared bulk upsert (values taken straight from the JSON, no conversion, no hashing),
//!   goal: apply ≥ 0.7× its rate;
//! - the naive per-row find-then-insert/update the seed's ORM does (each row its own
//!   transaction), goal: apply ≥ 10× its rate (measured on a slice, compared as rows/s).
//!
//! `cargo bench -p loket-service --bench sync` (LOKET_BENCH_BOOKINGS, LOKET_BENCH_NAIVE to resize).

mod common;

use common::{env, median};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Days, Utc};
use loket_bpjs::ManualClock;
use loket_core::sync::JobConfig;
use loket_service::credentials::DashboardCredentials;
use loket_service::sync::{sync_run, ClientPolicy, DashboardClient};
use loket_service::{Desk, FixedClock};
use loket_sim::hospital::{HospitalConfig, HospitalSim};
use loket_sim::{DEMO_DASHBOARD_API_KEY, DEMO_DASHBOARD_TOKEN};
use loket_store::rusqlite::{params_from_iter, types::Value as Sql};
use serde_json::Value;

const NOW_SECS: u64 = 1_768_780_800; // 2026-01-19 07:00 WIB
const DAYS: u64 = 14;
const PAGE: u32 = 1000;

fn fresh_desk(dir: &std::path::Path, name: &str) -> (Desk, JobConfig) {
    let now = DateTime::<Utc>::from_timestamp(NOW_SECS as i64, 0).unwrap();
    let (mut desk, _) = Desk::open_with_clock(&dir.join(name), Arc::new(FixedClock(now))).unwrap();
    let mut job = desk.sync_job("BOOKING_PASIEN").unwrap();
    job.page_limit = PAGE;
    desk.sync_save_job(&job, true).unwrap();
    (desk, job)
}

/// A JSON value as SQLite takes it, with no validation (the raw baseline).
fn raw(v: Option<&Value>) -> Sql {
    match v {
        None | Some(Value::Null) => Sql::Null,
        Some(Value::Bool(b)) => Sql::Integer(i64::from(*b)),
        Some(Value::Number(n)) => n.as_i64().map_or_else(|| Sql::Text(n.to_string()), Sql::Integer),
        Some(Value::String(s)) => Sql::Text(s.clone()),
        Some(other) => Sql::Text(other.to_string()),
    }
}

fn main() {
    let bookings = env("LOKET_BENCH_BOOKINGS", 100_000);
    let naive_rows = env("LOKET_BENCH_NAIVE", 5_000);
    let per_day = (bookings as u64).div_ceil(DAYS) as u32;
    let sim = HospitalSim::start_blocking(HospitalConfig {
        seed: 1,
        port: 0,
        bookings_per_day: per_day,
        clock: Arc::new(ManualClock::at(NOW_SECS)),
        ..HospitalConfig::default()
    })
    .unwrap();
    let now = DateTime::<Utc>::from_timestamp(NOW_SECS as i64, 0).unwrap();
    let creds = DashboardCredentials::new(&sim.base_url(), DEMO_DASHBOARD_TOKEN, DEMO_DASHBOARD_API_KEY, now).unwrap();
    let policy = ClientPolicy {
        timeout: Duration::from_secs(60),
        min_interval: Duration::ZERO,
        ..ClientPolicy::default()
    };
    let client = DashboardClient::new(&creds, policy).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let to = loket_core::time::wib_date(now) - Days::new(1);
    let from = to - Days::new(DAYS - 1);

    // End to end over loopback.
    let (mut desk, job) = fresh_desk(dir.path(), "e2e.db");
    let t = Instant::now();
    let out = sync_run(
        &mut desk,
        &client,
        &job.name,
        loket_core::sync::RunWindow::Dates { from, to },
        &|_| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    let e2e = t.elapsed().as_secs_f64();
    let n = out.run.counts.fetched as usize;
    assert_eq!(out.run.counts.inserted as usize, n);
    println!(
        "end to end: {n} bookings in {:.2} s ({:.0} rows/s, {} pages of {PAGE})",
        e2e,
        n as f64 / e2e,
        out.run.pages_done
    );

    // The same rows, fetched once, for the apply-only comparisons.
    let mut pages: Vec<Vec<Value>> = Vec::new();
    for page in 1.. {
        let answer = client.fetch_page(&job, from, to, page, PAGE).unwrap();
        if answer.rows.is_empty() {
            break;
        }
        let short = answer.rows.len() < PAGE as usize;
        pages.push(answer.rows);
        if short {
            break;
        }
    }
    let total: usize = pages.iter().map(Vec::len).sum();

    // Apply alone: exactly a sync page's write (`Desk::sync_apply_rows`), one transaction per page.
    let apply = |name: &str| {
        let (mut desk, job) = fresh_desk(dir.path(), name);
        let t = Instant::now();
        for rows in &pages {
            desk.sync_apply_rows(&job.name, rows).unwrap();
        }
        t.elapsed().as_secs_f64()
    };

    // Raw prepared bulk upsert of the same rows, one transaction per page.
    let raw_upsert = |name: &str| {
        let (mut desk, job) = fresh_desk(dir.path(), name);
        desk.store_mut()
            .write(|tx| loket_store::sync::ensure_table(tx, &job))
            .unwrap();
        let cols: Vec<&str> = job.fields.iter().map(|f| f.column.as_str()).collect();
        let sql = format!(
            "INSERT INTO {} ({}, _hash, last_synced_at) VALUES ({}) ON CONFLICT (booking_id) DO UPDATE SET {}",
            job.table,
            cols.join(", "),
            (1..=cols.len() + 2)
                .map(|i| format!("?{i}"))
                .collect::<Vec<_>>()
                .join(", "),
            cols.iter()
                .map(|c| format!("{c} = excluded.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let t = Instant::now();
        for rows in &pages {
            desk.store_mut()
                .write(|tx| {
                    let mut stmt = tx.prepare_cached(&sql).unwrap();
                    for row in rows {
                        let mut values: Vec<Sql> = job.fields.iter().map(|f| raw(row.get(&f.source))).collect();
                        values.push(Sql::Integer(0));
                        values.push(Sql::Text("2026-01-19T00:00:00Z".into()));
                        stmt.execute(params_from_iter(values)).unwrap();
                    }
                    Ok(())
                })
                .unwrap();
        }
        t.elapsed().as_secs_f64()
    };

    // The seed's ORM: per row, find by key, then insert or update; every statement autocommits.
    let naive = |name: &str| {
        let (mut desk, job) = fresh_desk(dir.path(), name);
        desk.store_mut()
            .write(|tx| loket_store::sync::ensure_table(tx, &job))
            .unwrap();
        let cols: Vec<&str> = job.fields.iter().map(|f| f.column.as_str()).collect();
        let insert = format!(
            "INSERT INTO {} ({}, _hash, last_synced_at) VALUES ({})",
            job.table,
            cols.join(", "),
            (1..=cols.len() + 2)
                .map(|i| format!("?{i}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let update = format!(
            "UPDATE {} SET {} WHERE booking_id = ?{}",
            job.table,
            cols.iter()
                .enumerate()
                .map(|(i, c)| format!("{c} = ?{}", i + 1))
                .collect::<Vec<_>>()
                .join(", "),
            cols.len() + 1
        );
        let find = format!("SELECT * FROM {} WHERE booking_id = ?1", job.table);
        let conn = desk.store().conn();
        let t = Instant::now();
        let mut done = 0;
        'outer: for rows in &pages {
            for row in rows {
                if done == naive_rows {
                    break 'outer;
                }
                let id = raw(row.get("booking_id"));
                let exists = conn.prepare(&find).unwrap().exists([&id]).unwrap();
                let mut values: Vec<Sql> = job.fields.iter().map(|f| raw(row.get(&f.source))).collect();
                if exists {
                    values.push(id);
                    conn.execute(&update, params_from_iter(values)).unwrap();
                } else {
                    values.push(Sql::Integer(0));
                    values.push(Sql::Text("2026-01-19T00:00:00Z".into()));
                    conn.execute(&insert, params_from_iter(values)).unwrap();
                }
                done += 1;
            }
        }
        (t.elapsed().as_secs_f64(), done)
    };

    if std::env::var_os("LOKET_BENCH_PROFILE_APPLY").is_some() {
        // For a profiler: only the apply step, repeated.
        for i in 0..5 {
            eprintln!("apply {:.2} s", apply(&format!("profile{i}.db")));
        }
        return;
    }
    // Five adjacent pairs (this machine's disk and CPU vary from second to second): the ratio
    // is the median of the pairs' ratios, each pair run under the same conditions.
    let mut applies = Vec::new();
    let mut raws = Vec::new();
    let mut ratios = Vec::new();
    for i in 0..5 {
        let (a, r) = (apply(&format!("apply{i}.db")), raw_upsert(&format!("raw{i}.db")));
        applies.push(a);
        raws.push(r);
        ratios.push(r / a);
    }
    let (a, r, ratio) = (median(&applies), median(&raws), median(&ratios));
    let (nt, nrows) = naive("naive.db");
    let (apply_rate, raw_rate, naive_rate) = (total as f64 / a, total as f64 / r, nrows as f64 / nt);
    println!("apply step (plan + upsert), {total} rows:  {apply_rate:.0} rows/s ({a:.2} s)");
    println!("raw prepared bulk upsert, same rows:   {raw_rate:.0} rows/s ({r:.2} s)");
    println!("naive find-then-insert/update, {nrows} rows: {naive_rate:.0} rows/s ({nt:.2} s)");
    println!(
        "ratios: apply/raw {ratio:.2} (median of 5 adjacent pairs {:.2?}; goal >= 0.70), apply/naive {:.1}x (goal >= 10x)",
        ratios,
        apply_rate / naive_rate
    );
    sim.shutdown();
}
