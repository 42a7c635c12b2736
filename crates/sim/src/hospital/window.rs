//! The date range of a request, from its start and end fields.
//!
//! Accepted forms for either bound:
//! * `2026-02-02`: a WIB date; as an end it includes the whole day;
//! * `2026-02-02 08:00:00`, `2026-02-02T08:00` (no offset): WIB wall clock;
//! * `2026-02-01T17:00:00+00:00`, `2026-02-01T17:00:00.000Z`: an instant (RFC 3339).
//!
//! A start is inclusive. An end with a time is inclusive to the second, except an end exactly at
//! WIB midnight, which is exclusive: `2026-02-10T17:00:00+00:00` (the dashboard's own client,
//! see the seed) ends with 2026-02-10. Views keyed by a date take every date the range touches.

use super::world::{wib_date_of, wib_midnight};
use chrono::{DateTime, NaiveDate, NaiveDateTime};

/// `[start, end)` in unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    pub(crate) start: i64,
    pub(crate) end: i64,
}

impl Window {
    /// Parses both bounds; the error names the field.
    pub(crate) fn parse(start: &str, end: &str, fields: (&str, &str)) -> Result<Self, String> {
        let start = bound(start, false).ok_or_else(|| format!("Format {} tidak valid", fields.0))?;
        let end = bound(end, true).ok_or_else(|| format!("Format {} tidak valid", fields.1))?;
        Ok(Self { start, end })
    }

    /// The WIB dates the range touches, or `None` when it is empty.
    pub(crate) fn dates(&self) -> Option<(NaiveDate, NaiveDate)> {
        (self.end > self.start).then(|| (wib_date_of(self.start), wib_date_of(self.end - 1)))
    }

    /// Whether `secs` lies in the range.
    pub(crate) fn contains(&self, secs: i64) -> bool {
        self.start <= secs && secs < self.end
    }
}

fn bound(text: &str, is_end: bool) -> Option<i64> {
    let text = text.trim();
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let day = if is_end { date.succ_opt()? } else { date };
        return Some(wib_midnight(day));
    }
    let instant = if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        t.timestamp()
    } else {
        let wall = [
            "%Y-%m-%d %H:%M:%S%.f",
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%H:%M",
        ]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())?;
        wall.and_utc().timestamp() - 7 * 3600
    };
    let at_midnight = (instant + 7 * 3600).rem_euclid(86_400) == 0;
    Some(if is_end && !at_midnight { instant + 1 } else { instant })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn three_forms_of_the_same_range() {
        let f = ("a", "b");
        let forms = [
            ("2026-02-02", "2026-02-10"),
            ("2026-02-01T17:00:00+00:00", "2026-02-10T17:00:00+00:00"),
            ("2026-02-02 00:00:00", "2026-02-10 23:59:59"),
            ("2026-02-01T17:00:00.000Z", "2026-02-11T00:00:00+07:00"),
        ];
        let first = Window::parse(forms[0].0, forms[0].1, f).unwrap();
        for (a, b) in forms {
            let w = Window::parse(a, b, f).unwrap();
            assert_eq!(w, first, "{a} {b}");
            assert_eq!(w.dates(), Some((d("2026-02-02"), d("2026-02-10"))));
        }
        assert!(Window::parse("02-02-2026", "2026-02-10", f).unwrap_err().contains('a'));
        let empty = Window::parse("2026-02-10", "2026-02-02", f).unwrap();
        assert_eq!(empty.dates(), None);
    }
}
