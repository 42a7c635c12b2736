//! `antrean/add`, `antrean/updatewaktu`, `antrean/batal`, `antrean/getlisttask`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Body of `antrean/add`. `Debug` hides the patient-identifying fields.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AntreanAdd {
    /// Hospital-generated unique booking code.
    pub kodebooking: String,
    /// `"JKN"` or `"NON JKN"`.
    pub jenispasien: String,
    /// 13-digit card number; empty for NON JKN.
    #[serde(default, deserialize_with = "super::flex::string")]
    pub nomorkartu: String,
    /// 16-digit national id.
    #[serde(default, deserialize_with = "super::flex::string")]
    pub nik: String,
    /// Phone number.
    #[serde(default, deserialize_with = "super::flex::string")]
    pub nohp: String,
    /// Sub-speciality poli code.
    pub kodepoli: String,
    /// Poli name.
    #[serde(default)]
    pub namapoli: String,
    /// 1 new patient, 0 existing.
    #[serde(deserialize_with = "super::flex::int")]
    pub pasienbaru: i64,
    /// Medical-record number.
    #[serde(default, deserialize_with = "super::flex::string")]
    pub norm: String,
    /// Date of the visit.
    pub tanggalperiksa: NaiveDate,
    /// HFIS doctor code.
    #[serde(deserialize_with = "super::flex::int")]
    pub kodedokter: i64,
    /// Doctor's name.
    #[serde(default)]
    pub namadokter: String,
    /// `HH:MM-HH:MM`, an HFIS slot.
    pub jampraktek: String,
    /// 1 rujukan FKTP, 2 rujukan internal, 3 kontrol, 4 rujukan antar RS.
    #[serde(deserialize_with = "super::flex::int")]
    pub jeniskunjungan: i64,
    /// Referral or control-letter number; empty for NON JKN.
    #[serde(default, deserialize_with = "super::flex::string")]
    pub nomorreferensi: String,
    /// Display number, e.g. `A-12`.
    pub nomorantrean: String,
    /// Numeric part of the display number.
    #[serde(deserialize_with = "super::flex::int")]
    pub angkaantrean: i64,
    /// Estimated service time, epoch milliseconds.
    #[serde(deserialize_with = "super::flex::int")]
    pub estimasidilayani: i64,
    /// Remaining JKN quota.
    #[serde(deserialize_with = "super::flex::int")]
    pub sisakuotajkn: i64,
    /// JKN quota.
    #[serde(deserialize_with = "super::flex::int")]
    pub kuotajkn: i64,
    /// Remaining non-JKN quota.
    #[serde(deserialize_with = "super::flex::int")]
    pub sisakuotanonjkn: i64,
    /// Non-JKN quota.
    #[serde(deserialize_with = "super::flex::int")]
    pub kuotanonjkn: i64,
    /// Message to the patient.
    #[serde(default)]
    pub keterangan: String,
}

impl std::fmt::Debug for AntreanAdd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AntreanAdd")
            .field("kodebooking", &self.kodebooking)
            .field("jenispasien", &self.jenispasien)
            .field("nomorkartu", &super::HIDDEN)
            .field("nik", &super::HIDDEN)
            .field("nohp", &super::HIDDEN)
            .field("norm", &super::HIDDEN)
            .field("kodepoli", &self.kodepoli)
            .field("tanggalperiksa", &self.tanggalperiksa)
            .field("kodedokter", &self.kodedokter)
            .field("jampraktek", &self.jampraktek)
            .field("jeniskunjungan", &self.jeniskunjungan)
            .field("nomorantrean", &self.nomorantrean)
            .finish_non_exhaustive()
    }
}

/// Task ids of the outpatient journey.
pub mod task {
    /// Start of admission waiting.
    pub const MULAI_TUNGGU_ADMISI: i64 = 1;
    /// Start of admission service.
    pub const MULAI_LAYAN_ADMISI: i64 = 2;
    /// Start of poli waiting.
    pub const MULAI_TUNGGU_POLI: i64 = 3;
    /// Start of the doctor's service.
    pub const MULAI_LAYAN_POLI: i64 = 4;
    /// Start of pharmacy waiting.
    pub const MULAI_TUNGGU_FARMASI: i64 = 5;
    /// Start of drug preparation.
    pub const MULAI_LAYAN_FARMASI: i64 = 6;
    /// Drugs finished.
    pub const OBAT_SELESAI: i64 = 7;
    /// No-show or cancelled.
    pub const BATAL: i64 = 99;
}

/// Body of `antrean/updatewaktu`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateWaktu {
    /// Booking code.
    pub kodebooking: String,
    /// 1–7 or 99 (see [`task`]).
    #[serde(deserialize_with = "super::flex::int")]
    pub taskid: i64,
    /// When the task happened, epoch milliseconds.
    #[serde(deserialize_with = "super::flex::int")]
    pub waktu: i64,
    /// `"Tidak ada"`, `"Racikan"` or `"Non racikan"`, only for hospitals with a pharmacy queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jenisresep: Option<String>,
}

/// Body of `antrean/batal`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatalAntrean {
    /// Booking code.
    pub kodebooking: String,
    /// Reason.
    #[serde(default)]
    pub keterangan: String,
}

/// Body of `antrean/getlisttask`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KodeBooking {
    /// Booking code.
    pub kodebooking: String,
}

/// One recorded task (`antrean/getlisttask`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskRecord {
    /// Hospital-supplied time, `dd-MM-yyyy HH:mm:ss WIB`.
    #[serde(default, deserialize_with = "super::flex::string")]
    pub wakturs: String,
    /// Time recorded by BPJS, `dd-MM-yyyy HH:mm:ss WIB`.
    #[serde(default, deserialize_with = "super::flex::string")]
    pub waktu: String,
    /// Human description, e.g. `mulai waktu tunggu admisi`.
    #[serde(default, deserialize_with = "super::flex::string")]
    pub taskname: String,
    /// Task id.
    #[serde(deserialize_with = "super::flex::int")]
    pub taskid: i64,
    /// Booking code.
    #[serde(deserialize_with = "super::flex::string")]
    pub kodebooking: String,
}
