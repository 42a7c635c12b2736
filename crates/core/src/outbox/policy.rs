//! What the worker does after an attempt to send an outbox item.

use serde::{Deserialize, Serialize};

use super::payload::{task, BpjsRequest};
use super::plan::OutboxItem;

/// Delay before the first retry of a transient failure.
pub const RETRY_BASE_SECS: u32 = 15;
/// Longest delay between retries. Transient failures are retried forever: nothing is dropped.
pub const RETRY_CAP_SECS: u32 = 900;

/// How one attempt went, as the caller classifies BPJS's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SendResult {
    /// `200`.
    Accepted,
    /// `208` or another "already recorded" answer: BPJS holds what we asked for.
    AlreadyDone { message: String },
    /// May succeed later: network failure, timeout, HTTP 408/429/5xx, a gateway page instead of
    /// JSON, and failures that are not this booking's fault (credentials, signature, clock).
    Transient { message: String },
    /// BPJS refused this request (`metadata.code` other than 200/208) with its message.
    Refused { code: i32, message: String },
}

/// The worker's next step for the item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum NextAction {
    /// Sent (or already there): go on with the booking's next item.
    Done,
    /// Try this item again after `after_secs` seconds; the rest of the booking waits.
    Retry { after_secs: u32 },
    /// Refused: the booking's chain stops here until the clerk acts; `message` is for the clerk.
    Stop { message: String },
}

/// The delay after the `attempts`-th failed attempt: 15 s, 30 s, 60 s, … doubled each time, at
/// most 15 minutes.
pub fn backoff_secs(attempts: u32) -> u32 {
    let doublings = attempts.saturating_sub(1).min(31);
    RETRY_BASE_SECS.saturating_mul(1u32 << doublings).min(RETRY_CAP_SECS)
}

/// A refusal whose message says BPJS already holds what was asked: a duplicate booking or task,
/// a cancellation of a cancelled booking, task 99 of a booking already at 99.
fn already_done(request: &BpjsRequest, code: i32, message: &str) -> bool {
    let m = message.to_lowercase();
    if code == 208 {
        return true;
    }
    match request {
        BpjsRequest::Add(_) => m.contains("duplikasi"),
        BpjsRequest::UpdateWaktu(u) => {
            m.contains("sudah ada") || (u.taskid == task::BATAL && m.contains("terakhir 99"))
        }
        BpjsRequest::Batal(_) => m.contains("sudah dibatalkan") || m.contains("sudah batal"),
    }
}

/// Replaces runs of 8 or more digits (card, NIK, phone numbers) with `…`.
fn redact_digits(s: &str) -> String {
    crate::redact::digit_runs(s, 8, |_| "…".to_string())
}

/// The next step after attempt number `attempts` (1 for the first) of `item` ended with
/// `result`. Transient failures back off exponentially ([`backoff_secs`]) and are never given
/// up; `AlreadyDone` and known "already recorded" refusals are done; any other refusal stops the
/// booking's chain with a message naming what BPJS refused and why (long digit runs removed).
pub fn next_action(item: &OutboxItem, attempts: u32, result: &SendResult) -> NextAction {
    match result {
        SendResult::Accepted | SendResult::AlreadyDone { .. } => NextAction::Done,
        SendResult::Transient { .. } => NextAction::Retry {
            after_secs: backoff_secs(attempts),
        },
        SendResult::Refused { code, message } if already_done(&item.request, *code, message) => NextAction::Done,
        SendResult::Refused { code, message } => {
            let why = redact_digits(message.trim().trim_end_matches('.'));
            let why = if why.is_empty() {
                "tanpa keterangan".to_string()
            } else {
                why
            };
            NextAction::Stop {
                message: format!(
                    "BPJS menolak {} (kode {code}): {why}. Periksa datanya, lalu kirim ulang dari layar Sinkronisasi.",
                    item.request.describe()
                ),
            }
        }
    }
}
