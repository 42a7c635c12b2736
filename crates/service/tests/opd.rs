//! OPD use cases against a real SQLite database: the log, the projection, numbering across
//! sessions, refusals that record nothing, tamper detection, and ticket bytes.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use loket_core::opd::{Jenis, SessionId, Source, Status};
use loket_core::ErrorCode;
use loket_service::opd::{NewSession, TokenAction, TokenRequest};
use loket_service::{Desk, FixedClock};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn desk_at(s: &str) -> Desk {
    Desk::in_memory(Arc::new(FixedClock(at(s)))).unwrap()
}

fn session(desk: &mut Desk, doctor: &str, jam: &str, capacity: u32) -> SessionId {
    desk.opd_add_session(&NewSession {
        doctor_code: doctor.into(),
        doctor_name: "dr. Uji".into(),
        poli_code: "ana".into(),
        date: "2026-01-19".into(),
        jam: jam.into(),
        capacity,
        slot_minutes: None,
    })
    .unwrap()
    .session_id
}

fn request(session_id: SessionId, source: Source) -> TokenRequest {
    TokenRequest {
        session_id,
        slot_id: None,
        source,
        paid: false,
        jenis: Jenis::Jkn,
        norm: Some("000123".into()),
        name: None,
        patient: Default::default(),
    }
}

fn event_count(desk: &Desk) -> usize {
    desk.opd_event_records(None).unwrap().len()
}

#[test]
fn numbers_run_per_doctor_per_day_across_sessions() {
    let mut desk = desk_at("2026-01-19T07:00:00+07:00");
    let morning = session(&mut desk, "33690", "08:00-10:00", 4);
    let afternoon = session(&mut desk, "33690", "13:00-15:00", 4);
    let other = session(&mut desk, "11111", "08:00-10:00", 4);
    let a = desk.opd_request_token(&request(morning, Source::WalkIn)).unwrap();
    let b = desk.opd_request_token(&request(afternoon, Source::WalkIn)).unwrap();
    let c = desk.opd_request_token(&request(morning, Source::Online)).unwrap();
    let d = desk.opd_request_token(&request(other, Source::Online)).unwrap();
    assert_eq!((a.number, b.number, c.number, d.number), (1, 2, 3, 1));
    assert_eq!(a.code, "ANA-001");
    assert_eq!(b.code, "ANA-002");
    assert!(desk.opd_replay_check().unwrap().ok);
}

#[test]
fn a_refused_command_records_nothing() {
    let mut desk = desk_at("2026-01-19T07:00:00+07:00");
    let s = session(&mut desk, "33690", "08:00-09:00", 1);
    let t = desk.opd_request_token(&request(s, Source::WalkIn)).unwrap();
    let w = desk.opd_request_token(&request(s, Source::Online)).unwrap();
    assert_eq!(w.status, Status::Waitlisted);
    let before = event_count(&desk);
    let view_before = desk.opd_session(s).unwrap();
    for (token, action) in [
        (w.token_id, TokenAction::Call),
        (w.token_id, TokenAction::NoShow),
        (t.token_id, TokenAction::Complete),
    ] {
        let e = desk.opd_token_action(token, action, None).unwrap_err();
        assert_eq!(e.code, ErrorCode::Conflict, "{action:?}");
        assert!(!e.message.contains("000123"), "no patient data in errors");
    }
    assert_eq!(
        desk.opd_token_action(loket_core::opd::TokenId(999), TokenAction::Cancel, None)
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );
    // After the session has ended a request is refused.
    desk.set_clock(Arc::new(FixedClock(at("2026-01-19T09:00:00+07:00"))));
    assert_eq!(
        desk.opd_request_token(&request(s, Source::WalkIn)).unwrap_err().code,
        ErrorCode::Conflict
    );
    assert_eq!(event_count(&desk), before);
    assert_eq!(desk.opd_session(s).unwrap(), view_before);
}

