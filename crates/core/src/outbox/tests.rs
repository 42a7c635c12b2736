//! Tests of the outbox planning: the booking code, every `antrean/add` field, the task chain of
//! each token event, a proptest of whole token lives against BPJS's task-order rules (spec §7),
//! and the retry policy.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use proptest::prelude::*;

use super::*;
use crate::opd::{Event, Jenis, SessionId, SessionInfo, SlotId, Source, Status, Token, TokenId};
use crate::patient::PatientDetails;
use crate::quota::{estimasi_dilayani, Quota, Usage};
use crate::time::{wib_instant, JamPraktek};

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 19).unwrap()
}

fn at(hhmm: &str) -> DateTime<Utc> {
    wib_instant(date(), NaiveTime::parse_from_str(hhmm, "%H:%M").unwrap())
}

fn session() -> SessionInfo {
    SessionInfo {
        session_id: SessionId(7),
        doctor_code: "33690".into(),
        doctor_name: "dr. Rina, Sp.A".into(),
        poli_code: "ANA".into(),
        date: date(),
        jam: JamPraktek::parse("08:00-12:00").unwrap(),
        capacity: 70,
        slot_minutes: 60,
    }
}

fn token(number: u32, jenis: Jenis, source: Source) -> Token {
    Token {
        token_id: TokenId(123),
        number,
        slot_id: SlotId(11),
        source,
        paid: false,
        jenis,
        norm: Some("000123".into()),
        name: None,
        priority: 100,
        requested_at: at("07:30"),
        status: Status::Confirmed,
        cancel_reason: None,
    }
}

fn patient() -> PatientDetails {
    PatientDetails {
        nomorkartu: Some("0001234567890".into()),
        nik: Some("3174012345678901".into()),
        nohp: Some("081234567890".into()),
        jeniskunjungan: Some(1),
        nomorreferensi: Some("0301R0011117B000003".into()),
        pasien_baru: false,
        norm: Some("000123".into()),
    }
}

/// The seed example at issue time: this JKN token is the 12th JKN token, 12 non-JKN are issued.
fn booking(jenis: Jenis, patient: PatientDetails) -> Booking {
    let s = session();
    let t = token(12, jenis, Source::WalkIn);
    let before = match jenis {
        Jenis::Jkn => Usage { jkn: 11, nonjkn: 12 },
        Jenis::NonJkn => Usage { jkn: 12, nonjkn: 11 },
    };
    let quota = Quota::new(54, 3000, before).after_issue(jenis);
    let est = estimasi_dilayani(s.date, s.jam.start, t.number, 6).unwrap();
    let code = kodebooking("0301R001", s.date, t.token_id).unwrap();
    Booking::new(code, &s, "Anak", &t, patient, quota, est.at)
}

fn seqs(items: &[OutboxItem]) -> Vec<u32> {
    items.iter().map(|i| i.seq).collect()
}

