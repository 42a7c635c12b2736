//! From a token's events to the BPJS requests that tell its story.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::payload::{task, AntreanAdd, Batal, BpjsRequest, UpdateWaktu, JENISPASIEN_JKN, JENISPASIEN_NON_JKN};
use crate::opd::{token_code, Event, Jenis, SessionInfo, Source, Token, TokenId};
use crate::patient::PatientDetails;
use crate::quota::{epoch_ms, Quota};

/// `keterangan` of `antrean/add` unless the caller sets another.
pub const DEFAULT_KETERANGAN: &str = "Harap datang 30 menit sebelum jam praktek untuk pendaftaran.";
/// `keterangan` of `antrean/batal` for a cancellation without a reason.
pub const KETERANGAN_BATAL: &str = "Dibatalkan di loket pendaftaran.";
/// `keterangan` of `antrean/batal` for a no-show.
pub const KETERANGAN_TIDAK_HADIR: &str = "Pasien tidak hadir.";
/// `jeniskunjungan` sent for a NON JKN patient who has none (BPJS requires a value 1–4).
pub const NONJKN_JENISKUNJUNGAN: u8 = 1;

/// Everything about a token that BPJS hears at issue time, kept with the token so that later
/// events (and a re-plan after the clerk completes the details) use the same facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Booking {
    pub kodebooking: String,
    pub token_id: TokenId,
    pub jenis: Jenis,
    pub patient: PatientDetails,
    /// BPJS sub-speciality poli code (the session's poli code).
    pub kodepoli: String,
    pub namapoli: String,
    /// The HFIS doctor code as the session has it; BPJS wants a number.
    pub kodedokter: String,
    pub namadokter: String,
    pub tanggalperiksa: NaiveDate,
    /// `HH:MM-HH:MM`.
    pub jampraktek: String,
    /// The ticket code, e.g. `ANA-007`.
    pub nomorantrean: String,
    pub angkaantrean: u32,
    /// From [`crate::quota::estimasi_dilayani`].
    pub estimasi_dilayani: DateTime<Utc>,
    /// The shift's quota at issue time, counting this token ([`Quota::after_issue`]).
    pub quota: Quota,
    /// Message to the patient.
    pub keterangan: String,
}

impl Booking {
    /// The booking of `token` in `session`, with [`DEFAULT_KETERANGAN`].
    pub fn new(
        kodebooking: String,
        session: &SessionInfo,
        namapoli: &str,
        token: &Token,
        patient: PatientDetails,
        quota_at_issue: Quota,
        estimasi_dilayani: DateTime<Utc>,
    ) -> Booking {
        Booking {
            kodebooking,
            token_id: token.token_id,
            jenis: token.jenis,
            patient,
            kodepoli: session.poli_code.clone(),
            namapoli: namapoli.trim().to_string(),
            kodedokter: session.doctor_code.clone(),
            namadokter: session.doctor_name.clone(),
            tanggalperiksa: session.date,
            jampraktek: session.jam.to_string(),
            nomorantrean: token_code(&session.poli_code, token.number),
            angkaantrean: token.number,
            estimasi_dilayani,
            quota: quota_at_issue,
            keterangan: DEFAULT_KETERANGAN.to_string(),
        }
    }

    /// The HFIS doctor code as a number, if it is one.
    fn kodedokter_number(&self) -> Option<i64> {
        let c = self.kodedokter.trim();
        (!c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()))
            .then(|| c.parse().ok())
            .flatten()
            .filter(|n| *n > 0)
    }

    /// What `antrean/add` still lacks: the patient's missing fields (see
    /// [`PatientDetails::missing_for_bpjs`]) and `kodedokter` when the session's doctor code is
    /// not an HFIS number.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut m = self.patient.missing_for_bpjs(self.jenis);
        if self.kodedokter_number().is_none() {
            m.push("kodedokter");
        }
        m
    }

    /// The `antrean/add` body. Missing values go out empty (or 0); the item says what is missing.
    pub fn antrean_add(&self) -> AntreanAdd {
        let p = &self.patient;
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let jkn = self.jenis == Jenis::Jkn;
        let q = &self.quota;
        AntreanAdd {
            kodebooking: self.kodebooking.clone(),
            jenispasien: if jkn { JENISPASIEN_JKN } else { JENISPASIEN_NON_JKN }.to_string(),
            nomorkartu: if jkn { text(&p.nomorkartu) } else { String::new() },
            nik: text(&p.nik),
            nohp: text(&p.nohp),
            kodepoli: self.kodepoli.clone(),
            namapoli: self.namapoli.clone(),
            pasienbaru: u8::from(p.pasien_baru),
            norm: text(&p.norm),
            tanggalperiksa: self.tanggalperiksa,
            kodedokter: self.kodedokter_number().unwrap_or(0),
            namadokter: self.namadokter.clone(),
            jampraktek: self.jampraktek.clone(),
            jeniskunjungan: match (jkn, p.jeniskunjungan) {
                (_, Some(j)) => j,
                (true, None) => 0,
                (false, None) => NONJKN_JENISKUNJUNGAN,
            },
            nomorreferensi: if jkn { text(&p.nomorreferensi) } else { String::new() },
            nomorantrean: self.nomorantrean.clone(),
            angkaantrean: self.angkaantrean,
            estimasidilayani: epoch_ms(self.estimasi_dilayani),
            sisakuotajkn: q.sisa_kuota_jkn,
            kuotajkn: q.kuota_jkn,
            sisakuotanonjkn: q.sisa_kuota_nonjkn,
            kuotanonjkn: q.kuota_nonjkn,
            keterangan: self.keterangan.clone(),
        }
    }
}

