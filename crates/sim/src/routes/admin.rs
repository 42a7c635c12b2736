//! `/__admin`: faults and the request log, for tests and demos. No authentication: the
//! simulator only listens on 127.0.0.1.
//!
//! * `POST /__admin/fault` with `{"endpoint":"antrean/add","kind":"http500","times":1}`
//!   (kinds: `http500`, `http429`, `delay` + `millis`, `html`, `malformed`, `wrong-key`,
//!   `message` + `message`) or `{"spec":"antrean/add@1=http500"}`
//! * `GET /__admin/fault`, `DELETE /__admin/fault`
//! * `GET /__admin/requests` (endpoint, X-timestamp, ms since start), `DELETE /__admin/requests`

use super::AppState;
use crate::faults::Fault;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/fault", get(list_faults).post(add_fault).delete(clear_faults))
        .route("/requests", get(list_requests).delete(clear_requests))
}

#[derive(Deserialize)]
struct Spec {
    spec: String,
}

async fn add_fault(State(s): State<AppState>, body: Bytes) -> Response {
    let fault = match serde_json::from_slice::<Fault>(&body) {
        Ok(f) => Ok(f),
        Err(e) => match serde_json::from_slice::<Spec>(&body) {
            Ok(spec) => Fault::parse(&spec.spec),
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

async fn list_faults(State(s): State<AppState>) -> Json<Vec<Fault>> {
    Json(s.lock().faults.list())
}

async fn clear_faults(State(s): State<AppState>) -> StatusCode {
    s.lock().faults.clear();
    StatusCode::NO_CONTENT
}

async fn list_requests(State(s): State<AppState>) -> Json<serde_json::Value> {
    let started = s.started;
    let log: Vec<_> = s
        .lock()
        .log
        .iter()
        .map(|r| {
            serde_json::json!({
                "endpoint": r.endpoint,
                "timestamp": r.timestamp,
                "at_ms": r.at.saturating_duration_since(started).as_secs_f64() * 1000.0,
            })
        })
        .collect();
    Json(serde_json::Value::Array(log))
}

async fn clear_requests(State(s): State<AppState>) -> StatusCode {
    s.lock().log.clear();
    StatusCode::NO_CONTENT
}
