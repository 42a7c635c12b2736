//! The yearly SPM report (one programme) for 100k patients, against one SQL scan of the same
//! visits in the same run (reading every row of the year, no computation). Prints both and the
//! ratio.
//!
//! `cargo bench -p loket-service --bench spm` (LOKET_BENCH_PATIENTS to resize).

mod common;

use common::{env, median};
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Utc};
use loket_core::spm::Program;
use loket_service::{Desk, FixedClock};

fn main() {
    let patients = env("LOKET_BENCH_PATIENTS", 100_000);
    let dir = tempfile::tempdir().unwrap();
    let now: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-11-22T08:00:00+07:00")
        .unwrap()
        .to_utc();
    let (mut desk, _) = Desk::open_with_clock(&dir.path().join("bench.db"), Arc::new(FixedClock(now))).unwrap();
    let job = desk.sync_job("KUNJUNGAN").unwrap();
    let t = Instant::now();
    let mut visits = 0u64;
    desk.store_mut()
        .write(|tx| {
            loket_store::sync::ensure_table(tx, &job)?;
            let mut stmt = tx
                .prepare(
                    "INSERT INTO sync_kunjungan (id_kunjungan, no_rm, nama_rm, jenis_kelamin, tanggal_kunjungan,
                       kode_icd10, poliklinik, status, _hash, last_synced_at)
                     VALUES (?1, ?2, 'Pasien', ?3, ?4, ?5, 'Penyakit Dalam', ?6, 0, '2026-11-22T00:00:00Z')",
                )
                .unwrap();
            // Each patient: a DM, HT or other diagnosis, monthly visits with gaps, some Batal.
            let mut x: u64 = 42;
            let mut next = |n: u64| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (x >> 33) % n
            };
            for p in 0..patients {
                let icd = ["E11.9", "I10", "E11.9,I10", "J06.9", "E14"][p % 5];
                let sex = if p % 2 == 0 { "L" } else { "P" };
                let first = 1 + next(6);
                for m in first..=12 {
                    if next(5) == 0 {
                        continue;
                    }
                    visits += 1;
                    let status = if next(30) == 0 { "Batal" } else { "Selesai" };
                    stmt.execute(rusqlite::params![
                        visits as i64,
                        format!("{p:08}"),
                        sex,
                        format!("2026-{m:02}-{:02}", 1 + next(28)),
                        icd,
                        status
                    ])
                    .unwrap();
                }
            }
            Ok(())
        })
        .unwrap();
    eprintln!("{patients} patients, {visits} visits stored in {:.1?}", t.elapsed());

    let report = |desk: &mut Desk| {
        let t = Instant::now();
        let r = desk.spm_report(Program::Dm, 2026).unwrap();
        assert!(r.distinct_patients > 0);
        t.elapsed().as_secs_f64()
    };
    let scan = |desk: &Desk| {
        let t = Instant::now();
        let mut stmt = desk
            .store()
            .conn()
            .prepare_cached(
                "SELECT no_rm, jenis_kelamin, tanggal_kunjungan, kode_icd10, status FROM sync_kunjungan
                 WHERE tanggal_kunjungan >= '2026-01-01' AND tanggal_kunjungan <= '2026-12-31'",
            )
            .unwrap();
        let mut rows = stmt.query([]).unwrap();
        let mut bytes = 0usize;
        while let Some(r) = rows.next().unwrap() {
            bytes +=
                r.get_ref(0).unwrap().as_str().map_or(0, str::len) + r.get_ref(3).unwrap().as_str().map_or(0, str::len);
        }
        assert!(bytes > 0);
        t.elapsed().as_secs_f64()
    };
    let (mut r, mut s) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        r.push(report(&mut desk));
        s.push(scan(&desk));
    }
    let (r, s) = (median(&r), median(&s));
    println!(
        "SPM DM yearly report, {patients} patients ({visits} visits): {:.0} ms",
        r * 1e3
    );
    println!("one SQL scan of the same visits:                   {:.0} ms", s * 1e3);
    println!("ratio report/scan: {:.2}", r / s);
}
