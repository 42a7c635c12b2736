//! Fault injection per endpoint: set at start (`SimConfig::faults`, `--fault`) or at run time
//! (`POST /__admin/fault`, [`crate::SimHandle::add_fault`]).

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Default delay of [`FaultKind::Delay`]: longer than any sensible client timeout.
pub const DEFAULT_DELAY: Duration = Duration::from_secs(30);

/// What goes wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum FaultKind {
    /// HTTP 500 with a short plain-text body.
    Http500,
    /// HTTP 429 with `Retry-After: 1`.
    Http429,
    /// The request is processed, then the answer is held back this long.
    Delay {
        /// Milliseconds.
        millis: u64,
    },
    /// HTTP 200 with an HTML "Request Rejected" gateway page.
    Html,
    /// HTTP 200 with a truncated JSON body.
    Malformed,
    /// The `response` is encrypted with a key derived from another timestamp.
    WrongKey,
    /// `metadata {code: 201, message}` instead of processing the request.
    Message {
        /// The message.
        message: String,
    },
}

/// A fault on the endpoints whose name starts with `endpoint` (`*` = all).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    /// Endpoint name or prefix, e.g. `antrean/add`, `antrean/pendaftaran`, `*`.
    pub endpoint: String,
    /// What goes wrong.
    #[serde(flatten)]
    pub kind: FaultKind,
    /// How many requests it hits; `None` = every one.
    #[serde(default)]
    pub times: Option<u32>,
}

impl Fault {
    /// A fault on every request to `endpoint`.
    pub fn always(endpoint: &str, kind: FaultKind) -> Self {
        Self {
            endpoint: endpoint.into(),
            kind,
            times: None,
        }
    }

    /// A fault on the next `times` requests to `endpoint`.
    pub fn times(endpoint: &str, kind: FaultKind, times: u32) -> Self {
        Self {
            endpoint: endpoint.into(),
            kind,
            times: Some(times),
        }
    }

    fn matches(&self, endpoint: &str) -> bool {
        self.endpoint == "*"
            || endpoint == self.endpoint
            || endpoint
                .strip_prefix(self.endpoint.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    }

    /// Parses `ENDPOINT[@TIMES]=KIND[:ARG]`, e.g. `antrean/add=http500`,
    /// `ref/poli@2=delay:20000`, `antrean/add=message:Rujukan tidak valid`.
    ///
    /// Kinds: `http500`, `http429`, `delay[:MS]`, `html`, `malformed`, `wrong-key`,
    /// `message[:TEXT]`.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let (target, kind) = spec.split_once('=').ok_or("expected ENDPOINT=KIND")?;
        let (endpoint, times) = match target.split_once('@') {
            Some((e, n)) => (e, Some(n.parse::<u32>().map_err(|_| format!("bad count `{n}`"))?)),
            None => (target, None),
        };
        let endpoint = endpoint.trim().trim_matches('/');
        if endpoint.is_empty() {
            return Err("empty endpoint".into());
        }
        Ok(Self {
            endpoint: endpoint.into(),
            kind: parse_kind(kind.trim())?,
            times,
        })
    }
}

fn parse_kind(text: &str) -> Result<FaultKind, String> {
    let (name, arg) = match text.split_once(':') {
        Some((n, a)) => (n, Some(a)),
        None => (text, None),
    };
    Ok(match name.to_ascii_lowercase().as_str() {
        "http500" | "500" => FaultKind::Http500,
        "http429" | "429" => FaultKind::Http429,
        "delay" | "timeout" => FaultKind::Delay {
            millis: match arg {
                Some(ms) => ms.parse().map_err(|_| format!("bad delay `{ms}`"))?,
                None => DEFAULT_DELAY.as_millis() as u64,
            },
        },
        "html" => FaultKind::Html,
        "malformed" | "malformed-json" => FaultKind::Malformed,
        "wrong-key" | "wrongkey" => FaultKind::WrongKey,
        "message" | "201" => FaultKind::Message {
            message: arg.unwrap_or("Gagal (simulasi)").into(),
        },
        other => return Err(format!("unknown fault kind `{other}`")),
    })
}

/// The active faults; the first match wins and uses up one of its `times`.
#[derive(Debug, Default)]
pub struct FaultTable {
    faults: Vec<Fault>,
}

impl FaultTable {
    /// Adds a fault (checked before the older ones).
    pub fn add(&mut self, fault: Fault) {
        self.faults.insert(0, fault);
    }

    /// Removes every fault.
    pub fn clear(&mut self) {
        self.faults.clear();
    }

    /// The fault for this request, if any.
    pub fn take(&mut self, endpoint: &str) -> Option<FaultKind> {
        let i = self.faults.iter().position(|f| f.matches(endpoint))?;
        let fault = &mut self.faults[i];
        let kind = fault.kind.clone();
        if let Some(n) = fault.times.as_mut() {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.faults.remove(i);
            }
        }
        Some(kind)
    }

    /// The faults still active.
    pub fn list(&self) -> Vec<Fault> {
        self.faults.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_specs() {
        assert_eq!(
            Fault::parse("antrean/add=http500").unwrap(),
            Fault::always("antrean/add", FaultKind::Http500)
        );
        assert_eq!(
            Fault::parse("ref/poli@2=delay:20000").unwrap(),
            Fault::times("ref/poli", FaultKind::Delay { millis: 20000 }, 2)
        );
        assert_eq!(
            Fault::parse("*=message:Rujukan tidak valid").unwrap().kind,
            FaultKind::Message {
                message: "Rujukan tidak valid".into()
            }
        );
        assert!(Fault::parse("x=nope").is_err());
    }

    #[test]
    fn prefixes_and_counts() {
        let mut t = FaultTable::default();
        t.add(Fault::times("antrean/pendaftaran", FaultKind::Html, 1));
        assert_eq!(t.take("antrean/add"), None);
        assert_eq!(t.take("antrean/pendaftaran/aktif"), Some(FaultKind::Html));
        assert_eq!(t.take("antrean/pendaftaran/aktif"), None);
    }
}
