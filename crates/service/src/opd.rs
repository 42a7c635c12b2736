//! OPD use cases: open a practice session, issue tokens, move them through their lifecycle,
//! change a slot's capacity, read the queue, and prove the projection equals the log.
//!
//! Every command is one `BEGIN IMMEDIATE` transaction: load the session from its log, decide
//! (pure, in core), append the events, update the projection. Ids and numbers are allocated in
//! the same transaction, so several desks on one database never collide.

use chrono::{DateTime, Utc};
use loket_core::opd::{
    execute_owned, plan_session, session_view, token_view, Command, Event, Jenis, SessionId, SessionSpec, SessionState,
    SessionView, SlotId, SlotView, Source, Status, TokenId, Weights, DEFAULT_SLOT_MINUTES,
};
use loket_core::patient::PatientDetails;
use loket_core::settings::Settings;
use loket_core::time::{parse_date, JamPraktek};
use loket_core::{Error, Result};
use loket_store::opd as repo;
use rusqlite::Transaction;
use serde::{Deserialize, Serialize};

use crate::Desk;

/// What the clerk fills in to open a session by hand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NewSession {
    pub doctor_code: String,
    pub doctor_name: String,
    pub poli_code: String,
    /// `YYYY-MM-DD` (WIB calendar date).
    pub date: String,
    /// `HH:MM-HH:MM` (WIB).
    pub jam: String,
    pub capacity: u32,
    pub slot_minutes: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SessionOpened {
    pub session_id: SessionId,
    /// The session's slots as the queue shows them (empty at first).
    pub slots: Vec<SlotView>,
}

/// A token request as the desk or the CLI makes it. Without `slot_id` the engine chooses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TokenRequest {
    pub session_id: SessionId,
    pub slot_id: Option<SlotId>,
    pub source: Source,
    pub paid: bool,
    pub jenis: Jenis,
    pub norm: Option<String>,
    pub name: Option<String>,
    /// What BPJS needs about the patient (card, NIK, phone, visit type, referral, new patient).
    /// Missing fields never stop the token; its outbox item waits until they are completed.
    #[serde(default)]
    pub patient: PatientDetails,
}

/// A token after a command: where it stands now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TokenOutcome {
    pub token_id: TokenId,
    pub session_id: SessionId,
    pub number: u32,
    pub code: String,
    pub slot_id: SlotId,
    pub status: Status,
    pub position: Option<u32>,
    pub waitlist_position: Option<u32>,
    /// Set when this command left an emergency without a place (an alert for the clerk).
    pub emergency_unplaced: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum TokenAction {
    Cancel,
    NoShow,
    Call,
    Complete,
}

impl std::str::FromStr for TokenAction {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "cancel" => Ok(TokenAction::Cancel),
            "no-show" | "no_show" => Ok(TokenAction::NoShow),
            "call" => Ok(TokenAction::Call),
            "complete" => Ok(TokenAction::Complete),
            _ => Err(Error::invalid(format!(
                "Aksi \"{s}\" tidak dikenal: cancel, no-show, call atau complete."
            ))),
        }
    }
}

/// A session in the list of a day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SessionSummary {
    pub session_id: SessionId,
    pub doctor_code: String,
    pub doctor_name: String,
    pub poli_code: String,
    pub date: String,
    pub jam: String,
    pub capacity: u32,
    pub occupied: u32,
    pub waitlisted: u32,
}

/// One line of a session's event log, as the Antrean screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EventLine {
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub seq: i64,
    pub kind: String,
    pub at: DateTime<Utc>,
    pub desk_id: String,
    pub clerk: String,
    /// What happened, in Bahasa Indonesia, with token codes (no patient data).
    pub summary: String,
}

/// The outcome of `opd replay --check`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplayReport {
    pub ok: bool,
    pub sessions: usize,
    pub events: usize,
    pub tokens: usize,
    pub mismatches: Vec<String>,
}

fn session_opened(state: &SessionState) -> SessionOpened {
    SessionOpened {
        session_id: state.session.session_id,
        slots: session_view(state).slots,
    }
}

