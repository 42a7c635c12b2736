//! `jadwaldokter`: doctor practice schedules, and schedule changes sent to HFIS.

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};

/// One practice slot of one doctor on one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JadwalDokter {
    /// Sub-speciality code.
    #[serde(deserialize_with = "super::flex::string")]
    pub kodesubspesialis: String,
    /// Sub-speciality name.
    #[serde(default, deserialize_with = "super::flex::string")]
    pub namasubspesialis: String,
    /// Polyclinic code.
    #[serde(deserialize_with = "super::flex::string")]
    pub kodepoli: String,
    /// Polyclinic name.
    #[serde(default, deserialize_with = "super::flex::string")]
    pub namapoli: String,
    /// HFIS doctor code.
    #[serde(deserialize_with = "super::flex::int")]
    pub kodedokter: i64,
    /// Doctor's name.
    #[serde(default, deserialize_with = "super::flex::string")]
    pub namadokter: String,
    /// 1 = Senin … 7 = Minggu, 8 = national holiday.
    #[serde(deserialize_with = "super::flex::int")]
    pub hari: i64,
    /// Upper-case weekday name, e.g. `KAMIS`.
    #[serde(default, deserialize_with = "super::flex::string")]
    pub namahari: String,
    /// Practice window as HFIS writes it, e.g. `08:00-12:00` (sometimes with spaces).
    #[serde(deserialize_with = "super::flex::string")]
    pub jadwal: String,
    /// Patient capacity of the slot.
    #[serde(default, deserialize_with = "super::flex::int_or_zero")]
    pub kapasitaspasien: i64,
    /// 1 when the doctor is off on that date.
    #[serde(default, deserialize_with = "super::flex::int_or_zero")]
    pub libur: i64,
}

impl JadwalDokter {
    /// `true` when the doctor is off on that date.
    pub fn is_libur(&self) -> bool {
        self.libur != 0
    }

    /// The window without spaces (`HH:MM-HH:MM`): the `jampraktek` to send back to BPJS.
    pub fn jampraktek(&self) -> String {
        normalize_jampraktek(&self.jadwal)
    }

    /// Start and end of the window, when it parses.
    pub fn window(&self) -> Option<(NaiveTime, NaiveTime)> {
        parse_jampraktek(&self.jadwal)
    }
}

/// Removes spaces around the dash: `"08:00 - 12:00"` → `"08:00-12:00"`.
pub fn normalize_jampraktek(text: &str) -> String {
    text.split('-').map(str::trim).collect::<Vec<_>>().join("-")
}

/// Parses `HH:MM-HH:MM` (spaces tolerated).
pub fn parse_jampraktek(text: &str) -> Option<(NaiveTime, NaiveTime)> {
    let (a, b) = text.split_once('-')?;
    let start = NaiveTime::parse_from_str(a.trim(), "%H:%M").ok()?;
    let end = NaiveTime::parse_from_str(b.trim(), "%H:%M").ok()?;
    Some((start, end))
}

/// Body of `jadwaldokter/updatejadwaldokter`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateJadwalDokter {
    /// Polyclinic code.
    pub kodepoli: String,
    /// Sub-speciality code.
    pub kodesubspesialis: String,
    /// HFIS doctor code.
    #[serde(deserialize_with = "super::flex::int")]
    pub kodedokter: i64,
    /// The new weekly schedule.
    pub jadwal: Vec<JadwalHari>,
}

/// One day of a schedule change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JadwalHari {
    /// `"1"` = Senin … `"7"` = Minggu, `"8"` = national holiday.
    #[serde(deserialize_with = "super::flex::string")]
    pub hari: String,
    /// Opening time `HH:MM`.
    pub buka: String,
    /// Closing time `HH:MM`.
    pub tutup: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jampraktek_normalised() {
        assert_eq!(normalize_jampraktek("08:00 - 12:00"), "08:00-12:00");
        assert!(parse_jampraktek("16:45-19:00").is_some());
        assert!(parse_jampraktek("pagi").is_none());
    }
}
