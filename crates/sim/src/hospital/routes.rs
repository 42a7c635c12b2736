//! The HTTP surface: `POST /v3/view/view-table/list-filter-access` and `/__admin/hospital`.
//!
//! Order of checks: headers (401), body (400), view (404), date fields (400), then faults, then
//! the page. Errors are JSON `{"statusCode", "message", "error"}` like the NestJS back end the
//! path suggests.

use super::admin;
use super::faults::{HospitalFaultKind, Malformation};
use super::row::Row;
use super::server::{HShared, HospitalRequest, LIST_PATH};
use super::views::{self, Cx, View};
use super::window::Window;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub(crate) type AppState = Arc<HShared>;

/// The largest page served; larger `limit`s are cut to it (and reported so).
pub const MAX_LIMIT: u64 = 10_000;
/// `limit` when the body has none.
const DEFAULT_LIMIT: u64 = 10;

pub(crate) fn router(shared: AppState) -> Router {
    Router::new()
        .route(LIST_PATH, post(list))
        .nest("/__admin/hospital", admin::routes())
        .with_state(shared)
}

fn json_response(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    r
}

/// A NestJS-style error.
pub(crate) fn error(status: StatusCode, message: &str) -> Response {
    let body = json!({
        "statusCode": status.as_u16(),
        "message": message,
        "error": status.canonical_reason().unwrap_or("Error"),
    });
    json_response(status, body.to_string())
}

const LOGIN_PAGE: &str =
    "<!DOCTYPE html>\n<html lang=\"id\"><head><meta charset=\"utf-8\"><title>Login | SIMRS</title></head>\
<body><form method=\"post\" action=\"/auth/login\"><h1>Sesi Anda telah berakhir</h1><p>Silakan masuk kembali.</p>\
<input name=\"username\"><input name=\"password\" type=\"password\"><button>Masuk</button></form></body></html>\n";

const BAD_GATEWAY_PAGE: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0 (Ubuntu)</center>\r\n</body>\r\n</html>\r\n";

fn html(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    let body = if status == StatusCode::OK {
        LOGIN_PAGE
    } else {
        BAD_GATEWAY_PAGE
    };
    let mut r = (status, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

/// Both headers must match; the message says which one did not.
fn check_headers(headers: &HeaderMap, s: &HShared) -> Result<(), &'static str> {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    match get("token") {
        None | Some("") => return Err("Token tidak ditemukan"),
        Some(t) if t != s.config.token => return Err("Token tidak valid atau sudah kedaluwarsa"),
        _ => {}
    }
    match get("x-api-key") {
        None | Some("") => Err("x-api-key tidak ditemukan"),
        Some(k) if k != s.config.api_key => Err("x-api-key tidak valid"),
        _ => Ok(()),
    }
}

/// A whole number given as a number or a numeric string.
fn as_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0).map(|f| f as u64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

struct ListRequest {
    view: View,
    page: u64,
    limit: u64,
    window: Window,
}

/// A refused request: status and message.
type Refusal = (StatusCode, String);

fn parse(body: Option<&Map<String, Value>>) -> Result<ListRequest, Refusal> {
    let bad = |m: String| (StatusCode::BAD_REQUEST, m);
    let Some(obj) = body else {
        return Err(bad("Body harus berupa objek JSON".into()));
    };
    let present = |k: &str| obj.get(k).filter(|v| !v.is_null());
    let view_id = match present("id_laporan_view") {
        None => return Err(bad("id_laporan_view wajib diisi".into())),
        Some(v) => as_u64(v).ok_or_else(|| bad("id_laporan_view harus berupa angka".into()))?,
    };
    let view = u32::try_from(view_id).ok().and_then(View::from_id).ok_or_else(|| {
        (
            StatusCode::NOT_FOUND,
            format!("Laporan dengan id_laporan_view {view_id} tidak ditemukan"),
        )
    })?;
    let whole = |k: &str, default: u64| match present(k) {
        None => Ok(default),
        Some(v) => as_u64(v)
            .filter(|n| *n >= 1)
            .ok_or_else(|| bad(format!("{k} harus bilangan bulat 1 atau lebih"))),
    };
    let page = whole("pages", 1)?;
    let limit = whole("limit", DEFAULT_LIMIT)?.min(MAX_LIMIT);
    let (start_field, end_field) = view.date_fields();
    let text = |k: &str| match obj.get(k) {
        None | Some(Value::Null) => Err(bad(format!("{k} wajib diisi"))),
        Some(Value::String(s)) if s.trim().is_empty() => Err(bad(format!("{k} wajib diisi"))),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(bad(format!("Format {k} tidak valid"))),
    };
    let (start, end) = (text(start_field)?, text(end_field)?);
    let window = Window::parse(&start, &end, (start_field, end_field)).map_err(bad)?;
    Ok(ListRequest {
        view,
        page,
        limit,
        window,
    })
}

#[derive(Serialize)]
struct PageBody<'a> {
    count: u64,
    limit: u64,
    page: u64,
    list: &'a [Row],
}

