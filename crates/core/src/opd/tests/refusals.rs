//! Refused commands: a clear Indonesian message, the right code, no events, no change.

use super::*;
use Source::{Online, WalkIn};

#[test]
fn illegal_transitions_are_refused() {
    let g = given(
        two_by_two(),
        &[
            req(1, WalkIn, false, "08:00"),        // confirmed
            req(2, WalkIn, false, "08:00"),        // → in progress
            req_in(3, 11, Online, false, "08:00"), // waitlisted
            req(4, WalkIn, false, "08:00"),        // → completed
            req(5, WalkIn, false, "08:00"),        // → cancelled
            call(2),
            call(4),
            complete(4),
            cancel(5),
            req(6, Online, false, "09:00"), // → no-show
            no_show(6),
        ],
    );
    let refused = [
        (complete(1), "confirmed cannot complete"),
        (call(3), "waitlisted cannot be called"),
        (no_show(3), "waitlisted cannot be a no-show"),
        (complete(3), "waitlisted cannot complete"),
        (call(2), "in progress cannot be called again"),
        (cancel(2), "in progress cannot be cancelled"),
        (no_show(2), "in progress cannot be a no-show"),
        (cancel(4), "completed cannot be cancelled"),
        (complete(4), "completed cannot complete again"),
        (call(5), "cancelled cannot be called"),
        (cancel(5), "cancelled cannot be cancelled again"),
        (complete(6), "no-show cannot complete"),
        (cancel(6), "no-show cannot be cancelled"),
    ];
    for (command, why) in refused {
        let err = g.when(&command).expect_err(why);
        assert_eq!(err.code, ErrorCode::Conflict, "{why}");
        assert!(err.message.starts_with("Antrean ANA-00"), "{why}: {}", err.message);
        assert!(err.message.contains("hanya antrean"), "{why}: {}", err.message);
    }
    assert_eq!(code_of(g.when(&call(99))), ErrorCode::NotFound);
}

#[test]
fn request_refusals() {
    let g = given(
        two_by_two(),
        &[req(1, WalkIn, false, "08:00"), req(5, WalkIn, false, "08:00")],
    );
    let with = |f: &dyn Fn(&mut Command)| {
        let mut c = req(6, WalkIn, false, "08:10");
        f(&mut c);
        c
    };
    let set = |c: &mut Command, n: u32, id: i64| {
        if let Command::Request { number, token_id, .. } = c {
            *number = n;
            *token_id = TokenId(id);
        }
    };
    let cases: Vec<(Command, ErrorCode)> = vec![
        (with(&|c| set(c, 6, 101)), ErrorCode::Conflict), // token id of number 1
        (with(&|c| set(c, 5, 200)), ErrorCode::Conflict), // number taken
        (with(&|c| set(c, 3, 200)), ErrorCode::Conflict), // number below the last one
        (with(&|c| set(c, 0, 200)), ErrorCode::InvalidInput),
        (with(&|c| set(c, 6, 0)), ErrorCode::InvalidInput),
        (req_in(6, 13, WalkIn, false, "08:10"), ErrorCode::NotFound),
        (req(6, WalkIn, false, "10:00"), ErrorCode::Conflict),
    ];
    for (command, code) in cases {
        assert_eq!(code_of(g.when(&command)), code, "{command:?}");
    }
    assert!(g.when(&req(6, WalkIn, false, "08:10")).is_ok());
    assert!(
        g.when(&req(9, WalkIn, false, "08:10")).is_ok(),
        "numbers may skip (another session took them)"
    );
}

#[test]
fn patient_data_never_appears_in_errors() {
    let g = given(two_by_two(), &[]);
    let mut c = req(1, WalkIn, false, "08:00");
    if let Command::Request { name, norm, .. } = &mut c {
        *name = Some(format!("Siti Aminah {}", "x".repeat(100)));
        *norm = Some("RM-778899".into());
    }
    let err = g.when(&c).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert!(
        !err.message.contains("Siti") && !err.message.contains("778899"),
        "{}",
        err.message
    );

    let mut c = req(1, WalkIn, false, "08:00");
    if let Command::Request { norm, .. } = &mut c {
        *norm = Some("RM\u{7}1".into());
    }
    assert_eq!(code_of(g.when(&c)), ErrorCode::InvalidInput);
}

#[test]
fn blank_patient_fields_become_none() {
    let g = given(two_by_two(), &[]);
    let mut c = req(1, WalkIn, false, "08:00");
    if let Command::Request { name, norm, .. } = &mut c {
        *name = Some("  Budi  ".into());
        *norm = Some("   ".into());
    }
    let s = g.after(&c);
    assert_eq!(
        (s.tokens[0].name.as_deref(), s.tokens[0].norm.as_deref()),
        (Some("Budi"), None)
    );
}

#[test]
fn capacity_refusals() {
    let g = given(
        two_by_two(),
        &[
            req(1, WalkIn, false, "08:00"),
            req(2, WalkIn, false, "08:00"),
            call(1),
            call(2),
        ],
    );
    let err = g.when(&capacity(11, 1)).unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    assert!(
        err.message.contains("08:00-09:00") && err.message.contains("2 pasien"),
        "{}",
        err.message
    );
    assert_eq!(code_of(g.when(&capacity(12, 1001))), ErrorCode::InvalidInput);
    assert_eq!(code_of(g.when(&capacity(99, 3))), ErrorCode::NotFound);
    assert!(g.when(&capacity(12, 0)).is_ok());
    assert!(g.when(&capacity(12, 1000)).is_ok());
}

#[test]
fn a_damaged_log_is_refused_on_replay() {
    let g = given(
        two_by_two(),
        &[req(1, WalkIn, false, "08:00"), req(2, WalkIn, false, "08:00")],
    );
    let log = &g.log;
    let integrity = |events: &[Event]| SessionState::from_events(events).unwrap_err().code;
    assert_eq!(integrity(&[]), ErrorCode::Integrity);
    assert_eq!(integrity(&log[1..]), ErrorCode::Integrity, "no session_created first");
    assert_eq!(
        integrity(&[log.clone(), vec![log[0].clone()]].concat()),
        ErrorCode::Integrity,
        "created twice"
    );
    assert_eq!(integrity(&log[..2]), ErrorCode::Integrity, "requested but never placed");
    let third_confirmed = [
        log.clone(),
        vec![requested(3, 11, WalkIn, false, "08:00"), confirmed(3, 11)],
    ]
    .concat();
    assert_eq!(integrity(&third_confirmed), ErrorCode::Integrity, "over capacity");
    let again = [
        log.clone(),
        vec![requested(2, 11, WalkIn, false, "08:00"), waitlisted(2, 11)],
    ]
    .concat();
    assert_eq!(integrity(&again), ErrorCode::Integrity, "token twice");
    let skipped = [log.clone(), vec![Event::Completed { token_id: tok(1) }]].concat();
    assert_eq!(integrity(&skipped), ErrorCode::Integrity, "completed without call");
    let msg = SessionState::from_events(&skipped).unwrap_err().message;
    assert!(msg.contains("peristiwa ke-6"), "{msg}");
}
