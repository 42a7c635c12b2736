//! `antrean/pendaftaran/tanggal/{…}`, `…/kodebooking/{…}`, `…/aktif`.

use super::{segment, OK};
use crate::client::Client;
use crate::error::Result;
use crate::model::Pendaftaran;
use chrono::NaiveDate;

impl Client {
    /// `GET antrean/pendaftaran/tanggal/{YYYY-MM-DD}`: bookings of a date (empty on 204).
    pub async fn pendaftaran_by_tanggal(&self, tanggal: NaiveDate) -> Result<Vec<Pendaftaran>> {
        let path = format!("antrean/pendaftaran/tanggal/{}", tanggal.format("%Y-%m-%d"));
        self.get_list("antrean/pendaftaran/tanggal", &path, OK).await
    }

    /// `GET antrean/pendaftaran/kodebooking/{kodebooking}` (percent-encoded).
    pub async fn pendaftaran_by_kodebooking(&self, kodebooking: &str) -> Result<Vec<Pendaftaran>> {
        let path = format!("antrean/pendaftaran/kodebooking/{}", segment(kodebooking));
        self.get_list("antrean/pendaftaran/kodebooking", &path, OK).await
    }

    /// `GET antrean/pendaftaran/aktif`: bookings not yet served.
    pub async fn pendaftaran_aktif(&self) -> Result<Vec<Pendaftaran>> {
        self.get_list("antrean/pendaftaran/aktif", "antrean/pendaftaran/aktif", OK)
            .await
    }
}
