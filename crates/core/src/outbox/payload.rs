//! The bodies of the BPJS Antrean RS commands, with BPJS's field names and JSON types (spec
//! §5.7, §5.9, §5.10), so a body serialises to exactly what BPJS expects.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// `jenispasien` of a JKN patient.
pub const JENISPASIEN_JKN: &str = "JKN";
/// `jenispasien` of any other patient.
pub const JENISPASIEN_NON_JKN: &str = "NON JKN";

/// Task ids of `antrean/updatewaktu` that the desk reports.
pub mod task {
    /// Start of admission waiting (check-in of a new patient).
    pub const TUNGGU_ADMISI: u8 = 1;
    /// Start of admission service.
    pub const LAYAN_ADMISI: u8 = 2;
    /// Start of poli waiting (check-in of an existing patient; end of a new patient's admission).
    pub const TUNGGU_POLI: u8 = 3;
    /// Start of the doctor's service: the patient is called.
    pub const LAYAN_POLI: u8 = 4;
    /// End of the doctor's service.
    pub const SELESAI_POLI: u8 = 5;
    /// No-show or cancelled.
    pub const BATAL: u8 = 99;
}

/// Sequence of the `antrean/add` item of a booking: first.
pub const SEQ_ADD: u32 = 0;
/// Sequence of the `antrean/batal` item: after every task, 99 included.
pub const SEQ_BATAL: u32 = 100;

/// Body of `antrean/add`. `Debug` hides card number, NIK, phone, referral and medical-record
/// numbers.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AntreanAdd {
    pub kodebooking: String,
    /// [`JENISPASIEN_JKN`] or [`JENISPASIEN_NON_JKN`].
    pub jenispasien: String,
    /// 13 digits; empty for NON JKN.
    pub nomorkartu: String,
    pub nik: String,
    pub nohp: String,
    /// BPJS sub-speciality poli code.
    pub kodepoli: String,
    pub namapoli: String,
    /// 1 new patient, 0 existing.
    pub pasienbaru: u8,
    pub norm: String,
    pub tanggalperiksa: NaiveDate,
    /// HFIS doctor code.
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub kodedokter: i64,
    pub namadokter: String,
    /// `HH:MM-HH:MM`, the HFIS slot.
    pub jampraktek: String,
    /// 1 rujukan FKTP, 2 rujukan internal, 3 kontrol, 4 rujukan antar RS.
    pub jeniskunjungan: u8,
    /// Referral or control-letter number; empty for NON JKN.
    pub nomorreferensi: String,
    /// The ticket code, e.g. `ANA-007`.
    pub nomorantrean: String,
    /// The ticket number, e.g. 7.
    pub angkaantrean: u32,
    /// Epoch milliseconds.
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub estimasidilayani: i64,
    pub sisakuotajkn: u32,
    pub kuotajkn: u32,
    pub sisakuotanonjkn: u32,
    pub kuotanonjkn: u32,
    /// Message to the patient.
    pub keterangan: String,
}

impl fmt::Debug for AntreanAdd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hidden = |s: &str| if s.is_empty() { "\"\"" } else { "<hidden>" };
        f.debug_struct("AntreanAdd")
            .field("kodebooking", &self.kodebooking)
            .field("jenispasien", &self.jenispasien)
            .field("nomorkartu", &format_args!("{}", hidden(&self.nomorkartu)))
            .field("nik", &format_args!("{}", hidden(&self.nik)))
            .field("nohp", &format_args!("{}", hidden(&self.nohp)))
            .field("kodepoli", &self.kodepoli)
            .field("namapoli", &self.namapoli)
            .field("pasienbaru", &self.pasienbaru)
            .field("norm", &format_args!("{}", hidden(&self.norm)))
            .field("tanggalperiksa", &self.tanggalperiksa)
            .field("kodedokter", &self.kodedokter)
            .field("namadokter", &self.namadokter)
            .field("jampraktek", &self.jampraktek)
            .field("jeniskunjungan", &self.jeniskunjungan)
            .field("nomorreferensi", &format_args!("{}", hidden(&self.nomorreferensi)))
            .field("nomorantrean", &self.nomorantrean)
            .field("angkaantrean", &self.angkaantrean)
            .field("estimasidilayani", &self.estimasidilayani)
            .field("sisakuotajkn", &self.sisakuotajkn)
            .field("kuotajkn", &self.kuotajkn)
            .field("sisakuotanonjkn", &self.sisakuotanonjkn)
            .field("kuotanonjkn", &self.kuotanonjkn)
            .field("keterangan", &self.keterangan)
            .finish()
    }
}

/// Body of `antrean/updatewaktu` (without `jenisresep`: Loket runs no pharmacy queue).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UpdateWaktu {
    pub kodebooking: String,
    /// See [`task`].
    pub taskid: u8,
    /// When the task happened, epoch milliseconds.
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub waktu: i64,
}

/// Body of `antrean/batal`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Batal {
    pub kodebooking: String,
    /// The reason, for BPJS.
    pub keterangan: String,
}

/// One call to BPJS: the endpoint and its body. Serialised as `{"endpoint": "antrean/add",
/// "body": {…}}`, so a store can keep the endpoint in a column and the body as BPJS JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "endpoint", content = "body")]
pub enum BpjsRequest {
    #[serde(rename = "antrean/add")]
    Add(Box<AntreanAdd>),
    #[serde(rename = "antrean/updatewaktu")]
    UpdateWaktu(UpdateWaktu),
    #[serde(rename = "antrean/batal")]
    Batal(Batal),
}

impl BpjsRequest {
    /// The endpoint path, e.g. `antrean/updatewaktu`.
    pub fn endpoint(&self) -> &'static str {
        match self {
            BpjsRequest::Add(_) => "antrean/add",
            BpjsRequest::UpdateWaktu(_) => "antrean/updatewaktu",
            BpjsRequest::Batal(_) => "antrean/batal",
        }
    }

    pub fn kodebooking(&self) -> &str {
        match self {
            BpjsRequest::Add(b) => &b.kodebooking,
            BpjsRequest::UpdateWaktu(b) => &b.kodebooking,
            BpjsRequest::Batal(b) => &b.kodebooking,
        }
    }

    /// The position of this request in its booking's chain: add 0, a task its task id, batal 100.
    /// BPJS requires this order (tasks ascending, nothing after a cancellation).
    pub fn seq(&self) -> u32 {
        match self {
            BpjsRequest::Add(_) => SEQ_ADD,
            BpjsRequest::UpdateWaktu(b) => u32::from(b.taskid),
            BpjsRequest::Batal(_) => SEQ_BATAL,
        }
    }

    /// What the request does, for the clerk: `pendaftaran antrean`, `waktu tugas 4`, `pembatalan
    /// antrean`.
    pub fn describe(&self) -> String {
        match self {
            BpjsRequest::Add(_) => "pendaftaran antrean".into(),
            BpjsRequest::UpdateWaktu(b) => format!("waktu tugas {}", b.taskid),
            BpjsRequest::Batal(_) => "pembatalan antrean".into(),
        }
    }

    /// The JSON body BPJS receives.
    pub fn body_json(&self) -> serde_json::Value {
        let body = match self {
            BpjsRequest::Add(b) => serde_json::to_value(b),
            BpjsRequest::UpdateWaktu(b) => serde_json::to_value(b),
            BpjsRequest::Batal(b) => serde_json::to_value(b),
        };
        body.expect("plain structs serialise")
    }
}