fn outcome(state: &SessionState, token_id: TokenId, events: &[Event]) -> Result<TokenOutcome> {
    let v = token_view(state, token_id).ok_or_else(|| Error::internal("Token hilang setelah perintah."))?;
    Ok(TokenOutcome {
        token_id,
        session_id: state.session.session_id,
        number: v.number,
        code: v.code,
        slot_id: v.slot_id,
        status: v.status,
        position: v.position,
        waitlist_position: v.waitlist_position,
        emergency_unplaced: events
            .iter()
            .any(|e| matches!(e, Event::EmergencyUnplaced { token_id: t, .. } if *t == token_id)),
    })
}

/// `ANA-007 dikonfirmasi di slot 08:00-09:00`-style text of one event.
pub fn summarize(state: &SessionState, event: &Event) -> String {
    let code = |t: &TokenId| {
        state
            .token(*t)
            .map(|tok| state.code(tok))
            .unwrap_or_else(|| format!("token {t}"))
    };
    let slot = |s: &SlotId| {
        state
            .slot(*s)
            .map(|sl| format!("{}-{}", sl.start_label(), sl.end_label()))
            .unwrap_or_else(|| format!("slot {s}"))
    };
    match event {
        Event::SessionCreated { session, slots } => {
            format!(
                "Sesi {} dibuka: {} slot, kapasitas {}",
                session.jam,
                slots.len(),
                session.capacity
            )
        }
        Event::Requested {
            token_id,
            source,
            paid,
            jenis,
            ..
        } => format!(
            "{} diminta ({}{}, {})",
            code(token_id),
            source.label(),
            if *paid { ", berbayar" } else { "" },
            jenis.label()
        ),
        Event::Confirmed { token_id, slot_id } => format!("{} dikonfirmasi di slot {}", code(token_id), slot(slot_id)),
        Event::Waitlisted { token_id, slot_id } => {
            format!("{} masuk daftar tunggu slot {}", code(token_id), slot(slot_id))
        }
        Event::Displaced {
            token_id, by: Some(by), ..
        } => {
            format!("{} digeser ke daftar tunggu oleh {}", code(token_id), code(by))
        }
        Event::Displaced { token_id, by: None, .. } => {
            format!("{} digeser ke daftar tunggu karena kapasitas dikurangi", code(token_id))
        }
        Event::Promoted { token_id, slot_id } => {
            format!("{} naik dari daftar tunggu di slot {}", code(token_id), slot(slot_id))
        }
        Event::Cancelled { token_id, .. } => format!("{} dibatalkan", code(token_id)),
        Event::NoShow { token_id } => format!("{} tidak hadir", code(token_id)),
        Event::Called { token_id } => format!("{} dipanggil", code(token_id)),
        Event::Completed { token_id } => format!("{} selesai dilayani", code(token_id)),
        Event::CapacityChanged { slot_id, from, to } => {
            format!("Kapasitas slot {} diubah {from} → {to}", slot(slot_id))
        }
        Event::EmergencyUnplaced { token_id, slot_id } => {
            format!(
                "PERINGATAN: gawat darurat {} tidak mendapat tempat, menunggu di slot {}",
                code(token_id),
                slot(slot_id)
            )
        }
    }
}

/// What a command carries besides itself: the patient details of a new token, the dashboard
/// booking it comes from.
#[derive(Default, Clone, Copy)]
pub(crate) struct Extras<'a> {
    patient: Option<&'a PatientDetails>,
    booking_id: Option<i64>,
}

/// Links a booking to the token its `requested` event issued.
fn link_booking(
    tx: &Transaction<'_>,
    booking_id: i64,
    session_id: SessionId,
    events: &[Event],
    now: DateTime<Utc>,
) -> Result<()> {
    for e in events {
        if let Event::Requested { token_id, .. } = e {
            let link = loket_store::sync::BookingToken {
                booking_id,
                token_id: token_id.0,
                session_id: session_id.0,
            };
            loket_store::sync::link_booking(tx, link, now)?;
        }
    }
    Ok(())
}

