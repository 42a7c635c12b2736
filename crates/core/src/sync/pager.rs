//! Which page to fetch next, and when to stop.
//!
//! The API pages by offset (`pages`, `limit`) and reports the total `count` on every page. The
//! total may change while a run pages through it (bookings arrive, rows are cancelled), so the
//! pager trusts the latest `count`, stops on an empty or short page, and never asks for more than
//! a bound derived from the first `count`. Rows that shift across a page boundary because the
//! total changed may be seen twice (the [`super::Deduper`] drops them) or missed: when
//! [`Pager::count_changed`], a second run picks them up.

use serde::{Deserialize, Serialize};

use super::api::PageAnswer;

/// No run fetches more pages than this, whatever `count` says.
pub const HARD_MAX_PAGES: u32 = 100_000;
/// Pages allowed beyond twice the first estimate.
const SLACK_PAGES: u64 = 2;

/// Why paging stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// A page came back empty.
    EmptyPage,
    /// A page came back with fewer rows than the limit: the last one.
    ShortPage,
    /// pages × limit reached the latest `count`.
    CountReached,
    /// The page bound was hit while `count` kept growing: the run may be incomplete.
    PageBound,
}

impl StopReason {
    /// The run stopped because the data ended, not because of the guard.
    pub fn is_complete(self) -> bool {
        self != StopReason::PageBound
    }
}

/// What to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Fetch this page (1-based).
    Fetch(u32),
    Done(StopReason),
}

/// The paging state of one run. Plain data: the store may keep it as the job's progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pager {
    limit: u32,
    pages_done: u32,
    rows_received: u64,
    first_count: Option<u64>,
    latest_count: Option<u64>,
    count_changed: bool,
    max_pages: u32,
    stop: Option<StopReason>,
}

fn pages_for(count: u64, limit: u32) -> u64 {
    count.div_ceil(u64::from(limit.max(1)))
}

impl Pager {
    /// A run that asks for `limit` rows per page (at least 1).
    pub fn new(limit: u32) -> Pager {
        Pager {
            limit: limit.max(1),
            pages_done: 0,
            rows_received: 0,
            first_count: None,
            latest_count: None,
            count_changed: false,
            max_pages: HARD_MAX_PAGES,
            stop: None,
        }
    }

    /// The page to fetch now, or why the run is over.
    pub fn next(&self) -> Step {
        match self.stop {
            Some(r) => Step::Done(r),
            None => Step::Fetch(self.pages_done + 1),
        }
    }

    /// Records a parsed answer: like [`Pager::record`], after adopting a smaller `limit` the
    /// server reports (a server that caps the page size would otherwise look like a short page).
    pub fn record_answer(&mut self, answer: &PageAnswer) -> Step {
        if let Some(l) = answer.limit {
            if (1..self.limit).contains(&l) {
                self.limit = l;
            }
        }
        self.record(answer.count, answer.rows.len())
    }

    /// Records the answer to the page [`Pager::next`] asked for: the `count` it reported and how
    /// many rows it held. Returns the next step. Ignored once the run is over.
    pub fn record(&mut self, count: u64, rows: usize) -> Step {
        if let Some(r) = self.stop {
            return Step::Done(r);
        }
        self.pages_done += 1;
        self.rows_received += rows as u64;
        // A server that ignores `limit` and sends more: its page size is the real one.
        if rows as u64 > u64::from(self.limit) {
            self.limit = u32::try_from(rows).unwrap_or(u32::MAX);
        }
        match self.latest_count {
            None => {
                self.first_count = Some(count);
                let bound = pages_for(count, self.limit)
                    .saturating_mul(2)
                    .saturating_add(SLACK_PAGES);
                self.max_pages = u32::try_from(bound).unwrap_or(u32::MAX).clamp(1, HARD_MAX_PAGES);
            }
            Some(c) if c != count => self.count_changed = true,
            Some(_) => {}
        }
        self.latest_count = Some(count);
        let stop = if rows == 0 {
            Some(StopReason::EmptyPage)
        } else if rows < self.limit as usize {
            Some(StopReason::ShortPage)
        } else if u64::from(self.pages_done) * u64::from(self.limit) >= count {
            Some(StopReason::CountReached)
        } else if self.pages_done >= self.max_pages {
            Some(StopReason::PageBound)
        } else {
            None
        };
        self.stop = stop;
        self.next()
    }