/// What happened to a token, as far as BPJS cares. The times are when it happened (the store's
/// time of the OPD event), never the time the item is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TokenEvent {
    /// The token was issued: `antrean/add`.
    Issued,
    /// The patient is at the hospital: task 1, 2, 3 for a new patient, 3 for an existing one.
    CheckedIn { at: DateTime<Utc> },
    /// Called to the doctor: task 4.
    Called { at: DateTime<Utc> },
    /// The doctor is done: task 5.
    Completed { at: DateTime<Utc> },
    /// Task 99, then `antrean/batal` with the reason.
    Cancelled { at: DateTime<Utc>, reason: Option<String> },
    /// Task 99, then `antrean/batal`.
    NoShow { at: DateTime<Utc> },
}

/// A token of this source is issued with the patient standing at the desk, so issuing it is also
/// the check-in. An online booking checks in later.
pub fn present_at_issue(source: Source) -> bool {
    source != Source::Online
}

impl TokenEvent {
    /// The token events an OPD event means; `at` is the time the store recorded it. `requested`
    /// is the issue (plus the check-in at `requested_at` for a patient at the desk);
    /// `confirmed`, `waitlisted`, `displaced`, `promoted` change nothing BPJS knows.
    pub fn from_opd(event: &Event, at: DateTime<Utc>) -> Vec<TokenEvent> {
        match event {
            Event::Requested {
                source, requested_at, ..
            } => {
                let mut v = vec![TokenEvent::Issued];
                if present_at_issue(*source) {
                    v.push(TokenEvent::CheckedIn { at: *requested_at });
                }
                v
            }
            Event::Called { .. } => vec![TokenEvent::Called { at }],
            Event::Completed { .. } => vec![TokenEvent::Completed { at }],
            Event::Cancelled { reason, .. } => vec![TokenEvent::Cancelled {
                at,
                reason: reason.clone(),
            }],
            Event::NoShow { .. } => vec![TokenEvent::NoShow { at }],
            Event::SessionCreated { .. }
            | Event::Confirmed { .. }
            | Event::Waitlisted { .. }
            | Event::Displaced { .. }
            | Event::Promoted { .. }
            | Event::CapacityChanged { .. }
            | Event::EmergencyUnplaced { .. } => Vec::new(),
        }
    }
}

/// One request waiting to go to BPJS. Key: `(kodebooking, seq)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OutboxItem {
    pub token_id: TokenId,
    pub kodebooking: String,
    /// Order within the booking: [`BpjsRequest::seq`].
    pub seq: u32,
    pub request: BpjsRequest,
    /// BPJS fields still missing (names as in [`crate::patient::field`], or `kodedokter`). Not
    /// empty: the item is incomplete and waits, with the rest of its booking, until completed.
    pub missing: Vec<String>,
}

impl OutboxItem {
    fn new(booking: &Booking, request: BpjsRequest, missing: Vec<&'static str>) -> OutboxItem {
        OutboxItem {
            token_id: booking.token_id,
            kodebooking: booking.kodebooking.clone(),
            seq: request.seq(),
            request,
            missing: missing.into_iter().map(String::from).collect(),
        }
    }

    /// Ready to send: nothing missing.
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }
}

fn update(booking: &Booking, taskid: u8, at: DateTime<Utc>) -> OutboxItem {
    let body = UpdateWaktu {
        kodebooking: booking.kodebooking.clone(),
        taskid,
        waktu: epoch_ms(at),
    };
    OutboxItem::new(booking, BpjsRequest::UpdateWaktu(body), Vec::new())
}

/// The tasks of a check-in. BPJS accepts 3 after 1 only once 2 is recorded, and the desk records
/// no separate admission steps, so a new patient's 2 and 3 are reported at the check-in too.
fn check_in_tasks(booking: &Booking) -> &'static [u8] {
    if booking.patient.pasien_baru {
        &[task::TUNGGU_ADMISI, task::LAYAN_ADMISI, task::TUNGGU_POLI]
    } else {
        &[task::TUNGGU_POLI]
    }
}

/// The outbox items `event` of `booking` calls for, in send order. An event plans the tasks it
/// relies on as well (a call plans the check-in tasks at its own time, a completion the call
/// too); the store keeps the first item of each `(kodebooking, seq)`, so tasks already planned
/// keep their earlier time, and a token called without a recorded check-in still reaches BPJS
/// in an order it accepts.
pub fn plan(booking: &Booking, event: &TokenEvent) -> Vec<OutboxItem> {
    let tasks = |extra: &[u8], at: DateTime<Utc>| -> Vec<OutboxItem> {
        check_in_tasks(booking)
            .iter()
            .chain(extra)
            .map(|t| update(booking, *t, at))
            .collect()
    };
    let cancel = |at: DateTime<Utc>, keterangan: String| {
        let batal = Batal {
            kodebooking: booking.kodebooking.clone(),
            keterangan,
        };
        vec![
            update(booking, task::BATAL, at),
            OutboxItem::new(booking, BpjsRequest::Batal(batal), Vec::new()),
        ]
    };
    match event {
        TokenEvent::Issued => vec![OutboxItem::new(
            booking,
            BpjsRequest::Add(Box::new(booking.antrean_add())),
            booking.missing(),
        )],
        TokenEvent::CheckedIn { at } => tasks(&[], *at),
        TokenEvent::Called { at } => tasks(&[task::LAYAN_POLI], *at),
        TokenEvent::Completed { at } => tasks(&[task::LAYAN_POLI, task::SELESAI_POLI], *at),
        TokenEvent::Cancelled { at, reason } => {
            let reason = reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
            cancel(*at, reason.unwrap_or(KETERANGAN_BATAL).to_string())
        }
        TokenEvent::NoShow { at } => cancel(*at, KETERANGAN_TIDAK_HADIR.to_string()),
    }
}
