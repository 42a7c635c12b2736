//! The BPJS outbox against a real `loket-sim` on 127.0.0.1: items written with the token events,
//! sent booking by booking in order, recovery through 500s, timeouts and a restart, 208s, a
//! business refusal that stops one chain until the clerk retries, incomplete patient details
//! that wait, and the quota-full alerts (once per transition, re-armed by a cancellation).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use loket_core::opd::{Jenis, SessionId, Source, TokenId};
use loket_core::patient::PatientDetails;
use loket_service::bpjs::BpjsConnection;
use loket_service::credentials::{CredentialsInput, SecretStore};
use loket_service::opd::{TokenAction, TokenRequest};
use loket_service::outbox::{run_once, OutboxSender};
use loket_service::{Desk, FixedClock};
use loket_sim::{Fault, FaultKind, Sim, SimConfig, SimHandle, DEMO_CONS_ID, DEMO_SECRET, DEMO_USER_KEY};

const KARTU: &str = "0001234567890";
const NIK: &str = "3174012345678901";
const HP: &str = "081234567890";

struct World {
    rt: tokio::runtime::Runtime,
    sim: Option<SimHandle>,
    dir: tempfile::TempDir,
    now: DateTime<Utc>,
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
        let config = SimConfig {
            seed: 11,
            port: 0,
            libur_percent: 0,
            schedule_window: Some((day("2026-01-01"), day("2026-03-31"))),
            ..SimConfig::default()
        };
        let sim = rt.block_on(Sim::start(config)).unwrap();
        World {
            rt,
            sim: Some(sim),
            dir: tempfile::tempdir().unwrap(),
            now: DateTime::parse_from_rfc3339("2026-01-19T07:30:00+07:00")
                .unwrap()
                .to_utc(),
        }
    }

    fn sim(&self) -> &SimHandle {
        self.sim.as_ref().unwrap()
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("loket.db")
    }

    fn desk(&self) -> Desk {
        Desk::open_with_clock(&self.db(), Arc::new(FixedClock(self.now)))
            .unwrap()
            .0
    }

    fn connection(&self) -> BpjsConnection {
        let p = self
            .desk()
            .bpjs_profile_with(SecretStore::file_in(self.dir.path().join("secrets")))
            .unwrap();
        p.set_credentials(&CredentialsInput {
            cons_id: DEMO_CONS_ID.into(),
            secret: Some(DEMO_SECRET.into()),
            user_key: Some(DEMO_USER_KEY.into()),
            env: None,
            base_url: Some(self.sim().base_url()),
        })
        .unwrap();
        p.connection(None)
            .unwrap()
            .with_timeout(Duration::from_millis(1500))
            .with_retries(0)
    }

    /// The snapshot sessions of the first poli with an open shift on 2026-01-19.
    fn sessions(&self, desk: &mut Desk, conn: &BpjsConnection) -> Vec<(SessionId, u32)> {
        let polis: Vec<String> = self
            .sim()
            .with_hfis(|h| h.doctors().iter().map(|d| d.kodepoli.clone()).collect());
        for poli in polis {
            let r = desk
                .quota_refresh_with(conn, std::slice::from_ref(&poli), &[day("2026-01-19")])
                .unwrap();
            let open: Vec<(SessionId, u32)> = r
                .created_sessions
                .iter()
                .filter(|s| s.kuota_jkn >= 4)
                .map(|s| (s.session_id.unwrap(), s.kuota_jkn))
                .collect();
            if !open.is_empty() {
                return open;
            }
        }
        panic!("no open shift in the simulated schedule");
    }

    /// BPJS's task list of a booking, asked over the real protocol.
    fn tasks(&self, conn: &BpjsConnection, kodebooking: &str) -> Vec<i64> {
        let client = loket_bpjs::Client::new(conn_config(conn)).unwrap();
        let code = kodebooking.to_string();
        let mut t: Vec<i64> = self
            .rt
            .block_on(async move { client.list_task(&code).await })
            .unwrap()
            .iter()
            .map(|t| t.taskid)
            .collect();
        t.sort_unstable();
        t
    }
}

