//! The state of one session, folded from its events. `evolve` applies an event as a fact;
//! `check` says whether an event may follow the current state, which `from_events` uses to refuse
//! a damaged log.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;

use super::{token_code, Event, Jenis, SessionInfo, Slot, SlotId, Source, Status, TokenId, MAX_CAPACITY};
use crate::{Error, ErrorCode, Result};

/// One token as the session knows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Token {
    pub token_id: TokenId,
    pub number: u32,
    pub slot_id: SlotId,
    pub source: Source,
    pub paid: bool,
    pub jenis: Jenis,
    pub norm: Option<String>,
    pub name: Option<String>,
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub priority: i64,
    pub requested_at: DateTime<Utc>,
    pub status: Status,
    pub cancel_reason: Option<String>,
}

impl Token {
    /// Sorts in priority order: higher priority, then earlier request, then lower number.
    pub fn rank(&self) -> (Reverse<i64>, DateTime<Utc>, u32) {
        (Reverse(self.priority), self.requested_at, self.number)
    }

    /// Comes before `other` in priority order.
    pub fn ranks_before(&self, other: &Token) -> bool {
        self.rank() < other.rank()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SessionState {
    pub session: SessionInfo,
    /// In time order.
    pub slots: Vec<Slot>,
    /// In request order.
    pub tokens: Vec<Token>,
    /// A token whose `requested` event is applied but not yet its `confirmed`/`waitlisted`.
    /// Always `None` between commands.
    #[serde(skip)]
    placing: Option<TokenId>,
}

impl SessionState {
    pub fn new(session: SessionInfo, slots: Vec<Slot>) -> SessionState {
        SessionState {
            session,
            slots,
            tokens: Vec::new(),
            placing: None,
        }
    }

    /// Rebuilds the state from the whole log, refusing a log that breaks the rules
    /// (`ErrorCode::Integrity`).
    pub fn from_events(events: &[Event]) -> Result<SessionState> {
        let Some((Event::SessionCreated { session, slots }, rest)) = events.split_first() else {
            return Err(damaged(1, "peristiwa pertama harus session_created"));
        };
        let mut state = SessionState::new(session.clone(), slots.clone());
        for (i, event) in rest.iter().enumerate() {
            state.apply(event).map_err(|e| damaged(i + 2, &e.message))?;
        }
        if state.placing.is_some() {
            return Err(damaged(events.len(), "antrean terakhir belum ditempatkan"));
        }
        Ok(state)
    }

    /// Checks the event against the state, then applies it.
    pub fn apply(&mut self, event: &Event) -> Result<()> {
        self.check(event)?;
        self.evolve(event);
        Ok(())
    }

    /// Applies an event as a fact. It does not check it: see [`SessionState::check`].
    pub fn evolve(&mut self, event: &Event) {
        let mut set = |id: TokenId, status: Status, slot: Option<SlotId>| {
            if let Some(t) = self.tokens.iter_mut().find(|t| t.token_id == id) {
                t.status = status;
                t.slot_id = slot.unwrap_or(t.slot_id);
            }
        };
        match event {
            Event::SessionCreated { session, slots } => *self = SessionState::new(session.clone(), slots.clone()),
            Event::Requested {
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
            } => {
                self.tokens.push(Token {
                    token_id: *token_id,
                    number: *number,
                    slot_id: *slot_id,
                    source: *source,
                    paid: *paid,
                    jenis: *jenis,
                    norm: norm.clone(),
                    name: name.clone(),
                    priority: *priority,
                    requested_at: *requested_at,
                    // Until its `confirmed` or `waitlisted` event, which follows in the same command.
                    status: Status::Waitlisted,
                    cancel_reason: None,
                });
                self.placing = Some(*token_id);
            }
            Event::Confirmed { token_id, slot_id } => {
                set(*token_id, Status::Confirmed, Some(*slot_id));
                self.placing = None;
            }
            Event::Waitlisted { token_id, slot_id } => {
                set(*token_id, Status::Waitlisted, Some(*slot_id));
                self.placing = None;
            }
            Event::Displaced { token_id, .. } => set(*token_id, Status::Waitlisted, None),
            Event::Promoted { token_id, .. } => set(*token_id, Status::Confirmed, None),
            Event::Cancelled { token_id, reason } => {
                set(*token_id, Status::Cancelled, None);
                if let Some(t) = self.tokens.iter_mut().find(|t| t.token_id == *token_id) {
                    t.cancel_reason = reason.clone();
                }
            }
            Event::NoShow { token_id } => set(*token_id, Status::NoShow, None),
            Event::Called { token_id } => set(*token_id, Status::InProgress, None),
            Event::Completed { token_id } => set(*token_id, Status::Completed, None),
            Event::CapacityChanged { slot_id, to, .. } => {
                if let Some(s) = self.slots.iter_mut().find(|s| s.slot_id == *slot_id) {
                    s.capacity = *to;
                }
            }
            Event::EmergencyUnplaced { .. } => {}
        }
    }

    /// Whether `event` may follow the current state. The messages are for a log check, not clerks.
    pub fn check(&self, event: &Event) -> Result<()> {
        let bad = |what: String| Err(Error::internal(what));
        if let Some(placing) = self.placing {
            let ok = match event {
                Event::Confirmed { token_id, .. } | Event::Waitlisted { token_id, .. } => *token_id == placing,
                Event::Displaced { by, .. } => *by == Some(placing),
                _ => false,
            };
            if !ok {
                return bad(format!("{} sebelum antrean {placing} ditempatkan", event.kind()));
            }
        }
        let token = |id: &TokenId| {
            self.token(*id)
                .ok_or_else(|| Error::internal(format!("antrean {id} tidak ada")))
        };
        let slot = |id: &SlotId| {
            self.slot(*id)
                .ok_or_else(|| Error::internal(format!("slot {id} tidak ada")))
        };
        let has_room = |id: &SlotId| -> Result<()> {
            let s = slot(id)?;
            match self.occupied(s.slot_id) < s.capacity {
                true => Ok(()),
                false => bad(format!("slot {id} sudah penuh")),
            }
        };
        let expect = |id: &TokenId, slot_id: Option<&SlotId>, allowed: &[Status]| -> Result<()> {
            let t = token(id)?;
            if !allowed.contains(&t.status) || slot_id.is_some_and(|s| *s != t.slot_id) {
                return bad(format!(
                    "{} tidak berlaku untuk antrean {id} ({}, slot {})",
                    event.kind(),
                    t.status,
                    t.slot_id
                ));
            }
            Ok(())
        };
        match event {
            Event::SessionCreated { .. } => bad("sesi sudah dibuat".into()),
            Event::Requested {
                token_id,
                number,
                slot_id,
                ..
            } => {
                slot(slot_id)?;
                if self.token(*token_id).is_some() {
                    return bad(format!("id antrean {token_id} dipakai dua kali"));
                }
                if *number == 0 || *number <= self.last_number() {
                    return bad(format!("nomor {number} tidak lebih besar dari nomor terakhir"));
                }
                Ok(())
            }
            Event::Confirmed { slot_id, .. } => has_room(slot_id),
            Event::Waitlisted { slot_id, .. } => slot(slot_id).map(drop),
            Event::Displaced { token_id, slot_id, by } => {
                if let Some(by) = by {
                    token(by)?;
                }
                expect(token_id, Some(slot_id), &[Status::Confirmed])
            }
            Event::Promoted { token_id, slot_id } => {
                expect(token_id, Some(slot_id), &[Status::Waitlisted])?;
                has_room(slot_id)
            }
            Event::Cancelled { token_id, .. } => expect(token_id, None, &[Status::Confirmed, Status::Waitlisted]),
            Event::NoShow { token_id } | Event::Called { token_id } => expect(token_id, None, &[Status::Confirmed]),
            Event::Completed { token_id } => expect(token_id, None, &[Status::InProgress]),
            Event::CapacityChanged { slot_id, from, to } => {
                let s = slot(slot_id)?;
                if s.capacity != *from || *to > MAX_CAPACITY || *to < self.occupied(*slot_id) {
                    return bad(format!("kapasitas slot {slot_id} {from} → {to} tidak cocok"));
                }
                Ok(())
            }
            Event::EmergencyUnplaced { token_id, slot_id } => {
                expect(token_id, Some(slot_id), &[Status::Waitlisted])?;
                match token(token_id)?.source {
                    Source::Emergency => Ok(()),
                    _ => bad(format!("antrean {token_id} bukan gawat darurat")),
                }
            }
        }
    }

    pub fn slot(&self, id: SlotId) -> Option<&Slot> {
        self.slots.iter().find(|s| s.slot_id == id)
    }

    pub fn token(&self, id: TokenId) -> Option<&Token> {
        self.tokens.iter().find(|t| t.token_id == id)
    }

    pub fn token_by_number(&self, number: u32) -> Option<&Token> {
        self.tokens.iter().find(|t| t.number == number)
    }

    /// The highest number issued in this session, 0 if none.
    pub fn last_number(&self) -> u32 {
        self.tokens.iter().map(|t| t.number).max().unwrap_or(0)
    }

    /// The ticket code of a token, e.g. `ANA-007`.
    pub fn code(&self, token: &Token) -> String {
        token_code(&self.session.poli_code, token.number)
    }

    /// Tokens of a slot in the given status, in priority order.
    pub fn ranked(&self, slot: SlotId, status: Status) -> Vec<&Token> {
        let mut v: Vec<&Token> = self
            .tokens
            .iter()
            .filter(|t| t.slot_id == slot && t.status == status)
            .collect();
        v.sort_by_key(|t| t.rank());
        v
    }

    /// Tokens `confirmed`, `in_progress` or `completed` in the slot.
    pub fn occupied(&self, slot: SlotId) -> u32 {
        self.count(slot, Status::occupies)
    }

    pub fn count(&self, slot: SlotId, status: impl Fn(Status) -> bool) -> u32 {
        let n = self
            .tokens
            .iter()
            .filter(|t| t.slot_id == slot && status(t.status))
            .count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    /// The last confirmed token of the slot in priority order: the one a better token displaces.
    pub fn lowest_confirmed(&self, slot: SlotId) -> Option<&Token> {
        self.ranked(slot, Status::Confirmed).last().copied()
    }

    /// The waitlisted token of the slot that is promoted next.
    pub fn first_waitlisted(&self, slot: SlotId) -> Option<&Token> {
        self.ranked(slot, Status::Waitlisted).first().copied()
    }
}

fn damaged(position: usize, why: &str) -> Error {
    Error::new(
        ErrorCode::Integrity,
        format!("Log antrean sesi rusak pada peristiwa ke-{position}: {why}."),
    )
}
