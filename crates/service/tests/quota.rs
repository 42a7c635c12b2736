//! Kuota against a real `loket-sim` on 127.0.0.1: refreshing the HFIS snapshot (several shifts
//! per doctor, libur days), the OPD sessions it creates and resizes, idempotence, flags instead
//! of deleted tokens, the seed's quota example, and the pool check of snapshot sessions.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use loket_bpjs::model::JadwalDokter;
use loket_core::opd::{Jenis, SessionId, Source, Status};
use loket_core::ErrorCode;
use loket_service::bpjs::BpjsConnection;
use loket_service::credentials::{CredentialsInput, SecretStore};
use loket_service::opd::{NewSession, TokenAction, TokenRequest};
use loket_service::{Desk, FixedClock};
use loket_sim::{Sim, SimConfig, SimHandle, DEMO_CONS_ID, DEMO_SECRET, DEMO_USER_KEY};

struct World {
    rt: tokio::runtime::Runtime,
    sim: Option<SimHandle>,
    dir: tempfile::TempDir,
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-01-18T22:00:00Z").unwrap().to_utc()
}

impl World {
    fn start() -> World {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let config = SimConfig {
            seed: 5,
            port: 0,
            libur_percent: 25,
            schedule_window: Some((day("2026-01-01"), day("2026-03-31"))),
            ..SimConfig::default()
        };
        let sim = rt.block_on(Sim::start(config)).unwrap();
        World {
            rt,
            sim: Some(sim),
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn sim(&self) -> &SimHandle {
        self.sim.as_ref().unwrap()
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("loket.db")
    }

    fn desk(&self) -> Desk {
        Desk::open_with_clock(&self.db(), Arc::new(FixedClock(now())))
            .unwrap()
            .0
    }

    fn connection(&self) -> BpjsConnection {
        let secrets: &Path = &self.dir.path().join("secrets");
        let p = self.desk().bpjs_profile_with(SecretStore::file_in(secrets)).unwrap();
        p.set_credentials(&CredentialsInput {
            cons_id: DEMO_CONS_ID.into(),
            secret: Some(DEMO_SECRET.into()),
            user_key: Some(DEMO_USER_KEY.into()),
            env: None,
            base_url: Some(self.sim().base_url()),
        })
        .unwrap();
        p.connection(None).unwrap().with_timeout(Duration::from_secs(5))
    }

    /// A poli and date whose schedule has a doctor with several shifts and a libur shift.
    fn busy_day(&self) -> (String, NaiveDate, Vec<JadwalDokter>) {
        self.sim().with_hfis(|h| {
            let mut polis: Vec<String> = h.doctors().iter().map(|d| d.kodepoli.clone()).collect();
            polis.dedup();
            (0..60)
                .map(|i| day("2026-01-19") + chrono::Days::new(i))
                .flat_map(|d| polis.iter().map(move |p| (p.clone(), d)))
                .map(|(p, d)| {
                    let j = h.jadwal(&p, d);
                    (p, d, j)
                })
                .find(|(_, _, j)| {
                    let multi = j
                        .iter()
                        .any(|a| !a.is_libur() && j.iter().filter(|b| b.kodedokter == a.kodedokter).count() > 1);
                    multi && j.iter().any(JadwalDokter::is_libur) && j.iter().any(|a| !a.is_libur())
                })
                .expect("a day with several shifts and a libur doctor")
        })
    }
}

impl Drop for World {
    fn drop(&mut self) {
        if let Some(sim) = self.sim.take() {
            self.rt.block_on(sim.shutdown());
        }
    }
}

fn request(session_id: SessionId, jenis: Jenis, source: Source) -> TokenRequest {
    TokenRequest {
        session_id,
        slot_id: None,
        source,
        paid: false,
        jenis,
        norm: None,
        name: None,
        patient: Default::default(),
    }
}

fn capacity(desk: &Desk, session_id: SessionId) -> u32 {
    desk.opd_session(session_id)
        .unwrap()
        .slots
        .iter()
        .map(|s| s.capacity)
        .sum()
}

fn events(desk: &Desk) -> usize {
    desk.opd_event_records(None).unwrap().len()
}

#[test]
fn refresh_creates_one_session_per_shift_and_is_idempotent() {
    let w = World::start();
    let conn = w.connection();
    let (poli, date, want) = w.busy_day();
    let mut desk = w.desk();
    let r = desk.quota_refresh_with(&conn, &[poli.to_lowercase()], &[date]).unwrap();
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(r.fetched_shifts as usize, want.len());
    let open: Vec<&JadwalDokter> = want.iter().filter(|j| !j.is_libur()).collect();
    assert_eq!(
        r.created_sessions.len(),
        open.len(),
        "one session per shift, none for libur"
    );
    assert!(r.updated_sessions.is_empty() && r.flagged.is_empty());

    // The right capacity: kuota_jkn + floor(kuota_jkn × 0.30), per shift.
    for j in &open {
        let s = r
            .created_sessions
            .iter()
            .find(|s| s.doctor_code == j.kodedokter.to_string() && s.jam == j.jampraktek())
            .expect("the shift's session");
        let k = j.kapasitaspasien as u32;
        assert_eq!((s.kuota_jkn, s.kuota_nonjkn), (k, k * 3000 / 10_000));
        assert_eq!(capacity(&desk, s.session_id.unwrap()), k + k * 3 / 10);
    }

    // The snapshot: one entry per shift, with its session (none when libur).
    let snaps = desk.quota_snapshots(&date.to_string(), Some(&poli)).unwrap();
    assert_eq!(snaps.len(), want.len());
    for e in &snaps {
        assert_eq!(e.row.session_id.is_some(), !e.row.libur, "{e:?}");
        assert_eq!(e.row.source, "BPJS_HFIS");
        assert!(!e.stale);
    }
    let doctors_with_two = snaps
        .iter()
        .filter(|a| !a.row.libur && snaps.iter().filter(|b| b.row.doctor_code == a.row.doctor_code).count() > 1)
        .count();
    assert!(
        doctors_with_two >= 2,
        "several shifts of one doctor, each its own session"
    );

    // A rerun changes nothing.
    let before = events(&desk);
    let again = desk
        .quota_refresh_with(&conn, std::slice::from_ref(&poli), &[date])
        .unwrap();
    assert_eq!(again.fetched_shifts as usize, want.len());
    assert!(again.created_sessions.is_empty() && again.updated_sessions.is_empty() && again.flagged.is_empty());
    assert_eq!(events(&desk), before);
    assert_eq!(desk.quota_snapshots(&date.to_string(), None).unwrap().len(), want.len());
    assert_eq!(
        desk.opd_sessions(&date.to_string(), Some(&poli)).unwrap().len(),
        open.len()
    );

    // A larger ratio grows every session through ChangeCapacity.
    desk.set_setting("nonjkn_ratio", "0.50").unwrap();
    let grown = desk
        .quota_refresh_with(&conn, std::slice::from_ref(&poli), &[date])
        .unwrap();
    assert_eq!(grown.updated_sessions.len(), open.len());
    for s in &grown.updated_sessions {
        assert_eq!(capacity(&desk, s.session_id.unwrap()), s.kuota_jkn + s.kuota_jkn / 2);
    }
    assert!(desk
        .opd_event_records(None)
        .unwrap()
        .iter()
        .any(|e| e.kind == "capacity_changed"));
    assert!(desk.opd_replay_check().unwrap().ok);

    // An unknown date range and a bad poli are reported per poli-date, the rest goes on.
    let mixed = desk
        .quota_refresh_with(&conn, &["BAD POLI".into(), poli.clone()], &[date])
        .unwrap();
    assert_eq!(mixed.errors.len(), 1);
    assert_eq!(mixed.errors[0].poli, "BAD POLI");
    assert_eq!(mixed.fetched_shifts as usize, want.len());
}

#[test]
fn a_full_pool_is_refused_and_a_capacity_drop_flags_instead_of_deleting() {
    let w = World::start();
    let conn = w.connection();
    let (poli, date, want) = w.busy_day();
    let mut desk = w.desk();
    desk.quota_refresh_with(&conn, std::slice::from_ref(&poli), &[date])
        .unwrap();
    let shift = want
        .iter()
        .filter(|j| !j.is_libur())
        .min_by_key(|j| j.kapasitaspasien)
        .unwrap();
    let k = shift.kapasitaspasien as u32;
    let q = desk
        .quota_calculate(
            &poli,
            &shift.kodedokter.to_string(),
            &date.to_string(),
            Some(&shift.jampraktek()),
        )
        .unwrap();
    let sid = q.session_id.unwrap();
    for _ in 0..k {
        desk.opd_request_token(&request(sid, Jenis::Jkn, Source::WalkIn))
            .unwrap();
    }
    let e = desk
        .opd_request_token(&request(sid, Jenis::Jkn, Source::Online))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    assert_eq!(
        e.message,
        format!("Kuota JKN jadwal ini sudah penuh ({k} dari {k} terpakai). Pilih jadwal atau dokter lain.")
    );
    // The other pool still has room; an emergency passes a full pool.
    desk.opd_request_token(&request(sid, Jenis::NonJkn, Source::WalkIn))
        .unwrap();
    desk.opd_request_token(&request(sid, Jenis::Jkn, Source::Emergency))
        .unwrap();
    let issued = k + 2;

    // HFIS-side capacity now below what is issued (ratio 0: capacity = k): flagged, kept.
    let cap_before = capacity(&desk, sid);
    let events_before = events(&desk);
    desk.set_setting("nonjkn_ratio", "0").unwrap();
    let r = desk
        .quota_refresh_with(&conn, std::slice::from_ref(&poli), &[date])
        .unwrap();
    let flag = r.flagged.iter().find(|f| f.session_id == Some(sid)).expect("flagged");
    let reason = flag.reason.as_deref().unwrap();
    assert!(reason.contains(&format!("{issued} antrean sudah terbit")), "{reason}");
    assert!(reason.contains("tidak dihapus"), "{reason}");
    assert!(!r.updated_sessions.iter().any(|s| s.session_id == Some(sid)));
    assert_eq!(capacity(&desk, sid), cap_before);
    let view = desk.opd_session(sid).unwrap();
    let tokens: usize = view.slots.iter().map(|s| s.tokens.len()).sum();
    assert_eq!(tokens as u32, issued, "no token deleted");
    // The flagged session got no event; the others (no tokens) were resized down.
    let sid_events = desk.opd_event_records(Some(sid)).unwrap().len();
    assert_eq!(
        sid_events,
        1 + 2 * (k as usize + 2),
        "created + requested/confirmed per token"
    );
    assert!(events(&desk) > events_before);
    let snap = desk.quota_snapshots(&date.to_string(), Some(&poli)).unwrap();
    let row = snap.iter().find(|e| e.row.session_id == Some(sid)).unwrap();
    assert_eq!(row.row.flag_reason.as_deref(), Some(reason));
    assert!(row.row.flagged_at.is_some());

    // Back to a ratio that fits: the flag clears.
    desk.set_setting("nonjkn_ratio", "0.30").unwrap();
    let r = desk
        .quota_refresh_with(&conn, std::slice::from_ref(&poli), &[date])
        .unwrap();
    assert!(r.flagged.iter().all(|f| f.session_id != Some(sid)));
    let snap = desk.quota_snapshots(&date.to_string(), Some(&poli)).unwrap();
    assert_eq!(
        snap.iter()
            .find(|e| e.row.session_id == Some(sid))
            .unwrap()
            .row
            .flag_reason,
        None
    );
    assert!(desk.opd_replay_check().unwrap().ok);
}

#[test]
fn the_seed_example_and_a_libur_day_with_tokens() {
    let w = World::start();
    let conn = w.connection();
    let (poli, date, _) = w.busy_day();
    let mut rows = conn.jadwal(&poli, &date.to_string()).unwrap();
    let i = rows.iter().position(|j| !j.is_libur()).unwrap();
    rows[i].kapasitaspasien = 54;
    let mut desk = w.desk();
    desk.quota_apply(&poli, date, &rows).unwrap();
    let shift = rows[i].clone();
    let dokter = shift.kodedokter.to_string();
    let jam = shift.jampraktek();
    let q = desk
        .quota_calculate(&poli, &dokter, &date.to_string(), Some(&jam))
        .unwrap();
    let sid = q.session_id.unwrap();
    assert_eq!((q.kuota_jkn, q.kuota_nonjkn), (54, 16));
    assert_eq!(capacity(&desk, sid), 70);
    let mut first = None;
    for _ in 0..12 {
        let t = desk
            .opd_request_token(&request(sid, Jenis::Jkn, Source::WalkIn))
            .unwrap();
        first.get_or_insert(t.token_id);
        desk.opd_request_token(&request(sid, Jenis::NonJkn, Source::Online))
            .unwrap();
    }
    let q = desk
        .quota_calculate(&poli, &dokter, &date.to_string(), Some(&jam))
        .unwrap();
    assert_eq!(q.poli_id, poli);
    assert_eq!(q.dokter_id, dokter);
    assert_eq!(q.tanggal, date.to_string());
    assert_eq!(q.jam_praktek, jam);
    assert_eq!((q.kuota_jkn, q.total_registrasi_jkn, q.sisa_kuota_jkn), (54, 12, 42));
    assert_eq!(
        (q.kuota_nonjkn, q.total_registrasi_nonjkn, q.sisa_kuota_nonjkn),
        (16, 12, 4)
    );
    // The seed's estimate: shift start + next number (25) × 6 minutes, WIB.
    let (start, _) = shift.window().unwrap();
    let want = loket_core::quota::estimasi_dilayani(date, start, 25, 6).unwrap();
    assert_eq!(q.estimasi_dilayani_berikutnya, want);
    let v = serde_json::to_value(&q).unwrap();
    for k in [
        "poli_id",
        "poli_name",
        "dokter_id",
        "tanggal",
        "jam_praktek",
        "kuota_jkn",
        "total_registrasi_jkn",
        "sisa_kuota_jkn",
        "kuota_nonjkn",
        "total_registrasi_nonjkn",
        "sisa_kuota_nonjkn",
        "estimasi_dilayani_berikutnya",
    ] {
        assert!(v.get(k).is_some(), "{k}");
    }

    // A cancellation gives the quota back; a no-show keeps it.
    let first = first.unwrap();
    desk.opd_token_action(first, TokenAction::Cancel, None).unwrap();
    let q = desk
        .quota_calculate(&poli, &dokter, &date.to_string(), Some(&jam))
        .unwrap();
    assert_eq!((q.total_registrasi_jkn, q.sisa_kuota_jkn), (11, 43));

    // HFIS now says libur for that shift: flagged, tokens kept, session untouched.
    let before = events(&desk);
    rows[i].libur = 1;
    let r = desk.quota_apply(&poli, date, &rows).unwrap();
    let flag = r
        .flagged
        .iter()
        .find(|f| f.session_id == Some(sid))
        .expect("libur flagged");
    assert!(flag.reason.as_deref().unwrap().contains("libur"), "{flag:?}");
    assert!(
        flag.reason.as_deref().unwrap().contains("23 antrean sudah terbit"),
        "{flag:?}"
    );
    assert_eq!(events(&desk), before);
    assert_eq!(capacity(&desk, sid), 70);

    // Several shifts of one doctor need --jam.
    let multi = rows
        .iter()
        .find(|a| rows.iter().filter(|b| b.kodedokter == a.kodedokter).count() > 1)
        .unwrap();
    let e = desk
        .quota_calculate(&poli, &multi.kodedokter.to_string(), &date.to_string(), None)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.contains("--jam"), "{}", e.message);
    let e = desk.quota_calculate(&poli, "1", &date.to_string(), None).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
}

#[test]
fn sessions_opened_by_hand_keep_the_slot_logic_only() {
    let w = World::start();
    let mut desk = w.desk();
    let s = desk
        .opd_add_session(&NewSession {
            doctor_code: "33690".into(),
            doctor_name: "dr. Uji".into(),
            poli_code: "ANA".into(),
            date: "2026-01-19".into(),
            jam: "08:00-10:00".into(),
            capacity: 2,
            slot_minutes: None,
        })
        .unwrap();
    // No quota: a third JKN request is waitlisted by the slot logic, never refused.
    for _ in 0..3 {
        desk.opd_request_token(&request(s.session_id, Jenis::Jkn, Source::WalkIn))
            .unwrap();
    }
    let t = desk
        .opd_request_token(&request(s.session_id, Jenis::NonJkn, Source::WalkIn))
        .unwrap();
    assert_eq!(t.status, Status::Waitlisted);

    // The first refresh that reports the same shift adopts the session instead of duplicating it;
    // from then on its pools are checked (kapasitas 3: the JKN pool is full).
    let row = JadwalDokter {
        kodesubspesialis: "ANA".into(),
        namasubspesialis: "ANAK".into(),
        kodepoli: "ANA".into(),
        namapoli: "ANAK".into(),
        kodedokter: 33690,
        namadokter: "dr. Uji".into(),
        hari: 1,
        namahari: "SENIN".into(),
        jadwal: "08:00 - 10:00".into(),
        kapasitaspasien: 3,
        libur: 0,
    };
    let r = desk.quota_apply("ANA", day("2026-01-19"), &[row]).unwrap();
    // Capacity 3 + 0 is below the 4 tokens issued: linked, flagged, not resized.
    assert!(r.created_sessions.is_empty() && r.updated_sessions.is_empty());
    assert_eq!(r.flagged.len(), 1);
    assert_eq!(r.flagged[0].session_id, Some(s.session_id));
    assert_eq!(capacity(&desk, s.session_id), 2);
    assert_eq!(desk.opd_sessions("2026-01-19", Some("ANA")).unwrap().len(), 1);
    let e = desk
        .opd_request_token(&request(s.session_id, Jenis::Jkn, Source::WalkIn))
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
}

#[test]
fn the_day_board_shows_every_shift_with_its_live_quota() {
    let w = World::start();
    let conn = w.connection();
    let (poli, date, want) = w.busy_day();
    let mut desk = w.desk();
    let d = date.to_string();
    assert!(
        desk.quota_board(&d, None).unwrap().is_empty(),
        "nothing before a refresh"
    );
    desk.quota_refresh_with(&conn, std::slice::from_ref(&poli), &[date])
        .unwrap();

    // One entry per shift (libur ones too), in the snapshot's order, the poli filter case-blind.
    let board = desk.quota_board(&d, Some(&poli.to_lowercase())).unwrap();
    let snaps = desk.quota_snapshots(&d, Some(&poli)).unwrap();
    assert_eq!(board.len(), want.len());
    assert_eq!(
        board.iter().map(|b| b.snapshot_id).collect::<Vec<_>>(),
        snaps.iter().map(|e| e.row.id).collect::<Vec<_>>()
    );
    assert_eq!(desk.quota_board(&d, None).unwrap(), board);
    assert!(desk.quota_board(&d, Some("ZZZ")).unwrap().is_empty());
    assert!(desk
        .quota_board(&(date + chrono::Days::new(1)).to_string(), Some(&poli))
        .unwrap()
        .iter()
        .all(|b| b.date != d));
    for b in &board {
        assert_eq!(b.session_id.is_some(), !b.libur, "{b:?}");
        assert!(
            !b.stale && !b.full_jkn && !b.full_nonjkn && b.flag_reason.is_none(),
            "{b:?}"
        );
        assert_eq!((b.used_jkn, b.used_nonjkn), (0, 0));
        assert_eq!(b.sisa_jkn, b.kuota_jkn);
        assert_eq!(b.kuota_nonjkn, b.kuota_jkn * 3000 / 10_000);
        assert_eq!(b.fetched_at_wib, "19/01/2026 05:00 WIB");
    }

    // Fill the JKN pool of the smallest shift; a cancelled non-JKN token gives its quota back.
    let shift = board
        .iter()
        .filter(|b| !b.libur)
        .min_by_key(|b| b.kuota_jkn)
        .unwrap()
        .clone();
    let sid = shift.session_id.unwrap();
    for _ in 0..shift.kuota_jkn {
        desk.opd_request_token(&request(sid, Jenis::Jkn, Source::WalkIn))
            .unwrap();
    }
    desk.opd_request_token(&request(sid, Jenis::NonJkn, Source::WalkIn))
        .unwrap();
    let gone = desk
        .opd_request_token(&request(sid, Jenis::NonJkn, Source::Online))
        .unwrap();
    desk.opd_token_action(gone.token_id, TokenAction::Cancel, None).unwrap();
    desk.opd_request_token(&request(sid, Jenis::Jkn, Source::Emergency))
        .unwrap();
    let board = desk.quota_board(&d, Some(&poli)).unwrap();
    let b = board.iter().find(|b| b.session_id == Some(sid)).unwrap();
    let k = shift.kuota_jkn;
    assert_eq!((b.used_jkn, b.sisa_jkn, b.excess_jkn, b.full_jkn), (k + 1, 0, 1, true));
    assert_eq!((b.used_nonjkn, b.full_nonjkn), (1, b.kuota_nonjkn <= 1));
    // The same numbers as `quota calculate`, for every open shift.
    for b in board.iter().filter(|b| !b.libur) {
        let q = desk
            .quota_calculate(&poli, &b.doctor_code, &d, Some(&b.jam_praktek))
            .unwrap();
        assert_eq!(
            (q.kuota_jkn, q.total_registrasi_jkn, q.sisa_kuota_jkn, q.excess_jkn),
            (b.kuota_jkn, b.used_jkn, b.sisa_jkn, b.excess_jkn)
        );
        assert_eq!(
            (
                q.kuota_nonjkn,
                q.total_registrasi_nonjkn,
                q.sisa_kuota_nonjkn,
                q.excess_nonjkn
            ),
            (b.kuota_nonjkn, b.used_nonjkn, b.sisa_nonjkn, b.excess_nonjkn)
        );
    }

    // A capacity drop below what is issued shows the flag's reason on the board.
    desk.set_setting("nonjkn_ratio", "0").unwrap();
    desk.quota_refresh_with(&conn, std::slice::from_ref(&poli), &[date])
        .unwrap();
    let board = desk.quota_board(&d, Some(&poli)).unwrap();
    let b = board.iter().find(|b| b.session_id == Some(sid)).unwrap();
    assert!(b.flag_reason.as_deref().unwrap().contains("tidak dihapus"), "{b:?}");
    assert!(b.flagged_at.is_some());

    // Two days later the same snapshot is stale.
    let later = Desk::open_with_clock(&w.db(), Arc::new(FixedClock(now() + chrono::Duration::days(2))))
        .unwrap()
        .0;
    assert!(later.quota_board(&d, None).unwrap().iter().all(|b| b.stale));
    let e = later.quota_board("19-01-2026", None).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
}

fn jadwal(kodedokter: i64, jam: &str, kapasitas: i64) -> JadwalDokter {
    serde_json::from_value(serde_json::json!({
        "kodesubspesialis": "ANA", "namasubspesialis": "Anak", "kodepoli": "ANA", "namapoli": "Anak",
        "kodedokter": kodedokter, "namadokter": format!("dr. Uji {kodedokter}"), "hari": 1, "namahari": "SENIN",
        "jadwal": jam, "kapasitaspasien": kapasitas, "libur": 0
    }))
    .unwrap()
}

#[test]
fn a_shift_that_vanishes_from_hfis_is_flagged_and_keeps_its_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let (mut desk, _) = Desk::open_with_clock(&dir.path().join("loket.db"), Arc::new(FixedClock(now()))).unwrap();
    let date = day("2026-01-19");
    let r = desk
        .quota_apply(
            "ANA",
            date,
            &[jadwal(101, "08:00-12:00", 10), jadwal(102, "13:00-16:00", 10)],
        )
        .unwrap();
    assert_eq!(r.created_sessions.len(), 2);
    let with_tokens = r.created_sessions[0].session_id.unwrap();
    desk.opd_request_token(&request(with_tokens, Jenis::Jkn, Source::WalkIn))
        .unwrap();

