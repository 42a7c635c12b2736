//! The one error type of this crate: what went wrong, whether retrying can help, and what to
//! tell the clerk.

mod explain;

use crate::crypto::DecryptError;
use crate::envelope::DecodeError;

/// What kind of network failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkKind {
    /// No answer within the configured timeout.
    Timeout,
    /// Could not connect (DNS, refused, no route).
    Connect,
    /// The connection broke while sending or receiving.
    Other,
}

impl std::fmt::Display for NetworkKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Timeout => "timeout",
            Self::Connect => "connect",
            Self::Other => "io",
        })
    }
}

/// Everything a BPJS call can fail with. Messages never carry patient data: bodies are cut to
/// short excerpts and long digit runs are redacted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Network failure or timeout: transient.
    #[error("network error ({kind}): {detail}")]
    Network {
        /// Timeout, connect or broken connection.
        kind: NetworkKind,
        /// The transport's description (without the URL).
        detail: String,
    },
    /// A non-2xx HTTP status without a BPJS envelope. Transient for 408, 429 and 5xx.
    #[error("HTTP {status}: {excerpt}")]
    Http {
        /// HTTP status code.
        status: u16,
        /// Short excerpt of the body.
        excerpt: String,
    },
    /// A 2xx answer whose body is not a JSON envelope (HTML gateway page, broken JSON).
    #[error("response is not JSON (HTTP {status}): {excerpt}")]
    NotJson {
        /// HTTP status code.
        status: u16,
        /// Short, tag-stripped excerpt of the body.
        excerpt: String,
    },
    /// BPJS answered with a failure code (`201`, `401`, …) and its message.
    #[error("BPJS code {code}: {message}")]
    Business {
        /// `metadata.code`.
        code: i64,
        /// `metadata.message` (long digit runs redacted).
        message: String,
    },
    /// The `response` could not be decrypted (wrong secret, cons id or timestamp).
    #[error("cannot decrypt response: {0}")]
    Decrypt(#[from] DecryptError),
    /// The decrypted text is not a valid LZ-string stream.
    #[error("cannot decompress response: {0}")]
    Decompress(String),
    /// The JSON does not have the expected shape.
    #[error("unexpected response at `{field}`: {detail}")]
    Schema {
        /// Path of the field, e.g. `[2].kodedokter`.
        field: String,
        /// What was expected.
        detail: String,
    },
    /// The client configuration is unusable (e.g. an invalid base URL).
    #[error("invalid configuration: {0}")]
    Config(String),
}

impl Error {
    /// `true` when the same request may succeed if sent again: network failures, timeouts,
    /// HTTP 408, 429 and 5xx. The client retries exactly these.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Network { .. } => true,
            Self::Http { status, .. } => *status == 408 || *status == 429 || *status >= 500,
            _ => false,
        }
    }

    /// A stable machine code, e.g. for the `{ code, message }` that crosses IPC.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Network {
                kind: NetworkKind::Timeout,
                ..
            } => "bpjs.timeout",
            Self::Network { .. } => "bpjs.network",
            Self::Http { .. } => "bpjs.http",
            Self::NotJson { .. } => "bpjs.not_json",
            Self::Business { .. } => "bpjs.business",
            Self::Decrypt(_) => "bpjs.decrypt",
            Self::Decompress(_) => "bpjs.decompress",
            Self::Schema { .. } => "bpjs.schema",
            Self::Config(_) => "bpjs.config",
        }
    }

    /// A plain Bahasa Indonesia explanation for the registration clerk.
    pub fn penjelasan(&self) -> String {
        explain::penjelasan(self)
    }

    pub(crate) fn business(code: i64, message: &str) -> Self {
        Self::Business {
            code,
            message: crate::redact::redact_digits(message),
        }
    }
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        match e {
            DecodeError::NotJson { excerpt } => Self::NotJson { status: 200, excerpt },
            DecodeError::Decrypt(d) => Self::Decrypt(d),
            DecodeError::Decompress(m) => Self::Decompress(m.to_owned()),
            DecodeError::Schema { field, detail } => Self::Schema { field, detail },
        }
    }
}

impl From<reqwest::Error> for Error {
    fn from(e: reqwest::Error) -> Self {
        let kind = if e.is_timeout() {
            NetworkKind::Timeout
        } else if e.is_connect() {
            NetworkKind::Connect
        } else {
            NetworkKind::Other
        };
        // The URL may carry path parameters; keep it out of the message.
        let e = e.without_url();
        let mut detail = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            detail.push_str(": ");
            detail.push_str(&s.to_string());
            source = s.source();
        }
        Self::Network {
            kind,
            detail: crate::redact::redact_digits(&detail),
        }
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
