//! Header checks. BPJS does not document its rejection texts for Antrean RS (spec §4.2, §13);
//! these are the simulator's choice, each naming its cause so clients can explain it.

use crate::config::SimConfig;
use axum::http::HeaderMap;
use loket_bpjs::signature::{header, verify_signature};

/// Metadata code of every authentication failure.
pub const AUTH_CODE: i64 = 401;
/// Missing or wrong `user_key`, or a cons id not activated for Antrean RS.
pub const NOT_REGISTERED: &str = "Unauthorized! You are not registered for this service!";
/// The HMAC does not match.
pub const BAD_SIGNATURE: &str = "Authentication failed! Invalid signature";
/// `X-timestamp` is missing, not a number, or too far from the server's clock.
pub const BAD_TIMESTAMP: &str = "Authentication failed! X-timestamp expired or invalid";

fn get<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// `Ok(timestamp)` or the message to answer with.
pub fn check(headers: &HeaderMap, config: &SimConfig, now_secs: u64) -> Result<String, &'static str> {
    if get(headers, header::USER_KEY) != Some(config.user_key.as_str()) {
        return Err(NOT_REGISTERED);
    }
    if get(headers, header::CONS_ID) != Some(config.cons_id.as_str()) {
        return Err(NOT_REGISTERED);
    }
    let ts = get(headers, header::TIMESTAMP).ok_or(BAD_TIMESTAMP)?;
    let secs: u64 = ts.trim().parse().map_err(|_| BAD_TIMESTAMP)?;
    let signature = get(headers, header::SIGNATURE).unwrap_or_default();
    if !verify_signature(&config.cons_id, &config.secret, ts, signature) {
        return Err(BAD_SIGNATURE);
    }
    if let Some(tolerance) = config.timestamp_tolerance {
        if secs.abs_diff(now_secs) > tolerance.as_secs() {
            return Err(BAD_TIMESTAMP);
        }
    }
    Ok(ts.to_owned())
}
