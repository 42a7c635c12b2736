//! Planning a session, the vocabulary types and priorities.

use super::*;
use std::str::FromStr;

#[test]
fn slots_split_with_the_remainder_to_the_earliest() {
    let Event::SessionCreated { session, slots } = plan_session(&spec("08:00-10:30", 10, 60)).unwrap() else {
        panic!("not session_created")
    };
    let got: Vec<(i64, String, String, u32)> = slots
        .iter()
        .map(|s| (s.slot_id.0, s.start_label(), s.end_label(), s.capacity))
        .collect();
    let want = [
        (11, "08:00", "09:00", 4),
        (12, "09:00", "10:00", 3),
        (13, "10:00", "10:30", 3),
    ];
    let want: Vec<(i64, String, String, u32)> = want
        .iter()
        .map(|(i, a, b, c)| (*i, a.to_string(), b.to_string(), *c))
        .collect();
    assert_eq!(got, want);
    assert_eq!(slots[0].start, at("08:00"));
    assert_eq!(slots[0].start.to_rfc3339(), "2026-01-19T01:00:00+00:00");
    assert_eq!(slots[2].end, at("10:30"));
    assert_eq!(
        (session.capacity, session.slot_minutes, session.jam.to_string()),
        (10, 60, "08:00-10:30".into())
    );
}

#[test]
fn more_slots_than_capacity_leaves_late_slots_empty() {
    let Event::SessionCreated { slots, .. } = plan_session(&spec("08:00-11:00", 2, 60)).unwrap() else {
        panic!()
    };
    assert_eq!(slots.iter().map(|s| s.capacity).collect::<Vec<_>>(), vec![1, 1, 0]);
    let Event::SessionCreated { slots, .. } = plan_session(&spec("08:00-08:20", 7, 15)).unwrap() else {
        panic!()
    };
    let shape: Vec<(String, String, u32)> = slots
        .iter()
        .map(|s| (s.start_label(), s.end_label(), s.capacity))
        .collect();
    assert_eq!(
        shape,
        vec![("08:00".into(), "08:15".into(), 4), ("08:15".into(), "08:20".into(), 3)]
    );
}

#[test]
fn plan_refuses_bad_specs() {
    type Edit = fn(&mut SessionSpec);
    let bad: Vec<(&str, Edit)> = vec![
        ("capacity 0", |s| s.capacity = 0),
        ("capacity 1001", |s| s.capacity = 1001),
        ("slot 4 minutes", |s| s.slot_minutes = 4),
        ("slot 241 minutes", |s| s.slot_minutes = 241),
        ("no doctor code", |s| s.doctor_code = "  ".into()),
        ("no doctor name", |s| s.doctor_name = "".into()),
        ("no poli code", |s| s.poli_code = "".into()),
        ("poli code with a space", |s| s.poli_code = "A NA".into()),
        ("session id 0", |s| s.session_id = SessionId(0)),
        ("slot id 0", |s| s.first_slot_id = SlotId(0)),
    ];
    for (why, f) in bad {
        let mut s = spec("08:00-10:00", 4, 60);
        f(&mut s);
        assert_eq!(plan_session(&s).unwrap_err().code, ErrorCode::InvalidInput, "{why}");
    }
    let mut s = spec("08:00-10:00", 1000, 5);
    s.poli_code = " ana ".into();
    let Event::SessionCreated { session, slots } = plan_session(&s).unwrap() else {
        panic!()
    };
    assert_eq!((session.poli_code.as_str(), slots.len()), ("ANA", 24));
}

#[test]
fn priorities_follow_the_weights() {
    let w = Weights::default();
    assert_eq!(
        w,
        Weights {
            emergency: 1000,
            paid: 300,
            follow_up: 200,
            walk_in: 100,
            online: 50
        }
    );
    let table = [
        (Source::Emergency, false, 1000),
        (Source::Emergency, true, 1300),
        (Source::FollowUp, false, 200),
        (Source::FollowUp, true, 500),
        (Source::WalkIn, false, 100),
        (Source::WalkIn, true, 400),
        (Source::Online, false, 50),
        (Source::Online, true, 350),
    ];
    for (source, paid, want) in table {
        assert_eq!(w.priority(source, paid), want, "{source} paid={paid}");
    }
    let custom = Weights {
        emergency: 5,
        paid: 7,
        follow_up: 1,
        walk_in: 2,
        online: 3,
    };
    assert_eq!(custom.priority(Source::Online, true), 10);
    assert_eq!(Weights::from_settings(&crate::settings::Settings::default()), w);
}

#[test]
fn names_parse_and_print() {
    for s in Source::ALL {
        assert_eq!(Source::from_str(s.as_str()).unwrap(), s);
        assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
    }
    for s in Status::ALL {
        assert_eq!(s.as_str().parse::<Status>().unwrap(), s);
        assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
    }
    for j in Jenis::ALL {
        assert_eq!(j.as_str().parse::<Jenis>().unwrap(), j);
        assert_eq!(serde_json::to_value(j).unwrap(), j.as_str());
    }
    assert_eq!(" Walk-In ".parse::<Source>().unwrap(), Source::WalkIn);
    let err = "vip".parse::<Source>().unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert_eq!(
        err.message,
        "Sumber antrean \"vip\" tidak dikenal; pilih salah satu: online, walk_in, follow_up, emergency."
    );
    assert!("bpjs".parse::<Jenis>().unwrap_err().message.starts_with("Jenis pasien"));
}

#[test]
fn token_codes() {
    assert_eq!(token_code("ANA", 7), "ANA-007");
    assert_eq!(token_code("INT", 42), "INT-042");
    assert_eq!(token_code("ANA", 999), "ANA-999");
    assert_eq!(token_code("ANA", 1000), "ANA-1000");
}
