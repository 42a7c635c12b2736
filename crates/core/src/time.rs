//! WIB (Asia/Jakarta, UTC+7, no daylight saving since 1964) time rules. Instants are stored as
//! UTC; dates, wall-clock times and months that a clerk sees are WIB. Every function takes the
//! instant it works on as an argument.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

use crate::{Error, Result};

/// The fixed offset of Asia/Jakarta.
pub fn wib() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset")
}

pub fn to_wib(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&wib())
}

/// The WIB calendar date of an instant ("today" at the desk).
pub fn wib_date(at: DateTime<Utc>) -> NaiveDate {
    to_wib(at).date_naive()
}

/// The UTC instant of a WIB wall-clock date and time.
pub fn wib_instant(date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    wib()
        .from_local_datetime(&NaiveDateTime::new(date, time))
        .single()
        .expect("a fixed offset maps every local time to one instant")
        .with_timezone(&Utc)
}

/// `dd/mm/yyyy HH:MM WIB`, the way the desk shows an instant.
pub fn format_wib(at: DateTime<Utc>) -> String {
    to_wib(at).format("%d/%m/%Y %H:%M WIB").to_string()
}

/// Parses `HH:MM` (24-hour).
pub fn parse_hhmm(s: &str) -> Result<NaiveTime> {
    let s = s.trim();
    let ok = s.len() == 5 && s.as_bytes()[2] == b':';
    ok.then(|| NaiveTime::parse_from_str(s, "%H:%M").ok())
        .flatten()
        .ok_or_else(|| {
            Error::invalid(format!(
                "Jam \"{s}\" tidak valid; gunakan format JJ:MM, misalnya 08:00."
            ))
        })
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        Error::invalid(format!(
            "Tanggal \"{}\" tidak valid; gunakan format TTTT-BB-HH, misalnya 2026-01-19.",
            s.trim()
        ))
    })
}

/// Parses an RFC 3339 instant, e.g. `2026-01-19T08:05:00+07:00`.
pub fn parse_instant(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s.trim())
        .map(|d| d.with_timezone(&Utc))
        .map_err(|_| {
            Error::invalid(format!(
                "Waktu \"{}\" tidak valid; gunakan RFC 3339, misalnya 2026-01-19T08:05:00+07:00.",
                s.trim()
            ))
        })
}

/// A practice window `HH:MM-HH:MM` in WIB wall-clock time; the end is after the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JamPraktek {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl JamPraktek {
    pub fn parse(s: &str) -> Result<JamPraktek> {
        let bad = || {
            Error::invalid(format!(
                "Jam praktek \"{}\" tidak valid; gunakan format JJ:MM-JJ:MM, misalnya 08:00-12:00.",
                s.trim()
            ))
        };
        let (a, b) = s.trim().split_once('-').ok_or_else(bad)?;
        let start = parse_hhmm(a).map_err(|_| bad())?;
        let end = parse_hhmm(b).map_err(|_| bad())?;
        if end <= start {
            return Err(Error::invalid(format!(
                "Jam praktek \"{}\": jam selesai harus setelah jam mulai.",
                s.trim()
            )));
        }
        Ok(JamPraktek { start, end })
    }
}

impl std::fmt::Display for JamPraktek {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.start.format("%H:%M"), self.end.format("%H:%M"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn wib_date_rolls_over_at_17_utc() {
        assert_eq!(
            wib_date(utc("2026-01-18T16:59:59Z")),
            NaiveDate::from_ymd_opt(2026, 1, 18).unwrap()
        );
        assert_eq!(
            wib_date(utc("2026-01-18T17:00:00Z")),
            NaiveDate::from_ymd_opt(2026, 1, 19).unwrap()
        );
    }

    #[test]
    fn wib_instant_is_seven_hours_ahead() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 19).unwrap();
        let t = NaiveTime::from_hms_opt(8, 0, 0).unwrap();
        assert_eq!(wib_instant(d, t), utc("2026-01-19T01:00:00Z"));
        assert_eq!(format_wib(utc("2026-01-19T01:00:00Z")), "19/01/2026 08:00 WIB");
    }

    #[test]
    fn parses_and_rejects_clock_times() {
        assert_eq!(parse_hhmm("05:00").unwrap(), NaiveTime::from_hms_opt(5, 0, 0).unwrap());
        for bad in ["5:00", "24:00", "12:60", "noon", "", "12:00:00"] {
            let e = parse_hhmm(bad).unwrap_err();
            assert_eq!(e.code, crate::ErrorCode::InvalidInput, "{bad}");
        }
    }

    #[test]
    fn jam_praktek_needs_end_after_start() {
        let j = JamPraktek::parse("08:00-12:30").unwrap();
        assert_eq!(j.to_string(), "08:00-12:30");
        assert!(JamPraktek::parse("12:00-08:00").is_err());
        assert!(JamPraktek::parse("08:00-08:00").is_err());
        assert!(JamPraktek::parse("08:00").is_err());
    }

    #[test]
    fn dates_and_instants() {
        assert!(parse_date("2026-02-30").is_err());
        assert_eq!(
            parse_instant("2026-01-19T08:05:00+07:00").unwrap(),
            utc("2026-01-19T01:05:00Z")
        );
        assert!(parse_instant("2026-01-19 08:05").is_err());
    }
}