#[test]
fn kodebooking_is_short_stable_and_url_safe() {
    let d = date();
    let cases = [
        ("0301R001", 123, "0301R026011900000123"),
        ("", 1, "LKT26011900000001"),
        (" rs-01 ", 45_678, "RS0126011900045678"),
        ("1234567890AB", 99_999_999, "12345626011999999999"),
    ];
    for (ppk, id, want) in cases {
        let code = kodebooking(ppk, d, TokenId(id)).unwrap();
        assert_eq!(code, want);
        assert!(code.len() <= KODEBOOKING_MAX_LEN);
        assert!(code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
        assert_eq!(kodebooking(ppk, d, TokenId(id)).unwrap(), code, "deterministic");
    }
    for bad in [0, -1, 100_000_000] {
        assert!(kodebooking("0301R001", d, TokenId(bad)).is_err(), "{bad}");
    }
    assert_ne!(
        kodebooking("0301R001", d, TokenId(5)).unwrap(),
        kodebooking("0301R001", d.succ_opt().unwrap(), TokenId(5)).unwrap()
    );
}

/// Every field of spec §5.7, in the catalogue's order.
const ADD_FIELDS: [&str; 23] = [
    "kodebooking",
    "jenispasien",
    "nomorkartu",
    "nik",
    "nohp",
    "kodepoli",
    "namapoli",
    "pasienbaru",
    "norm",
    "tanggalperiksa",
    "kodedokter",
    "namadokter",
    "jampraktek",
    "jeniskunjungan",
    "nomorreferensi",
    "nomorantrean",
    "angkaantrean",
    "estimasidilayani",
    "sisakuotajkn",
    "kuotajkn",
    "sisakuotanonjkn",
    "kuotanonjkn",
    "keterangan",
];

#[test]
fn issued_jkn_token_becomes_a_complete_antrean_add() {
    let b = booking(Jenis::Jkn, patient());
    let items = plan(&b, &TokenEvent::Issued);
    assert_eq!(items.len(), 1);
    let item = &items[0];
    assert_eq!(
        (item.seq, item.token_id, item.is_complete()),
        (SEQ_ADD, TokenId(123), true)
    );
    assert_eq!(item.kodebooking, "0301R026011900000123");
    assert_eq!(item.request.endpoint(), "antrean/add");
    let body = item.request.body_json();
    let keys: Vec<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
    let mut want = ADD_FIELDS.to_vec();
    want.sort_unstable();
    let mut got = keys.clone();
    got.sort_unstable();
    assert_eq!(got, want, "exactly the fields of spec §5.7");
    let want = serde_json::json!({
        "kodebooking": "0301R026011900000123",
        "jenispasien": "JKN",
        "nomorkartu": "0001234567890",
        "nik": "3174012345678901",
        "nohp": "081234567890",
        "kodepoli": "ANA",
        "namapoli": "Anak",
        "pasienbaru": 0,
        "norm": "000123",
        "tanggalperiksa": "2026-01-19",
        "kodedokter": 33690,
        "namadokter": "dr. Rina, Sp.A",
        "jampraktek": "08:00-12:00",
        "jeniskunjungan": 1,
        "nomorreferensi": "0301R0011117B000003",
        "nomorantrean": "ANA-012",
        "angkaantrean": 12,
        // 08:00 WIB + 12 × 6 min = 09:12 WIB.
        "estimasidilayani": 1_768_788_720_000_i64,
        "sisakuotajkn": 42,
        "kuotajkn": 54,
        "sisakuotanonjkn": 4,
        "kuotanonjkn": 16,
        "keterangan": DEFAULT_KETERANGAN,
    });
    assert_eq!(body, want);
    let BpjsRequest::Add(add) = &item.request else {
        panic!("not an add")
    };
    let debug = format!("{add:?}");
    for secret in [
        "0001234567890",
        "3174012345678901",
        "081234567890",
        "0301R0011117B000003",
    ] {
        assert!(!debug.contains(secret), "{debug}");
    }
}

#[test]
fn non_jkn_sends_empty_card_and_referral() {
    let p = PatientDetails {
        jeniskunjungan: None,
        pasien_baru: true,
        ..patient()
    };
    let b = booking(Jenis::NonJkn, p);
    let item = &plan(&b, &TokenEvent::Issued)[0];
    assert!(item.is_complete());
    let body = item.request.body_json();
    assert_eq!(body["jenispasien"], "NON JKN");
    assert_eq!(body["nomorkartu"], "");
    assert_eq!(body["nomorreferensi"], "");
    assert_eq!(body["nik"], "3174012345678901");
    assert_eq!(body["pasienbaru"], 1);
    assert_eq!(body["jeniskunjungan"], 1);
    assert_eq!(
        (body["sisakuotajkn"].as_u64(), body["sisakuotanonjkn"].as_u64()),
        (Some(42), Some(4))
    );
}

#[test]
fn incomplete_details_still_plan_the_add_marked_incomplete() {
    let p = PatientDetails {
        nomorkartu: None,
        nohp: Some("12".into()),
        ..patient()
    };
    let item = &plan(&booking(Jenis::Jkn, p.clone()), &TokenEvent::Issued)[0];
    assert!(!item.is_complete());
    assert_eq!(item.missing, vec!["nomorkartu", "nohp"]);
    assert_eq!(item.request.body_json()["nomorkartu"], "");

    // A session whose doctor code is not an HFIS number cannot be reported as it is.
    let mut b = booking(Jenis::NonJkn, p);
    b.kodedokter = "DR-RINA".into();
    let item = &plan(&b, &TokenEvent::Issued)[0];
    assert_eq!(item.missing, vec!["nohp", "kodedokter"]);
    assert_eq!(item.request.body_json()["kodedokter"], 0);

    // Completing the details and planning again gives a complete add with the same key.
    let mut b = booking(Jenis::Jkn, PatientDetails::default());
    let first = plan(&b, &TokenEvent::Issued).remove(0);
    b.patient = patient();
    let again = plan(&b, &TokenEvent::Issued).remove(0);
    assert_eq!(
        (first.kodebooking.as_str(), first.seq),
        (again.kodebooking.as_str(), again.seq)
    );
    assert!(!first.is_complete() && again.is_complete());
}

fn tasks_of(items: &[OutboxItem]) -> Vec<(u8, i64)> {
    items
        .iter()
        .filter_map(|i| match &i.request {
            BpjsRequest::UpdateWaktu(u) => Some((u.taskid, u.waktu)),
            _ => None,
        })
        .collect()
}

#[test]
fn later_events_become_task_times_in_epoch_ms() {
    let old = booking(Jenis::Jkn, patient());
    let new = booking(
        Jenis::Jkn,
        PatientDetails {
            pasien_baru: true,
            ..patient()
        },
    );
    let ms = |hhmm: &str| at(hhmm).timestamp_millis();
    let t = at("08:10");
    let cases: Vec<(&Booking, TokenEvent, Vec<u32>)> = vec![
        (&old, TokenEvent::CheckedIn { at: t }, vec![3]),
        (&new, TokenEvent::CheckedIn { at: t }, vec![1, 2, 3]),
        (&old, TokenEvent::Called { at: t }, vec![3, 4]),
        (&new, TokenEvent::Called { at: t }, vec![1, 2, 3, 4]),
        (&old, TokenEvent::Completed { at: t }, vec![3, 4, 5]),
        (&old, TokenEvent::Cancelled { at: t, reason: None }, vec![99, SEQ_BATAL]),
        (&new, TokenEvent::NoShow { at: t }, vec![99, SEQ_BATAL]),
    ];
    for (b, event, want) in cases {
        let items = plan(b, &event);
        assert_eq!(seqs(&items), want, "{event:?}");
        assert!(items.iter().all(|i| i.is_complete() && i.kodebooking == b.kodebooking));
        assert!(tasks_of(&items).iter().all(|(_, w)| *w == ms("08:10")), "{event:?}");
    }
    assert_eq!(ms("08:10"), 1_768_785_000_000);
}

#[test]
fn cancellation_and_no_show_send_99_then_batal_with_a_reason() {
    let b = booking(Jenis::Jkn, patient());
    let reasons = [
        (Some("  Pasien minta jadwal lain "), "Pasien minta jadwal lain"),
        (Some("   "), KETERANGAN_BATAL),
        (None, KETERANGAN_BATAL),
    ];
    for (reason, want) in reasons {
        let items = plan(
            &b,
            &TokenEvent::Cancelled {
                at: at("09:00"),
                reason: reason.map(String::from),
            },
        );
        assert_eq!(items[0].request.body_json()["taskid"], 99);
        assert_eq!(
            items[1].request,
            BpjsRequest::Batal(Batal {
                kodebooking: b.kodebooking.clone(),
                keterangan: want.into()
            })
        );
    }
    let items = plan(&b, &TokenEvent::NoShow { at: at("12:00") });
    assert_eq!(items[1].request.body_json()["keterangan"], KETERANGAN_TIDAK_HADIR);
}

#[test]
fn opd_events_map_to_token_events() {
    let requested = |source: Source| Event::Requested {
        token_id: TokenId(5),
        number: 5,
        slot_id: SlotId(11),
        source,
        paid: false,
        jenis: Jenis::Jkn,
        norm: None,
        name: None,
        priority: 0,
        requested_at: at("07:45"),
    };
    let t = at("08:30");
    assert_eq!(
        TokenEvent::from_opd(&requested(Source::WalkIn), t),
        vec![TokenEvent::Issued, TokenEvent::CheckedIn { at: at("07:45") }]
    );
    assert_eq!(
        TokenEvent::from_opd(&requested(Source::Online), t),
        vec![TokenEvent::Issued]
    );
    assert!(present_at_issue(Source::Emergency) && present_at_issue(Source::FollowUp));
    let id = TokenId(5);
    let cases = [
        (Event::Called { token_id: id }, vec![TokenEvent::Called { at: t }]),
        (Event::Completed { token_id: id }, vec![TokenEvent::Completed { at: t }]),
        (Event::NoShow { token_id: id }, vec![TokenEvent::NoShow { at: t }]),
        (
            Event::Cancelled {
                token_id: id,
                reason: Some("x".into()),
            },
            vec![TokenEvent::Cancelled {
                at: t,
                reason: Some("x".into()),
            }],
        ),
        (
            Event::Confirmed {
                token_id: id,
                slot_id: SlotId(11),
            },
            vec![],
        ),
        (
            Event::Displaced {
                token_id: id,
                slot_id: SlotId(11),
                by: None,
            },
            vec![],
        ),
    ];
    for (event, want) in cases {
        assert_eq!(TokenEvent::from_opd(&event, t), want, "{}", event.kind());
    }
}

#[test]
fn items_serialise_with_endpoint_and_bpjs_body() {
    let b = booking(Jenis::Jkn, patient());
    let item = plan(&b, &TokenEvent::Called { at: at("09:00") }).pop().unwrap();
    let v = serde_json::to_value(&item).unwrap();
    assert_eq!(v["request"]["endpoint"], "antrean/updatewaktu");
    assert_eq!(
        v["request"]["body"],
        serde_json::json!({"kodebooking": b.kodebooking, "taskid": 4, "waktu": at("09:00").timestamp_millis()})
    );
    for item in plan(&b, &TokenEvent::Issued)
        .into_iter()
        .chain(plan(&b, &TokenEvent::NoShow { at: at("12:00") }))
    {
        let back: OutboxItem = serde_json::from_value(serde_json::to_value(&item).unwrap()).unwrap();
        assert_eq!(back, item);
    }
    let back: Booking = serde_json::from_value(serde_json::to_value(&b).unwrap()).unwrap();
    assert_eq!(back, b);
    let e: TokenEvent = serde_json::from_value(serde_json::to_value(TokenEvent::Issued).unwrap()).unwrap();
    assert_eq!(e, TokenEvent::Issued);
}

fn item(request: BpjsRequest) -> OutboxItem {
    OutboxItem {
        token_id: TokenId(1),
        kodebooking: request.kodebooking().to_string(),
        seq: request.seq(),
        request,
        missing: Vec::new(),
    }
}

fn upd(taskid: u8) -> OutboxItem {
    item(BpjsRequest::UpdateWaktu(UpdateWaktu {
        kodebooking: "KB1".into(),
        taskid,
        waktu: 1,
    }))
}

#[test]
fn backoff_doubles_up_to_the_cap() {
    let got: Vec<u32> = (0..=8).map(backoff_secs).collect();
    assert_eq!(got, vec![15, 15, 30, 60, 120, 240, 480, 900, 900]);
    assert_eq!(backoff_secs(u32::MAX), RETRY_CAP_SECS);
}

#[test]
fn next_action_table() {
    let add = plan(&booking(Jenis::Jkn, patient()), &TokenEvent::Issued).remove(0);
    let batal = item(BpjsRequest::Batal(Batal {
        kodebooking: "KB1".into(),
        keterangan: "x".into(),
    }));
    let refused = |code: i32, m: &str| SendResult::Refused {
        code,
        message: m.into(),
    };
    let transient = SendResult::Transient {
        message: "timeout".into(),
    };
    let cases: Vec<(OutboxItem, u32, SendResult, NextAction)> = vec![
        (add.clone(), 1, SendResult::Accepted, NextAction::Done),
        (
            add.clone(),
            1,
            SendResult::AlreadyDone {
                message: "Terdapat duplikasi Kode Booking".into(),
            },
            NextAction::Done,
        ),
        (
            add.clone(),
            1,
            refused(208, "Terdapat duplikasi Kode Booking"),
            NextAction::Done,
        ),
        (add.clone(), 3, transient.clone(), NextAction::Retry { after_secs: 60 }),
        (add.clone(), 40, transient, NextAction::Retry { after_secs: 900 }),
        (upd(3), 1, refused(201, "TaskId=3 sudah ada"), NextAction::Done),
        (upd(99), 1, refused(201, "TaskId terakhir 99"), NextAction::Done),
        (
            batal.clone(),
            1,
            refused(201, "Antrean sudah dibatalkan sebelumnya"),
            NextAction::Done,
        ),
        (
            add.clone(),
            1,
            refused(201, "Rujukan tidak valid"),
            NextAction::Stop {
                message: "BPJS menolak pendaftaran antrean (kode 201): Rujukan tidak valid. Periksa datanya, lalu \
                          kirim ulang dari layar Sinkronisasi."
                    .into(),
            },
        ),
        (
            upd(4),
            2,
            refused(201, "TaskId terakhir 99"),
            NextAction::Stop {
                message: "BPJS menolak waktu tugas 4 (kode 201): TaskId terakhir 99. Periksa datanya, lalu kirim \
                          ulang dari layar Sinkronisasi."
                    .into(),
            },
        ),
        (
            batal.clone(),
            1,
            refused(201, "Antrean tidak dapat dibatalkan karena sudah selesai dilayani"),
            NextAction::Stop {
                message: "BPJS menolak pembatalan antrean (kode 201): Antrean tidak dapat dibatalkan karena sudah \
                          selesai dilayani. Periksa datanya, lalu kirim ulang dari layar Sinkronisasi."
                    .into(),
            },
        ),
    ];
    for (i, n, result, want) in cases {
        assert_eq!(next_action(&i, n, &result), want, "{result:?}");
    }
}

#[test]
fn stop_messages_never_carry_long_numbers() {
    let add = plan(&booking(Jenis::Jkn, patient()), &TokenEvent::Issued).remove(0);
    let result = SendResult::Refused {
        code: 201,
        message: "Peserta 0001234567890 dengan NIK 3174012345678901 tidak aktif, hubungi 08123".into(),
    };
    let NextAction::Stop { message } = next_action(&add, 1, &result) else {
        panic!("not stopped")
    };
    assert!(!message.contains("0001234567890") && !message.contains("3174012345678901"));
    assert!(
        message.contains("Peserta … dengan NIK … tidak aktif, hubungi 08123"),
        "{message}"
    );
    let empty = SendResult::Refused {
        code: 201,
        message: " ".into(),
    };
    assert!(
        matches!(next_action(&add, 1, &empty), NextAction::Stop { message } if message.contains("tanpa keterangan"))
    );
}

/// BPJS's task-order rules (spec §5.9, §7), written independently of the planner.
fn bpjs_accepts(recorded: &BTreeMap<u8, i64>, cancelled: bool, taskid: u8) -> bool {
    if recorded.contains_key(&taskid) || cancelled || recorded.contains_key(&99) {
        return false;
    }
    if taskid == 99 {
        return true;
    }
    match recorded.keys().copied().max() {
        None => taskid == 1 || taskid == 3,
        Some(latest) => taskid == latest + 1,
    }
}

/// A life of a token: issue (with or without the patient present), maybe check-in, call and
/// completion, or a cancellation / no-show at some point.
#[derive(Debug, Clone)]
struct Life {
    pasien_baru: bool,
    source: Source,
    /// 0 issued only, 1 checked in, 2 called, 3 completed.
    reached: u8,
    /// Ends with a cancellation (before the call) or a no-show (confirmed, before the call).
    end: Option<bool>,
    checks_in: bool,
}

fn life() -> impl Strategy<Value = Life> {
    (
        any::<bool>(),
        prop_oneof![Just(Source::WalkIn), Just(Source::Online), Just(Source::Emergency)],
        0u8..=3,
        proptest::option::of(any::<bool>()),
        any::<bool>(),
    )
        .prop_map(|(pasien_baru, source, reached, end, checks_in)| Life {
            pasien_baru,
            source,
            reached,
            end,
            checks_in,
        })
}

impl Life {
    /// The OPD events with the store's times, minute by minute from 07:30.
    fn events(&self) -> Vec<(Event, DateTime<Utc>)> {
        let id = TokenId(123);
        let mut minute = 0u32;
        let mut next = || {
            minute += 5;
            at("07:30") + chrono::TimeDelta::minutes(i64::from(minute))
        };
        let mut v = vec![(
            Event::Requested {
                token_id: id,
                number: 12,
                slot_id: SlotId(11),
                source: self.source,
                paid: false,
                jenis: Jenis::Jkn,
                norm: None,
                name: None,
                priority: 0,
                requested_at: at("07:30"),
            },
            at("07:30"),
        )];
        // The OPD engine cancels or marks no-show only before the call.
        let reached = if self.end.is_some() { 0 } else { self.reached };
        if reached >= 2 {
            v.push((Event::Called { token_id: id }, next()));
        }
        if reached >= 3 {
            v.push((Event::Completed { token_id: id }, next()));
        }
        match self.end {
            Some(true) => v.push((
                Event::Cancelled {
                    token_id: id,
                    reason: None,
                },
                next(),
            )),
            Some(false) => v.push((Event::NoShow { token_id: id }, next())),
            None => {}
        }
        v
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Planning every event of a token's life into a store that keeps the first item of each
    /// `(kodebooking, seq)`, then sending in `seq` order, BPJS accepts every request: the add
    /// first, tasks in an order it allows with non-decreasing times, 99 before `batal`, nothing
    /// after them.
    #[test]
    fn whole_lives_reach_bpjs_in_an_order_it_accepts(l in life()) {
        let b = booking(Jenis::Jkn, PatientDetails { pasien_baru: l.pasien_baru, ..patient() });
        let mut store: BTreeMap<(String, u32), OutboxItem> = BTreeMap::new();
        let mut events: Vec<TokenEvent> = Vec::new();
        for (event, when) in l.events() {
            for te in TokenEvent::from_opd(&event, when) {
                events.push(te);
            }
            // An online patient may check in at the desk before the call.
            if l.checks_in && l.source == Source::Online && matches!(event, Event::Requested { .. }) {
                events.push(TokenEvent::CheckedIn { at: at("07:32") });
            }
        }
        for te in &events {
            for it in plan(&b, te) {
                prop_assert_eq!(it.seq, it.request.seq());
                store.entry((it.kodebooking.clone(), it.seq)).or_insert(it);
            }
        }
        // Re-planning everything changes nothing.
        let before = store.clone();
        for te in &events {
            for it in plan(&b, te) {
                store.entry((it.kodebooking.clone(), it.seq)).or_insert(it);
            }
        }
        prop_assert_eq!(&store, &before);

        let chain: Vec<&OutboxItem> = store.values().collect();
        prop_assert_eq!(chain[0].seq, SEQ_ADD);
        let mut recorded: BTreeMap<u8, i64> = BTreeMap::new();
        let mut cancelled = false;
        let mut last_waktu = i64::MIN;
        for it in &chain[1..] {
            match &it.request {
                BpjsRequest::Add(_) => prop_assert!(false, "second add"),
                BpjsRequest::UpdateWaktu(u) => {
                    prop_assert!(bpjs_accepts(&recorded, cancelled, u.taskid), "task {} after {:?}", u.taskid, recorded);
                    prop_assert!(u.waktu >= last_waktu);
                    last_waktu = u.waktu;
                    recorded.insert(u.taskid, u.waktu);
                }
                BpjsRequest::Batal(_) => {
                    prop_assert!(!cancelled);
                    cancelled = true;
                }
            }
        }
        let ended = l.end.is_some();
        prop_assert_eq!(cancelled, ended);
        prop_assert_eq!(recorded.contains_key(&99), ended);
        if !ended && l.reached >= 3 {
            prop_assert!(recorded.contains_key(&5));
        }
        if l.pasien_baru && recorded.keys().any(|t| (3..=5).contains(t)) {
            prop_assert!(recorded.contains_key(&1) && recorded.contains_key(&2));
        }
    }

    #[test]
    fn kodebooking_is_injective_for_one_ppk(
        ppk in "[A-Za-z0-9]{0,12}",
        d1 in 0u32..3650, d2 in 0u32..3650,
        id1 in 1i64..100_000_000, id2 in 1i64..100_000_000,
    ) {
        let day = |n: u32| NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Days::new(u64::from(n));
        let a = kodebooking(&ppk, day(d1), TokenId(id1)).unwrap();
        let b = kodebooking(&ppk, day(d2), TokenId(id2)).unwrap();
        prop_assert!(a.len() <= KODEBOOKING_MAX_LEN);
        prop_assert_eq!(a == b, (d1, id1) == (d2, id2));
    }
}
