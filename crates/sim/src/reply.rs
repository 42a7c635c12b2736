//! Turning a handler's answer into the bytes BPJS would send, faults included.

use crate::auth;
use crate::faults::FaultKind;
use crate::state::{RecordedRequest, Shared, SimState};
use crate::time::wib_date;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use loket_bpjs::envelope::encrypt_payload;
use loket_bpjs::signature::header as bpjs_header;
use loket_bpjs::ResponseKey;
use serde::Serialize;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What a handler answers, before encryption.
pub(crate) enum Reply {
    /// Only `metadata`.
    Meta { code: i64, message: String },
    /// `metadata` and an encrypted `response`.
    Encrypted { code: i64, message: String, json: String },
    /// `metadata` and a plain `response` object.
    Plain { code: i64, message: String, json: String },
}

impl Reply {
    pub(crate) fn meta(code: i64, message: impl Into<String>) -> Self {
        Self::Meta {
            code,
            message: message.into(),
        }
    }

    pub(crate) fn ok() -> Self {
        Self::meta(200, "Ok")
    }

    pub(crate) fn encrypted<T: Serialize>(code: i64, message: &str, payload: &T) -> Self {
        let json = serde_json::to_string(payload).unwrap_or_else(|_| "[]".into());
        Self::Encrypted {
            code,
            message: message.into(),
            json,
        }
    }

    pub(crate) fn plain<T: Serialize>(payload: &T) -> Self {
        let json = serde_json::to_string(payload).unwrap_or_else(|_| "{}".into());
        Self::Plain {
            code: 200,
            message: "Ok".into(),
            json,
        }
    }

    /// A list: encrypted on success, `204` when empty.
    pub(crate) fn list<T: Serialize>(items: &[T]) -> Self {
        if items.is_empty() {
            Self::meta(204, "No Content")
        } else {
            Self::encrypted(200, "Ok", &items)
        }
    }
}

/// Per-request facts handlers may need.
pub(crate) struct Ctx {
    pub(crate) now_ms: i64,
    pub(crate) today: NaiveDate,
}

fn json_response(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

fn render(reply: Reply, key: &ResponseKey, escape_slashes: bool) -> String {
    let envelope = |code: i64, message: &str, response: Option<String>| {
        let meta = serde_json::json!({ "code": code, "message": message });
        match response {
            None => format!(r#"{{"metadata":{meta}}}"#),
            Some(r) => format!(r#"{{"response":{r},"metadata":{meta}}}"#),
        }
    };
    match reply {
        Reply::Meta { code, message } => envelope(code, &message, None),
        Reply::Plain { code, message, json } => envelope(code, &message, Some(json)),
        Reply::Encrypted { code, message, json } => {
            let quoted = serde_json::Value::String(encrypt_payload(&json, key)).to_string();
            let quoted = if escape_slashes {
                quoted.replace('/', "\\/")
            } else {
                quoted
            };
            envelope(code, &message, Some(quoted))
        }
    }
}

const HTML_PAGE: &str = "<html><head><title>Request Rejected</title></head><body>The requested URL was rejected. \
Please consult with your administrator.<br><br>Your support ID is: 9876543210123456789<br><br><a href='javascript:history.back();'>[Go Back]</a></body></html>";

/// Records the request, applies faults and authentication, runs `work` under the lock, and
/// renders the answer encrypted with the request's own timestamp.
pub(crate) async fn serve<F>(shared: &Arc<Shared>, endpoint: &str, headers: &HeaderMap, work: F) -> Response
where
    F: FnOnce(&mut SimState, &Ctx) -> Reply,
{
    let config = &shared.config;
    let timestamp = headers
        .get(bpjs_header::TIMESTAMP)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let fault = {
        let mut state = shared.lock();
        state.log.push(RecordedRequest {
            endpoint: endpoint.to_owned(),
            at: Instant::now(),
            timestamp,
        });
        state.faults.take(endpoint)
    };
    tracing::debug!(endpoint, fault = ?fault, "request");
    match &fault {
        Some(FaultKind::Http500) => {
            return (StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error").into_response();
        }
        Some(FaultKind::Http429) => {
            let mut r = (StatusCode::TOO_MANY_REQUESTS, "Too Many Requests").into_response();
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            return r;
        }
        Some(FaultKind::Html) => {
            let mut r = (StatusCode::OK, HTML_PAGE).into_response();
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
            return r;
        }
        Some(FaultKind::Message { message }) => {
            return json_response(
                StatusCode::OK,
                render(Reply::meta(201, message.clone()), &dummy_key(), false),
            );
        }
        _ => {}
    }
    let now_ms = config.clock.unix_millis() as i64;
    let ts = match auth::check(headers, config, config.clock.unix_seconds()) {
        Ok(ts) => ts,
        Err(message) => {
            return json_response(
                StatusCode::OK,
                render(Reply::meta(auth::AUTH_CODE, message), &dummy_key(), false),
            )
        }
    };
    let ctx = Ctx {
        now_ms,
        today: wib_date(now_ms),
    };
    let reply = {
        let mut state = shared.lock();
        work(&mut state, &ctx)
    };
    let key_ts = match fault {
        Some(FaultKind::WrongKey) => ts.parse::<u64>().map(|t| (t + 1).to_string()).unwrap_or_default(),
        _ => ts,
    };
    let key = ResponseKey::derive(&config.cons_id, &config.secret, &key_ts);
    let mut body = render(reply, &key, config.escape_slashes);
    match fault {
        Some(FaultKind::Malformed) => body.truncate(body.len() / 2),
        Some(FaultKind::Delay { millis }) => {
            let mut stop = shared.shutdown.clone();
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_millis(millis)) => {}
                _ = stop.wait_for(|v| *v) => {}
            }
        }
        _ => {}
    }
    json_response(StatusCode::OK, body)
}

fn dummy_key() -> ResponseKey {
    ResponseKey::derive("", "", "")
}

/// Parses a POST body as JSON, whatever its declared content type.
pub(crate) fn parse_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Reply> {
    serde_json::from_slice(body).map_err(|_| Reply::meta(201, "Format request tidak valid"))
}
