//! `jadwaldokter/kodepoli/{kodepoli}/tanggal/{tanggal}`, `jadwaldokter/updatejadwaldokter`.

use super::{segment, OK};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::model::{JadwalDokter, UpdateJadwalDokter};
use crate::outcome::Outcome;
use chrono::NaiveDate;

/// BPJS answers a poli/date without practice with a failure code; that is an empty day.
fn is_no_schedule(message: &str) -> bool {
    let m = message.to_lowercase();
    (m.contains("jadwal") || m.contains("data")) && (m.contains("tidak ada") || m.contains("tidak ditemukan"))
}

impl Client {
    /// `GET jadwaldokter/kodepoli/{kodepoli}/tanggal/{YYYY-MM-DD}`: the slots of a poli on a
    /// date. A day without schedules (204, or 201 "jadwal … tidak ada/ditemukan") is empty.
    pub async fn jadwal_dokter(&self, kodepoli: &str, tanggal: NaiveDate) -> Result<Vec<JadwalDokter>> {
        let path = format!(
            "jadwaldokter/kodepoli/{}/tanggal/{}",
            segment(kodepoli),
            tanggal.format("%Y-%m-%d")
        );
        match self.get_list("jadwaldokter", &path, OK).await {
            Err(Error::Business { code: 201, message }) if is_no_schedule(&message) => Ok(Vec::new()),
            other => other,
        }
    }

    /// `POST jadwaldokter/updatejadwaldokter`: submit a schedule change to HFIS.
    pub async fn update_jadwal_dokter(&self, body: &UpdateJadwalDokter) -> Result<Outcome> {
        self.post(
            "jadwaldokter/updatejadwaldokter",
            "jadwaldokter/updatejadwaldokter",
            body,
        )
        .await?
        .into_outcome()
    }
}
