//! Request bodies and decoded payloads, one file per endpoint family.
//! Field names are BPJS's own (lower case, Indonesian), so serde needs no renames.

pub mod antrean;
pub mod dashboard;
pub mod flex;
pub mod jadwal;
pub mod pendaftaran;
pub mod referensi;

pub use antrean::{AntreanAdd, BatalAntrean, TaskRecord, UpdateWaktu};
pub use dashboard::{SumberWaktu, WaktuTunggu};
pub use jadwal::{JadwalDokter, JadwalHari, UpdateJadwalDokter};
pub use pendaftaran::Pendaftaran;
pub use referensi::{Dokter, Poli};

/// Writes `[hidden]` for patient-identifying fields in `Debug` output.
pub(crate) const HIDDEN: &str = "[hidden]";
