//! Sinkronisasi against the hospital dashboard simulator over HTTP on 127.0.0.1: whole runs with
//! exact counts, a rerun that changes nothing, every fault (a 500 on page k, a slow page, `count`
//! drifting, rows repeated across pages, a malformed row, an HTML page, a truncated body), and
//! bookings becoming tokens that follow cancellations and moves.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use loket_bpjs::ManualClock;
use loket_core::opd::{Status, TokenId};
use loket_core::sync::{RunWindow, Schedule};
use loket_service::credentials::DashboardCredentials;
use loket_service::sync::{sync_run, ClientPolicy, DashboardClient, SyncOutcome};
use loket_service::{Desk, FixedClock};
use loket_sim::hospital::{
    BlockingHospital, HospitalConfig, HospitalFault, HospitalFaultKind, HospitalSim, Malformation, Mutation,
};
use loket_sim::{DEMO_DASHBOARD_API_KEY, DEMO_DASHBOARD_TOKEN};

/// 2026-01-19 07:00 WIB, a Monday.
const NOW_SECS: u64 = 1_768_780_800;

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(NOW_SECS as i64, 0).unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

struct World {
    sim: BlockingHospital,
    dir: tempfile::TempDir,
}

impl World {
    fn start() -> World {
        let config = HospitalConfig {
            seed: 3,
            port: 0,
            bookings_per_day: 40,
            clock: Arc::new(ManualClock::at(NOW_SECS)),
            ..HospitalConfig::default()
        };
        World {
            sim: HospitalSim::start_blocking(config).unwrap(),
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn desk(&self) -> Desk {
        let (mut desk, _) =
            Desk::open_with_clock(&self.dir.path().join("loket.db"), Arc::new(FixedClock(now()))).unwrap();
        // Small pages, so that a window spans many.
        for name in ["BOOKING_PASIEN", "JADWAL_DOKTER", "KUNJUNGAN"] {
            let mut job = desk.sync_job(name).unwrap();
            job.page_limit = 25;
            job.schedule = Schedule::Disabled;
            desk.sync_save_job(&job, true).unwrap();
        }
        desk
    }

    fn client(&self) -> DashboardClient {
        let c = DashboardCredentials::new(
            &self.sim.base_url(),
            DEMO_DASHBOARD_TOKEN,
            DEMO_DASHBOARD_API_KEY,
            now(),
        )
        .unwrap();
        let policy = ClientPolicy {
            timeout: Duration::from_millis(800),
            retries: 2,
            backoff: Duration::from_millis(20),
            min_interval: Duration::ZERO,
        };
        DashboardClient::new(&c, policy).unwrap()
    }

    fn fault(&self, view: u32, page: Option<u64>, kind: HospitalFaultKind, times: Option<u32>) {
        self.sim.add_fault(match times {
            Some(n) => HospitalFault::times(Some(view), page, kind, n),
            None => HospitalFault::always(Some(view), page, kind),
        });
    }
}

fn run(desk: &mut Desk, client: &DashboardClient, job: &str, from: &str, to: &str) -> loket_core::Result<SyncOutcome> {
    sync_run(
        desk,
        client,
        job,
        RunWindow::Dates {
            from: day(from),
            to: day(to),
        },
        &|_| {},
        &AtomicBool::new(false),
    )
}

fn rows(desk: &Desk, table: &str) -> i64 {
    desk.store()
        .conn()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_whole_run_fetches_every_row_and_a_rerun_changes_nothing() {
    let w = World::start();
    let mut desk = w.desk();
    let client = w.client();
    let first = run(&mut desk, &client, "KUNJUNGAN", "2026-01-01", "2026-01-18")
        .unwrap()
        .run;
    let c = first.counts;
    assert_eq!(first.status, "ok", "{first:?}");
    assert!(c.fetched > 50, "{c:?}");
    assert_eq!(
        (c.inserted, c.updated, c.unchanged, c.skipped, c.duplicates),
        (c.fetched, 0, 0, 0, 0)
    );
    assert_eq!(rows(&desk, "sync_kunjungan"), i64::from(c.fetched));
    assert_eq!(first.pages_done, c.fetched.div_ceil(25));

    let again = run(&mut desk, &client, "KUNJUNGAN", "2026-01-01", "2026-01-18")
        .unwrap()
        .run;
    assert_eq!(again.counts.unchanged, c.fetched, "{:?}", again.counts);
    assert_eq!((again.counts.inserted, again.counts.updated), (0, 0));
    // The history keeps both runs, newest first.
    let history = desk.sync_runs(Some("KUNJUNGAN"), 10).unwrap();
    assert_eq!(
        history.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![again.id, first.id]
    );
}

#[test]
fn faults_are_survived_or_reported_with_exact_counts() {
    let w = World::start();
    let mut desk = w.desk();
    let client = w.client();
    let (from, to) = ("2026-01-05", "2026-01-18");
    let clean = run(&mut desk, &client, "KUNJUNGAN", from, to)
        .unwrap()
        .run
        .counts
        .fetched;
    let reset = |desk: &mut Desk| {
        desk.store().conn().execute("DELETE FROM sync_kunjungan", []).unwrap();
    };

    // A 500 on page 2, once: retried, nothing lost.
    reset(&mut desk);
    w.fault(310, Some(2), HospitalFaultKind::Http500, Some(1));
    let r = run(&mut desk, &client, "KUNJUNGAN", from, to).unwrap().run;
    assert_eq!((r.status.as_str(), r.counts.inserted), ("ok", clean));

    // A slow page (longer than the timeout), once: the retry gets it.
    reset(&mut desk);
    w.fault(310, Some(3), HospitalFaultKind::Delay { millis: 2_000 }, Some(1));
    let r = run(&mut desk, &client, "KUNJUNGAN", from, to).unwrap().run;
    assert_eq!((r.status.as_str(), r.counts.inserted), ("ok", clean));

    // Rows repeated across pages: counted as duplicates, stored once.
    reset(&mut desk);
    w.fault(310, Some(2), HospitalFaultKind::Duplicate { rows: 3 }, Some(1));
    let r = run(&mut desk, &client, "KUNJUNGAN", from, to).unwrap().run;
    assert_eq!((r.counts.inserted, r.counts.duplicates), (clean, 3), "{:?}", r.counts);
    assert_eq!(rows(&desk, "sync_kunjungan"), i64::from(clean));

    // `count` drifting up between pages: every real row fetched, the run marked partial.
    reset(&mut desk);
    w.fault(310, Some(2), HospitalFaultKind::CountDrift { delta: 7 }, Some(1));
    let r = run(&mut desk, &client, "KUNJUNGAN", from, to).unwrap().run;
    assert_eq!(r.counts.inserted, clean, "{:?}", r.counts);
    assert_eq!(r.status, "partial");
    assert!(r.error.as_deref().unwrap().contains("jalankan ulang"));

    // A malformed row: skipped with its reason (the field, never the value); the rest stored.
    reset(&mut desk);
    w.fault(
        310,
        Some(1),
        HospitalFaultKind::MalformedRow {
            how: Malformation::WrongType,
        },
        Some(1),
    );
    let r = run(&mut desk, &client, "KUNJUNGAN", from, to).unwrap().run;
    assert_eq!((r.counts.inserted, r.counts.skipped), (clean - 1, 1), "{:?}", r.counts);
    let skipped = &r.skipped_rows[0];
    assert_eq!(
        (skipped.page, skipped.reason.column.as_deref()),
        (1, Some("tanggal_kunjungan"))
    );
    assert!(!skipped.reason.message.contains("abc"), "{}", skipped.reason.message);

    // A 500 on page 3 that does not go away: the run fails with the error, pages 1–2 stay whole.
    reset(&mut desk);
    w.fault(310, Some(3), HospitalFaultKind::Http500, None);
    let err = run(&mut desk, &client, "KUNJUNGAN", from, to).unwrap_err();
    assert!(err.message.contains("HTTP 500"), "{}", err.message);
    let failed = desk.sync_runs(Some("KUNJUNGAN"), 1).unwrap().remove(0);
    assert_eq!((failed.status.as_str(), failed.pages_done), ("failed", 2));
    assert_eq!(rows(&desk, "sync_kunjungan"), 50, "two whole pages");
    w.sim.clear_faults();
    let r = run(&mut desk, &client, "KUNJUNGAN", from, to).unwrap().run;
    assert_eq!((r.counts.unchanged, r.counts.inserted), (50, clean - 50));

    // An HTML page and a cut-off body: clear errors, nothing written, never a crash.
    reset(&mut desk);
    w.fault(310, Some(1), HospitalFaultKind::Html { status: 200 }, None);
    let err = run(&mut desk, &client, "KUNJUNGAN", from, to).unwrap_err();
    assert!(err.message.contains("HTML"), "{}", err.message);
    w.sim.clear_faults();
    w.fault(310, Some(1), HospitalFaultKind::Truncated, None);
    let err = run(&mut desk, &client, "KUNJUNGAN", from, to).unwrap_err();
    assert!(!err.message.is_empty());
    assert_eq!(rows(&desk, "sync_kunjungan"), 0);
    w.sim.clear_faults();

    // Wrong credentials: a clear message, not retried.
    let bad = DashboardClient::new(
        &DashboardCredentials::new(&w.sim.base_url(), "wrong", "wrong", now()).unwrap(),
        ClientPolicy::default(),
    )
    .unwrap();
    let err = run(&mut desk, &bad, "KUNJUNGAN", from, to).unwrap_err();
    assert!(err.message.contains("token atau API key"), "{}", err.message);
}

#[test]
fn bookings_become_tokens_and_follow_cancellations_and_moves() {
    let w = World::start();
    let mut desk = w.desk();
    let client = w.client();
    // The OPD sessions come from the BPJS schedule; here the same doctors' sessions are opened
    // from the synced schedule (JADWAL_DOKTER) for the coming days.
    run(&mut desk, &client, "JADWAL_DOKTER", "2026-01-19", "2026-02-02").unwrap();
    let shifts: Vec<(String, String, String, String, String, i64)> = {
        let conn = desk.store().conn();
        let mut stmt = conn
            .prepare(
                "SELECT kode_dokter_bpjs, nama_dokter, kode_poli_bpjs, tanggal, substr(mulai,1,5) || '-' || substr(selesai,1,5), kuota
                 FROM sync_jadwal_dokter WHERE status = 'Aktif' AND tanggal >= '2026-01-19'",
            )
            .unwrap();
        stmt.query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    };
    assert!(!shifts.is_empty());
    for (doctor, name, poli, date, jam, kuota) in &shifts {
        desk.opd_add_session(&loket_service::opd::NewSession {
            doctor_code: doctor.clone(),
            doctor_name: name.clone(),
            poli_code: poli.clone(),
            date: date.clone(),
            jam: jam.clone(),
            capacity: (*kuota as u32).clamp(1, 200),
            slot_minutes: Some(60),
        })
        .unwrap();
    }

    let first = run(&mut desk, &client, "BOOKING_PASIEN", "2026-01-05", "2026-01-19").unwrap();
    let rec = first.bookings.unwrap();
    let active: i64 = desk
        .store()
        .conn()
        .query_row(
            "SELECT count(*) FROM sync_booking_pasien WHERE status_booking = 'Aktif' AND tanggal_antrian >= '2026-01-19'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(active > 0);
    assert_eq!(
        i64::from(rec.issued) + rec.unknown_session.len() as i64 + rec.refused.len() as i64,
        active,
        "{rec:?}"
    );
    assert!(rec.issued > 0);
    let tokens = |desk: &Desk| -> i64 {
        desk.store()
            .conn()
            .query_row("SELECT count(*) FROM booking_tokens", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(tokens(&desk), i64::from(rec.issued));
    // The windows showing those sessions are told: exactly the linked sessions, once each.
    let linked_sessions: std::collections::BTreeSet<i64> = desk
        .store()
        .conn()
        .prepare("SELECT DISTINCT session_id FROM booking_tokens")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let told: Vec<i64> = rec.sessions_changed.iter().map(|s| s.0).collect();
    assert_eq!(told, linked_sessions.into_iter().collect::<Vec<_>>());

    // Idempotent: the same bookings again issue nothing.
    let again = run(&mut desk, &client, "BOOKING_PASIEN", "2026-01-05", "2026-01-19")
        .unwrap()
        .bookings
        .unwrap();
    assert_eq!((again.issued, again.cancelled, again.moved), (0, 0, 0), "{again:?}");
    assert!(again.sessions_changed.is_empty());
    assert_eq!(tokens(&desk), i64::from(rec.issued));

    // The dashboard cancels two bookings and moves one: their tokens follow.
    let links_before: std::collections::HashMap<i64, loket_store::sync::BookingToken> = desk
        .store()
        .conn()
        .prepare("SELECT booking_id FROM booking_tokens")
        .unwrap()
        .query_map([], |r| r.get::<_, i64>(0))
        .unwrap()
        .map(|id| {
            let id = id.unwrap();
            (id, loket_service::sync::booking_link(&desk, id).unwrap().unwrap())
        })
        .collect();
    let m = w.sim.mutate(&Mutation {
        cancel: 2,
        moves: 1,
        ..Mutation::default()
    });
    let next = run(&mut desk, &client, "BOOKING_PASIEN", "2026-01-05", "2026-01-19")
        .unwrap()
        .bookings
        .unwrap();
    let linked: Vec<i64> = m
        .cancelled
        .iter()
        .copied()
        .filter(|id| loket_service::sync::booking_link(&desk, *id).unwrap().is_some())
        .collect();
    assert_eq!(next.cancelled as usize, linked.len(), "{next:?} {m:?}");
    for id in linked {
        let link = loket_service::sync::booking_link(&desk, id).unwrap().unwrap();
        let view = desk.opd_session(loket_core::opd::SessionId(link.session_id)).unwrap();
        let t = view
            .slots
            .iter()
            .flat_map(|s| &s.tokens)
            .find(|t| t.token_id == TokenId(link.token_id))
            .unwrap();
        assert_eq!(t.status, Status::Cancelled);
    }
    let moved = &m.moved[0];
    if let Some(before) = links_before.get(&moved.booking_id) {
        let after = loket_service::sync::booking_link(&desk, moved.booking_id)
            .unwrap()
            .unwrap();
        assert_eq!(next.moved, 1, "{next:?}");
        assert_ne!(after.token_id, before.token_id, "a new token in the new session");
        let old = desk.opd_session(loket_core::opd::SessionId(before.session_id)).unwrap();
        let t = old
            .slots
            .iter()
            .flat_map(|s| &s.tokens)
            .find(|t| t.token_id == TokenId(before.token_id))
            .unwrap();
        assert_eq!(t.status, Status::Cancelled, "the old token is cancelled");
    }
    assert!(desk.opd_replay_check().unwrap().ok);
}

#[test]
fn a_page_tells_new_changed_and_unchanged_rows_apart_exactly() {
    let mut desk = Desk::in_memory(Arc::new(FixedClock(now()))).unwrap();
    let tarif = |kode: &str, harga: i64| serde_json::json!({"kode_item": kode, "nama_item": "Item", "harga": harga, "berlaku_mulai": "2026-01-01"});
    let counts = |c: loket_core::sync::RunCounts| (c.inserted, c.updated, c.unchanged);
    let first = desk
        .sync_apply_rows("TARIF", &[tarif("A", 100), tarif("B", 200)])
        .unwrap();
    assert_eq!(counts(first), (2, 0, 0));
    // Something else inserts on the connection, so that the next new row gets the very rowid the
    // connection reported last: a new row that does not move the last insert rowid.
    desk.store()
        .conn()
        .execute_batch("CREATE TABLE scratch (id INTEGER PRIMARY KEY); INSERT INTO scratch (id) VALUES (3);")
        .unwrap();
    let second = desk
        .sync_apply_rows("TARIF", &[tarif("C", 300), tarif("A", 150), tarif("B", 200)])
        .unwrap();
    assert_eq!(counts(second), (1, 1, 1), "C new, A changed, B the same");
    let third = desk
        .sync_apply_rows("TARIF", &[tarif("A", 150), tarif("D", 1), tarif("B", 201)])
        .unwrap();
    assert_eq!(counts(third), (1, 1, 1), "D new, B changed, A the same");
    let changes: Vec<(String, i64, i64)> = desk
        .store()
        .conn()
        .prepare("SELECT kode_item, harga, _changes FROM sync_tarif ORDER BY kode_item")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        changes,
        [
            ("A".into(), 150, 1),
            ("B".into(), 201, 1),
            ("C".into(), 300, 0),
            ("D".into(), 1, 0)
        ]
    );
}

#[test]
fn bookings_run_their_whole_window_weekly_and_an_incremental_one_every_day() {
    let w = World::start();
    let mut desk = w.desk();
    let client = w.client();
    let builtin = loket_core::sync::builtin_jobs()
        .into_iter()
        .find(|j| j.name == "BOOKING_PASIEN")
        .unwrap();
    assert_eq!(
        (builtin.schedule, builtin.incremental.schedule, builtin.incremental.days),
        (
            Schedule::Weekly {
                day: loket_core::sync::Hari::Senin,
                hour: 0,
                minute: 0
            },
            Schedule::Daily { hour: 0, minute: 0 },
            loket_core::sync::DaysRange { back: 1, forward: 0 }
        ),
        "the shipped schedules: weekly on Monday 00:00 WIB, yesterday and today every day"
    );
    let mut job = desk.sync_job("BOOKING_PASIEN").unwrap();
    (job.schedule, job.incremental) = (builtin.schedule, builtin.incremental);
    desk.sync_save_job(&job, true).unwrap();
    let due = |desk: &mut Desk| -> Vec<RunWindow> {
        desk.sync_due_jobs()
            .unwrap()
            .into_iter()
            .filter(|(name, _)| name == "BOOKING_PASIEN")
            .map(|(_, window)| window)
            .collect()
    };
    let at = |s: &str| Arc::new(FixedClock(DateTime::parse_from_rfc3339(s).unwrap().to_utc()));
    let run = |desk: &mut Desk, window: RunWindow| {
        let r = sync_run(
            desk,
            &client,
            "BOOKING_PASIEN",
            window,
            &|_| {},
            &AtomicBool::new(false),
        )
        .unwrap()
        .run;
        (r.kind, r.window_from, r.window_to)
    };

    // Monday 07:00 WIB, never run: the whole window (14 days back).
    assert_eq!(due(&mut desk), [RunWindow::Full]);
    assert_eq!(
        run(&mut desk, RunWindow::Full),
        ("full".into(), "2026-01-05".into(), "2026-01-19".into())
    );
    assert!(
        due(&mut desk).is_empty(),
        "a full run counts for the day's increment too"
    );
    // Tuesday morning: yesterday and today.
    desk.set_clock(at("2026-01-20T06:00:00+07:00"));
    assert_eq!(due(&mut desk), [RunWindow::Incremental]);
    assert_eq!(
        run(&mut desk, RunWindow::Incremental),
        ("incremental".into(), "2026-01-19".into(), "2026-01-20".into())
    );
    assert!(due(&mut desk).is_empty());
    // Wednesday: due again; a manual run with chosen dates moves neither schedule.
    desk.set_clock(at("2026-01-21T06:00:00+07:00"));
    assert_eq!(
        run(
            &mut desk,
            RunWindow::Dates {
                from: day("2026-01-01"),
                to: day("2026-01-02"),
            },
        ),
        ("manual".into(), "2026-01-01".into(), "2026-01-02".into())
    );
    assert_eq!(due(&mut desk), [RunWindow::Incremental]);
    desk.set_clock(at("2026-01-25T23:00:00+07:00"));
    assert_eq!(
        due(&mut desk),
        [RunWindow::Incremental],
        "Sunday: still the daily increment"
    );
    desk.set_clock(at("2026-01-26T00:05:00+07:00"));
    assert_eq!(
        due(&mut desk),
        [RunWindow::Full],
        "Monday 00:00 WIB: the whole window again"
    );
}

#[test]
fn a_scheduled_job_that_failed_waits_before_it_is_tried_again() {
    let w = World::start();
    let mut desk = w.desk();
    let client = w.client();
    let mut job = desk.sync_job("KUNJUNGAN").unwrap();
    job.schedule = Schedule::Every { minutes: 5 };
    desk.sync_save_job(&job, true).unwrap();
    let due = |desk: &mut Desk| {
        desk.sync_due_jobs()
            .unwrap()
            .iter()
            .any(|(name, _)| name == "KUNJUNGAN")
    };
    assert!(due(&mut desk), "never run: due");

    // The dashboard answers 500 to everything: the scheduled run fails.
    w.fault(310, None, HospitalFaultKind::Http500, None);
    let failed = sync_run(
        &mut desk,
        &client,
        "KUNJUNGAN",
        RunWindow::Full,
        &|_| {},
        &AtomicBool::new(false),
    );
    assert!(failed.is_err());
    assert!(!due(&mut desk), "not tried again at the next round of the worker");
    let later = |minutes: i64| Arc::new(FixedClock(now() + chrono::TimeDelta::minutes(minutes)));
    desk.set_clock(later(14));
    assert!(!due(&mut desk), "still waiting 14 minutes later");
    desk.set_clock(later(15));
    assert!(
        due(&mut desk),
        "tried again after {}",
        loket_service::sync::RETRY_AFTER_FAILURE
    );

    // A clerk's run with chosen dates that fails does not hold the schedule back.
    let dates = RunWindow::Dates {
        from: day("2026-01-10"),
        to: day("2026-01-11"),
    };
    assert!(sync_run(&mut desk, &client, "KUNJUNGAN", dates, &|_| {}, &AtomicBool::new(false)).is_err());
    assert!(due(&mut desk));
}
