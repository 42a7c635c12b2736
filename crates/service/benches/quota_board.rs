//! The Kuota board for one day with 60 doctors × 2 shifts and 10k tokens, against one aggregate
//! SQL query over the same rows in the same run. Prints both times and their ratio.
//!
//! `cargo bench -p loket-service --bench quota_board` (LOKET_BENCH_DOCTORS / LOKET_BENCH_TOKENS).

mod common;

use common::{env, median};
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Utc};
use loket_bpjs::model::JadwalDokter;
use loket_core::opd::{Jenis, Source};
use loket_service::opd::TokenRequest;
use loket_service::{Desk, FixedClock};

fn main() {
    let doctors = env("LOKET_BENCH_DOCTORS", 60);
    let tokens = env("LOKET_BENCH_TOKENS", 10_000);
    let date = "2026-01-19";
    let dir = tempfile::tempdir().unwrap();
    let now: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-01-19T06:00:00+07:00")
        .unwrap()
        .to_utc();
    let (mut desk, _) = Desk::open_with_clock(&dir.path().join("bench.db"), Arc::new(FixedClock(now))).unwrap();
    desk.store().conn().execute_batch("PRAGMA synchronous = OFF").unwrap();

    // The HFIS schedule: `doctors` doctors over 6 polis, two shifts each.
    let polis = ["ANA", "BED", "INT", "MAT", "OBG", "SAR"];
    let shifts_per_doctor = 2;
    let kapasitas = tokens.div_ceil(doctors * shifts_per_doctor) * 100 / 75 + 2;
    for (p, poli) in polis.iter().enumerate() {
        let rows: Vec<JadwalDokter> = (0..doctors)
            .filter(|d| d % polis.len() == p)
            .flat_map(|d| {
                ["08:00-12:00", "13:00-17:00"].map(|jam| {
                    serde_json::from_value(serde_json::json!({
                        "kodesubspesialis": poli, "namasubspesialis": poli, "kodepoli": poli, "namapoli": poli,
                        "kodedokter": 10_000 + d, "namadokter": format!("dr. Bench {d}"), "hari": 1,
                        "namahari": "SENIN", "jadwal": jam, "kapasitaspasien": kapasitas, "libur": 0
                    }))
                    .unwrap()
                })
            })
            .collect();
        desk.quota_apply(
            poli,
            chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
            &rows,
        )
        .unwrap();
    }
    let sessions: Vec<_> = desk
        .opd_sessions(date, None)
        .unwrap()
        .into_iter()
        .map(|s| s.session_id)
        .collect();
    let t = Instant::now();
    for i in 0..tokens {
        let jenis = if (i / sessions.len()) % 4 == 3 {
            Jenis::NonJkn
        } else {
            Jenis::Jkn
        };
        desk.opd_request_token(&TokenRequest {
            session_id: sessions[i % sessions.len()],
            slot_id: None,
            source: Source::WalkIn,
            paid: false,
            jenis,
            norm: Some(format!("{i:08}")),
            name: None,
            patient: Default::default(),
        })
        .unwrap();
    }
    eprintln!(
        "{} shifts, {tokens} tokens issued in {:.1?}",
        sessions.len(),
        t.elapsed()
    );

    let board = |desk: &Desk| {
        let t = Instant::now();
        let b = desk.quota_board(date, None).unwrap();
        assert_eq!(b.len(), sessions.len());
        t.elapsed().as_secs_f64()
    };
    let aggregate = |desk: &Desk| {
        let t = Instant::now();
        let mut stmt = desk
            .store()
            .conn()
            .prepare_cached(
                "SELECT s.id, s.kapasitas,
                        coalesce(sum(t.jenis = 'jkn' AND t.status <> 'cancelled'), 0),
                        coalesce(sum(t.jenis = 'non_jkn' AND t.status <> 'cancelled'), 0)
                 FROM schedule_snapshots s LEFT JOIN opd_sessions o ON o.session_id = s.session_id
                 LEFT JOIN opd_tokens t
                   ON t.doctor_code = o.doctor_code AND t.date = o.date AND t.session_id = o.session_id
                 WHERE s.date = ?1 GROUP BY s.id ORDER BY s.poli_code, s.doctor_code, s.start_time",
            )
            .unwrap();
        let rows: Vec<(i64, i64, i64, i64)> = stmt
            .query_map([date], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(rows.len(), sessions.len());
        t.elapsed().as_secs_f64()
    };
    let (mut b, mut a) = (Vec::new(), Vec::new());
    for _ in 0..21 {
        b.push(board(&desk));
        a.push(aggregate(&desk));
    }
    let (b, a) = (median(&b), median(&a));
    println!(
        "kuota board, {} shifts, {tokens} tokens: {:.2} ms",
        sessions.len(),
        b * 1e3
    );
    println!("one aggregate SQL over the same rows:      {:.2} ms", a * 1e3);
    println!(
        "ratio board/aggregate: {:.2} (lower is better; 1.00 = as fast as the bare query)",
        b / a
    );
}
