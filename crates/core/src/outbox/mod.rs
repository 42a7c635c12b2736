//! What BPJS must be told about a token, planned purely from the token's life; sending, storage
//! and the worker live elsewhere.
//!
//! - [`kodebooking()`] makes the booking code once, from stable ids (PPK code, date, token id).
//! - A [`Booking`] is everything known about the token when it was issued (session, quota at
//!   issue time, patient details). [`plan`] turns a [`TokenEvent`] of that booking into
//!   [`OutboxItem`]s: `antrean/add` on issue; `antrean/updatewaktu` on check-in (task 1, 2, 3
//!   for a new patient, 3 for an existing one), call (4) and completion (5); task 99 then
//!   `antrean/batal` on a cancellation or no-show. [`TokenEvent::from_opd`] maps OPD events.
//! - Items of one booking are sent in `seq` order, which is derived from the request itself
//!   ([`BpjsRequest::seq`]): add 0, updatewaktu its task id, batal 100. `(kodebooking, seq)` is
//!   the item's key: the store keeps the first item planned for a key and ignores later ones,
//!   so every event may plan the tasks it relies on (a call plans the check-in tasks too) and
//!   re-planning is harmless. The one exception is the add item, which the store replaces
//!   while it is unsent, e.g. when the clerk completes missing patient details.
//! - [`next_action`] is the worker's policy after each attempt: retry transient failures with
//!   capped exponential backoff (never give up), treat duplicates (208) as done, stop the
//!   booking's chain on a business error with a message for the clerk.

mod kodebooking;
mod payload;
mod plan;
mod policy;

pub use kodebooking::{kodebooking, KODEBOOKING_MAX_LEN};
pub use payload::{
    task, AntreanAdd, Batal, BpjsRequest, UpdateWaktu, JENISPASIEN_JKN, JENISPASIEN_NON_JKN, SEQ_ADD, SEQ_BATAL,
};
pub use plan::{
    plan, present_at_issue, Booking, OutboxItem, TokenEvent, DEFAULT_KETERANGAN, KETERANGAN_BATAL,
    KETERANGAN_TIDAK_HADIR, NONJKN_JENISKUNJUNGAN,
};
pub use policy::{backoff_secs, next_action, NextAction, SendResult, RETRY_BASE_SECS, RETRY_CAP_SECS};

#[cfg(test)]
mod tests;
