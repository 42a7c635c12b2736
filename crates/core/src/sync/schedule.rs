//! When a sync job runs, in WIB wall-clock time.

use chrono::{DateTime, Datelike, Days, NaiveTime, TimeDelta, Utc, Weekday};
use serde::{Deserialize, Serialize};

use crate::time::{wib_date, wib_instant};
use crate::{Error, Result};

/// A day of the week, as the desk names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Hari {
    Senin,
    Selasa,
    Rabu,
    Kamis,
    Jumat,
    Sabtu,
    Minggu,
}

impl Hari {
    pub fn weekday(self) -> Weekday {
        match self {
            Hari::Senin => Weekday::Mon,
            Hari::Selasa => Weekday::Tue,
            Hari::Rabu => Weekday::Wed,
            Hari::Kamis => Weekday::Thu,
            Hari::Jumat => Weekday::Fri,
            Hari::Sabtu => Weekday::Sat,
            Hari::Minggu => Weekday::Sun,
        }
    }
}

/// When a job runs by itself. A disabled job still runs when the clerk asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Schedule {
    /// Every day at `hour:minute` WIB.
    Daily { hour: u8, minute: u8 },
    /// Every week on `day` at `hour:minute` WIB.
    Weekly { day: Hari, hour: u8, minute: u8 },
    /// Every `minutes` minutes after the last run (5 to 1440).
    Every { minutes: u32 },
    /// Only by hand.
    Disabled,
}

fn at(hour: u8, minute: u8) -> Option<NaiveTime> {
    NaiveTime::from_hms_opt(u32::from(hour), u32::from(minute), 0)
}

impl Schedule {
    pub fn validate(&self) -> Result<()> {
        match *self {
            Schedule::Daily { hour, minute } | Schedule::Weekly { hour, minute, .. } => {
                at(hour, minute).map(|_| ()).ok_or_else(|| {
                    Error::invalid(format!(
                        "jam jadwal {hour:02}:{minute:02} tidak valid; gunakan 00:00 sampai 23:59."
                    ))
                })
            }
            Schedule::Every { minutes } if !(5..=1440).contains(&minutes) => {
                Err(Error::invalid("selang jadwal harus antara 5 dan 1440 menit."))
            }
            _ => Ok(()),
        }
    }

    /// When the job is next due: the first scheduled instant strictly after `last`, or `now`
    /// when it never ran. A result at or before `now` means due now (a missed run is caught up
    /// once, not once per missed slot). `None` when disabled. Daily and weekly times are WIB.
    pub fn next_run_after(&self, last: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if *self == Schedule::Disabled {
            return None;
        }
        let Some(last) = last else {
            return Some(now);
        };
        match *self {
            Schedule::Daily { hour, minute } => {
                let t = at(hour, minute)?;
                let d = wib_date(last);
                let c = wib_instant(d, t);
                Some(if c > last {
                    c
                } else {
                    wib_instant(d.checked_add_days(Days::new(1))?, t)
                })
            }
            Schedule::Weekly { day, hour, minute } => {
                let t = at(hour, minute)?;
                let d = wib_date(last);
                let ahead = (7 + day.weekday().num_days_from_monday() - d.weekday().num_days_from_monday()) % 7;
                let c = wib_instant(d.checked_add_days(Days::new(u64::from(ahead)))?, t);
                Some(if c > last {
                    c
                } else {
                    wib_instant(d.checked_add_days(Days::new(u64::from(ahead) + 7))?, t)
                })
            }
            Schedule::Every { minutes } => last.checked_add_signed(TimeDelta::minutes(i64::from(minutes.max(1)))),
            Schedule::Disabled => None,
        }
    }

