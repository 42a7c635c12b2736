//! Faults of the dashboard API, per view and page: set at start ([`HospitalConfig::faults`],
//! `--hospital-fault`) or at run time (`POST /__admin/hospital/fault`,
//! [`HospitalHandle::add_fault`]).
//!
//! [`HospitalConfig::faults`]: super::HospitalConfig::faults
//! [`HospitalHandle::add_fault`]: super::HospitalHandle::add_fault

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Default delay of [`HospitalFaultKind::Delay`]: longer than any sensible client timeout.
pub const DEFAULT_DELAY_MS: u64 = 30_000;

/// How a row of [`HospitalFaultKind::MalformedRow`] is broken.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Malformation {
    /// A typed field holds `"abc"` (123 `kuota`, 239 `id_dokter`, 301/302 `jumlah`, 303 `harga`,
    /// 310 `tanggal_kunjungan`).
    #[default]
    WrongType,
    /// The key field is left out (123 `id_jadwal_dokter`, 239 `booking_id`, 301 `id_deposit`,
    /// 302 `id_tagihan_item`, 303 `kode_item`, 310 `id_kunjungan`).
    MissingKey,
    /// The key field is `null`.
    NullKey,
}

/// What goes wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum HospitalFaultKind {
    /// HTTP 500 with a JSON error body.
    Http500,
    /// The page is computed, then held back this long.
    Delay {
        /// Milliseconds.
        millis: u64,
    },
    /// An HTML page instead of JSON: a login page with 200, or a gateway page with 502.
    Html {
        /// 200 or 502 (any other status is sent as given).
        #[serde(default = "default_html_status")]
        status: u16,
    },
    /// From the trigger page on, `count` is reported off by `delta` (never below 0).
    CountDrift {
        /// Added to the true count.
        delta: i64,
    },
    /// The trigger page starts `rows` rows early, so it repeats the last `rows` rows of the page
    /// before; later pages stay shifted the same way, so no row is lost (the listing needs one
    /// more page when the shift crosses a page boundary).
    Duplicate {
        /// Rows repeated.
        #[serde(default = "one")]
        rows: u64,
    },
    /// The middle row of the page is broken.
    MalformedRow {
        /// How.
        #[serde(default)]
        how: Malformation,
    },
    /// HTTP 200 `application/json` with the body cut in half.
    Truncated,
}

fn default_html_status() -> u16 {
    200
}

fn one() -> u64 {
    1
}

impl HospitalFaultKind {
    /// Kinds whose effect lasts for the later pages of the listing.
    pub fn is_sticky(&self) -> bool {
        matches!(self, Self::CountDrift { .. } | Self::Duplicate { .. })
    }

    /// A short name for the request log.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Http500 => "http500",
            Self::Delay { .. } => "delay",
            Self::Html { .. } => "html",
            Self::CountDrift { .. } => "count-drift",
            Self::Duplicate { .. } => "duplicate",
            Self::MalformedRow { .. } => "malformed-row",
            Self::Truncated => "truncated",
        }
    }
}

/// A fault on one view (or all) and one page (or all).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HospitalFault {
    /// `id_laporan_view`; `None` = every view.
    #[serde(default)]
    pub view: Option<u32>,
    /// The page (1-based) it hits; `None` = every page, except for `count-drift` and
    /// `duplicate`, which then trigger on page 2.
    #[serde(default)]
    pub page: Option<u64>,
    /// What goes wrong.
    #[serde(flatten)]
    pub kind: HospitalFaultKind,
    /// How many matching requests it hits; `None` = every one.
    #[serde(default)]
    pub times: Option<u32>,
}

impl HospitalFault {
    /// A fault on every matching request.
    pub fn always(view: Option<u32>, page: Option<u64>, kind: HospitalFaultKind) -> Self {
        Self {
            view,
            page,
            kind,
            times: None,
        }
    }

    /// A fault on the next `times` matching requests.
    pub fn times(view: Option<u32>, page: Option<u64>, kind: HospitalFaultKind, times: u32) -> Self {
        Self {
            view,
            page,
            kind,
            times: Some(times),
        }
    }

    fn trigger_page(&self) -> Option<u64> {
        match self.page {
            None if self.kind.is_sticky() => Some(2),
            p => p,
        }
    }

    fn matches(&self, view: u32, page: u64) -> bool {
        self.view.is_none_or(|v| v == view) && self.trigger_page().is_none_or(|p| p == page)
    }

