//! OPD token allocation for one practice session (a doctor at a poli on a date, within its jam
//! praktek), event-sourced and sans-IO.
//!
//! - [`plan_session`] turns a [`SessionSpec`] into the `session_created` event with its slots.
//! - [`decide`] turns a [`Command`] into events without touching the state; [`SessionState::evolve`]
//!   applies them; [`execute`] does both. [`SessionState::from_events`] replays a whole log and
//!   refuses a damaged one, so a replay always equals the live state.
//! - [`session_view`], [`token_view`] and [`positions`] are what the desk shows.
//!
//! Ids, token numbers, times and priorities come in with the command (the store allocates them,
//! [`Weights`] compute the priority), so nothing here reads the clock or a counter.
//!
//! To add a rule: add the command or event variant in `event.rs`, its state change in
//! `SessionState::evolve` and its precondition in `SessionState::check` (`state.rs`), its decision
//! in `decide.rs`, and a given/when/then case plus the reference model in `tests/`.

mod decide;
mod event;
mod ids;
mod model;
mod plan;
mod state;
mod view;

pub use decide::{decide, execute, execute_owned};
pub use event::{Command, Event};
pub use ids::{token_code, SessionId, SlotId, TokenId};
pub use model::{Jenis, Source, Status, Weights};
pub use plan::{
    plan_session, wib_hhmm, SessionInfo, SessionSpec, Slot, DEFAULT_SLOT_MINUTES, MAX_CAPACITY, SLOT_MINUTES,
};
pub use state::{SessionState, Token};
pub use view::{position_of, positions, session_view, token_view, Position, SessionView, SlotView, TokenView};

#[cfg(test)]
mod tests;