    /// Whether the job should run at `now`.
    pub fn is_due(&self, last: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
        self.next_run_after(last, now).is_some_and(|next| next <= now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn daily_runs_at_the_wib_time_across_wib_midnight() {
        let s = Schedule::Daily { hour: 5, minute: 0 };
        let now = utc("2026-02-10T00:00:00Z");
        let cases = [
            // last run (UTC) → next run (UTC); 05:00 WIB is 22:00 UTC the day before.
            ("2026-02-01T20:00:00Z", "2026-02-01T22:00:00Z"), // 03:00 WIB on the 2nd
            ("2026-02-01T22:00:00Z", "2026-02-02T22:00:00Z"), // exactly at 05:00 WIB
            ("2026-02-01T23:00:00Z", "2026-02-02T22:00:00Z"), // 06:00 WIB on the 2nd
            ("2026-02-01T16:59:00Z", "2026-02-01T22:00:00Z"), // 23:59 WIB on the 1st: UTC date differs
            ("2026-02-01T17:00:00Z", "2026-02-01T22:00:00Z"), // 00:00 WIB on the 2nd
        ];
        for (last, next) in cases {
            assert_eq!(s.next_run_after(Some(utc(last)), now), Some(utc(next)), "last {last}");
        }
        let midnight = Schedule::Daily { hour: 0, minute: 30 };
        assert_eq!(
            midnight.next_run_after(Some(utc("2026-02-01T17:45:00Z")), now),
            Some(utc("2026-02-02T17:30:00Z"))
        );
        assert_eq!(
            midnight.next_run_after(Some(utc("2026-02-01T16:45:00Z")), now),
            Some(utc("2026-02-01T17:30:00Z"))
        );
    }

    #[test]
    fn weekly_monday_midnight_wib_is_sunday_17_utc() {
        let s = Schedule::Weekly {
            day: Hari::Senin,
            hour: 0,
            minute: 0,
        };
        let now = utc("2026-03-01T00:00:00Z");
        // 2026-02-01 is a Sunday; Monday 2026-02-02 00:00 WIB is 2026-02-01T17:00Z.
        let cases = [
            ("2026-02-01T16:59:00Z", "2026-02-01T17:00:00Z"),
            ("2026-02-01T17:00:00Z", "2026-02-08T17:00:00Z"),
            ("2026-02-03T05:00:00Z", "2026-02-08T17:00:00Z"),
            ("2026-01-28T10:00:00Z", "2026-02-01T17:00:00Z"), // a Wednesday
        ];
        for (last, next) in cases {
            assert_eq!(s.next_run_after(Some(utc(last)), now), Some(utc(next)), "last {last}");
        }
    }

    #[test]
    fn first_run_is_due_now_and_missed_runs_catch_up_once() {
        let s = Schedule::Daily { hour: 5, minute: 0 };
        let now = utc("2026-02-10T03:00:00Z");
        assert_eq!(s.next_run_after(None, now), Some(now));
        assert!(s.is_due(None, now));
        assert!(s.is_due(Some(utc("2026-02-01T00:00:00Z")), now));
        assert!(!s.is_due(Some(now), now));
        assert!(!Schedule::Disabled.is_due(None, now));
        assert_eq!(Schedule::Disabled.next_run_after(Some(now), now), None);
        let every = Schedule::Every { minutes: 15 };
        assert_eq!(
            every.next_run_after(Some(utc("2026-02-10T02:50:00Z")), now),
            Some(utc("2026-02-10T03:05:00Z"))
        );
    }

    #[test]
    fn validation_and_json() {
        assert!(Schedule::Daily { hour: 23, minute: 59 }.validate().is_ok());
        assert!(Schedule::Daily { hour: 24, minute: 0 }.validate().is_err());
        assert!(Schedule::Weekly {
            day: Hari::Jumat,
            hour: 7,
            minute: 60
        }
        .validate()
        .is_err());
        assert!(Schedule::Every { minutes: 1 }.validate().is_err());
        assert_eq!(
            serde_json::to_value(Schedule::Weekly {
                day: Hari::Senin,
                hour: 0,
                minute: 0
            })
            .unwrap(),
            serde_json::json!({"kind": "weekly", "day": "senin", "hour": 0, "minute": 0})
        );
    }
}
