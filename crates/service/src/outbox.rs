//! The BPJS outbox: what the desk must tell BPJS, written in the same transaction as the token
//! events (the seed's poller → payload builder), and the worker that sends it.
//!
//! - [`after_command`] runs inside every OPD command's transaction. For a session that came from
//!   the HFIS snapshot it stores the booking of a new token and the items its events call for
//!   ([`loket_core::outbox::plan`]), and raises the quota alerts of the shift (stored, so each
//!   transition is announced once and re-armed when room frees up).
//! - The worker ([`run_once`]) takes the next due item of every booking, sends it with one
//!   client (its rate limit and retries), and records the outcome with
//!   [`loket_core::outbox::next_action`]: done, retry later with backoff, or stop the booking's
//!   chain with BPJS's message. Nothing is dropped: items wait across restarts and midnight.
//! - HTTP happens outside the desk: [`DeskAccess`] lends the desk for each short database step,
//!   so the app's lock is never held while BPJS answers.

use std::sync::Mutex;

use chrono::{DateTime, TimeDelta, Utc};
use loket_core::opd::{Event, SessionState, TokenId};
use loket_core::outbox::{kodebooking, next_action, plan, Booking, BpjsRequest, NextAction, SendResult, TokenEvent};
use loket_core::patient::PatientDetails;
use loket_core::quota::{estimasi_dilayani, transitions, AlertState, Quota, Usage};
use loket_core::settings::Settings;
use loket_core::{Error, Result};
use loket_store::outbox::{self as repo, Attempt, DeskAlert, StoredItem, Summary};
use loket_store::quota as snap;
use rusqlite::{Connection, Transaction};
use serde::Serialize;

use crate::bpjs::BpjsConnection;
use crate::quota::nonjkn_ratio_bp;
use crate::Desk;

/// Banner kind of a pool that became full.
pub const ALERT_QUOTA_FULL: &str = "kuota_penuh";
/// Banner kind of a pool that reached the "almost full" threshold.
pub const ALERT_QUOTA_THRESHOLD: &str = "kuota_hampir_penuh";

/// Inside an OPD command's transaction, after its events are stored: the patient details of a
/// new token, its BPJS booking and outbox items, the items of later events of booked tokens,
/// and the quota alerts of a snapshot session. Returns the alerts raised now.
pub(crate) fn after_command(
    tx: &Transaction<'_>,
    state: &SessionState,
    events: &[Event],
    settings: &Settings,
    shift: Option<&snap::SnapshotRow>,
    now: DateTime<Utc>,
    patient: Option<&PatientDetails>,
) -> Result<Vec<DeskAlert>> {
    let session = &state.session;
    // The token this command issued and its booking (none without a shift): its later events
    // in the same command need no lookup.
    let mut issued: Option<(TokenId, Option<Booking>)> = None;
    for event in events {
        let Some(token_id) = event.token_id() else { continue };
        if let (Event::Requested { .. }, Some(p)) = (event, patient) {
            let token_norm = state.token(token_id).and_then(|t| t.norm.as_ref());
            if p.beyond_norm() || p.norm.as_ref() != token_norm {
                repo::save_patient(tx, token_id, p, now)?;
            }
        }
        let booking = match (event, &shift) {
            (Event::Requested { .. }, Some(shift)) => {
                let token = state
                    .token(token_id)
                    .ok_or_else(|| Error::internal("requested token missing from its session"))?;
                let kode = kodebooking(&settings.kode_ppk, session.date, token_id)?;
                let quota = Quota::new(
                    shift.kapasitas,
                    nonjkn_ratio_bp(settings, &session.poli_code),
                    Usage::of_tokens(&state.tokens),
                );
                let estimasi = estimasi_dilayani(
                    session.date,
                    session.jam.start,
                    token.number,
                    settings.minutes_per_patient_of(&session.poli_code),
                )?;
                let mut details = patient.cloned().unwrap_or_default();
                if details.norm.is_none() {
                    details.norm = token.norm.clone();
                }
                let booking = Booking::new(kode, session, &shift.poli_name, token, details, quota, estimasi.at);
                repo::insert_booking(tx, &booking, now)?;
                issued = Some((token_id, Some(booking.clone())));
                Some(booking)
            }
            (Event::Requested { .. }, None) => {
                issued = Some((token_id, None));
                None
            }
            _ => match &issued {
                Some((id, booking)) if *id == token_id => booking.clone(),
                _ => repo::booking_of(tx, token_id)?,
            },
        };
        if let Some(booking) = booking {
            for token_event in TokenEvent::from_opd(event, now) {
                repo::enqueue(tx, &plan(&booking, &token_event), now)?;
            }
        }
    }
    match shift {
        Some(shift) => quota_alerts(tx, state, settings, shift.kapasitas, now),
        None => Ok(Vec::new()),
    }
}