fn conn_config(conn: &BpjsConnection) -> loket_bpjs::Config {
    loket_bpjs::Config::new(DEMO_CONS_ID, DEMO_SECRET, DEMO_USER_KEY, conn.base_url().to_string())
}

impl Drop for World {
    fn drop(&mut self) {
        if let Some(sim) = self.sim.take() {
            self.rt.block_on(sim.shutdown());
        }
    }
}

fn jkn_patient() -> PatientDetails {
    PatientDetails {
        nomorkartu: Some(KARTU.into()),
        nik: Some(NIK.into()),
        nohp: Some(HP.into()),
        jeniskunjungan: Some(1),
        nomorreferensi: Some("0301R0010126B000123".into()),
        pasien_baru: false,
        norm: None,
    }
}

fn request(session_id: SessionId, jenis: Jenis, patient: PatientDetails) -> TokenRequest {
    TokenRequest {
        session_id,
        slot_id: None,
        source: Source::WalkIn,
        paid: false,
        jenis,
        norm: Some("00012345".into()),
        name: None,
        patient,
    }
}

fn kodebooking(desk: &Desk, token: TokenId) -> String {
    let s = desk.outbox_status(500).unwrap();
    s.items
        .iter()
        .find(|i| i.token_id == token)
        .unwrap()
        .kodebooking
        .clone()
}

fn states(desk: &Desk, token: TokenId) -> Vec<(String, String)> {
    let mut v: Vec<_> = desk
        .outbox_status(500)
        .unwrap()
        .items
        .into_iter()
        .filter(|i| i.token_id == token)
        .map(|i| (i.seq, i.endpoint, i.state))
        .collect();
    v.sort();
    v.into_iter().map(|(_, w, s)| (w, s)).collect()
}

#[test]
fn every_token_event_reaches_bpjs_in_order_and_a_rerun_sends_nothing() {
    let w = World::start();
    let conn = w.connection();
    let mut desk = w.desk();
    let (session, _) = w.sessions(&mut desk, &conn)[0];

    let a = desk
        .opd_request_token(&request(session, Jenis::Jkn, jkn_patient()))
        .unwrap();
    let nonjkn = PatientDetails {
        nik: Some(NIK.into()),
        nohp: Some(HP.into()),
        pasien_baru: true,
        ..PatientDetails::default()
    };
    let b = desk
        .opd_request_token(&request(session, Jenis::NonJkn, nonjkn))
        .unwrap();
    desk.opd_token_action(a.token_id, TokenAction::Call, None).unwrap();
    desk.opd_token_action(a.token_id, TokenAction::Complete, None).unwrap();
    desk.opd_token_action(b.token_id, TokenAction::Cancel, Some("Pasien pulang".into()))
        .unwrap();

    // Written with the events, nothing sent yet.
    let s = desk.outbox_summary().unwrap();
    assert_eq!((s.pending, s.sent, s.failed, s.incomplete), (10, 0, 0, 0), "{s:?}");
    assert_eq!(w.sim().request_count("antrean/add"), 0);

    let sender = OutboxSender::new(&conn).unwrap();
    let r = run_once(&mut desk, &sender).unwrap();
    assert_eq!((r.attempted, r.sent, r.failed, r.retry_later), (10, 10, 0, 0), "{r:?}");
    assert_eq!(w.tasks(&conn, &kodebooking(&desk, a.token_id)), vec![3, 4, 5]);
    // A new patient checks in with tasks 1, 2, 3; the cancellation reports 99, then batal.
    assert_eq!(w.tasks(&conn, &kodebooking(&desk, b.token_id)), vec![1, 2, 3, 99]);
    assert!(states(&desk, b.token_id).iter().all(|(_, s)| s == "sent"));
    assert_eq!(states(&desk, b.token_id).last().unwrap().0, "antrean/batal");

    // Sent in order per booking: add first, batal last.
    let order: Vec<String> = w
        .sim()
        .requests()
        .into_iter()
        .map(|r| r.endpoint)
        .filter(|e| e.starts_with("antrean/") && e != "antrean/getlisttask")
        .collect();
    assert_eq!(order.first().unwrap(), "antrean/add");
    assert_eq!(order.last().unwrap(), "antrean/batal");

    let again = run_once(&mut desk, &sender).unwrap();
    assert_eq!(again.attempted, 0);
}

