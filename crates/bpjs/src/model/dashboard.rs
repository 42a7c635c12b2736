//! `dashboard/waktutunggu/...`: waiting times per poli and date (plain, not encrypted).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Whose clock the dashboard uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SumberWaktu {
    /// Times as sent by the hospital.
    Rs,
    /// Times as stamped by BPJS on receipt.
    Server,
}

impl SumberWaktu {
    /// The path segment: `rs` or `server`.
    pub fn as_path(self) -> &'static str {
        match self {
            Self::Rs => "rs",
            Self::Server => "server",
        }
    }

    /// Parses a path segment.
    pub fn from_path(segment: &str) -> Option<Self> {
        match segment {
            "rs" => Some(Self::Rs),
            "server" => Some(Self::Server),
            _ => None,
        }
    }
}

/// One row of the waiting-time dashboard. Durations are seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[allow(missing_docs)] // task1..task6 are described on the type
pub struct WaktuTunggu {
    /// Hospital (PPK) code.
    #[serde(default, deserialize_with = "super::flex::string")]
    pub kdppk: String,
    /// Hospital name.
    #[serde(default, deserialize_with = "super::flex::string")]
    pub nmppk: String,
    /// Poli code.
    #[serde(deserialize_with = "super::flex::string")]
    pub kodepoli: String,
    /// Poli name.
    #[serde(default, deserialize_with = "super::flex::string")]
    pub namapoli: String,
    /// Date.
    pub tanggal: NaiveDate,
    /// Number of bookings.
    #[serde(default, deserialize_with = "super::flex::int_or_zero")]
    pub jumlah_antrean: i64,
    #[serde(default, deserialize_with = "super::flex::int_or_zero")]
    pub waktu_task1: i64,
    #[serde(default, deserialize_with = "super::flex::int_or_zero")]
    pub waktu_task2: i64,
    #[serde(default, deserialize_with = "super::flex::int_or_zero")]
    pub waktu_task3: i64,
    #[serde(default, deserialize_with = "super::flex::int_or_zero")]
    pub waktu_task4: i64,
    #[serde(default, deserialize_with = "super::flex::int_or_zero")]
    pub waktu_task5: i64,
    #[serde(default, deserialize_with = "super::flex::int_or_zero")]
    pub waktu_task6: i64,
    #[serde(default, deserialize_with = "super::flex::int_or_zero")]
    pub avg_waktu_task1: i64,
    #[serde(default, deserialize_with = "super::flex::int_or_zero")]
    pub avg_waktu_task2: i64,
    #[serde(default, deserialize_with = "super::flex::int_or_zero")]
    pub avg_waktu_task3: i64,
    #[serde(default, deserialize_with = "super::flex::int_or_zero")]
    pub avg_waktu_task4: i64,
    #[serde(default, deserialize_with = "super::flex::int_or_zero")]
    pub avg_waktu_task5: i64,
    #[serde(default, deserialize_with = "super::flex::int_or_zero")]
    pub avg_waktu_task6: i64,
    /// Epoch milliseconds.
    #[serde(default, deserialize_with = "super::flex::int_or_zero")]
    pub insertdate: i64,
}