/// Breaks the middle row of the page.
fn break_row(view: View, rows: &mut [Row], how: Malformation) {
    let n = rows.len();
    let Some(row) = rows.get_mut(n / 2) else {
        return;
    };
    match how {
        Malformation::WrongType => row.set(view.wrong_type_field(), Value::from("abc")),
        Malformation::MissingKey => row.remove(view.key_field()),
        Malformation::NullKey => row.set(view.key_field(), Value::Null),
    }
}

fn done(s: &HShared, mut rec: HospitalRequest, response: Response) -> Response {
    rec.status = response.status().as_u16();
    tracing::debug!(
        view = rec.view,
        page = rec.page,
        limit = rec.limit,
        status = rec.status,
        fault = rec.fault.as_deref(),
        "dashboard request"
    );
    s.lock().log.push(rec);
    response
}

async fn list(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let body: Option<Map<String, Value>> = serde_json::from_slice(&body).ok();
    let field = |k: &str| body.as_ref().and_then(|b| b.get(k)).and_then(as_u64);
    let mut rec = HospitalRequest {
        view: field("id_laporan_view").and_then(|v| u32::try_from(v).ok()),
        page: field("pages"),
        limit: field("limit"),
        headers_ok: false,
        status: 0,
        fault: None,
        at: Instant::now(),
    };
    if let Err(message) = check_headers(&headers, &s) {
        return done(&s, rec, error(StatusCode::UNAUTHORIZED, message));
    }
    rec.headers_ok = true;
    let req = match parse(body.as_ref()) {
        Ok(r) => r,
        Err((status, message)) => return done(&s, rec, error(status, &message)),
    };
    let today = s.today();
    let (fault, sticky, muts) = {
        let mut st = s.lock();
        let (fault, sticky) = st.faults.take(req.view.id(), req.page);
        (fault, sticky, st.muts.clone())
    };
    rec.fault = fault.as_ref().map(|f| f.name().to_string());
    match fault {
        Some(HospitalFaultKind::Http500) => {
            return done(
                &s,
                rec,
                error(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error"),
            )
        }
        Some(HospitalFaultKind::Html { status }) => return done(&s, rec, html(status)),
        _ => {}
    }
    let offset = (req.page - 1)
        .saturating_mul(req.limit)
        .saturating_sub(sticky.shift_on(req.page));
    let cx = Cx {
        world: &s.world,
        today,
        muts: &muts,
    };
    let (count, mut rows) = views::page(req.view, &cx, &req.window, offset, req.limit);
    let reported = count.saturating_add_signed(sticky.drift_on(req.page));
    if let Some(HospitalFaultKind::MalformedRow { how }) = fault {
        break_row(req.view, &mut rows, how);
    }
    let mut text = serde_json::to_string(&PageBody {
        count: reported,
        limit: req.limit,
        page: req.page,
        list: &rows,
    })
    .unwrap_or_default();
    if fault == Some(HospitalFaultKind::Truncated) {
        let mut cut = text.len() / 2;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    let response = done(&s, rec, json_response(StatusCode::OK, text));
    if let Some(HospitalFaultKind::Delay { millis }) = fault {
        let mut stop = s.shutdown.clone();
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(millis)) => {}
            _ = stop.wait_for(|v| *v) => {}
        }
    }
    response
}
