//! `ref/poli`, `ref/dokter`: encrypted, success code 1.

use super::AppState;
use crate::reply::{serve, Reply};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

pub(super) async fn poli(State(s): State<AppState>, headers: HeaderMap) -> Response {
    serve(&s, "ref/poli", &headers, |st, _| {
        Reply::encrypted(1, "OK", &st.hfis.ref_poli())
    })
    .await
}

pub(super) async fn dokter(State(s): State<AppState>, headers: HeaderMap) -> Response {
    serve(&s, "ref/dokter", &headers, |st, _| {
        Reply::encrypted(1, "OK", &st.hfis.ref_dokter())
    })
    .await
}