/// A session's state as of the log's newest event (`log_head`), so that a desk issuing token
/// after token does not replay the log each time. Any command since, by this or another process,
/// moves the head and the state is loaded again.
pub(crate) struct CachedSession {
    session_id: SessionId,
    log_head: i64,
    state: SessionState,
}

impl Desk {
    /// Runs one command against one session in one write transaction. `build` may read the
    /// transaction (to allocate numbers) before the command is decided; `output` reads the state
    /// after it, which then stays cached for the next command.
    fn opd_command<R>(
        &mut self,
        session_id: SessionId,
        extras: Extras<'_>,
        build: impl FnOnce(
            &Transaction<'_>,
            &SessionState,
            &Settings,
            Option<&loket_store::quota::SnapshotRow>,
        ) -> Result<Command>,
        output: impl FnOnce(&SessionState, &[Event]) -> Result<R>,
    ) -> Result<R> {
        let now = self.now();
        let cached = self.opd_cache.take().filter(|c| c.session_id == session_id);
        let settings_cache = &self.settings_cache;
        let (state, events, log_head, alerts) = self.store.write(|tx| {
            let settings = crate::desk::settings_through(settings_cache, tx)?;
            let actor = crate::desk::actor_of(&settings);
            let log_head = repo::log_head(tx)?;
            let state = match cached {
                Some(c) if c.log_head == log_head => c.state,
                _ => repo::load_session(tx, session_id)?
                    .ok_or_else(|| Error::not_found(format!("Sesi praktik {session_id} tidak ditemukan.")))?,
            };
            // The HFIS shift the session came from (none for a session opened by hand): read once,
            // for the pool check of a request and for the outbox.
            let shift = loket_store::quota::shift_of_session(tx, session_id)?;
            let cmd = build(tx, &state, &settings, shift.as_ref())?;
            let (state, events) = execute_owned(state, &cmd, now)?;
            let log_head = if events.is_empty() {
                log_head
            } else {
                repo::record(tx, &state, &events, now, &actor)?
            };
            let alerts =
                crate::outbox::after_command(tx, &state, &events, &settings, shift.as_ref(), now, extras.patient)?;
            if let Some(booking_id) = extras.booking_id {
                link_booking(tx, booking_id, session_id, &events, now)?;
            }
            Ok((state, events, log_head, alerts))
        })?;
        self.new_alerts.extend(alerts);
        let out = output(&state, &events);
        self.opd_cache = Some(CachedSession {
            session_id,
            log_head,
            state,
        });
        out
    }

    pub fn opd_add_session(&mut self, input: &NewSession) -> Result<SessionOpened> {
        let date = parse_date(&input.date)?;
        let jam = JamPraktek::parse(&input.jam)?;
        let now = self.now();
        let actor = self.actor()?;
        let poli_code = input.poli_code.trim().to_uppercase();
        self.store.write(|tx| {
            let ids = repo::next_ids(tx)?;
            let spec = SessionSpec {
                session_id: ids.session_id,
                first_slot_id: ids.slot_id,
                doctor_code: input.doctor_code.trim().to_string(),
                doctor_name: input.doctor_name.trim().to_string(),
                poli_code: poli_code.clone(),
                date,
                jam,
                capacity: input.capacity,
                slot_minutes: input.slot_minutes.unwrap_or(DEFAULT_SLOT_MINUTES),
            };
            let created = plan_session(&spec)?;
            let state = SessionState::from_events(std::slice::from_ref(&created))?;
            repo::record(tx, &state, std::slice::from_ref(&created), now, &actor)?;
            tracing::info!(session_id = %spec.session_id, "opd session opened");
            Ok(session_opened(&state))
        })
    }

    pub fn opd_request_token(&mut self, req: &TokenRequest) -> Result<TokenOutcome> {
        self.opd_request_token_linked(req, None)
    }

