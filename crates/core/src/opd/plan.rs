//! Creating a practice session: validate the spec and split the jam praktek into slots.

use chrono::{DateTime, NaiveDate, NaiveTime, Timelike, Utc};
use serde::{Deserialize, Serialize};

use super::{Event, SessionId, SlotId};
use crate::time::{to_wib, wib_instant, JamPraktek};
use crate::{Error, Result};

/// The most tokens one slot (or one session) may hold.
pub const MAX_CAPACITY: u32 = 1000;
/// Allowed slot lengths in minutes.
pub const SLOT_MINUTES: std::ops::RangeInclusive<u32> = 5..=240;
/// The slot length when none is given.
pub const DEFAULT_SLOT_MINUTES: u32 = 60;

/// What a clerk (later: the BPJS schedule) gives to open a session. The ids come from the store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SessionSpec {
    pub session_id: SessionId,
    pub first_slot_id: SlotId,
    pub doctor_code: String,
    pub doctor_name: String,
    pub poli_code: String,
    pub date: NaiveDate,
    #[serde(with = "jam_text")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub jam: JamPraktek,
    pub capacity: u32,
    pub slot_minutes: u32,
}

/// The session as recorded in its `session_created` event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SessionInfo {
    pub session_id: SessionId,
    pub doctor_code: String,
    pub doctor_name: String,
    pub poli_code: String,
    pub date: NaiveDate,
    #[serde(with = "jam_text")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub jam: JamPraktek,
    /// The capacity the session was planned with; slots may change theirs later.
    pub capacity: u32,
    pub slot_minutes: u32,
}

/// One window of a session, `start..end` as UTC instants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Slot {
    pub slot_id: SlotId,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub capacity: u32,
}

impl Slot {
    /// `HH:MM` in WIB.
    pub fn start_label(&self) -> String {
        wib_hhmm(self.start)
    }
    pub fn end_label(&self) -> String {
        wib_hhmm(self.end)
    }
    /// The slot has ended at `at` (its end is not after `at`).
    pub fn ended_at(&self, at: DateTime<Utc>) -> bool {
        self.end <= at
    }
}

/// `HH:MM` of an instant in WIB.
pub fn wib_hhmm(at: DateTime<Utc>) -> String {
    let t = to_wib(at);
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// Validates the spec and returns the `session_created` event: windows of `slot_minutes` from the
/// start of the jam praktek (the last may be shorter), slot ids counting up from `first_slot_id`,
/// and the capacity split evenly with the remainder going to the earliest slots.
pub fn plan_session(spec: &SessionSpec) -> Result<Event> {
    if spec.session_id.0 < 1 || spec.first_slot_id.0 < 1 {
        return Err(Error::invalid("Id sesi dan id slot harus bilangan positif."));
    }
    let doctor_code = code(&spec.doctor_code, "Kode dokter", 20, false)?;
    let poli_code = code(&spec.poli_code, "Kode poli", 10, true)?;
    let doctor_name = spec.doctor_name.trim().to_string();
    if doctor_name.is_empty() || doctor_name.chars().count() > 100 {
        return Err(Error::invalid("Nama dokter wajib diisi, paling panjang 100 huruf."));
    }
    if !(1..=MAX_CAPACITY).contains(&spec.capacity) {
        return Err(Error::invalid(format!(
            "Kapasitas sesi harus antara 1 dan {MAX_CAPACITY}."
        )));
    }
    if !SLOT_MINUTES.contains(&spec.slot_minutes) {
        let (lo, hi) = (SLOT_MINUTES.start(), SLOT_MINUTES.end());
        return Err(Error::invalid(format!(
            "Panjang slot harus antara {lo} dan {hi} menit."
        )));
    }
    let (start, end) = (seconds(spec.jam.start), seconds(spec.jam.end));
    if end <= start {
        return Err(Error::invalid("Jam praktek: jam selesai harus setelah jam mulai."));
    }
    let step = spec.slot_minutes * 60;
    let count = (end - start).div_ceil(step);
    let (base, extra) = (spec.capacity / count, spec.capacity % count);
    let at = |secs: u32| {
        let t = NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).expect("within the day");
        wib_instant(spec.date, t)
    };
    let slots = (0..count)
        .map(|i| Slot {
            slot_id: SlotId(spec.first_slot_id.0 + i64::from(i)),
            start: at(start + i * step),
            end: at((start + (i + 1) * step).min(end)),
            capacity: base + u32::from(i < extra),
        })
        .collect();
    let session = SessionInfo {
        session_id: spec.session_id,
        doctor_code,
        doctor_name,
        poli_code,
        date: spec.date,
        jam: spec.jam,
        capacity: spec.capacity,
        slot_minutes: spec.slot_minutes,
    };
    Ok(Event::SessionCreated { session, slots })
}

fn seconds(t: NaiveTime) -> u32 {
    use chrono::Timelike;
    t.num_seconds_from_midnight()
}

/// A code of ASCII letters and digits, upper-cased (`strict`), or also `-`, `_`, `.` as given.
fn code(raw: &str, what: &str, max: usize, strict: bool) -> Result<String> {
    let c = if strict {
        raw.trim().to_ascii_uppercase()
    } else {
        raw.trim().to_string()
    };
    let ok_char = |ch: char| ch.is_ascii_alphanumeric() || (!strict && matches!(ch, '-' | '_' | '.'));
    if c.is_empty() || c.len() > max || !c.chars().all(ok_char) {
        let allowed = if strict {
            "huruf dan angka"
        } else {
            "huruf, angka, '-', '_' atau '.'"
        };
        return Err(Error::invalid(format!(
            "{what} wajib diisi: {allowed}, paling panjang {max} karakter."
        )));
    }
    Ok(c)
}

/// `JamPraktek` travels as its text, `"08:00-12:00"`.
mod jam_text {
    use super::JamPraktek;
    use serde::{de::Error as _, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(jam: &JamPraktek, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(jam)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<JamPraktek, D::Error> {
        let text = String::deserialize(d)?;
        JamPraktek::parse(&text).map_err(D::Error::custom)
    }
}