#[test]
fn failures_retry_with_backoff_and_survive_a_restart() {
    let w = World::start();
    let conn = w.connection();
    let mut desk = w.desk();
    let (session, _) = w.sessions(&mut desk, &conn)[0];
    let a = desk
        .opd_request_token(&request(session, Jenis::Jkn, jkn_patient()))
        .unwrap();
    let sender = OutboxSender::new(&conn).unwrap();

    // A 500 on add: retried later, the booking's task waits behind it.
    w.sim().add_fault(Fault::times("antrean/add", FaultKind::Http500, 1));
    let r = run_once(&mut desk, &sender).unwrap();
    assert_eq!((r.attempted, r.retry_later), (1, 1), "{r:?}");
    let add = &desk.outbox_status(10).unwrap().items[0];
    assert_eq!((add.state.as_str(), add.attempts), ("pending", 1));
    assert!(add.next_attempt_at.is_some() && add.last_message.is_some());
    // Not due yet: nothing is sent.
    assert_eq!(run_once(&mut desk, &sender).unwrap().attempted, 0);

    // Restart the desk 20 s later: the items are still there and go out.
    drop(desk);
    let mut desk = w.desk();
    desk.set_clock(Arc::new(FixedClock(w.now + TimeDelta::seconds(20))));
    // The answer to updatewaktu comes too late (the sim records it): a timeout, then a 208.
    w.sim().add_fault(Fault::times(
        "antrean/updatewaktu",
        FaultKind::Delay { millis: 3_000 },
        1,
    ));
    let r = run_once(&mut desk, &sender).unwrap();
    assert_eq!((r.sent, r.retry_later), (1, 1), "add sent, the task timed out: {r:?}");
    drop(desk);
    let mut desk = w.desk();
    desk.set_clock(Arc::new(FixedClock(w.now + TimeDelta::seconds(200))));
    let r = run_once(&mut desk, &sender).unwrap();
    assert_eq!((r.sent, r.failed), (1, 0), "{r:?}");
    let items = states(&desk, a.token_id);
    assert!(items.iter().all(|(_, s)| s == "sent"), "{items:?}");
    let task = desk
        .outbox_status(10)
        .unwrap()
        .items
        .into_iter()
        .find(|i| i.seq == 3)
        .unwrap();
    assert!(
        task.last_message.unwrap().contains("Sudah tercatat"),
        "the 208 counts as done"
    );
    assert_eq!(w.tasks(&conn, &kodebooking(&desk, a.token_id)), vec![3]);
}