#[test]
fn cancel_promotes_and_every_change_is_logged_with_desk_and_clerk() {
    let mut desk = desk_at("2026-01-19T07:00:00+07:00");
    desk.set_setting("desk_id", "LOKET-3").unwrap();
    desk.set_setting("clerk", "Rina").unwrap();
    let s = session(&mut desk, "33690", "08:00-09:00", 1);
    let first = desk.opd_request_token(&request(s, Source::WalkIn)).unwrap();
    let second = desk.opd_request_token(&request(s, Source::WalkIn)).unwrap();
    assert_eq!(second.waitlist_position, Some(1));
    desk.opd_token_action(first.token_id, TokenAction::Cancel, Some("pulang".into()))
        .unwrap();
    let view = desk.opd_session(s).unwrap();
    let promoted = view.slots[0]
        .tokens
        .iter()
        .find(|t| t.token_id == second.token_id)
        .unwrap();
    assert_eq!((promoted.status, promoted.position), (Status::Confirmed, Some(1)));
    let records = desk.opd_event_records(Some(s)).unwrap();
    let kinds: Vec<_> = records.iter().map(|r| r.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "session_created",
            "requested",
            "confirmed",
            "requested",
            "waitlisted",
            "cancelled",
            "promoted"
        ]
    );
    assert!(records
        .iter()
        .all(|r| r.desk_id == "LOKET-3" && r.clerk == "Rina" && r.version == 1));
    let lines = desk.opd_event_lines(s).unwrap();
    assert_eq!(lines[0].summary, "ANA-002 naik dari daftar tunggu di slot 08:00-09:00");
    assert_eq!(lines[1].summary, "ANA-001 dibatalkan");
}

#[test]
fn the_log_is_append_only_and_replay_catches_a_tampered_projection() {
    let mut desk = desk_at("2026-01-19T07:00:00+07:00");
    let s = session(&mut desk, "33690", "08:00-10:00", 2);
    desk.opd_request_token(&request(s, Source::WalkIn)).unwrap();
    let conn = desk.store().conn();
    for sql in ["UPDATE opd_events SET kind = 'x'", "DELETE FROM opd_events"] {
        let err = conn.execute(sql, []).unwrap_err().to_string();
        assert!(err.contains("append-only"), "{err}");
    }
    assert!(desk.opd_replay_check().unwrap().ok);
    desk.store()
        .conn()
        .execute("UPDATE opd_tokens SET status = 'completed'", [])
        .unwrap();
    let report = desk.opd_replay_check().unwrap();
    assert!(!report.ok);
    assert_eq!(report.mismatches.len(), 1, "{:?}", report.mismatches);
}

#[test]
fn stored_rows_give_the_queue_positions_the_log_gives() {
    // Positions are not stored: `replay --check` derives them from each row's slot, status,
    // priority, requested_at and number and compares them with the log's. Equal priorities are
    // ordered by time, to the fraction of a second, then by number.
    let mut desk = desk_at("2026-01-19T07:00:00+07:00");
    let s = session(&mut desk, "33690", "08:00-09:00", 3);
    let issue = |desk: &mut Desk, when: &str, source: Source, paid: bool| {
        desk.set_clock(Arc::new(FixedClock(at(when))));
        desk.opd_request_token(&TokenRequest {
            paid,
            ..request(s, source)
        })
        .unwrap()
    };
    let a = issue(&mut desk, "2026-01-19T07:00:00.500+07:00", Source::WalkIn, false);
    let b = issue(&mut desk, "2026-01-19T07:00:00+07:00", Source::WalkIn, false);
    let c = issue(&mut desk, "2026-01-19T07:00:00.250+07:00", Source::Online, false);
    let d = issue(&mut desk, "2026-01-19T07:00:01+07:00", Source::FollowUp, true);
    let e = issue(&mut desk, "2026-01-19T07:00:00.500001+07:00", Source::WalkIn, false);
    let f = issue(&mut desk, "2026-01-19T07:00:00.750+07:00", Source::WalkIn, false);
    let g = issue(&mut desk, "2026-01-19T07:00:00.750+07:00", Source::WalkIn, false);
    let view = desk.opd_session(s).unwrap();
    let place = |id| {
        let t = view.slots[0].tokens.iter().find(|t| t.token_id == id).unwrap();
        (t.status, t.position, t.waitlist_position)
    };
    assert_eq!(place(d.token_id), (Status::Confirmed, Some(1), None));
    assert_eq!(place(b.token_id), (Status::Confirmed, Some(2), None), "earlier than a");
    assert_eq!(place(a.token_id), (Status::Confirmed, Some(3), None));
    assert_eq!(place(e.token_id), (Status::Waitlisted, None, Some(1)));
    assert_eq!(place(f.token_id), (Status::Waitlisted, None, Some(2)));
    assert_eq!(
        place(g.token_id),
        (Status::Waitlisted, None, Some(3)),
        "same time: by number"
    );
    assert_eq!(
        place(c.token_id),
        (Status::Waitlisted, None, Some(4)),
        "online ranks last"
    );
    let report = desk.opd_replay_check().unwrap();
    assert!(report.ok, "{:?}", report.mismatches);
    assert_eq!(report.tokens, 7);

    // A row whose order field was changed behind the log's back gives other positions.
    desk.store()
        .conn()
        .execute("UPDATE opd_tokens SET priority = 0 WHERE token_id = ?1", [b.token_id.0])
        .unwrap();
    let report = desk.opd_replay_check().unwrap();
    assert!(!report.ok);
    assert_eq!(
        report.mismatches.len(),
        2,
        "b and a swap places: {:?}",
        report.mismatches
    );
}

