//! What a clerk asks for (commands) and what happened (events). Events are the payload only: the
//! store adds sequence, time, desk, clerk and version around them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Jenis, SessionInfo, Slot, SlotId, Source, TokenId};

/// A request to change one session. Ids, numbers and the priority are decided by the caller (the
/// store allocates ids and numbers, Settings give the weights) so that replay is deterministic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Command {
    /// Issue a token. Without `slot_id` the engine chooses the slot.
    Request {
        token_id: TokenId,
        number: u32,
        slot_id: Option<SlotId>,
        source: Source,
        paid: bool,
        jenis: Jenis,
        norm: Option<String>,
        name: Option<String>,
        #[cfg_attr(feature = "specta", specta(type = i32))]
        priority: i64,
        requested_at: DateTime<Utc>,
    },
    Cancel {
        token_id: TokenId,
        reason: Option<String>,
    },
    NoShow {
        token_id: TokenId,
    },
    Call {
        token_id: TokenId,
    },
    Complete {
        token_id: TokenId,
    },
    ChangeCapacity {
        slot_id: SlotId,
        capacity: u32,
    },
}

/// One fact in a session's log. A `requested` event is always followed, within the same
/// command, by the token's `confirmed` or `waitlisted` event (any `displaced` events it causes
/// come in between).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    SessionCreated {
        session: SessionInfo,
        slots: Vec<Slot>,
    },
    /// A token was issued; `slot_id` is the slot asked for or chosen (an emergency may end up in a
    /// later one, see the following `confirmed`).
    Requested {
        token_id: TokenId,
        number: u32,
        slot_id: SlotId,
        source: Source,
        paid: bool,
        jenis: Jenis,
        norm: Option<String>,
        name: Option<String>,
        #[cfg_attr(feature = "specta", specta(type = i32))]
        priority: i64,
        requested_at: DateTime<Utc>,
    },
    /// A new token got a place in `slot_id`.
    Confirmed {
        token_id: TokenId,
        slot_id: SlotId,
    },
    /// A new token went to the waitlist of `slot_id`.
    Waitlisted {
        token_id: TokenId,
        slot_id: SlotId,
    },
    /// A confirmed token lost its place and went to the waitlist of its slot: `by` the token that
    /// took it, or `None` when the slot's capacity was lowered.
    Displaced {
        token_id: TokenId,
        slot_id: SlotId,
        by: Option<TokenId>,
    },
    /// A waitlisted token got a place.
    Promoted {
        token_id: TokenId,
        slot_id: SlotId,
    },
    Cancelled {
        token_id: TokenId,
        reason: Option<String>,
    },
    NoShow {
        token_id: TokenId,
    },
    Called {
        token_id: TokenId,
    },
    Completed {
        token_id: TokenId,
    },
    CapacityChanged {
        slot_id: SlotId,
        from: u32,
        to: u32,
    },
    /// Alert: an emergency found no place in any slot and waits in `slot_id`.
    EmergencyUnplaced {
        token_id: TokenId,
        slot_id: SlotId,
    },
}

impl Event {
    /// The stable name of the event, as stored in the log's `kind` column.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::SessionCreated { .. } => "session_created",
            Event::Requested { .. } => "requested",
            Event::Confirmed { .. } => "confirmed",
            Event::Waitlisted { .. } => "waitlisted",
            Event::Displaced { .. } => "displaced",
            Event::Promoted { .. } => "promoted",
            Event::Cancelled { .. } => "cancelled",
            Event::NoShow { .. } => "no_show",
            Event::Called { .. } => "called",
            Event::Completed { .. } => "completed",
            Event::CapacityChanged { .. } => "capacity_changed",
            Event::EmergencyUnplaced { .. } => "emergency_unplaced",
        }
    }

    /// The token the event is about, if any.
    pub fn token_id(&self) -> Option<TokenId> {
        match self {
            Event::SessionCreated { .. } | Event::CapacityChanged { .. } => None,
            Event::Requested { token_id, .. }
            | Event::Confirmed { token_id, .. }
            | Event::Waitlisted { token_id, .. }
            | Event::Displaced { token_id, .. }
            | Event::Promoted { token_id, .. }
            | Event::Cancelled { token_id, .. }
            | Event::NoShow { token_id }
            | Event::Called { token_id }
            | Event::Completed { token_id }
            | Event::EmergencyUnplaced { token_id, .. } => Some(*token_id),
        }
    }
}

impl Command {
    /// The stable name of the command, for logs.
    pub fn kind(&self) -> &'static str {
        match self {
            Command::Request { .. } => "request",
            Command::Cancel { .. } => "cancel",
            Command::NoShow { .. } => "no_show",
            Command::Call { .. } => "call",
            Command::Complete { .. } => "complete",
            Command::ChangeCapacity { .. } => "change_capacity",
        }
    }
}
