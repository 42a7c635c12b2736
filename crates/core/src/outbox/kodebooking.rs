//! The booking code BPJS knows a token by.

use chrono::NaiveDate;

use crate::opd::TokenId;
use crate::{Error, Result};

/// The longest code we make. The catalogue sets no limit ("free string"); the examples seen are
/// at most 17 characters, so 20 stays close to what is known to work.
pub const KODEBOOKING_MAX_LEN: usize = 20;

/// Characters of the PPK code kept as the prefix.
const PREFIX_MAX: usize = 6;
/// Digits of the token id (zero-padded).
const ID_DIGITS: usize = 8;
/// The prefix when no PPK code is configured.
const DEFAULT_PREFIX: &str = "LKT";

/// `{prefix}{YYMMDD}{token id, 8 digits}`, e.g. `0301R0260119000123`: at most 20 upper-case
/// letters and digits, so it needs no escaping in a URL path. The prefix is the first six
/// letters or digits of the PPK code (`LKT` when none is set), the date is the visit date
/// (`tanggalperiksa`). The same inputs always give the same code; within one database two
/// tokens never share one, because token ids are unique. Compute it once when the token is
/// issued and keep it: a later change of the PPK code must not change a booking's code.
pub fn kodebooking(kode_ppk: &str, date: NaiveDate, token_id: TokenId) -> Result<String> {
    if !(1..=99_999_999).contains(&token_id.0) {
        return Err(Error::internal(format!(
            "Id antrean {token_id} tidak dapat dijadikan kode booking (1 sampai 99999999)."
        )));
    }
    let ppk: String = kode_ppk
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(PREFIX_MAX)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let prefix = if ppk.is_empty() { DEFAULT_PREFIX } else { ppk.as_str() };
    let code = format!(
        "{prefix}{}{:0width$}",
        date.format("%y%m%d"),
        token_id.0,
        width = ID_DIGITS
    );
    debug_assert!(code.len() <= KODEBOOKING_MAX_LEN);
    Ok(code)
}