    /// Issues a token; with `booking_id`, links the dashboard booking to it in the same
    /// transaction (so a booking never becomes two tokens).
    pub(crate) fn opd_request_token_linked(
        &mut self,
        req: &TokenRequest,
        booking_id: Option<i64>,
    ) -> Result<TokenOutcome> {
        let requested_at = self.now();
        let mut patient = req.patient.normalized();
        patient.validate()?;
        if patient.norm.is_none() {
            patient.norm = req
                .norm
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from);
        }
        let extras = Extras {
            patient: Some(&patient),
            booking_id,
        };
        let build = |tx: &Transaction<'_>, state: &SessionState, settings: &Settings, shift: Option<&_>| {
            // A session that came from an HFIS snapshot checks the request's pool before any slot
            // logic (emergencies excepted); a session opened by hand keeps the slot logic only.
            crate::quota::check_snapshot_pool(shift, state, settings, req.jenis, req.source)?;
            let (token_id, number) = repo::next_token(tx, &state.session.doctor_code, &state.session.date.to_string())?;
            Ok(Command::Request {
                token_id,
                number,
                slot_id: req.slot_id,
                source: req.source,
                paid: req.paid,
                jenis: req.jenis,
                norm: req.norm.clone(),
                name: req.name.clone(),
                priority: Weights::from_settings(settings).priority(req.source, req.paid),
                requested_at,
            })
        };
        let out = self.opd_command(req.session_id, extras, build, |state, events| {
            let token_id = events
                .iter()
                .find_map(|e| match e {
                    Event::Requested { token_id, .. } => Some(*token_id),
                    _ => None,
                })
                .ok_or_else(|| Error::internal("Permintaan antrean tanpa peristiwa requested."))?;
            outcome(state, token_id, events)
        })?;
        let token_id = out.token_id;
        tracing::info!(token_id = %token_id, code = %out.code, status = out.status.as_str(), "token issued");
        if out.emergency_unplaced {
            tracing::warn!(token_id = %token_id, "emergency token found no place");
        }
        Ok(out)
    }

    pub fn opd_token_action(
        &mut self,
        token_id: TokenId,
        action: TokenAction,
        reason: Option<String>,
    ) -> Result<TokenOutcome> {
        let session_id = repo::session_of_token(self.store.conn(), token_id)?
            .ok_or_else(|| Error::not_found(format!("Token {token_id} tidak ditemukan.")))?;
        let command = match action {
            TokenAction::Cancel => Command::Cancel { token_id, reason },
            TokenAction::NoShow => Command::NoShow { token_id },
            TokenAction::Call => Command::Call { token_id },
            TokenAction::Complete => Command::Complete { token_id },
        };
        let (out, events) = self.opd_command(
            session_id,
            Extras::default(),
            |_, _, _, _| Ok(command),
            |state, events| Ok((outcome(state, token_id, events)?, events.len())),
        )?;
        tracing::info!(token_id = %token_id, action = ?action, events, "token changed");
        Ok(out)
    }

    pub fn opd_set_slot_capacity(&mut self, slot_id: SlotId, capacity: u32) -> Result<SessionView> {
        let session_id = repo::session_of_slot(self.store.conn(), slot_id)?
            .ok_or_else(|| Error::not_found(format!("Slot {slot_id} tidak ditemukan.")))?;
        let view = self.opd_command(
            session_id,
            Extras::default(),
            |_, _, _, _| Ok(Command::ChangeCapacity { slot_id, capacity }),
            |state, _| Ok(session_view(state)),
        )?;
        tracing::info!(slot_id = %slot_id, capacity, "slot capacity changed");
        Ok(view)
    }

    pub fn opd_session(&self, session_id: SessionId) -> Result<SessionView> {
        let state = repo::load_session(self.store.conn(), session_id)?
            .ok_or_else(|| Error::not_found(format!("Sesi praktik {session_id} tidak ditemukan.")))?;
        Ok(session_view(&state))
    }

    pub fn opd_sessions(&self, date: &str, poli: Option<&str>) -> Result<Vec<SessionSummary>> {
        let date = parse_date(date)?.to_string();
        let poli = poli.map(|p| p.trim().to_uppercase()).filter(|p| !p.is_empty());
        Ok(repo::list_sessions(self.store.conn(), &date, poli.as_deref())?
            .into_iter()
            .map(|r| SessionSummary {
                session_id: r.session_id,
                doctor_code: r.doctor_code,
                doctor_name: r.doctor_name,
                poli_code: r.poli_code,
                date: r.date,
                jam: r.jam,
                capacity: r.capacity,
                occupied: r.occupied,
                waitlisted: r.waitlisted,
            })
            .collect())
    }

    /// The raw event records (CLI `opd events`).
    pub fn opd_event_records(&self, session_id: Option<SessionId>) -> Result<Vec<repo::EventRecord>> {
        repo::events(self.store.conn(), session_id)
    }

    /// A session's log as readable lines, newest first (Antrean screen).
    pub fn opd_event_lines(&self, session_id: SessionId) -> Result<Vec<EventLine>> {
        let records = repo::events(self.store.conn(), Some(session_id))?;
        let all: Vec<Event> = records.iter().map(|r| r.event.clone()).collect();
        let state = SessionState::from_events(&all)?;
        let mut lines: Vec<EventLine> = records
            .into_iter()
            .map(|r| EventLine {
                seq: r.seq,
                kind: r.kind,
                at: r.at,
                desk_id: r.desk_id,
                clerk: r.clerk,
                summary: summarize(&state, &r.event),
            })
            .collect();
        lines.reverse();
        Ok(lines)
    }

    /// Rebuilds every session from its log and compares it with the projection tables.
    pub fn opd_replay_check(&self) -> Result<ReplayReport> {
        let conn = self.store.conn();
        let mut report = ReplayReport {
            ok: true,
            sessions: 0,
            events: 0,
            tokens: 0,
            mismatches: Vec::new(),
        };
        for (session_id, events) in repo::session_logs(conn)? {
            report.sessions += 1;
            report.events += events.len();
            let state = match SessionState::from_events(&events) {
                Ok(s) => s,
                Err(e) => {
                    report
                        .mismatches
                        .push(format!("session {session_id}: log does not replay: {}", e.message));
                    continue;
                }
            };
            let view = session_view(&state);
            let want_slots: Vec<_> = view
                .slots
                .iter()
                .map(|s| (s.slot_id.0, s.capacity, s.occupied, s.waitlisted))
                .collect();
            let mut want_tokens: Vec<_> = view
                .slots
                .iter()
                .flat_map(|s| s.tokens.iter())
                .map(|t| {
                    (
                        t.token_id.0,
                        t.slot_id.0,
                        t.number,
                        t.code.clone(),
                        t.status.as_str().to_string(),
                        t.position,
                        t.waitlist_position,
                    )
                })
                .collect();
            want_tokens.sort();
            report.tokens += want_tokens.len();
            let (have_slots, have_tokens) = repo::projected(conn, session_id)?;
            if have_slots != want_slots {
                report.mismatches.push(format!(
                    "session {session_id}: slots differ: log {want_slots:?}, projection {have_slots:?}"
                ));
            }
            for (want, have) in want_tokens.iter().zip(have_tokens.iter()) {
                if want != have {
                    report.mismatches.push(format!(
                        "session {session_id}: token differs: log {want:?}, projection {have:?}"
                    ));
                }
            }
            if want_tokens.len() != have_tokens.len() {
                report.mismatches.push(format!(
                    "session {session_id}: {} tokens in the log, {} in the projection",
                    want_tokens.len(),
                    have_tokens.len()
                ));
            }
            for slot in &view.slots {
                if slot.occupied > slot.capacity {
                    report.mismatches.push(format!(
                        "slot {}: occupied {} > capacity {}",
                        slot.slot_id, slot.occupied, slot.capacity
                    ));
                }
            }
        }
        for (doctor, date, number) in repo::duplicate_numbers(conn)? {
            report
                .mismatches
                .push(format!("doctor {doctor} on {date}: number {number} issued twice"));
        }
        report.ok = report.mismatches.is_empty();
        Ok(report)
    }
}
