//! `antrean/add`, `antrean/updatewaktu`, `antrean/batal`, `antrean/getlisttask`.

use super::AppState;
use crate::reply::{parse_body, serve, Reply};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use loket_bpjs::model::antrean::KodeBooking;
use loket_bpjs::model::{AntreanAdd, BatalAntrean, UpdateWaktu};

fn outcome(result: Result<(), crate::bookings::Refusal>) -> Reply {
    match result {
        Ok(()) => Reply::ok(),
        Err(r) => Reply::meta(r.code, r.message),
    }
}

pub(super) async fn add(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    serve(&s, "antrean/add", &headers, |st, ctx| {
        match parse_body::<AntreanAdd>(&body) {
            Ok(add) => {
                let st = &mut *st;
                outcome(st.bookings.add(&st.hfis, add, ctx.now_ms))
            }
            Err(reply) => reply,
        }
    })
    .await
}

pub(super) async fn update_waktu(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    serve(&s, "antrean/updatewaktu", &headers, |st, ctx| {
        match parse_body::<UpdateWaktu>(&body) {
            Ok(u) => outcome(st.bookings.update_waktu(&u.kodebooking, u.taskid, u.waktu, ctx.now_ms)),
            Err(reply) => reply,
        }
    })
    .await
}

pub(super) async fn batal(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    serve(&s, "antrean/batal", &headers, |st, _| {
        match parse_body::<BatalAntrean>(&body) {
            Ok(b) => outcome(st.bookings.batal(&b.kodebooking)),
            Err(reply) => reply,
        }
    })
    .await
}

pub(super) async fn list_task(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    serve(&s, "antrean/getlisttask", &headers, |st, _| {
        match parse_body::<KodeBooking>(&body) {
            Ok(k) => match st.bookings.list_task(&k.kodebooking) {
                Ok(tasks) => Reply::encrypted(200, "Ok", &tasks),
                Err(r) => Reply::meta(r.code, r.message),
            },
            Err(reply) => reply,
        }
    })
    .await
}