    /// Parses `VIEW[:PAGE][@TIMES]=KIND[:ARG]`; VIEW is an `id_laporan_view` or `*`.
    ///
    /// Kinds: `http500`, `delay[:MS]`, `html[:STATUS]` (200 or 502), `count-drift:±D`,
    /// `duplicate[:ROWS]`, `malformed-row[:wrong-type|missing-key|null-key]`, `truncated`.
    /// Examples: `239:3@1=http500`, `*=delay:1500`, `239:2=duplicate:5`, `239:2=count-drift:-3`,
    /// `301:1=malformed-row:missing-key`, `*@1=html:502`.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let (target, kind) = spec.split_once('=').ok_or("expected VIEW[:PAGE][@TIMES]=KIND")?;
        let (target, times) = match target.split_once('@') {
            Some((t, n)) => (
                t,
                Some(n.trim().parse::<u32>().map_err(|_| format!("bad count `{n}`"))?),
            ),
            None => (target, None),
        };
        let (view, page) = match target.split_once(':') {
            Some((v, p)) => (v, Some(p)),
            None => (target, None),
        };
        let view = match view.trim() {
            "*" => None,
            v => Some(
                v.parse::<u32>()
                    .map_err(|_| format!("bad view `{v}` (a number or *)"))?,
            ),
        };
        let page = match page.map(str::trim) {
            None | Some("*") => None,
            Some(p) => match p.parse::<u64>() {
                Ok(n) if n >= 1 => Some(n),
                _ => return Err(format!("bad page `{p}` (1, 2, …)")),
            },
        };
        Ok(Self {
            view,
            page,
            kind: parse_kind(kind.trim())?,
            times,
        })
    }
}

fn parse_kind(text: &str) -> Result<HospitalFaultKind, String> {
    let (name, arg) = match text.split_once(':') {
        Some((n, a)) => (n.trim(), Some(a.trim())),
        None => (text, None),
    };
    let number = |what: &str, default: Option<u64>| -> Result<u64, String> {
        match (arg, default) {
            (Some(a), _) => a.parse().map_err(|_| format!("bad {what} `{a}`")),
            (None, Some(d)) => Ok(d),
            (None, None) => Err(format!("{name} needs :{what}")),
        }
    };
    Ok(match name.to_ascii_lowercase().as_str() {
        "http500" | "500" => HospitalFaultKind::Http500,
        "delay" | "slow" => HospitalFaultKind::Delay {
            millis: number("milliseconds", Some(DEFAULT_DELAY_MS))?,
        },
        "html" => HospitalFaultKind::Html {
            status: number("status", Some(200))?
                .try_into()
                .map_err(|_| "bad status".to_string())?,
        },
        "count-drift" | "drift" => {
            let a = arg.ok_or("count-drift needs :+D or :-D")?;
            HospitalFaultKind::CountDrift {
                delta: a
                    .trim_start_matches('+')
                    .parse()
                    .map_err(|_| format!("bad drift `{a}`"))?,
            }
        }
        "duplicate" | "duplicates" => HospitalFaultKind::Duplicate {
            rows: number("rows", Some(1))?,
        },
        "malformed-row" | "bad-row" => HospitalFaultKind::MalformedRow {
            how: match arg.unwrap_or("wrong-type") {
                "wrong-type" => Malformation::WrongType,
                "missing-key" => Malformation::MissingKey,
                "null-key" => Malformation::NullKey,
                other => return Err(format!("unknown malformation `{other}`")),
            },
        },
        "truncated" | "malformed" => HospitalFaultKind::Truncated,
        other => return Err(format!("unknown fault kind `{other}`")),
    })
}

/// Lasting effects of `duplicate` and `count-drift` on one view, until its page 1 is asked again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Sticky {
    /// (from page, rows shifted back).
    pub(crate) shift: Option<(u64, u64)>,
    /// (from page, count delta).
    pub(crate) drift: Option<(u64, i64)>,
}

impl Sticky {
    pub(crate) fn shift_on(&self, page: u64) -> u64 {
        self.shift.filter(|(from, _)| page >= *from).map_or(0, |(_, r)| r)
    }

    pub(crate) fn drift_on(&self, page: u64) -> i64 {
        self.drift.filter(|(from, _)| page >= *from).map_or(0, |(_, d)| d)
    }
}

