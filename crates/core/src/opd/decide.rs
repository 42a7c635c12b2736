//! Deciding a command. `decide` never mutates the state: it plays the command on a copy, checking
//! every event it emits, and returns the events; a refused command returns an error and no events.

use chrono::{DateTime, Utc};

use super::{wib_hhmm, Command, Event, SessionState, SlotId, Source, Status, TokenId, MAX_CAPACITY};
use crate::{Error, Result};

/// The events `cmd` causes in `state`. `now` is the time of the command; the rules themselves
/// use only the times carried by the command and the session, so replay never depends on it.
pub fn decide(state: &SessionState, cmd: &Command, now: DateTime<Utc>) -> Result<Vec<Event>> {
    Ok(run(state.clone(), cmd, now)?.events)
}

/// Decides and applies: on success `state` has evolved by the returned events; on a refusal it
/// is unchanged.
pub fn execute(state: &mut SessionState, cmd: &Command, now: DateTime<Utc>) -> Result<Vec<Event>> {
    let draft = run(state.clone(), cmd, now)?;
    *state = draft.state;
    Ok(draft.events)
}

/// [`execute`] without keeping a copy of the state from before the command: the state is
/// consumed, and a refusal drops it with the error. For a caller that loads the state again after
/// a refusal anyway (the desk, whose transaction rolls back).
pub fn execute_owned(state: SessionState, cmd: &Command, now: DateTime<Utc>) -> Result<(SessionState, Vec<Event>)> {
    let draft = run(state, cmd, now)?;
    Ok((draft.state, draft.events))
}

/// The state as it evolves while a command is decided, and the events so far.
struct Draft {
    state: SessionState,
    events: Vec<Event>,
}

fn run(state: SessionState, cmd: &Command, _now: DateTime<Utc>) -> Result<Draft> {
    let mut d = Draft {
        state,
        events: Vec::new(),
    };
    match cmd {
        Command::Request { .. } => request(&mut d, cmd)?,
        Command::Cancel { token_id, reason } => {
            let (status, slot) = expect(
                &d.state,
                *token_id,
                &[Status::Confirmed, Status::Waitlisted],
                "dibatalkan",
            )?;
            let reason = text(reason, 200, "Alasan batal")?;
            d.emit(Event::Cancelled {
                token_id: *token_id,
                reason,
            })?;
            if status == Status::Confirmed {
                d.promote(slot)?;
            }
        }
        Command::NoShow { token_id } => {
            let (_, slot) = expect(&d.state, *token_id, &[Status::Confirmed], "ditandai tidak hadir")?;
            d.emit(Event::NoShow { token_id: *token_id })?;
            d.promote(slot)?;
        }
        Command::Call { token_id } => {
            expect(&d.state, *token_id, &[Status::Confirmed], "dipanggil")?;
            d.emit(Event::Called { token_id: *token_id })?;
        }
        Command::Complete { token_id } => {
            expect(&d.state, *token_id, &[Status::InProgress], "diselesaikan")?;
            d.emit(Event::Completed { token_id: *token_id })?;
        }
        Command::ChangeCapacity { slot_id, capacity } => change_capacity(&mut d, *slot_id, *capacity)?,
    }
    Ok(d)
}

fn request(d: &mut Draft, cmd: &Command) -> Result<()> {
    let Command::Request {
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
    } = cmd
    else {
        return Err(Error::internal("Perintah bukan permintaan antrean."));
    };
    let state = &d.state;
    if token_id.0 < 1 {
        return Err(Error::invalid("Id antrean harus bilangan positif."));
    }
    if *number == 0 {
        return Err(Error::invalid("Nomor antrean harus 1 atau lebih."));
    }
    if state.token(*token_id).is_some() {
        return Err(Error::conflict(format!(
            "Id antrean {token_id} sudah dipakai di sesi ini."
        )));
    }
    let code = super::token_code(&state.session.poli_code, *number);
    if state.token_by_number(*number).is_some() {
        return Err(Error::conflict(format!("Nomor antrean {code} sudah dipakai.")));
    }
    let last = state.last_number();
    if *number < last {
        return Err(Error::conflict(format!(
            "Nomor antrean {code} lebih kecil dari nomor terakhir ({last}); nomor tidak boleh dipakai ulang."
        )));
    }
    let norm = text(norm, 32, "Nomor rekam medis")?;
    let name = text(name, 100, "Nama pasien")?;
    let open: Vec<usize> = (0..state.slots.len())
        .filter(|&i| !state.slots[i].ended_at(*requested_at))
        .collect();
    let chosen = match slot_id {
        Some(id) => state
            .slots
            .iter()
            .position(|s| s.slot_id == *id)
            .ok_or_else(|| Error::not_found(format!("Slot {id} tidak ada di sesi ini.")))?,
        None => *open
            .iter()
            .find(|&&i| state.occupied(state.slots[i].slot_id) < state.slots[i].capacity)
            .or(open.first())
            .ok_or_else(|| ended(state))?,
    };
    if open.is_empty() {
        return Err(ended(state));
    }
    let slot_ids: Vec<SlotId> = state.slots.iter().map(|s| s.slot_id).collect();
    d.emit(Event::Requested {
        token_id: *token_id,
        number: *number,
        slot_id: slot_ids[chosen],
        source: *source,
        paid: *paid,
        jenis: *jenis,
        norm,
        name,
        priority: *priority,
        requested_at: *requested_at,
    })?;
    // An emergency also tries every later slot; anyone else only the chosen one.
    let tries = if *source == Source::Emergency {
        &slot_ids[chosen..]
    } else {
        &slot_ids[chosen..=chosen]
    };
    for slot in tries {
        if d.place(*token_id, *slot)? {
            return Ok(());
        }
    }
    d.emit(Event::Waitlisted {
        token_id: *token_id,
        slot_id: slot_ids[chosen],
    })?;
    if *source == Source::Emergency {
        d.emit(Event::EmergencyUnplaced {
            token_id: *token_id,
            slot_id: slot_ids[chosen],
        })?;
    }
    Ok(())
}

