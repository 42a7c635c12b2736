//! `antrean/pendaftaran/tanggal/{…}`, `…/kodebooking/{…}`, `…/aktif`: encrypted, 204 when empty.

use super::{parse_date, AppState};
use crate::reply::{serve, Reply};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

pub(super) async fn by_tanggal(State(s): State<AppState>, Path(tanggal): Path<String>, headers: HeaderMap) -> Response {
    serve(&s, "antrean/pendaftaran/tanggal", &headers, |st, _| {
        match parse_date(&tanggal) {
            Some(date) => Reply::list(&st.bookings.by_tanggal(date)),
            None => Reply::meta(201, "Format tanggal tidak valid"),
        }
    })
    .await
}

pub(super) async fn by_kodebooking(
    State(s): State<AppState>,
    Path(kodebooking): Path<String>,
    headers: HeaderMap,
) -> Response {
    serve(&s, "antrean/pendaftaran/kodebooking", &headers, |st, _| {
        Reply::list(&st.bookings.by_kodebooking(&kodebooking))
    })
    .await
}

pub(super) async fn aktif(State(s): State<AppState>, headers: HeaderMap) -> Response {
    serve(&s, "antrean/pendaftaran/aktif", &headers, |st, _| {
        Reply::list(&st.bookings.aktif())
    })
    .await
}
