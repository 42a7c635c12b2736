//! The dashboard API's request body and the classification of its answers.
//!
//! `POST {base}/v3/view/view-table/list-filter-access` with headers `token` and `x-api-key`, body
//! `{id_laporan_view, pages, limit, <start>, <end>}`; the answer is
//! `{count, limit, page, list: [...]}`.

use std::fmt;

use chrono::{Days, NaiveDate, NaiveTime};
use serde_json::{json, Map, Value};

use super::job::{DateParam, JobConfig};
use crate::time::wib_instant;
use crate::{Error, ErrorCode};

/// The endpoint, relative to the configured base URL.
pub const API_PATH: &str = "/v3/view/view-table/list-filter-access";
/// API error messages are cut to this many characters.
const MAX_MESSAGE_CHARS: usize = 200;

/// The request body for `page` (1-based) of `limit` rows over the WIB dates `from..=to`.
pub fn request_body(job: &JobConfig, from: NaiveDate, to: NaiveDate, page: u32, limit: u32) -> Value {
    let (start, end) = match job.date_param {
        DateParam::Date => (from.format("%Y-%m-%d").to_string(), to.format("%Y-%m-%d").to_string()),
        DateParam::WibWallClock => (
            format!("{} 00:00:00", from.format("%Y-%m-%d")),
            format!("{} 23:59:59", to.format("%Y-%m-%d")),
        ),
        DateParam::WibMidnightUtc => {
            let after_to = to.checked_add_days(Days::new(1)).unwrap_or(to);
            let iso = |d: NaiveDate| {
                wib_instant(d, NaiveTime::MIN)
                    .format("%Y-%m-%dT%H:%M:%S+00:00")
                    .to_string()
            };
            (iso(from), iso(after_to))
        }
    };
    let mut body = Map::new();
    body.insert("id_laporan_view".into(), json!(job.view_id));
    body.insert("pages".into(), json!(page));
    body.insert("limit".into(), json!(limit));
    body.insert(job.start_field.clone(), Value::String(start));
    body.insert(job.end_field.clone(), Value::String(end));
    Value::Object(body)
}

/// One page as the API answered it.
#[derive(Debug, Clone, PartialEq)]
pub struct PageAnswer {
    /// The total rows of the query, as reported on this page.
    pub count: u64,
    /// The page size the server used, when it says.
    pub limit: Option<u32>,
    /// The page the server answered, when it says.
    pub page: Option<u32>,
    /// The rows, unconverted (a row that is not an object is skipped when planned).
    pub rows: Vec<Value>,
}

/// Why an answer could not be read. Never carries row content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseError {
    /// Nothing came back.
    Empty,
    /// An HTML page (a proxy, a login page, a server error page).
    Html,
    /// Not JSON; where the parser gave up.
    Malformed { line: usize, column: usize },
    /// JSON, but not an object.
    NotAnObject,
    /// The API's own error envelope (`message`, `meta_data.message`), e.g. an expired token.
    Api { status: Option<u16>, message: String },
    /// No `list` array.
    MissingList,
    /// No `count`.
    MissingCount,
    /// `count` is not a whole number ≥ 0.
    BadCount,
}

impl ResponseError {
    /// An authentication problem (HTTP-like status 401 or 403 in the envelope): the token or API
    /// key must be renewed, retrying will not help.
    pub fn is_auth(&self) -> bool {
        matches!(
            self,
            ResponseError::Api {
                status: Some(401 | 403),
                ..
            }
        )
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = "Jawaban API dashboard";
        match self {
            ResponseError::Empty => write!(f, "{p} kosong."),
            ResponseError::Html => write!(
                f,
                "{p} berupa halaman HTML, bukan JSON; periksa alamat server atau proxy."
            ),
            ResponseError::Malformed { line, column } => {
                write!(f, "{p} bukan JSON yang valid (baris {line}, kolom {column}).")
            }
            ResponseError::NotAnObject => write!(f, "{p} bukan objek JSON."),
            ResponseError::Api { status, message } => match status {
                Some(s) => write!(f, "API dashboard menolak permintaan ({s}): {message}"),
                None => write!(f, "API dashboard menolak permintaan: {message}"),
            },
            ResponseError::MissingList => write!(f, "{p} tidak berisi daftar baris (list)."),
            ResponseError::MissingCount => write!(f, "{p} tidak berisi jumlah baris (count)."),
            ResponseError::BadCount => write!(f, "{p}: jumlah baris (count) bukan bilangan bulat."),
        }
    }
}

impl std::error::Error for ResponseError {}

impl From<ResponseError> for Error {
    fn from(e: ResponseError) -> Error {
        Error::new(ErrorCode::Network, e.to_string())
    }
}

