//! Typed endpoints, one file per family. Each method builds a path or body, calls
//! [`Client::get`] / [`Client::post`], and turns the envelope into a typed result with the
//! helpers below.

mod antrean;
mod dashboard;
mod jadwal;
mod pendaftaran;
mod referensi;

use crate::client::{Answer, Client};
use crate::error::{Error, Result};
use crate::outcome::Outcome;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::de::DeserializeOwned;

/// Success for `ref/*`.
pub(crate) const OK_REF: &[i64] = &[1, 200];
/// Success everywhere else.
pub(crate) const OK: &[i64] = &[200];
/// "No data".
pub(crate) const NO_CONTENT: i64 = 204;
/// Duplicate: already recorded.
pub(crate) const DUPLICATE: i64 = 208;

/// Everything but unreserved characters is escaped: `kodebooking` may contain `/`, `#`, `:`.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// One percent-encoded path segment.
pub(crate) fn segment(text: &str) -> String {
    utf8_percent_encode(text, SEGMENT).to_string()
}

impl Answer {
    /// A list payload on success, empty on 204, the business error otherwise.
    pub(crate) fn into_list<T: DeserializeOwned>(self, ok: &[i64]) -> Result<Vec<T>> {
        let code = self.envelope.code;
        if ok.contains(&code) {
            Ok(self.envelope.list(&self.key)?)
        } else if code == NO_CONTENT {
            Ok(Vec::new())
        } else {
            Err(Error::business(code, &self.envelope.message))
        }
    }

    /// A command's outcome: 200 done, 208 already done.
    pub(crate) fn into_outcome(self) -> Result<Outcome> {
        let Self { envelope, .. } = self;
        match envelope.code {
            200 => Ok(Outcome::Done {
                message: envelope.message,
            }),
            DUPLICATE => Ok(Outcome::AlreadyDone {
                code: DUPLICATE,
                message: crate::redact::redact_digits(&envelope.message),
            }),
            code => Err(Error::business(code, &envelope.message)),
        }
    }
}

impl Client {
    async fn get_list<T: DeserializeOwned>(&self, label: &'static str, path: &str, ok: &[i64]) -> Result<Vec<T>> {
        self.get(label, path).await?.into_list(ok)
    }
}
