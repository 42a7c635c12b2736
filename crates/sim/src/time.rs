//! WIB (UTC+7) formatting for `getlisttask` and dates for the schedule window.

use chrono::{DateTime, FixedOffset, NaiveDate};

/// Western Indonesia Time.
pub fn wib() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset")
}

/// `dd-MM-yyyy HH:mm:ss WIB` for epoch milliseconds.
pub fn wib_text(ms: i64) -> String {
    match DateTime::from_timestamp_millis(ms) {
        Some(t) => format!("{} WIB", t.with_timezone(&wib()).format("%d-%m-%Y %H:%M:%S")),
        None => String::new(),
    }
}

/// The WIB calendar date of epoch milliseconds.
pub fn wib_date(ms: i64) -> NaiveDate {
    DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&wib())
        .date_naive()
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_in_wib() {
        // 2023-11-14 22:13:20 UTC is 2023-11-15 05:13:20 WIB.
        assert_eq!(super::wib_text(1_700_000_000_000), "15-11-2023 05:13:20 WIB");
    }
}
