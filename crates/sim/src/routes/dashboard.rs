//! `dashboard/waktutunggu/...`: plain `{"list": [...]}`, never encrypted.

use super::{parse_date, AppState};
use crate::dashboard::{waktu_tunggu, Ppk};
use crate::reply::{serve, Reply};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::Datelike;
use loket_bpjs::model::SumberWaktu;

pub(super) async fn by_tanggal(
    State(s): State<AppState>,
    Path((tanggal, waktu)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let shared = s.clone();
    serve(&s, "dashboard/waktutunggu/tanggal", &headers, |st, ctx| {
        let (Some(date), Some(sumber)) = (parse_date(&tanggal), SumberWaktu::from_path(&waktu)) else {
            return Reply::meta(201, "Parameter tidak valid");
        };
        let ppk = Ppk {
            kdppk: &shared.config.kdppk,
            nmppk: &shared.config.nmppk,
        };
        let list = waktu_tunggu(&st.bookings, |d| d == date, sumber, &ppk, ctx.now_ms);
        Reply::plain(&serde_json::json!({ "list": list }))
    })
    .await
}

pub(super) async fn by_bulan(
    State(s): State<AppState>,
    Path((bulan, tahun, waktu)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    let shared = s.clone();
    serve(&s, "dashboard/waktutunggu/bulan", &headers, |st, ctx| {
        let month = bulan.parse::<u32>().ok().filter(|m| (1..=12).contains(m));
        let (Some(month), Ok(year), Some(sumber)) = (month, tahun.parse::<i32>(), SumberWaktu::from_path(&waktu))
        else {
            return Reply::meta(201, "Parameter tidak valid");
        };
        let ppk = Ppk {
            kdppk: &shared.config.kdppk,
            nmppk: &shared.config.nmppk,
        };
        let list = waktu_tunggu(
            &st.bookings,
            |d| d.year() == year && d.month() == month,
            sumber,
            &ppk,
            ctx.now_ms,
        );
        Reply::plain(&serde_json::json!({ "list": list }))
    })
    .await
}
