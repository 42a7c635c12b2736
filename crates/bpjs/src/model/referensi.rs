//! `ref/poli` and `ref/dokter`: HFIS reference data.

use serde::{Deserialize, Serialize};

/// A polyclinic with one of its sub-specialities (`ref/poli`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Poli {
    /// Polyclinic name, e.g. `ANAK`.
    #[serde(default, deserialize_with = "super::flex::string")]
    pub nmpoli: String,
    /// Sub-speciality name, e.g. `ANAK ALERGI IMUNOLOGI`.
    #[serde(default, deserialize_with = "super::flex::string")]
    pub nmsubspesialis: String,
    /// Sub-speciality code (what Antrean expects as `kodepoli`), e.g. `027`.
    #[serde(deserialize_with = "super::flex::string")]
    pub kdsubspesialis: String,
    /// Polyclinic code, e.g. `ANA`.
    #[serde(deserialize_with = "super::flex::string")]
    pub kdpoli: String,
}

/// A doctor (`ref/dokter`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dokter {
    /// Name as registered in HFIS.
    #[serde(default, deserialize_with = "super::flex::string")]
    pub namadokter: String,
    /// HFIS doctor code.
    #[serde(deserialize_with = "super::flex::int")]
    pub kodedokter: i64,
}