#[test]
fn capacity_changes_go_through_the_engine() {
    let mut desk = desk_at("2026-01-19T07:00:00+07:00");
    let s = session(&mut desk, "33690", "08:00-09:00", 2);
    let a = desk.opd_request_token(&request(s, Source::Online)).unwrap();
    let b = desk.opd_request_token(&request(s, Source::FollowUp)).unwrap();
    let slot = a.slot_id;
    let view = desk.opd_set_slot_capacity(slot, 1).unwrap();
    let status = |id| view.slots[0].tokens.iter().find(|t| t.token_id == id).unwrap().status;
    assert_eq!(
        (status(a.token_id), status(b.token_id)),
        (Status::Waitlisted, Status::Confirmed),
        "the lowest is displaced"
    );
    desk.opd_token_action(b.token_id, TokenAction::Call, None).unwrap();
    assert_eq!(
        desk.opd_set_slot_capacity(slot, 0).unwrap_err().code,
        ErrorCode::Conflict
    );
    let view = desk.opd_set_slot_capacity(slot, 2).unwrap();
    assert_eq!(view.slots[0].occupied, 2, "raising capacity promotes");
    assert!(desk.opd_replay_check().unwrap().ok);
}

#[test]
fn emergency_unplaced_is_reported() {
    let mut desk = desk_at("2026-01-19T07:00:00+07:00");
    let s = session(&mut desk, "33690", "08:00-09:00", 1);
    let e1 = desk.opd_request_token(&request(s, Source::Emergency)).unwrap();
    assert!(!e1.emergency_unplaced);
    let e2 = desk.opd_request_token(&request(s, Source::Emergency)).unwrap();
    assert!(e2.emergency_unplaced);
    assert_eq!(e2.status, Status::Waitlisted);
    assert!(desk
        .opd_event_records(Some(s))
        .unwrap()
        .iter()
        .any(|r| r.kind == "emergency_unplaced"));
}