    pub fn pages_done(&self) -> u32 {
        self.pages_done
    }

    /// The total pages as far as known now, for a progress bar: at least the pages done, and one
    /// more while the run goes on.
    pub fn pages_total_estimate(&self) -> u32 {
        if self.stop.is_some() {
            return self.pages_done;
        }
        let by_count = self
            .latest_count
            .map_or(1, |c| u32::try_from(pages_for(c, self.limit)).unwrap_or(u32::MAX));
        by_count.clamp(self.pages_done + 1, self.max_pages.max(self.pages_done + 1))
    }

    pub fn rows_received(&self) -> u64 {
        self.rows_received
    }

    pub fn latest_count(&self) -> Option<u64> {
        self.latest_count
    }

    /// `count` differed between pages: rows may have shifted across page boundaries.
    pub fn count_changed(&self) -> bool {
        self.count_changed
    }

    pub fn limit(&self) -> u32 {
        self.limit
    }

    pub fn max_pages(&self) -> u32 {
        self.max_pages
    }

    pub fn stop_reason(&self) -> Option<StopReason> {
        self.stop
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Runs a pager against answers `(count, rows)` for pages 1, 2, …; returns the pages asked for
    /// and the stop reason.
    fn drive(limit: u32, answers: &[(u64, usize)]) -> (Vec<u32>, StopReason) {
        let mut p = Pager::new(limit);
        let mut asked = vec![];
        let mut it = answers.iter();
        loop {
            match p.next() {
                Step::Fetch(n) => {
                    asked.push(n);
                    let (c, r) = it.next().expect("pager asked for a page nobody planned");
                    p.record(*c, *r);
                }
                Step::Done(r) => return (asked, r),
            }
        }
    }

    #[test]
    fn stable_count_stops_when_count_is_reached() {
        assert_eq!(
            drive(10, &[(30, 10), (30, 10), (30, 10)]),
            (vec![1, 2, 3], StopReason::CountReached)
        );
        assert_eq!(
            drive(10, &[(25, 10), (25, 10), (25, 5)]),
            (vec![1, 2, 3], StopReason::ShortPage)
        );
        assert_eq!(drive(10, &[(0, 0)]), (vec![1], StopReason::EmptyPage));
        assert_eq!(drive(10, &[(434, 10); 44]).0.len(), 44);
    }

    #[test]
    fn count_drifting_up_is_followed() {
        let (pages, r) = drive(10, &[(25, 10), (35, 10), (35, 10), (35, 5)]);
        assert_eq!((pages, r), (vec![1, 2, 3, 4], StopReason::ShortPage));
        let mut p = Pager::new(10);
        p.record(25, 10);
        p.record(35, 10);
        assert!(p.count_changed());
        assert_eq!(p.latest_count(), Some(35));
    }

    #[test]
    fn count_drifting_down_stops_early() {
        // 30 rows became 18 after page 1: page 2 reaches the new count.
        assert_eq!(drive(10, &[(30, 10), (18, 10)]), (vec![1, 2], StopReason::CountReached));
        // The rows vanished altogether.
        assert_eq!(drive(10, &[(30, 10), (30, 0)]), (vec![1, 2], StopReason::EmptyPage));
    }

    #[test]
    fn a_count_that_keeps_growing_hits_the_bound() {
        // first count 20 → 2 pages → bound 2×2+2 = 6.
        let answers: Vec<(u64, usize)> = (0..100).map(|i| (20 + 10 * i, 10)).collect();
        let (pages, r) = drive(10, &answers);
        assert_eq!((pages.len(), r), (6, StopReason::PageBound));
        assert!(!r.is_complete());
    }

    #[test]
    fn count_lower_than_rows_is_trusted() {
        // count 0 but a full page: the count rule stops it.
        assert_eq!(drive(10, &[(0, 10)]), (vec![1], StopReason::CountReached));
    }

    #[test]
    fn a_server_that_caps_the_limit_is_followed() {
        let mut p = Pager::new(500);
        let answer = |count, rows| PageAnswer {
            count,
            limit: Some(100),
            page: None,
            rows: vec![serde_json::Value::Null; rows],
        };
        assert_eq!(p.record_answer(&answer(250, 100)), Step::Fetch(2));
        assert_eq!(p.limit(), 100);
        assert_eq!(p.pages_total_estimate(), 3);
        assert_eq!(p.record_answer(&answer(250, 100)), Step::Fetch(3));
        assert_eq!(p.record_answer(&answer(250, 50)), Step::Done(StopReason::ShortPage));
        assert_eq!(p.rows_received(), 250);
        // A server that sends more than asked: its page size wins.
        let mut p = Pager::new(10);
        assert_eq!(p.record(60, 20), Step::Fetch(2));
        assert_eq!(p.limit(), 20);
    }

    #[test]
    fn progress_estimate() {
        let mut p = Pager::new(10);
        assert_eq!((p.pages_done(), p.pages_total_estimate()), (0, 1));
        p.record(45, 10);
        assert_eq!((p.pages_done(), p.pages_total_estimate()), (1, 5));
        p.record(60, 10);
        assert_eq!(p.pages_total_estimate(), 6);
        p.record(15, 10); // shrank below what was fetched
        assert_eq!(p.next(), Step::Done(StopReason::CountReached));
        assert_eq!((p.pages_done(), p.pages_total_estimate()), (3, 3));
        assert_eq!(
            p.record(15, 10),
            Step::Done(StopReason::CountReached),
            "ignored after the end"
        );
        assert_eq!(p.pages_done(), 3);
    }

    proptest! {
        /// With a stable count every row is fetched, in exactly ceil(count/limit) pages (1 when
        /// empty), from a server that pages honestly.
        #[test]
        fn stable_count_fetches_every_row(count in 0u64..5000, limit in 1u32..300) {
            let mut p = Pager::new(limit);
            let mut fetched = 0u64;
            while let Step::Fetch(page) = p.next() {
                let offset = u64::from(page - 1) * u64::from(limit);
                let rows = count.saturating_sub(offset).min(u64::from(limit)) as usize;
                fetched += rows as u64;
                p.record(count, rows);
            }
            prop_assert_eq!(fetched, count);
            prop_assert_eq!(u64::from(p.pages_done()), count.div_ceil(u64::from(limit)).max(1));
            prop_assert!(p.stop_reason().unwrap().is_complete());
        }

        /// Whatever the server says, the run ends within the bound derived from the first count.
        #[test]
        fn drifting_count_never_loops_forever(
            first in 0u64..3000,
            limit in 1u32..200,
            drift in proptest::collection::vec((-500i64..2000, 0usize..3), 1..64),
        ) {
            let mut p = Pager::new(limit);
            let mut count = first;
            let mut i = 0usize;
            while let Step::Fetch(page) = p.next() {
                let (d, shape) = drift[i % drift.len()];
                i += 1;
                prop_assert!(i <= 2 * first.div_ceil(u64::from(limit)) as usize + 3, "too many pages");
                let offset = u64::from(page - 1) * u64::from(limit);
                let honest = count.saturating_sub(offset).min(u64::from(limit)) as usize;
                // Some pages come back full regardless of the count, some honest, some empty.
                let rows = match shape { 0 => honest, 1 => limit as usize, _ => 0 };
                p.record(count, rows);
                count = count.saturating_add_signed(d);
            }
            prop_assert!(p.pages_done() <= p.max_pages());
            prop_assert_eq!(p.pages_total_estimate(), p.pages_done());
        }
    }
}
