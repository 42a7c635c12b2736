//! The HTTP surface: the same API under `/antreanrs` and `/antreanrs_dev`, plus `/__admin`.

mod admin;
mod antrean;
mod dashboard;
mod jadwal;
mod pendaftaran;
mod referensi;

use crate::state::Shared;
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;

pub(crate) type AppState = Arc<Shared>;

fn api() -> Router<AppState> {
    Router::new()
        .route("/ref/poli", get(referensi::poli))
        .route("/ref/dokter", get(referensi::dokter))
        .route(
            "/jadwaldokter/kodepoli/{kodepoli}/tanggal/{tanggal}",
            get(jadwal::by_poli_tanggal),
        )
        .route("/jadwaldokter/updatejadwaldokter", post(jadwal::update))
        .route("/antrean/add", post(antrean::add))
        .route("/antrean/updatewaktu", post(antrean::update_waktu))
        .route("/antrean/batal", post(antrean::batal))
        .route("/antrean/getlisttask", post(antrean::list_task))
        .route("/antrean/pendaftaran/tanggal/{tanggal}", get(pendaftaran::by_tanggal))
        .route(
            "/antrean/pendaftaran/kodebooking/{kodebooking}",
            get(pendaftaran::by_kodebooking),
        )
        .route("/antrean/pendaftaran/aktif", get(pendaftaran::aktif))
        .route(
            "/dashboard/waktutunggu/tanggal/{tanggal}/waktu/{waktu}",
            get(dashboard::by_tanggal),
        )
        .route(
            "/dashboard/waktutunggu/bulan/{bulan}/tahun/{tahun}/waktu/{waktu}",
            get(dashboard::by_bulan),
        )
}

pub(crate) fn router(shared: AppState) -> Router {
    Router::new()
        .nest("/antreanrs", api())
        .nest("/antreanrs_dev", api())
        .nest("/__admin", admin::routes())
        .with_state(shared)
}

/// Parses `YYYY-MM-DD` from a path.
pub(crate) fn parse_date(text: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}