/// Stores the shift's alert levels and returns a banner for each rise (threshold or full).
fn quota_alerts(
    tx: &Transaction<'_>,
    state: &SessionState,
    settings: &Settings,
    kuota_jkn: u32,
    now: DateTime<Utc>,
) -> Result<Vec<DeskAlert>> {
    let s = &state.session;
    let quota = Quota::new(
        kuota_jkn,
        nonjkn_ratio_bp(settings, &s.poli_code),
        Usage::of_tokens(&state.tokens),
    );
    let before = repo::alert_state(tx, s.session_id)?;
    let threshold = settings.quota_alert_threshold_bp;
    let after = AlertState::of(&quota, threshold);
    let mut raised = Vec::new();
    for alert in transitions(before, &quota, threshold) {
        let message = format!(
            "{} — {}, {} {}: {}",
            s.poli_code,
            s.doctor_name,
            s.date.format("%d-%m-%Y"),
            s.jam,
            alert.message()
        );
        tracing::info!(session_id = %s.session_id, jenis = alert.jenis.as_str(), level = alert.level.as_str(), "quota alert");
        let kind = match alert.level {
            loket_core::quota::AlertLevel::Full => ALERT_QUOTA_FULL,
            _ => ALERT_QUOTA_THRESHOLD,
        };
        raised.push(repo::add_alert(tx, kind, Some(s.session_id), &message, now)?);
    }
    if after != before {
        repo::set_alert_state(tx, s.session_id, after)?;
    }
    Ok(raised)
}

/// The outbox summary and its items, for `loket outbox status` and the Sinkronisasi screen.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OutboxStatus {
    pub summary: Summary,
    pub items: Vec<OutboxItemView>,
}

/// One item as the clerk sees it: no patient numbers, only what was asked and how it went.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OutboxItemView {
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub id: i64,
    pub token_id: TokenId,
    pub kodebooking: String,
    pub seq: u32,
    pub endpoint: String,
    /// `antrean/updatewaktu task 3`, …
    pub what: String,
    /// `pending`, `incomplete`, `sent` or `failed`.
    pub state: String,
    /// The fields still missing, in the clerk's words.
    pub missing: Vec<String>,
    pub attempts: u32,
    pub next_attempt_at: Option<String>,
    pub last_message: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
}

impl From<StoredItem> for OutboxItemView {
    fn from(it: StoredItem) -> Self {
        let state = match it.state {
            repo::ItemState::Sent => "sent",
            repo::ItemState::Failed => "failed",
            repo::ItemState::Pending if !it.missing.is_empty() => "incomplete",
            repo::ItemState::Pending => "pending",
        };
        OutboxItemView {
            id: it.id,
            token_id: it.token_id,
            kodebooking: it.kodebooking,
            seq: it.seq,
            endpoint: it.endpoint,
            what: it.request.describe(),
            state: state.to_string(),
            missing: it
                .missing
                .iter()
                .map(|f| loket_core::patient::field_label(f).to_string())
                .collect(),
            attempts: it.attempts,
            next_attempt_at: it.next_attempt_at,
            last_message: it.last_message,
            created_at: it.created_at,
            sent_at: it.sent_at,
        }
    }
}

/// What one run of the worker did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RunReport {
    pub attempted: u32,
    pub sent: u32,
    pub retry_later: u32,
    pub failed: u32,
}

impl Desk {
    pub fn outbox_status(&self, limit: u32) -> Result<OutboxStatus> {
        let conn = self.store.conn();
        Ok(OutboxStatus {
            summary: repo::summary(conn)?,
            items: repo::list(conn, limit)?.into_iter().map(OutboxItemView::from).collect(),
        })
    }

    pub fn outbox_summary(&self) -> Result<Summary> {
        repo::summary(self.store.conn())
    }

    /// Sends a failed item again (and the rest of its booking after it), or makes an item that
    /// waits for its next attempt due now.
    pub fn outbox_retry(&mut self, id: i64) -> Result<OutboxItemView> {
        let changed = self.store.write(|tx| repo::retry(tx, id))?;
        let item = repo::get(self.store.conn(), id)?
            .ok_or_else(|| Error::not_found(format!("Item outbox {id} tidak ditemukan.")))?;
        if !changed {
            return Err(Error::conflict(format!("Item outbox {id} sudah terkirim ke BPJS.")));
        }
        tracing::info!(item = id, "outbox item retried by the clerk");
        Ok(item.into())
    }

