//! `antrean/pendaftaran/...`: the bookings BPJS holds.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One booking as BPJS reports it. `Debug` hides the patient-identifying fields.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pendaftaran {
    /// Booking code.
    #[serde(deserialize_with = "super::flex::string")]
    pub kodebooking: String,
    /// Visit date.
    pub tanggal: NaiveDate,
    /// Poli code.
    #[serde(deserialize_with = "super::flex::string")]
    pub kodepoli: String,
    /// HFIS doctor code.
    #[serde(deserialize_with = "super::flex::int")]
    pub kodedokter: i64,
    /// `HH:MM-HH:MM`.
    #[serde(default, deserialize_with = "super::flex::string")]
    pub jampraktek: String,
    /// National id.
    #[serde(default, deserialize_with = "super::flex::string")]
    pub nik: String,
    /// Card number (BPJS calls it `nokapst` here).
    #[serde(default, deserialize_with = "super::flex::string")]
    pub nokapst: String,
    /// Phone.
    #[serde(default, deserialize_with = "super::flex::string")]
    pub nohp: String,
    /// Medical-record number.
    #[serde(default, deserialize_with = "super::flex::string")]
    pub norekammedis: String,
    /// 1–4.
    #[serde(default, deserialize_with = "super::flex::int_or_zero")]
    pub jeniskunjungan: i64,
    /// Referral number.
    #[serde(default, deserialize_with = "super::flex::string")]
    pub nomorreferensi: String,
    /// e.g. `Mobile JKN`, `Bridging Antrean`.
    #[serde(default, deserialize_with = "super::flex::string")]
    pub sumberdata: String,
    /// 1 (or `true`) for JKN participants.
    #[serde(default, deserialize_with = "super::flex::int_or_zero")]
    pub ispeserta: i64,
    /// Display number (BPJS calls it `noantrean` here).
    #[serde(default, deserialize_with = "super::flex::string")]
    pub noantrean: String,
    /// Epoch milliseconds.
    #[serde(default, deserialize_with = "super::flex::int_or_zero")]
    pub estimasidilayani: i64,
    /// Epoch milliseconds.
    #[serde(default, deserialize_with = "super::flex::int_or_zero")]
    pub createdtime: i64,
    /// `Belum dilayani`, `Sedang dilayani`, `Selesai dilayani` or `Batal`.
    #[serde(default, deserialize_with = "super::flex::string")]
    pub status: String,
}

impl Pendaftaran {
    /// `true` for JKN participants.
    pub fn is_peserta(&self) -> bool {
        self.ispeserta != 0
    }
}

impl std::fmt::Debug for Pendaftaran {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pendaftaran")
            .field("kodebooking", &self.kodebooking)
            .field("tanggal", &self.tanggal)
            .field("kodepoli", &self.kodepoli)
            .field("kodedokter", &self.kodedokter)
            .field("jampraktek", &self.jampraktek)
            .field("nik", &super::HIDDEN)
            .field("nokapst", &super::HIDDEN)
            .field("nohp", &super::HIDDEN)
            .field("norekammedis", &super::HIDDEN)
            .field("sumberdata", &self.sumberdata)
            .field("noantrean", &self.noantrean)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}