/// The active faults (the first match wins and uses up one of its `times`) and the lasting
/// effects of the sticky ones.
#[derive(Debug, Default)]
pub(crate) struct HospitalFaultTable {
    faults: Vec<HospitalFault>,
    sticky: HashMap<u32, Sticky>,
}

impl HospitalFaultTable {
    /// Adds a fault (checked before the older ones).
    pub(crate) fn add(&mut self, fault: HospitalFault) {
        self.faults.insert(0, fault);
    }

    /// Removes every fault and lasting effect.
    pub(crate) fn clear(&mut self) {
        self.faults.clear();
        self.sticky.clear();
    }

    /// The faults still active.
    pub(crate) fn list(&self) -> Vec<HospitalFault> {
        self.faults.clone()
    }

    /// The fault for this request, if any, and the lasting effects that apply to it. Page 1 of
    /// a view starts a new listing: earlier lasting effects on that view end.
    pub(crate) fn take(&mut self, view: u32, page: u64) -> (Option<HospitalFaultKind>, Sticky) {
        if page == 1 {
            self.sticky.remove(&view);
        }
        let kind = self.faults.iter().position(|f| f.matches(view, page)).map(|i| {
            let fault = &mut self.faults[i];
            let kind = fault.kind.clone();
            if let Some(n) = fault.times.as_mut() {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    self.faults.remove(i);
                }
            }
            kind
        });
        match &kind {
            Some(HospitalFaultKind::Duplicate { rows }) => {
                self.sticky.entry(view).or_default().shift = Some((page, *rows));
            }
            Some(HospitalFaultKind::CountDrift { delta }) => {
                self.sticky.entry(view).or_default().drift = Some((page, *delta));
            }
            _ => {}
        }
        let sticky = self.sticky.get(&view).copied().unwrap_or_default();
        (kind, sticky)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_specs() {
        assert_eq!(
            HospitalFault::parse("239:3@1=http500").unwrap(),
            HospitalFault::times(Some(239), Some(3), HospitalFaultKind::Http500, 1)
        );
        assert_eq!(
            HospitalFault::parse("*=delay:1500").unwrap(),
            HospitalFault::always(None, None, HospitalFaultKind::Delay { millis: 1500 })
        );
        assert_eq!(
            HospitalFault::parse("239:2=count-drift:-3").unwrap().kind,
            HospitalFaultKind::CountDrift { delta: -3 }
        );
        assert_eq!(
            HospitalFault::parse("239:2=count-drift:+4").unwrap().kind,
            HospitalFaultKind::CountDrift { delta: 4 }
        );
        assert_eq!(
            HospitalFault::parse("301:1=malformed-row:missing-key").unwrap().kind,
            HospitalFaultKind::MalformedRow {
                how: Malformation::MissingKey
            }
        );
        assert_eq!(
            HospitalFault::parse("*@1=html:502").unwrap().kind,
            HospitalFaultKind::Html { status: 502 }
        );
        for bad in ["239=nope", "x=http500", "239:0=http500", "239", "239=count-drift"] {
            assert!(HospitalFault::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn json_form_round_trips() {
        let f = HospitalFault::times(Some(239), Some(2), HospitalFaultKind::Duplicate { rows: 5 }, 1);
        let json = serde_json::to_value(&f).unwrap();
        assert_eq!(json["kind"], "duplicate");
        assert_eq!(serde_json::from_value::<HospitalFault>(json).unwrap(), f);
        let html: HospitalFault = serde_json::from_str(r#"{"kind":"html"}"#).unwrap();
        assert_eq!(html.kind, HospitalFaultKind::Html { status: 200 });
    }

    #[test]
    fn sticky_effects_last_until_page_one() {
        let mut t = HospitalFaultTable::default();
        t.add(HospitalFault::times(
            Some(239),
            Some(3),
            HospitalFaultKind::Duplicate { rows: 2 },
            1,
        ));
        assert_eq!(t.take(239, 1).1.shift_on(1), 0);
        assert_eq!(t.take(239, 2).1.shift_on(2), 0);
        let (kind, sticky) = t.take(239, 3);
        assert!(kind.is_some());
        assert_eq!(sticky.shift_on(3), 2);
        assert_eq!(t.take(239, 4), (None, sticky));
        assert_eq!(t.take(301, 4).1, Sticky::default());
        assert_eq!(t.take(239, 1).1, Sticky::default());
        assert_eq!(t.take(239, 3).1, Sticky::default());
    }
}
