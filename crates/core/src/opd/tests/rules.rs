//! Given/when/then for every allocation rule. Session: slot 11 (08:00-09:00) and slot 12
//! (09:00-10:00), capacity 2 each; token n has id 100 + n.

use super::*;
use Source::{Emergency, FollowUp, Online, WalkIn};

struct Case {
    name: &'static str,
    given: Vec<Command>,
    when: Command,
    then: Vec<Event>,
}

fn run(cases: Vec<Case>) {
    for c in cases {
        let g = given(two_by_two(), &c.given);
        let got = g.when(&c.when).unwrap_or_else(|e| panic!("{}: refused: {e}", c.name));
        assert_eq!(got, c.then, "{}", c.name);
    }
}

#[test]
fn requests() {
    run(vec![
        Case {
            name: "room: confirmed in the earliest slot with room",
            given: vec![],
            when: req(1, WalkIn, false, "07:30"),
            then: vec![requested(1, 11, WalkIn, false, "07:30"), confirmed(1, 11)],
        },
        Case {
            name: "full slot, auto choice: the next slot with room",
            given: vec![req(1, WalkIn, false, "08:00"), req(2, WalkIn, false, "08:01")],
            when: req(3, Online, false, "08:02"),
            then: vec![requested(3, 12, Online, false, "08:02"), confirmed(3, 12)],
        },
        Case {
            name: "auto choice skips slots that have ended",
            given: vec![],
            when: req(1, WalkIn, false, "09:00"),
            then: vec![requested(1, 12, WalkIn, false, "09:00"), confirmed(1, 12)],
        },
        Case {
            name: "no slot has room: earliest open slot, waitlisted when not better",
            given: (1..=4).map(|n| req(n, WalkIn, false, "08:00")).collect(),
            when: req(5, WalkIn, false, "08:10"),
            then: vec![requested(5, 11, WalkIn, false, "08:10"), waitlisted(5, 11)],
        },
        Case {
            name: "full slot, lower priority: waitlisted",
            given: vec![req(1, WalkIn, false, "08:00"), req(2, WalkIn, false, "08:01")],
            when: req_in(3, 11, Online, false, "07:00"),
            then: vec![requested(3, 11, Online, false, "07:00"), waitlisted(3, 11)],
        },
        Case {
            name: "full slot, higher priority: the lowest confirmed is displaced",
            given: vec![req(1, Online, false, "08:00"), req(2, WalkIn, false, "08:01")],
            when: req_in(3, 11, FollowUp, false, "08:05"),
            then: vec![
                requested(3, 11, FollowUp, false, "08:05"),
                displaced(1, 11, Some(3)),
                confirmed(3, 11),
            ],
        },
        Case {
            name: "paid beats unpaid of the same source",
            given: vec![req(1, Online, false, "08:00"), req(2, Online, false, "08:01")],
            when: req_in(3, 11, Online, true, "08:05"),
            then: vec![
                requested(3, 11, Online, true, "08:05"),
                displaced(2, 11, Some(3)),
                confirmed(3, 11),
            ],
        },
        Case {
            name: "equal priority, later request: FIFO keeps the earlier ones",
            given: vec![req(1, WalkIn, false, "08:00"), req(2, WalkIn, false, "08:01")],
            when: req_in(3, 11, WalkIn, false, "08:02"),
            then: vec![requested(3, 11, WalkIn, false, "08:02"), waitlisted(3, 11)],
        },
        Case {
            name: "equal priority, earlier requested_at wins over a lower number",
            given: vec![req(1, WalkIn, false, "08:30"), req(2, WalkIn, false, "08:30")],
            when: req_in(3, 11, WalkIn, false, "08:10"),
            then: vec![
                requested(3, 11, WalkIn, false, "08:10"),
                displaced(2, 11, Some(3)),
                confirmed(3, 11),
            ],
        },
        Case {
            name: "equal priority and time: the lower number stays",
            given: vec![req(1, WalkIn, false, "08:00"), req(2, WalkIn, false, "08:00")],
            when: req_in(3, 11, WalkIn, false, "08:00"),
            then: vec![requested(3, 11, WalkIn, false, "08:00"), waitlisted(3, 11)],
        },
        Case {
            name: "in-progress and completed tokens are never displaced",
            given: vec![
                req(1, Online, false, "08:00"),
                req(2, Online, false, "08:00"),
                call(1),
                call(2),
            ],
            when: req_in(3, 11, FollowUp, true, "08:20"),
            then: vec![requested(3, 11, FollowUp, true, "08:20"), waitlisted(3, 11)],
        },
    ]);
}