    /// The clerk's open banners, newest first.
    pub fn open_alerts(&self) -> Result<Vec<DeskAlert>> {
        repo::open_alerts(self.store.conn(), 50)
    }

    pub fn dismiss_alert(&mut self, id: i64) -> Result<()> {
        let now = self.now();
        self.store.write(|tx| repo::dismiss_alert(tx, id, now))?;
        Ok(())
    }

    /// The next due item of every booking.
    pub fn outbox_due(&self, limit: u32) -> Result<Vec<StoredItem>> {
        repo::due(self.store.conn(), self.now(), limit)
    }

    /// Records one attempt at item `id` and returns what the worker does next.
    pub fn outbox_record(&mut self, item: &StoredItem, result: &SendResult) -> Result<NextAction> {
        let now = self.now();
        let planned = loket_core::outbox::OutboxItem {
            token_id: item.token_id,
            kodebooking: item.kodebooking.clone(),
            seq: item.seq,
            request: item.request.clone(),
            missing: item.missing.clone(),
        };
        let action = next_action(&planned, item.attempts + 1, result);
        let attempt = match (&action, result) {
            (NextAction::Done, SendResult::AlreadyDone { message }) => Attempt::Sent {
                message: format!("Sudah tercatat di BPJS: {message}"),
            },
            (NextAction::Done, _) => Attempt::Sent {
                message: "Diterima BPJS.".into(),
            },
            (NextAction::Retry { after_secs }, SendResult::Transient { message }) => Attempt::Retry {
                next_at: now + TimeDelta::seconds(i64::from(*after_secs)),
                message: message.clone(),
            },
            (NextAction::Retry { after_secs }, _) => Attempt::Retry {
                next_at: now + TimeDelta::seconds(i64::from(*after_secs)),
                message: "Dicoba lagi nanti.".into(),
            },
            (NextAction::Stop { message }, _) => Attempt::Failed {
                message: message.clone(),
            },
        };
        self.store.write(|tx| repo::record(tx, item.id, &attempt, now))?;
        tracing::info!(item = item.id, endpoint = %item.endpoint, outcome = ?std::mem::discriminant(&action), "outbox attempt recorded");
        Ok(action)
    }

    /// Completes the patient details of a token: the fields given replace the stored ones (absent
    /// fields keep what was stored; `pasien_baru` is always the one given) and, while its
    /// `antrean/add` has not gone out, the item is re-planned with them, so an incomplete item
    /// becomes sendable.
    pub fn opd_token_details(&mut self, token_id: TokenId, details: &PatientDetails) -> Result<TokenDetailsOutcome> {
        let given = details.normalized();
        given.validate()?;
        let now = self.now();
        if loket_store::opd::session_of_token(self.store.conn(), token_id)?.is_none() {
            return Err(Error::not_found(format!("Token {token_id} tidak ditemukan.")));
        }
        self.store.write(|tx| {
            let stored = stored_patient(tx, token_id)?;
            let merged = PatientDetails {
                nomorkartu: given.nomorkartu.clone().or(stored.nomorkartu),
                nik: given.nik.clone().or(stored.nik),
                nohp: given.nohp.clone().or(stored.nohp),
                jeniskunjungan: given.jeniskunjungan.or(stored.jeniskunjungan),
                nomorreferensi: given.nomorreferensi.clone().or(stored.nomorreferensi),
                pasien_baru: given.pasien_baru,
                norm: given.norm.clone().or(stored.norm),
            };
            repo::save_patient(tx, token_id, &merged, now)?;
            let Some(mut booking) = repo::booking_of(tx, token_id)? else {
                return Ok(TokenDetailsOutcome {
                    sent_to_bpjs: false,
                    missing: Vec::new(),
                });
            };
            booking.patient = PatientDetails {
                norm: merged.norm.clone().or(booking.patient.norm.clone()),
                ..merged
            };
            repo::insert_booking(tx, &booking, now)?;
            repo::enqueue(tx, &plan(&booking, &TokenEvent::Issued), now)?;
            Ok(TokenDetailsOutcome {
                sent_to_bpjs: true,
                missing: booking
                    .missing()
                    .into_iter()
                    .map(|f| loket_core::patient::field_label(f).to_string())
                    .collect(),
            })
        })
    }

    /// The patient details stored for a token (for the clerk completing them).
    pub fn opd_token_patient(&self, token_id: TokenId) -> Result<PatientDetails> {
        stored_patient(self.store.conn(), token_id)
    }
}