    // Both shifts vanish: the one with a token is flagged with its count, the empty one noted.
    let r = desk.quota_apply("ANA", date, &[]).unwrap();
    assert_eq!(r.flagged.len(), 2, "{:?}", r.flagged);
    let flagged = r.flagged.iter().find(|f| f.session_id == Some(with_tokens)).unwrap();
    assert!(
        flagged.reason.as_deref().unwrap().contains("1 antrean sudah terbit"),
        "{flagged:?}"
    );
    let snaps = desk.quota_snapshots("2026-01-19", Some("ANA")).unwrap();
    assert!(snaps.iter().all(|s| s.row.libur && s.row.flag_reason.is_some()));
    assert_eq!(capacity(&desk, with_tokens), 13, "the session and its token stay");
    assert_eq!(
        desk.opd_session(with_tokens)
            .unwrap()
            .slots
            .iter()
            .map(|s| s.tokens.len())
            .sum::<usize>(),
        1
    );
    // Not flagged again on the next refresh; back when HFIS reports it again.
    assert!(desk.quota_apply("ANA", date, &[]).unwrap().flagged.is_empty());
    let back = desk
        .quota_apply("ANA", date, &[jadwal(101, "08:00-12:00", 10)])
        .unwrap();
    assert!(back.flagged.is_empty());
    assert!(!desk.quota_snapshots("2026-01-19", Some("ANA")).unwrap()[0].row.libur);
}

