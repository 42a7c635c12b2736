//! `/__admin/hospital`: faults, the request log and booking mutations, for tests and demos. No
//! authentication: the simulator only listens on 127.0.0.1.
//!
//! * `POST /__admin/hospital/fault` with `{"view":239,"page":3,"kind":"http500","times":1}`
//!   (kinds: `http500`, `delay` + `millis`, `html` + `status`, `count-drift` + `delta`,
//!   `duplicate` + `rows`, `malformed-row` + `how`, `truncated`) or `{"spec":"239:3@1=http500"}`;
//!   `GET` lists the active faults, `DELETE` removes them all.
//! * `GET /__admin/hospital/requests`: `[{view, page, limit, headers_ok, status, fault, at_ms}]`;
//!   `DELETE` forgets them.
//! * `POST /__admin/hospital/mutate` with `{"cancel":n,"move":n,"add":n,"from":"YYYY-MM-DD",
//!   "to":"YYYY-MM-DD"}` (all optional) answers the booking ids changed; `DELETE` goes back to
//!   generation 0.
//! * `GET /__admin/hospital/state`: generation, today, history start, views and their fields.

use super::faults::HospitalFault;
use super::mutate::Mutation;
use super::routes::AppState;
use super::views::View;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/fault", get(list_faults).post(add_fault).delete(clear_faults))
        .route("/requests", get(list_requests).delete(clear_requests))
        .route("/mutate", post(mutate).delete(reset))
        .route("/state", get(state))
}

#[derive(Deserialize)]
struct Spec {
    spec: String,
}

async fn add_fault(State(s): State<AppState>, body: Bytes) -> Response {
    let fault = match serde_json::from_slice::<HospitalFault>(&body) {
        Ok(f) => Ok(f),
        Err(e) => match serde_json::from_slice::<Spec>(&body) {
            Ok(spec) => HospitalFault::parse(&spec.spec),
            Err(_) => Err(e.to_string()),
        },
    };
    match fault {
        Ok(f) => {
            s.lock().faults.add(f.clone());
            (StatusCode::OK, Json(f)).into_response()
        }
        Err(e) => (StatusCode::BAD_REQUEST, e).into_response(),
    }
}

async fn list_faults(State(s): State<AppState>) -> Json<Vec<HospitalFault>> {
    Json(s.lock().faults.list())
}

async fn clear_faults(State(s): State<AppState>) -> StatusCode {
    s.lock().faults.clear();
    StatusCode::NO_CONTENT
}

async fn list_requests(State(s): State<AppState>) -> Json<Value> {
    let started = s.started;
    let log: Vec<Value> = s
        .lock()
        .log
        .iter()
        .map(|r| {
            json!({
                "view": r.view,
                "page": r.page,
                "limit": r.limit,
                "headers_ok": r.headers_ok,
                "status": r.status,
                "fault": r.fault,
                "at_ms": r.at.saturating_duration_since(started).as_secs_f64() * 1000.0,
            })
        })
        .collect();
    Json(Value::Array(log))
}

async fn clear_requests(State(s): State<AppState>) -> StatusCode {
    s.lock().log.clear();
    StatusCode::NO_CONTENT
}

async fn mutate(State(s): State<AppState>, body: Bytes) -> Response {
    let m = if body.iter().all(u8::is_ascii_whitespace) {
        Ok(Mutation::default())
    } else {
        serde_json::from_slice::<Mutation>(&body)
    };
    match m {
        Ok(m) => Json(s.mutate(&m)).into_response(),
        Err(e) => (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
    }
}

async fn reset(State(s): State<AppState>) -> StatusCode {
    s.reset_mutations();
    StatusCode::NO_CONTENT
}

async fn state(State(s): State<AppState>) -> Json<Value> {
    let views: Vec<Value> = View::ALL
        .iter()
        .map(|v| {
            let (start, end) = v.date_fields();
            json!({
                "id_laporan_view": v.id(),
                "name": v.name(),
                "start_field": start,
                "end_field": end,
                "key": v.key_field(),
                "fields": v.fields(),
            })
        })
        .collect();
    let generation = s.lock().muts.generation;
    Json(json!({
        "generation": generation,
        "today": s.today(),
        "history_start": s.world.history_start,
        "bookings_per_day": s.world.bookings_per_day,
        "views": views,
    }))
}
