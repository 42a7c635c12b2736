//! `dashboard/waktutunggu/tanggal/{…}/waktu/{rs|server}` and `…/bulan/{MM}/tahun/{YYYY}/…`.

use super::OK;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::model::{SumberWaktu, WaktuTunggu};
use chrono::NaiveDate;

impl Client {
    /// `GET dashboard/waktutunggu/tanggal/{YYYY-MM-DD}/waktu/{rs|server}` (plain response).
    pub async fn waktu_tunggu_by_tanggal(&self, tanggal: NaiveDate, waktu: SumberWaktu) -> Result<Vec<WaktuTunggu>> {
        let path = format!(
            "dashboard/waktutunggu/tanggal/{}/waktu/{}",
            tanggal.format("%Y-%m-%d"),
            waktu.as_path()
        );
        self.get_list("dashboard/waktutunggu/tanggal", &path, OK).await
    }

    /// `GET dashboard/waktutunggu/bulan/{MM}/tahun/{YYYY}/waktu/{rs|server}` (plain response).
    pub async fn waktu_tunggu_by_bulan(&self, tahun: i32, bulan: u32, waktu: SumberWaktu) -> Result<Vec<WaktuTunggu>> {
        if !(1..=12).contains(&bulan) {
            return Err(Error::Config("bulan must be 1..=12".into()));
        }
        let path = format!(
            "dashboard/waktutunggu/bulan/{bulan:02}/tahun/{tahun:04}/waktu/{}",
            waktu.as_path()
        );
        self.get_list("dashboard/waktutunggu/bulan", &path, OK).await
    }
}