#[test]
fn the_daily_refresh_is_due_once_a_day_from_its_time_and_is_recorded() {
    let w = World::start();
    let conn = w.connection();
    let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().to_utc();
    let mut desk = w.desk();
    desk.use_secret_store(SecretStore::file_in(w.dir.path().join("secrets")));
    desk.set_clock(Arc::new(FixedClock(at("2026-01-19T04:59:00+07:00"))));
    let (poli, _, _) = w.busy_day();
    assert_eq!(desk.quota_daily_refresh_due().unwrap(), None, "no polis configured");
    desk.set_setting("polis", &format!("{poli}=Poli uji")).unwrap();
    assert_eq!(desk.quota_daily_refresh_due().unwrap(), None, "before 05:00 WIB");

    desk.set_clock(Arc::new(FixedClock(at("2026-01-19T05:01:00+07:00"))));
    let (polis, dates) = desk.quota_daily_refresh_due().unwrap().expect("due at 05:01");
    assert_eq!(polis, vec![poli.clone()]);
    assert_eq!(
        (dates.len(), dates[0], dates[7]),
        (8, day("2026-01-19"), day("2026-01-26"))
    );
    let seen = std::cell::RefCell::new(Vec::new());
    let report = loket_service::quota::quota_refresh_run(&mut desk, &conn, &polis, &dates, &|d, t| {
        seen.borrow_mut().push((d, t))
    })
    .unwrap();
    assert_eq!(seen.borrow().last(), Some(&(8, 8)), "progress per poli-date");
    let run = desk
        .sync_runs(Some(loket_service::quota::REFRESH_JOB), 1)
        .unwrap()
        .remove(0);
    assert_eq!((run.status.as_str(), run.pages_done, run.pages_total), ("ok", 8, 8));
    assert_eq!(run.counts.fetched, report.fetched_shifts);
    assert_eq!(run.counts.inserted as usize, report.created_sessions.len());
    assert_eq!(desk.quota_daily_refresh_due().unwrap(), None, "done for today");

    // The next day at the configured time (changed to 06:30) it is due again.
    desk.set_setting("schedule_refresh_time", "06:30").unwrap();
    desk.set_clock(Arc::new(FixedClock(at("2026-01-20T06:00:00+07:00"))));
    assert_eq!(desk.quota_daily_refresh_due().unwrap(), None);
    desk.set_clock(Arc::new(FixedClock(at("2026-01-20T06:30:00+07:00"))));
    assert!(desk.quota_daily_refresh_due().unwrap().is_some());
}
