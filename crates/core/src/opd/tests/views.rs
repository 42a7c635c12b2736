//! Positions, the session view and the JSON shapes of events and views.

use super::*;
use serde_json::json;
use Source::{Emergency, FollowUp, Online, WalkIn};

fn sample() -> Given {
    given(
        two_by_two(),
        &[
            req(1, Online, false, "07:00"),
            req(2, WalkIn, false, "07:05"),
            req_in(3, 11, FollowUp, false, "07:10"), // displaces 1
            req_in(4, 11, Online, false, "07:15"),   // waitlisted behind 1
            call(3),
            req_in(5, 11, Emergency, false, "08:10"), // displaces 2
            req(6, WalkIn, false, "08:15"),           // slot 12
            cancel(6),
        ],
    )
}

#[test]
fn positions_number_confirmed_and_waitlist_in_priority_order() {
    let g = sample();
    assert_eq!(
        statuses(&g.state),
        vec![
            (1, Status::Waitlisted, 11),
            (2, Status::Waitlisted, 11),
            (3, Status::InProgress, 11),
            (4, Status::Waitlisted, 11),
            (5, Status::Confirmed, 11),
            (6, Status::Cancelled, 12),
        ]
    );
    let p = positions(&g.state);
    let at = |n: u32| {
        let p = p[&tok(n)];
        (p.position, p.waitlist_position)
    };
    assert_eq!(at(5), (Some(1), None));
    assert_eq!(at(2), (None, Some(1)), "walk-in 100 before online 50");
    assert_eq!(at(1), (None, Some(2)));
    assert_eq!(at(4), (None, Some(3)));
    assert_eq!(at(3), (None, None));
    assert_eq!(at(6), (None, None));
}

#[test]
fn session_view_groups_tokens_per_slot() {
    let view = session_view(&sample().state);
    assert_eq!(view.session.poli_code, "ANA");
    let s11 = &view.slots[0];
    assert_eq!((s11.start_label.as_str(), s11.end_label.as_str()), ("08:00", "09:00"));
    assert_eq!((s11.capacity, s11.occupied, s11.waitlisted), (2, 2, 3));
    let codes: Vec<&str> = s11.tokens.iter().map(|t| t.code.as_str()).collect();
    assert_eq!(codes, ["ANA-003", "ANA-005", "ANA-002", "ANA-001", "ANA-004"]);
    let s12 = &view.slots[1];
    assert_eq!((s12.occupied, s12.waitlisted, s12.tokens.len()), (0, 0, 1));
    assert_eq!(s12.tokens[0].status, Status::Cancelled);
}

#[test]
fn token_view_shape() {
    let g = sample();
    let v = token_view(&g.state, tok(2)).unwrap();
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!(
        json,
        json!({
            "token_id": 102, "number": 2, "code": "ANA-002", "slot_id": 11, "source": "walk_in",
            "paid": false, "jenis": "jkn", "status": "waitlisted", "priority": 100,
            "requested_at": "2026-01-19T00:05:00Z", "position": null, "waitlist_position": 1,
            "norm": "RM0002", "name": null
        })
    );
    assert!(token_view(&g.state, tok(99)).is_none());
}

#[test]
fn events_serialize_with_their_kind_as_type() {
    let g = sample();
    let mut kinds = std::collections::BTreeSet::new();
    for e in &g.log {
        let v = serde_json::to_value(e).unwrap();
        assert_eq!(v["type"], e.kind(), "{e:?}");
        let back: Event = serde_json::from_value(v).unwrap();
        assert_eq!(&back, e);
        kinds.insert(e.kind());
    }
    let more = [
        Event::NoShow { token_id: tok(1) },
        Event::Completed { token_id: tok(1) },
        Event::CapacityChanged {
            slot_id: slot(11),
            from: 2,
            to: 3,
        },
        Event::EmergencyUnplaced {
            token_id: tok(1),
            slot_id: slot(11),
        },
        promoted(1, 11),
    ];
    for e in &more {
        assert_eq!(serde_json::to_value(e).unwrap()["type"], e.kind());
        kinds.insert(e.kind());
    }
    assert_eq!(kinds.len(), 12, "{kinds:?}");
    let created = serde_json::to_value(&g.log[0]).unwrap();
    assert_eq!(created["session"]["jam"], "08:00-10:00");
    assert_eq!(
        created["slots"][1],
        json!({"slot_id": 12, "start": "2026-01-19T02:00:00Z", "end": "2026-01-19T03:00:00Z", "capacity": 2})
    );
    let displaced = serde_json::to_value(displaced(2, 11, None)).unwrap();
    assert_eq!(
        displaced,
        json!({"type": "displaced", "token_id": 102, "slot_id": 11, "by": null})
    );
    assert_eq!(g.log[1].token_id(), Some(tok(1)));
}

#[test]
fn commands_and_specs_round_trip() {
    let c = req(1, FollowUp, true, "08:00");
    let v = serde_json::to_value(&c).unwrap();
    assert_eq!(
        (v["type"].as_str(), v["source"].as_str(), v["slot_id"].is_null()),
        (Some("request"), Some("follow_up"), true)
    );
    assert_eq!(serde_json::from_value::<Command>(v).unwrap(), c);
    let s = spec("08:00-10:30", 10, 60);
    let v = serde_json::to_value(&s).unwrap();
    assert_eq!(v["jam"], "08:00-10:30");
    assert_eq!(serde_json::from_value::<SessionSpec>(v).unwrap(), s);
    let bad = json!({"session_id":1,"first_slot_id":1,"doctor_code":"1","doctor_name":"d","poli_code":"A",
        "date":"2026-01-19","jam":"10:00-08:00","capacity":1,"slot_minutes":60});
    assert!(serde_json::from_value::<SessionSpec>(bad).is_err());
    let state = sample().state;
    let back: SessionState = serde_json::from_value(serde_json::to_value(&state).unwrap()).unwrap();
    assert_eq!(back, state);
}