#[test]
fn emergencies() {
    let full = || (1..=4).map(|n| req(n, WalkIn, false, "08:00")).collect::<Vec<_>>();
    run(vec![
        Case {
            name: "emergency mid-slot displaces the lowest confirmed, never the one being served",
            given: [full(), vec![call(1)]].concat(),
            when: req(5, Emergency, false, "08:30"),
            then: vec![
                requested(5, 11, Emergency, false, "08:30"),
                displaced(2, 11, Some(5)),
                confirmed(5, 11),
            ],
        },
        Case {
            name: "emergency into a slot of served tokens moves on to a later slot",
            given: [full(), vec![call(1), complete(1), call(2)]].concat(),
            when: req(5, Emergency, false, "08:40"),
            then: vec![
                requested(5, 11, Emergency, false, "08:40"),
                displaced(4, 12, Some(5)),
                confirmed(5, 12),
            ],
        },
        Case {
            name: "emergency beyond full slots of earlier emergencies is unplaced and waits in the chosen slot",
            given: (1..=4).map(|n| req(n, Emergency, false, "08:00")).collect(),
            when: req(5, Emergency, false, "08:05"),
            then: vec![
                requested(5, 11, Emergency, false, "08:05"),
                waitlisted(5, 11),
                Event::EmergencyUnplaced {
                    token_id: tok(5),
                    slot_id: slot(11),
                },
            ],
        },
        Case {
            name: "emergency in the last slot has nowhere later to go",
            given: vec![
                req_in(1, 12, Emergency, true, "08:00"),
                req_in(2, 12, Emergency, true, "08:00"),
            ],
            when: req_in(3, 12, Emergency, false, "08:00"),
            then: vec![
                requested(3, 12, Emergency, false, "08:00"),
                waitlisted(3, 12),
                Event::EmergencyUnplaced {
                    token_id: tok(3),
                    slot_id: slot(12),
                },
            ],
        },
    ]);
}