fn change_capacity(d: &mut Draft, slot_id: SlotId, to: u32) -> Result<()> {
    let state = &d.state;
    let slot = state
        .slot(slot_id)
        .ok_or_else(|| Error::not_found(format!("Slot {slot_id} tidak ada di sesi ini.")))?;
    if to > MAX_CAPACITY {
        return Err(Error::invalid(format!("Kapasitas slot paling banyak {MAX_CAPACITY}.")));
    }
    let served = state.count(slot_id, |s| matches!(s, Status::InProgress | Status::Completed));
    if to < served {
        return Err(Error::conflict(format!(
            "Slot {}-{} sudah melayani {served} pasien; kapasitasnya tidak bisa kurang dari {served}.",
            slot.start_label(),
            slot.end_label()
        )));
    }
    let from = slot.capacity;
    if to == from {
        return Ok(());
    }
    while d.state.occupied(slot_id) > to {
        let lowest = d.state.lowest_confirmed(slot_id).map(|t| t.token_id);
        let token_id = lowest.ok_or_else(|| Error::internal("Tidak ada antrean terkonfirmasi untuk digeser."))?;
        d.emit(Event::Displaced {
            token_id,
            slot_id,
            by: None,
        })?;
    }
    d.emit(Event::CapacityChanged { slot_id, from, to })?;
    d.promote(slot_id)
}

impl Draft {
    /// Checks the event against the draft state (a failure is a bug in this module), applies it
    /// and records it.
    fn emit(&mut self, event: Event) -> Result<()> {
        self.state
            .check(&event)
            .map_err(|e| Error::internal(format!("Aturan antrean dilanggar: {}.", e.message)))?;
        self.state.evolve(&event);
        self.events.push(event);
        Ok(())
    }

    /// Confirms the new token in `slot` if there is room, or if it ranks before the slot's lowest
    /// confirmed token, which is displaced to the waitlist. Returns whether it was placed.
    fn place(&mut self, token_id: TokenId, slot_id: SlotId) -> Result<bool> {
        let state = &self.state;
        let capacity = state.slot(slot_id).map_or(0, |s| s.capacity);
        if state.occupied(slot_id) >= capacity {
            let token = state
                .token(token_id)
                .ok_or_else(|| Error::internal("Antrean baru hilang."))?;
            match state.lowest_confirmed(slot_id) {
                Some(lowest) if token.ranks_before(lowest) => {
                    let lowest = lowest.token_id;
                    self.emit(Event::Displaced {
                        token_id: lowest,
                        slot_id,
                        by: Some(token_id),
                    })?;
                }
                _ => return Ok(false),
            }
        }
        self.emit(Event::Confirmed { token_id, slot_id })?;
        Ok(true)
    }

    /// While the slot has room, confirms its first waitlisted token.
    fn promote(&mut self, slot_id: SlotId) -> Result<()> {
        loop {
            let capacity = self.state.slot(slot_id).map_or(0, |s| s.capacity);
            if self.state.occupied(slot_id) >= capacity {
                return Ok(());
            }
            let Some(next) = self.state.first_waitlisted(slot_id).map(|t| t.token_id) else {
                return Ok(());
            };
            self.emit(Event::Promoted {
                token_id: next,
                slot_id,
            })?;
        }
    }
}

/// The token's status and slot if it is in one of `allowed`; otherwise the clerk's refusal.
fn expect(state: &SessionState, token_id: TokenId, allowed: &[Status], verb: &str) -> Result<(Status, SlotId)> {
    let t = state
        .token(token_id)
        .ok_or_else(|| Error::not_found(format!("Antrean dengan id {token_id} tidak ada di sesi ini.")))?;
    if allowed.contains(&t.status) {
        return Ok((t.status, t.slot_id));
    }
    let allowed: Vec<&str> = allowed.iter().map(|s| s.label()).collect();
    Err(Error::conflict(format!(
        "Antrean {} berstatus {}; hanya antrean {} yang bisa {verb}.",
        state.code(t),
        t.status.label(),
        allowed.join(" atau ")
    )))
}

/// Trimmed free text, `None` when empty; refused when too long or holding control characters.
/// The message never repeats the text (it may be a patient's name).
fn text(raw: &Option<String>, max: usize, what: &str) -> Result<Option<String>> {
    let Some(t) = raw.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if t.chars().count() > max || t.chars().any(char::is_control) {
        return Err(Error::invalid(format!(
            "{what} paling panjang {max} karakter, tanpa karakter kendali."
        )));
    }
    Ok(Some(t.to_string()))
}

fn ended(state: &SessionState) -> Error {
    let end = state.slots.last().map(|s| wib_hhmm(s.end)).unwrap_or_default();
    Error::conflict(format!(
        "Sesi praktek ini sudah berakhir pukul {end} WIB; antrean baru tidak bisa diambil."
    ))
}