/// A whole number ≥ 0 from a number or a numeric string (`434`, `"434"`, `434.0`).
fn whole(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 1e15)
                .map(|f| f as u64)
        }),
        Value::String(s) => {
            let s = s.trim();
            (!s.is_empty() && s.chars().all(|c| c.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        }
        _ => None,
    }
}

fn clean_message(s: &str) -> String {
    let s: String = s.chars().filter(|c| !c.is_control()).take(MAX_MESSAGE_CHARS).collect();
    s.trim().to_string()
}

/// The API's error envelope, if the object is one.
fn api_error(o: &Map<String, Value>) -> Option<ResponseError> {
    let meta = ["meta_data", "metadata", "metaData"]
        .iter()
        .find_map(|k| o.get(*k).and_then(Value::as_object));
    let message = meta
        .and_then(|m| m.get("message"))
        .or_else(|| o.get("message"))
        .or_else(|| o.get("error"))
        .and_then(Value::as_str)?;
    let status = meta
        .and_then(|m| m.get("status").or_else(|| m.get("code")))
        .or_else(|| {
            o.get("status")
                .or_else(|| o.get("statusCode"))
                .or_else(|| o.get("code"))
        })
        .and_then(whole)
        .and_then(|s| u16::try_from(s).ok());
    Some(ResponseError::Api {
        status,
        message: clean_message(message),
    })
}