#[test]
fn transitions_and_promotion() {
    let full_plus_two = || {
        vec![
            req(1, WalkIn, false, "08:00"),
            req(2, WalkIn, false, "08:00"),
            req_in(3, 11, Online, false, "08:00"),
            req_in(4, 11, Online, false, "08:00"),
        ]
    };
    run(vec![
        Case {
            name: "cancel after confirm promotes the first of the waitlist",
            given: full_plus_two(),
            when: cancel(1),
            then: vec![
                Event::Cancelled {
                    token_id: tok(1),
                    reason: None,
                },
                promoted(3, 11),
            ],
        },
        Case {
            name: "cancel keeps a trimmed reason",
            given: vec![req(1, WalkIn, false, "08:00")],
            when: Command::Cancel {
                token_id: tok(1),
                reason: Some("  pulang  ".into()),
            },
            then: vec![Event::Cancelled {
                token_id: tok(1),
                reason: Some("pulang".into()),
            }],
        },
        Case {
            name: "cancel from the waitlist promotes nobody",
            given: full_plus_two(),
            when: cancel(3),
            then: vec![Event::Cancelled {
                token_id: tok(3),
                reason: None,
            }],
        },
        Case {
            name: "no-show before consult frees the place for the waitlist",
            given: full_plus_two(),
            when: no_show(2),
            then: vec![Event::NoShow { token_id: tok(2) }, promoted(3, 11)],
        },
        Case {
            name: "call: confirmed to in progress",
            given: full_plus_two(),
            when: call(2),
            then: vec![Event::Called { token_id: tok(2) }],
        },
        Case {
            name: "complete: in progress to completed, nobody promoted",
            given: [full_plus_two(), vec![call(1)]].concat(),
            when: complete(1),
            then: vec![Event::Completed { token_id: tok(1) }],
        },
        Case {
            name: "capacity up promotes in priority order, up to the new capacity",
            given: [full_plus_two(), vec![req_in(5, 11, WalkIn, false, "08:30")]].concat(),
            when: capacity(11, 4),
            then: vec![
                Event::CapacityChanged {
                    slot_id: slot(11),
                    from: 2,
                    to: 4,
                },
                promoted(5, 11),
                promoted(3, 11),
            ],
        },
        Case {
            name: "capacity down displaces the lowest confirmed first, served tokens stay",
            given: vec![
                req_in(1, 11, FollowUp, false, "08:00"),
                req_in(2, 11, Online, false, "08:00"),
                capacity(11, 4),
                req_in(3, 11, WalkIn, false, "08:00"),
                req_in(4, 11, Online, false, "08:00"),
                call(4),
            ],
            when: capacity(11, 1),
            then: vec![
                displaced(2, 11, None),
                displaced(3, 11, None),
                displaced(1, 11, None),
                Event::CapacityChanged {
                    slot_id: slot(11),
                    from: 4,
                    to: 1,
                },
            ],
        },
        Case {
            name: "capacity unchanged records nothing",
            given: vec![],
            when: capacity(12, 2),
            then: vec![],
        },
    ]);
}

#[test]
fn promotion_ties_go_to_the_lower_number() {
    let g = given(
        two_by_two(),
        &[
            req(1, WalkIn, false, "08:00"),
            req(2, WalkIn, false, "08:00"),
            req_in(3, 11, Online, false, "08:00"),
            req_in(4, 11, Online, false, "08:00"),
        ],
    );
    assert_eq!(
        g.when(&no_show(1)).unwrap(),
        vec![Event::NoShow { token_id: tok(1) }, promoted(3, 11)]
    );
}

#[test]
fn displaced_token_is_first_on_the_waitlist_and_comes_back() {
    let g = given(
        two_by_two(),
        &[
            req(1, WalkIn, false, "08:00"),
            req(2, Online, false, "08:00"),
            req_in(3, 11, FollowUp, false, "08:05"),
        ],
    );
    assert_eq!(
        statuses(&g.state),
        vec![
            (1, Status::Confirmed, 11),
            (2, Status::Waitlisted, 11),
            (3, Status::Confirmed, 11)
        ]
    );
    assert_eq!(
        g.when(&cancel(3)).unwrap(),
        vec![
            Event::Cancelled {
                token_id: tok(3),
                reason: None
            },
            promoted(2, 11)
        ]
    );
}

#[test]
fn request_at_the_end_of_the_session_is_refused() {
    let g = given(two_by_two(), &[]);
    assert!(g.when(&req(1, WalkIn, false, "09:59")).is_ok());
    assert_eq!(code_of(g.when(&req(1, WalkIn, false, "10:00"))), ErrorCode::Conflict);
    assert_eq!(
        code_of(g.when(&req_in(1, 11, WalkIn, false, "11:00"))),
        ErrorCode::Conflict
    );
    let msg = g.when(&req(1, WalkIn, false, "10:00")).unwrap_err().message;
    assert!(msg.contains("10:00 WIB"), "{msg}");
}

#[test]
fn a_given_slot_is_used_even_when_it_has_ended() {
    let g = given(two_by_two(), &[]);
    let got = g.when(&req_in(1, 11, WalkIn, false, "09:30")).unwrap();
    assert_eq!(got, vec![requested(1, 11, WalkIn, false, "09:30"), confirmed(1, 11)]);
}