#[test]
fn a_refusal_stops_its_booking_until_the_clerk_retries_and_incomplete_details_wait() {
    let w = World::start();
    let conn = w.connection();
    let mut desk = w.desk();
    let (session, _) = w.sessions(&mut desk, &conn)[0];
    let sender = OutboxSender::new(&conn).unwrap();

    // Refused once by BPJS: the chain stops with the message, other bookings go on.
    w.sim().add_fault(Fault::times(
        "antrean/add",
        FaultKind::Message {
            message: "Rujukan tidak valid".into(),
        },
        1,
    ));
    let a = desk
        .opd_request_token(&request(session, Jenis::Jkn, jkn_patient()))
        .unwrap();
    let r = run_once(&mut desk, &sender).unwrap();
    assert_eq!((r.attempted, r.failed), (1, 1), "{r:?}");
    let items = desk.outbox_status(10).unwrap().items;
    let add = items.iter().find(|i| i.seq == 0).unwrap();
    assert_eq!(add.state, "failed");
    assert!(add.last_message.as_deref().unwrap().contains("Rujukan tidak valid"));
    assert_eq!(items.iter().find(|i| i.seq == 3).unwrap().state, "pending");
    assert_eq!(
        run_once(&mut desk, &sender).unwrap().attempted,
        0,
        "stopped until retried"
    );

    let retried = desk.outbox_retry(add.id).unwrap();
    assert_eq!(retried.state, "pending");
    let r = run_once(&mut desk, &sender).unwrap();
    assert_eq!((r.sent, r.failed), (2, 0), "{r:?}");
    assert!(desk.outbox_retry(add.id).is_err(), "a sent item cannot be retried");

    // A JKN token without its card number is issued; its items wait, incomplete.
    let partial = PatientDetails {
        nomorkartu: None,
        ..jkn_patient()
    };
    let b = desk.opd_request_token(&request(session, Jenis::Jkn, partial)).unwrap();
    assert_eq!(desk.outbox_summary().unwrap().incomplete, 1);
    assert_eq!(run_once(&mut desk, &sender).unwrap().attempted, 0);
    let view = states(&desk, b.token_id);
    assert_eq!(view[0].1, "incomplete");
    // Only the missing card is given: the rest stored at issue is kept.
    let done = desk
        .opd_token_details(
            b.token_id,
            &PatientDetails {
                nomorkartu: Some("000 1234 567 890".into()),
                ..PatientDetails::default()
            },
        )
        .unwrap();
    assert!(done.sent_to_bpjs && done.missing.is_empty(), "{done:?}");
    assert_eq!(desk.opd_token_patient(b.token_id).unwrap().nik.as_deref(), Some(NIK));
    let r = run_once(&mut desk, &sender).unwrap();
    assert_eq!((r.sent, r.failed), (2, 0), "{r:?}");
    // Bad details are refused with a clear message and change nothing.
    let err = desk
        .opd_token_details(
            b.token_id,
            &PatientDetails {
                nik: Some("12".into()),
                ..PatientDetails::default()
            },
        )
        .unwrap_err();
    assert!(err.message.contains("NIK"), "{}", err.message);
    assert!(!err.message.contains("12"), "no patient numbers in messages");
    let _ = a;
}

#[test]
fn a_full_pool_alerts_once_and_is_re_armed_by_a_cancellation() {
    let w = World::start();
    let conn = w.connection();
    let mut desk = w.desk();
    let (session, kuota_jkn) = w.sessions(&mut desk, &conn)[0];
    let mut tokens = Vec::new();
    let mut raised = Vec::new();
    for _ in 0..kuota_jkn {
        tokens.push(
            desk.opd_request_token(&request(session, Jenis::Jkn, jkn_patient()))
                .unwrap(),
        );
        raised.extend(desk.take_new_alerts());
    }
    let full: Vec<_> = raised
        .iter()
        .filter(|a| a.message.contains("Kuota JKN penuh"))
        .collect();
    assert!(
        raised.iter().any(|a| a.message.contains("hampir penuh")),
        "the 90 % threshold too"
    );
    assert_eq!(full.len(), 1, "{raised:?}");
    assert!(!full[0].message.contains(KARTU));
    assert_eq!(full[0].kind, loket_service::outbox::ALERT_QUOTA_FULL);
    assert!(desk
        .opd_request_token(&request(session, Jenis::Jkn, jkn_patient()))
        .is_err());
    assert!(desk.take_new_alerts().is_empty(), "a refusal raises nothing new");

    desk.opd_token_action(tokens[0].token_id, TokenAction::Cancel, None)
        .unwrap();
    assert!(desk.take_new_alerts().is_empty());
    desk.opd_request_token(&request(session, Jenis::Jkn, jkn_patient()))
        .unwrap();
    let again = desk.take_new_alerts();
    assert_eq!(again.len(), 1, "re-armed: {again:?}");
    assert!(again[0].message.contains("Kuota JKN penuh"));
    assert!(
        desk.open_alerts().unwrap().len() >= 2,
        "banners are kept for the screen"
    );
}