/// Reads one answer. HTML, malformed JSON, an error envelope, a missing `list` or `count` are
/// errors; `count` may be a number or a numeric string. A body wrapped in `{"data": {...}}` is
/// unwrapped. Never panics.
pub fn parse_response(body: &str) -> Result<PageAnswer, ResponseError> {
    let t = body.trim_start_matches('\u{feff}').trim();
    if t.is_empty() {
        return Err(ResponseError::Empty);
    }
    if t.starts_with('<') {
        return Err(ResponseError::Html);
    }
    let v: Value = serde_json::from_str(t).map_err(|e| ResponseError::Malformed {
        line: e.line(),
        column: e.column(),
    })?;
    let Value::Object(mut top) = v else {
        return Err(ResponseError::NotAnObject);
    };
    let nested = !top.contains_key("list")
        && matches!(top.get("data"), Some(Value::Object(inner)) if inner.contains_key("list"));
    let inner = match nested.then(|| top.remove("data")).flatten() {
        Some(Value::Object(inner)) => Some(inner),
        _ => None,
    };
    let mut o = inner.unwrap_or_else(|| std::mem::take(&mut top));
    // A nested answer's inner object holds `list`, so a missing list is a top-level answer.
    let rows = match o.remove("list") {
        Some(Value::Array(rows)) => rows,
        Some(_) => return Err(ResponseError::MissingList),
        None => return Err(api_error(&o).unwrap_or(ResponseError::MissingList)),
    };
    let count = match o.get("count") {
        None | Some(Value::Null) => return Err(ResponseError::MissingCount),
        Some(c) => whole(c).ok_or(ResponseError::BadCount)?,
    };
    let small = |k: &str| o.get(k).and_then(whole).and_then(|n| u32::try_from(n).ok());
    Ok(PageAnswer {
        count,
        limit: small("limit").filter(|l| *l > 0),
        page: small("page"),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::builtin_jobs;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn job(name: &str) -> JobConfig {
        builtin_jobs().into_iter().find(|j| j.name == name).unwrap()
    }

    #[test]
    fn body_follows_the_seed() {
        // The seed's curl: 2026-02-02..=2026-02-10 WIB.
        let b = request_body(&job("BOOKING_PASIEN"), d("2026-02-02"), d("2026-02-10"), 1, 10);
        assert_eq!(
            b,
            json!({
                "id_laporan_view": 239,
                "pages": 1,
                "limit": 10,
                "waktu_registrasi_awal": "2026-02-01T17:00:00+00:00",
                "waktu_registrasi_akhir": "2026-02-10T17:00:00+00:00"
            })
        );
        let b = request_body(&job("JADWAL_DOKTER"), d("2026-02-02"), d("2026-02-02"), 3, 100);
        assert_eq!(b["id_laporan_view"], 123);
        assert_eq!(b["pages"], 3);
        assert_eq!(b["tanggal_awal"], "2026-02-01T17:00:00+00:00");
        assert_eq!(b["tanggal_akhir"], "2026-02-02T17:00:00+00:00");
        assert_eq!(b.as_object().unwrap().len(), 5);
    }

    #[test]
    fn body_in_the_other_date_formats() {
        let mut j = job("TARIF");
        j.date_param = DateParam::Date;
        let b = request_body(&j, d("2026-02-02"), d("2026-02-10"), 1, 50);
        assert_eq!(
            b,
            json!({"id_laporan_view": 303, "pages": 1, "limit": 50, "tanggal_awal": "2026-02-02", "tanggal_akhir": "2026-02-10"})
        );
        j.date_param = DateParam::WibWallClock;
        let b = request_body(&j, d("2026-02-02"), d("2026-02-10"), 1, 50);
        assert_eq!(b["tanggal_awal"], "2026-02-02 00:00:00");
        assert_eq!(b["tanggal_akhir"], "2026-02-10 23:59:59");
    }

    #[test]
    fn a_good_page() {
        let a =
            parse_response(r#"{"count": 434, "limit": 10, "page": 1, "list": [{"booking_id": 1435755}, 7]}"#).unwrap();
        assert_eq!((a.count, a.limit, a.page, a.rows.len()), (434, Some(10), Some(1), 2));
        let a = parse_response("\u{feff}  {\"count\": \"12\", \"list\": []}\n").unwrap();
        assert_eq!((a.count, a.limit, a.page), (12, None, None));
        let a = parse_response(r#"{"count": 5.0, "limit": "x", "page": -1, "list": []}"#).unwrap();
        assert_eq!((a.count, a.limit, a.page), (5, None, None));
        let a = parse_response(r#"{"meta_data": {"status": 200}, "data": {"count": 1, "list": [{}]}}"#).unwrap();
        assert_eq!(a.count, 1);
    }

    #[test]
    fn bad_answers_are_classified() {
        let cases: &[(&str, ResponseError)] = &[
            ("", ResponseError::Empty),
            ("   \n", ResponseError::Empty),
            ("<!DOCTYPE html><html>502 Bad Gateway</html>", ResponseError::Html),
            ("  <html>", ResponseError::Html),
            ("[1, 2]", ResponseError::NotAnObject),
            ("\"ok\"", ResponseError::NotAnObject),
            ("null", ResponseError::NotAnObject),
            (r#"{"count": 3}"#, ResponseError::MissingList),
            (r#"{"count": 3, "list": {"a": 1}}"#, ResponseError::MissingList),
            (r#"{"list": []}"#, ResponseError::MissingCount),
            (r#"{"count": null, "list": []}"#, ResponseError::MissingCount),
            (r#"{"count": -1, "list": []}"#, ResponseError::BadCount),
            (r#"{"count": "12a", "list": []}"#, ResponseError::BadCount),
            (r#"{"count": 1.5, "list": []}"#, ResponseError::BadCount),
            (r#"{"count": [], "list": []}"#, ResponseError::BadCount),
        ];
        for (body, want) in cases {
            assert_eq!(parse_response(body).unwrap_err(), *want, "{body:?}");
        }
        assert!(matches!(
            parse_response(r#"{"count": 3, "list": [{"nama": "Budi"#),
            Err(ResponseError::Malformed { line: 1, .. })
        ));
        assert!(matches!(parse_response("{]"), Err(ResponseError::Malformed { .. })));
        assert!(matches!(
            parse_response("count=3"),
            Err(ResponseError::Malformed { .. })
        ));
    }

    #[test]
    fn api_error_envelopes() {
        let e = parse_response(r#"{"meta_data": {"status": 401, "message": "Token expired"}}"#).unwrap_err();
        assert_eq!(
            e,
            ResponseError::Api {
                status: Some(401),
                message: "Token expired".into()
            }
        );
        assert!(e.is_auth());
        let e = parse_response(r#"{"statusCode": "500", "message": "Internal\nerror"}"#).unwrap_err();
        assert_eq!(
            e,
            ResponseError::Api {
                status: Some(500),
                message: "Internalerror".into()
            }
        );
        assert!(!e.is_auth());
        let long = format!(r#"{{"error": "{}"}}"#, "x".repeat(1000));
        let ResponseError::Api { message, status } = parse_response(&long).unwrap_err() else {
            panic!()
        };
        assert_eq!((message.len(), status), (200, None));
    }

    #[test]
    fn errors_read_in_indonesian_and_cross_ipc_as_network() {
        let e: Error = ResponseError::Html.into();
        assert_eq!(e.code, ErrorCode::Network);
        assert!(e.message.contains("HTML"));
        assert!(ResponseError::MissingCount.to_string().contains("count"));
    }

    #[test]
    fn never_panics_on_junk() {
        for body in [
            "{",
            "}",
            "{\"list\":",
            "\u{0}",
            "{\"count\":1e400,\"list\":[]}",
            "🙂",
            "{\"data\": 5}",
        ] {
            let _ = parse_response(body);
        }
    }
}