/// The details stored for a token; a token issued with no more than a medical-record number
/// has none stored, and its details are that number.
fn stored_patient(conn: &Connection, token_id: TokenId) -> Result<PatientDetails> {
    match repo::patient_of(conn, token_id)? {
        Some(details) => Ok(details),
        None => Ok(PatientDetails {
            norm: loket_store::opd::token_norm(conn, token_id)?,
            ..PatientDetails::default()
        }),
    }
}

/// What completing a token's details achieved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TokenDetailsOutcome {
    /// The token is reported to BPJS (its session came from the HFIS schedule).
    pub sent_to_bpjs: bool,
    /// What BPJS still lacks, in the clerk's words (empty: complete).
    pub missing: Vec<String>,
}

/// Lends the desk for one short step. The CLI owns its desk; the app shares one behind a lock.
pub trait DeskAccess {
    fn with<R>(&mut self, f: impl FnOnce(&mut Desk) -> R) -> R;
}

impl DeskAccess for &mut Desk {
    fn with<R>(&mut self, f: impl FnOnce(&mut Desk) -> R) -> R {
        f(self)
    }
}

impl DeskAccess for &Mutex<Desk> {
    fn with<R>(&mut self, f: impl FnOnce(&mut Desk) -> R) -> R {
        let mut guard = self.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut guard)
    }
}

/// Sends outbox requests with one BPJS client (one rate limiter) on its own small runtime.
pub struct OutboxSender {
    client: loket_bpjs::Client,
    runtime: tokio::runtime::Runtime,
}

impl OutboxSender {
    pub fn new(conn: &BpjsConnection) -> Result<Self> {
        let client = conn.client().map_err(crate::bpjs::to_error)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::internal(format!("runtime: {e}")))?;
        Ok(OutboxSender { client, runtime })
    }

    /// One attempt, classified for [`next_action`]: BPJS's refusals are `Refused`, everything
    /// else that failed (network, HTTP, a page that is not BPJS's, credentials) is `Transient`.
    pub fn send(&self, request: &BpjsRequest) -> SendResult {
        let body = request.body_json();
        let client = &self.client;
        let result = self.runtime.block_on(async move {
            match request {
                BpjsRequest::Add(_) => client.antrean_add(&decode(body)?).await,
                BpjsRequest::UpdateWaktu(_) => client.update_waktu(&decode(body)?).await,
                BpjsRequest::Batal(_) => client.batal_antrean(&decode(body)?).await,
            }
        });
        match result {
            Ok(loket_bpjs::Outcome::Done { .. }) => SendResult::Accepted,
            Ok(loket_bpjs::Outcome::AlreadyDone { message, .. }) => SendResult::AlreadyDone { message },
            Err(loket_bpjs::Error::Business { code, message }) => SendResult::Refused {
                code: i32::try_from(code).unwrap_or(i32::MAX),
                message,
            },
            Err(e) => {
                tracing::warn!(code = e.code(), "outbox send failed");
                SendResult::Transient {
                    message: e.penjelasan(),
                }
            }
        }
    }
}

fn decode<T: serde::de::DeserializeOwned>(body: serde_json::Value) -> loket_bpjs::Result<T> {
    serde_json::from_value(body).map_err(|e| loket_bpjs::Error::Config(format!("outbox body: {e}")))
}

/// Most sends in one run, so a run always ends.
const RUN_LIMIT: u32 = 5_000;

/// Sends everything due now, booking by booking in order, until nothing is due (items that must
/// wait for a retry stay for a later run).
pub fn run_once(desk: impl DeskAccess, sender: &OutboxSender) -> Result<RunReport> {
    run_up_to(desk, sender, RUN_LIMIT)
}

/// [`run_once`] with at most `limit` sends, so that a worker round leaves time for its other
/// work; what is left goes in the next round.
pub fn run_up_to(mut desk: impl DeskAccess, sender: &OutboxSender, limit: u32) -> Result<RunReport> {
    let mut report = RunReport::default();
    while report.attempted < limit {
        let due = desk.with(|d| d.outbox_due(100))?;
        if due.is_empty() {
            break;
        }
        for item in due {
            if report.attempted >= limit {
                break;
            }
            let result = sender.send(&item.request);
            report.attempted += 1;
            match desk.with(|d| d.outbox_record(&item, &result))? {
                NextAction::Done => report.sent += 1,
                NextAction::Retry { .. } => report.retry_later += 1,
                NextAction::Stop { .. } => report.failed += 1,
            }
        }
    }
    if report.attempted > 0 {
        tracing::info!(?report, "outbox run");
    }
    Ok(report)
}
