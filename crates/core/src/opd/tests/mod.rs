//! Tests of the OPD engine: given/when/then tables per rule, the session plan, views and serde,
//! and a proptest against an independent reference model.

mod plan;
mod reference;
mod refusals;
mod rules;
mod views;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use super::*;
use crate::time::{wib_instant, JamPraktek};
use crate::{ErrorCode, Result};

pub(super) fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 19).unwrap()
}

/// `HH:MM` WIB on the test date.
pub(super) fn at(hhmm: &str) -> DateTime<Utc> {
    wib_instant(date(), NaiveTime::parse_from_str(hhmm, "%H:%M").unwrap())
}

pub(super) fn spec(jam: &str, capacity: u32, slot_minutes: u32) -> SessionSpec {
    SessionSpec {
        session_id: SessionId(1),
        first_slot_id: SlotId(11),
        doctor_code: "12345".into(),
        doctor_name: "dr. Rina, Sp.A".into(),
        poli_code: "ANA".into(),
        date: date(),
        jam: JamPraktek::parse(jam).unwrap(),
        capacity,
        slot_minutes,
    }
}

/// Two one-hour slots of capacity 2: slot 11 is 08:00-09:00, slot 12 is 09:00-10:00.
pub(super) fn two_by_two() -> Event {
    plan_session(&spec("08:00-10:00", 4, 60)).unwrap()
}

pub(super) fn tok(number: u32) -> TokenId {
    TokenId(100 + i64::from(number))
}

pub(super) fn slot(id: i64) -> SlotId {
    SlotId(id)
}

/// A request for token `number` (id 100 + number) at `hhmm`, the slot chosen by the engine.
pub(super) fn req(number: u32, source: Source, paid: bool, hhmm: &str) -> Command {
    Command::Request {
        token_id: tok(number),
        number,
        slot_id: None,
        source,
        paid,
        jenis: Jenis::Jkn,
        norm: Some(format!("RM{number:04}")),
        name: None,
        priority: Weights::default().priority(source, paid),
        requested_at: at(hhmm),
    }
}

/// The same, into the given slot.
pub(super) fn req_in(number: u32, slot_id: i64, source: Source, paid: bool, hhmm: &str) -> Command {
    match req(number, source, paid, hhmm) {
        Command::Request {
            token_id,
            number,
            source,
            paid,
            jenis,
            norm,
            name,
            priority,
            requested_at,
            ..
        } => {
            let slot_id = Some(slot(slot_id));
            Command::Request {
                token_id,
                number,
                slot_id,
                source,
                paid,
                jenis,
                norm,
                name,
                priority,
                requested_at,
            }
        }
        _ => unreachable!(),
    }
}

/// The `requested` event `req`/`req_in` produces when `slot_id` is chosen.
pub(super) fn requested(number: u32, slot_id: i64, source: Source, paid: bool, hhmm: &str) -> Event {
    Event::Requested {
        token_id: tok(number),
        number,
        slot_id: slot(slot_id),
        source,
        paid,
        jenis: Jenis::Jkn,
        norm: Some(format!("RM{number:04}")),
        name: None,
        priority: Weights::default().priority(source, paid),
        requested_at: at(hhmm),
    }
}

pub(super) fn confirmed(n: u32, s: i64) -> Event {
    Event::Confirmed {
        token_id: tok(n),
        slot_id: slot(s),
    }
}
pub(super) fn waitlisted(n: u32, s: i64) -> Event {
    Event::Waitlisted {
        token_id: tok(n),
        slot_id: slot(s),
    }
}
pub(super) fn displaced(n: u32, s: i64, by: Option<u32>) -> Event {
    Event::Displaced {
        token_id: tok(n),
        slot_id: slot(s),
        by: by.map(tok),
    }
}
pub(super) fn promoted(n: u32, s: i64) -> Event {
    Event::Promoted {
        token_id: tok(n),
        slot_id: slot(s),
    }
}

pub(super) fn cancel(n: u32) -> Command {
    Command::Cancel {
        token_id: tok(n),
        reason: None,
    }
}
pub(super) fn no_show(n: u32) -> Command {
    Command::NoShow { token_id: tok(n) }
}
pub(super) fn call(n: u32) -> Command {
    Command::Call { token_id: tok(n) }
}
pub(super) fn complete(n: u32) -> Command {
    Command::Complete { token_id: tok(n) }
}
pub(super) fn capacity(s: i64, n: u32) -> Command {
    Command::ChangeCapacity {
        slot_id: slot(s),
        capacity: n,
    }
}

/// A session built from its `session_created` event and some commands, all of which must succeed.
pub(super) struct Given {
    pub log: Vec<Event>,
    pub state: SessionState,
}

pub(super) fn given(created: Event, commands: &[Command]) -> Given {
    let mut log = vec![created];
    let mut state = SessionState::from_events(&log).unwrap();
    for c in commands {
        let events = execute(&mut state, c, now()).unwrap_or_else(|e| panic!("given {c:?}: {e}"));
        log.extend(events);
    }
    Given { log, state }
}

/// The `now` passed to every command; the rules must not depend on it.
pub(super) fn now() -> DateTime<Utc> {
    at("12:00")
}

impl Given {
    /// Decides `command` and checks the universal properties: decide leaves the state alone,
    /// execute yields the same events, and replaying the log gives the live state.
    pub fn when(&self, command: &Command) -> Result<Vec<Event>> {
        let before = self.state.clone();
        let decided = decide(&self.state, command, now());
        assert_eq!(self.state, before, "decide must not mutate");
        let mut live = self.state.clone();
        let executed = execute(&mut live, command, now());
        assert_eq!(decided, executed);
        match &decided {
            Ok(events) => {
                let log: Vec<Event> = self.log.iter().chain(events).cloned().collect();
                assert_eq!(
                    SessionState::from_events(&log).unwrap(),
                    live,
                    "replay equals live state"
                );
            }
            Err(_) => assert_eq!(live, before, "a refused command changes nothing"),
        }
        decided
    }

    /// The state after `command`, which must succeed.
    pub fn after(&self, command: &Command) -> SessionState {
        let mut s = self.state.clone();
        execute(&mut s, command, now()).unwrap();
        s
    }
}

/// `(number, status, slot)` of every token, in request order.
pub(super) fn statuses(state: &SessionState) -> Vec<(u32, Status, i64)> {
    state.tokens.iter().map(|t| (t.number, t.status, t.slot_id.0)).collect()
}

pub(super) fn code_of(r: Result<Vec<Event>>) -> ErrorCode {
    r.expect_err("the command should be refused").code
}