#[test]
fn tickets_print_as_escpos_to_the_configured_file() {
    let dir = tempfile::tempdir().unwrap();
    let printer = dir.path().join("printer.bin");
    let mut desk = desk_at("2026-01-19T07:00:00+07:00");
    desk.set_setting("hospital_name", "RSUD Uji").unwrap();
    desk.set_setting("polis", "ANA=Anak").unwrap();
    desk.set_setting("minutes_per_patient", "10").unwrap();
    let s = session(&mut desk, "33690", "08:00-10:00", 6);
    let t = desk.opd_request_token(&request(s, Source::WalkIn)).unwrap();
    let err = desk.opd_print_ticket(t.token_id).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput, "no printer configured");
    desk.set_setting("printer_device", printer.to_str().unwrap()).unwrap();
    desk.set_setting("printer_paper", "80").unwrap();
    let t2 = desk.opd_request_token(&request(s, Source::WalkIn)).unwrap();
    let out = desk.opd_print_ticket(t2.token_id).unwrap();
    let bytes = std::fs::read(&printer).unwrap();
    assert_eq!(bytes.len() as u32, out.bytes);
    assert_eq!(&bytes[..2], b"\x1b@");
    assert!(bytes.ends_with(b"\x1bd\x04\x1dVB\x00"));
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("RSUD Uji"));
    assert!(text.contains("Poli ANA Anak"));
    assert!(text.contains("ANA-002"));
    assert!(text.contains("19/01/2026"));
    assert!(text.contains("08:00-09:00"));
    assert!(
        text.contains("08:10 WIB"),
        "second in line: 08:00 + 1 × 10 minutes\n{text}"
    );
    assert!(text
        .lines()
        .all(|l| l.trim_start_matches(|c: char| c.is_control()).len() <= 48 + 8));
    // Reprinting appends another ticket.
    desk.opd_print_ticket(t2.token_id).unwrap();
    assert_eq!(std::fs::read(&printer).unwrap().len(), bytes.len() * 2);
}

#[test]
fn session_lists_count_occupied_and_waitlisted_from_the_tokens() {
    let mut desk = desk_at("2026-01-19T07:00:00+07:00");
    let s = session(&mut desk, "33690", "08:00-09:00", 2);
    let other = session(&mut desk, "44100", "08:00-09:00", 3);
    let a = desk.opd_request_token(&request(s, Source::WalkIn)).unwrap();
    desk.opd_request_token(&request(s, Source::WalkIn)).unwrap();
    desk.opd_request_token(&request(s, Source::Online)).unwrap();
    desk.opd_request_token(&request(other, Source::WalkIn)).unwrap();
    desk.opd_token_action(a.token_id, TokenAction::Call, None).unwrap();
    let counts = |desk: &Desk| -> Vec<(u32, u32, u32)> {
        desk.opd_sessions("2026-01-19", None)
            .unwrap()
            .iter()
            .map(|r| (r.capacity, r.occupied, r.waitlisted))
            .collect()
    };
    assert_eq!(counts(&desk), [(2, 2, 1), (3, 1, 0)]);
    desk.opd_token_action(a.token_id, TokenAction::Complete, None).unwrap();
    let c = desk.opd_request_token(&request(s, Source::Online)).unwrap();
    desk.opd_token_action(c.token_id, TokenAction::Cancel, None).unwrap();
    assert_eq!(
        counts(&desk),
        [(2, 2, 1), (3, 1, 0)],
        "completed still occupies; cancelled counts nowhere"
    );
    assert!(desk.opd_replay_check().unwrap().ok);
}

#[test]
fn a_token_with_only_a_medical_record_number_stores_no_extra_details() {
    let mut desk = desk_at("2026-01-19T07:00:00+07:00");
    let s = session(&mut desk, "33690", "08:00-09:00", 2);
    let plain = desk.opd_request_token(&request(s, Source::WalkIn)).unwrap();
    let mut with_phone = request(s, Source::WalkIn);
    with_phone.patient.nohp = Some("081234567890".into());
    let phoned = desk.opd_request_token(&with_phone).unwrap();
    let stored: i64 = desk
        .store()
        .conn()
        .query_row("SELECT count(*) FROM opd_token_patients", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, 1, "only the token with more than its no. RM has a details row");
    let details = desk.opd_token_patient(plain.token_id).unwrap();
    assert_eq!(details.norm.as_deref(), Some("000123"));
    assert!(!details.beyond_norm());
    let details = desk.opd_token_patient(phoned.token_id).unwrap();
    assert_eq!(
        (details.norm.as_deref(), details.nohp.as_deref()),
        (Some("000123"), Some("081234567890"))
    );
}
