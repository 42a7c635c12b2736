//! What the desk shows: a session's slots with their tokens and positions, computed from state.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::{Jenis, SessionInfo, SessionState, SlotId, Source, Status, Token, TokenId};

/// Where a token stands: `position` among the confirmed tokens of its slot (1 = next to be
/// called), `waitlist_position` on its slot's waitlist. `None` where it does not apply.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Position {
    pub position: Option<u32>,
    pub waitlist_position: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TokenView {
    pub token_id: TokenId,
    pub number: u32,
    pub code: String,
    pub slot_id: SlotId,
    pub source: Source,
    pub paid: bool,
    pub jenis: Jenis,
    pub status: Status,
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub priority: i64,
    pub requested_at: DateTime<Utc>,
    pub position: Option<u32>,
    pub waitlist_position: Option<u32>,
    pub norm: Option<String>,
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SlotView {
    pub slot_id: SlotId,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// `HH:MM` in WIB.
    pub start_label: String,
    pub end_label: String,
    pub capacity: u32,
    pub occupied: u32,
    pub waitlisted: u32,
    /// In progress first, then confirmed by position, waitlisted by waitlist position, then
    /// completed, no-show and cancelled; each group in priority order.
    pub tokens: Vec<TokenView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SessionView {
    pub session: SessionInfo,
    pub slots: Vec<SlotView>,
}

/// The position of every token of the session.
pub fn positions(state: &SessionState) -> BTreeMap<TokenId, Position> {
    let mut out: BTreeMap<TokenId, Position> = state.tokens.iter().map(|t| (t.token_id, Position::default())).collect();
    for slot in &state.slots {
        for (i, t) in state.ranked(slot.slot_id, Status::Confirmed).iter().enumerate() {
            out.entry(t.token_id).or_default().position = Some(ordinal(i));
        }
        for (i, t) in state.ranked(slot.slot_id, Status::Waitlisted).iter().enumerate() {
            out.entry(t.token_id).or_default().waitlist_position = Some(ordinal(i));
        }
    }
    out
}

/// The position of one token (ranking only its own slot).
pub fn position_of(state: &SessionState, token: &Token) -> Position {
    let place = |status: Status| {
        state
            .ranked(token.slot_id, status)
            .iter()
            .position(|t| t.token_id == token.token_id)
            .map(ordinal)
    };
    match token.status {
        Status::Confirmed => Position {
            position: place(Status::Confirmed),
            waitlist_position: None,
        },
        Status::Waitlisted => Position {
            position: None,
            waitlist_position: place(Status::Waitlisted),
        },
        _ => Position::default(),
    }
}

/// The whole session as the Antrean screen and `opd session show` present it.
pub fn session_view(state: &SessionState) -> SessionView {
    let pos = positions(state);
    let slots = state
        .slots
        .iter()
        .map(|slot| {
            let mut tokens: Vec<&Token> = state.tokens.iter().filter(|t| t.slot_id == slot.slot_id).collect();
            tokens.sort_by_key(|t| (group(t.status), t.rank()));
            SlotView {
                slot_id: slot.slot_id,
                start: slot.start,
                end: slot.end,
                start_label: slot.start_label(),
                end_label: slot.end_label(),
                capacity: slot.capacity,
                occupied: state.occupied(slot.slot_id),
                waitlisted: state.count(slot.slot_id, |s| s == Status::Waitlisted),
                tokens: tokens
                    .into_iter()
                    .map(|t| view(state, t, pos.get(&t.token_id).copied()))
                    .collect(),
            }
        })
        .collect();
    SessionView {
        session: state.session.clone(),
        slots,
    }
}

/// One token with its code and position, `None` if the session has no such token.
pub fn token_view(state: &SessionState, token_id: TokenId) -> Option<TokenView> {
    let token = state.token(token_id)?;
    Some(view(state, token, Some(position_of(state, token))))
}

fn view(state: &SessionState, t: &Token, pos: Option<Position>) -> TokenView {
    let pos = pos.unwrap_or_default();
    TokenView {
        token_id: t.token_id,
        number: t.number,
        code: state.code(t),
        slot_id: t.slot_id,
        source: t.source,
        paid: t.paid,
        jenis: t.jenis,
        status: t.status,
        priority: t.priority,
        requested_at: t.requested_at,
        position: pos.position,
        waitlist_position: pos.waitlist_position,
        norm: t.norm.clone(),
        name: t.name.clone(),
    }
}

fn group(status: Status) -> u8 {
    match status {
        Status::InProgress => 0,
        Status::Confirmed => 1,
        Status::Waitlisted => 2,
        Status::Completed => 3,
        Status::NoShow => 4,
        Status::Cancelled => 5,
    }
}

fn ordinal(i: usize) -> u32 {
    u32::try_from(i + 1).unwrap_or(u32::MAX)
}
