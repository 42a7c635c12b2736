//! One page of rows into a plan for the store: inserts, updates, unchanged rows and skipped rows,
//! and the counts of a run.

use std::collections::HashMap;
use std::ops::AddAssign;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::convert::{convert_row_with, ConvertedRow, FieldIndex, Key, SkipReason};
use super::job::JobConfig;
use super::pager::StopReason;

/// A run's report lists at most this many skipped rows (the counts stay exact).
pub const MAX_SKIPPED_LISTED: usize = 100;

/// What a run did. `fetched = inserted + updated + unchanged + skipped + duplicates`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RunCounts {
    /// Rows received from the API, all of them.
    pub fetched: u32,
    pub inserted: u32,
    pub updated: u32,
    /// Already stored with the same content.
    pub unchanged: u32,
    /// Invalid rows, each with its reason in the report.
    pub skipped: u32,
    /// Rows received again within the run with the same content (offset paging while the
    /// total changes), or superseded by a later copy on the same page.
    pub duplicates: u32,
}

impl RunCounts {
    pub fn add(&mut self, other: &RunCounts) {
        self.fetched = self.fetched.saturating_add(other.fetched);
        self.inserted = self.inserted.saturating_add(other.inserted);
        self.updated = self.updated.saturating_add(other.updated);
        self.unchanged = self.unchanged.saturating_add(other.unchanged);
        self.skipped = self.skipped.saturating_add(other.skipped);
        self.duplicates = self.duplicates.saturating_add(other.duplicates);
    }

    /// Rows written (inserted or updated).
    pub fn written(&self) -> u32 {
        self.inserted.saturating_add(self.updated)
    }
}

impl AddAssign for RunCounts {
    fn add_assign(&mut self, other: RunCounts) {
        self.add(&other);
    }
}

/// Whether a key was seen earlier in the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// First time.
    New,
    /// Seen before with the same content: drop it.
    Repeat,
    /// Seen before with other content (it changed between two pages): plan it again.
    Changed,
}

/// The keys and hashes seen so far in one run, to drop rows repeated across pages.
#[derive(Debug, Clone, Default)]
pub struct Deduper {
    seen: HashMap<Key, u64>,
    duplicates: u32,
}

impl Deduper {
    pub fn new() -> Deduper {
        Deduper::default()
    }

    pub fn see(&mut self, key: &Key, hash: u64) -> Seen {
        match self.seen.insert(key.clone(), hash) {
            None => Seen::New,
            Some(h) if h == hash => {
                self.duplicates = self.duplicates.saturating_add(1);
                Seen::Repeat
            }
            Some(_) => Seen::Changed,
        }
    }

    /// Rows dropped as repeats so far.
    pub fn duplicates(&self) -> u32 {
        self.duplicates
    }

    /// Distinct keys seen so far.
    pub fn distinct(&self) -> usize {
        self.seen.len()
    }
}

/// What the store does with one page, in one transaction together with the job's progress.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PagePlan {
    pub inserts: Vec<ConvertedRow>,
    pub updates: Vec<ConvertedRow>,
    /// Keys already stored with the same content (the store may touch their `synced_at`).
    pub unchanged: Vec<Key>,
    /// Rows that could not be converted: their position on the page and why.
    pub skipped: Vec<(usize, SkipReason)>,
    /// Rows dropped as repeats.
    pub duplicates: u32,
    /// Rows on the page.
    pub fetched: u32,
}

impl PagePlan {
    pub fn counts(&self) -> RunCounts {
        let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        RunCounts {
            fetched: self.fetched,
            inserted: n(self.inserts.len()),
            updated: n(self.updates.len()),
            unchanged: n(self.unchanged.len()),
            skipped: n(self.skipped.len()),
            duplicates: self.duplicates,
        }
    }

    /// Nothing to write (the progress is still recorded).
    pub fn is_noop(&self) -> bool {
        self.inserts.is_empty() && self.updates.is_empty()
    }
}

enum Planned {
    Insert(usize),
    Update(usize),
    Unchanged(usize),
}

/// Plans one page. `existing` answers the hash stored for a key (`None`: not stored). Rows are
/// converted with the job; rows repeated from earlier pages with the same content are dropped
/// (`dedup` lives for the whole run); a key repeated on the same page keeps its last copy.
pub fn plan_page(
    job: &JobConfig,
    rows: &[Value],
    dedup: &mut Deduper,
    existing: impl Fn(&Key) -> Option<u64>,
) -> PagePlan {
    let mut plan = PagePlan {
        fetched: u32::try_from(rows.len()).unwrap_or(u32::MAX),
        ..PagePlan::default()
    };
    let index = FieldIndex::new(job);
    let mut values = Vec::new();
    for (i, raw) in rows.iter().enumerate() {
        let converted = match raw {
            Value::Object(m) => convert_row_with(job, &index, m, &mut values),
            _ => Err(SkipReason::not_an_object()),
        };
        let row = match converted {
            Ok(r) => r,
            Err(reason) => {
                plan.skipped.push((i, reason));
                continue;
            }
        };
        let seen = dedup.see(&row.key, row.hash);
        if seen == Seen::Repeat {
            plan.duplicates += 1;
            continue;
        }
        // A key seen before with other content may be earlier on this page: the later copy
        // replaces it (rare, so looked for only then).
        let earlier = if seen == Seen::Changed {
            plan.inserts
                .iter()
                .position(|r| r.key == row.key)
                .map(Planned::Insert)
                .or_else(|| plan.updates.iter().position(|r| r.key == row.key).map(Planned::Update))
                .or_else(|| {
                    plan.unchanged
                        .iter()
                        .position(|k| *k == row.key)
                        .map(Planned::Unchanged)
                })
        } else {
            None
        };
        if let Some(p) = earlier {
            plan.duplicates += 1;
            match p {
                Planned::Insert(j) => plan.inserts[j] = row,
                Planned::Update(j) => plan.updates[j] = row,
                Planned::Unchanged(j) => {
                    plan.unchanged.remove(j);
                    plan.updates.push(row);
                }
            }
            continue;
        }
        match existing(&row.key) {
            None => plan.inserts.push(row),
            Some(h) if h == row.hash => plan.unchanged.push(row.key),
            Some(_) => plan.updates.push(row),
        }
    }
    plan
}

/// One skipped row in a run's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SkippedRow {
    pub page: u32,
    /// Position on the page, from 0.
    pub index: u32,
    pub reason: SkipReason,
}

/// The outcome of a run, built page by page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RunReport {
    pub counts: RunCounts,
    /// The first [`MAX_SKIPPED_LISTED`] skipped rows.
    pub skipped: Vec<SkippedRow>,
    pub pages: u32,
    pub stop: Option<StopReason>,
    /// `count` changed while paging: rows may have shifted between pages; run again to be sure.
    pub count_changed: bool,
}

impl RunReport {
    /// Adds a page's plan (after the store applied it).
    pub fn record_page(&mut self, page: u32, plan: &PagePlan) {
        self.record_applied(page, plan, plan.counts());
    }

    /// Adds a page whose inserted/updated/unchanged counts the store established when writing it
    /// (fetched, skipped and duplicates come from `plan`).
    pub fn record_applied(&mut self, page: u32, plan: &PagePlan, written: RunCounts) {
        let planned = plan.counts();
        self.counts.add(&RunCounts {
            inserted: written.inserted,
            updated: written.updated,
            unchanged: written.unchanged,
            ..planned
        });
        self.pages = self.pages.max(page);
        for (i, reason) in &plan.skipped {
            if self.skipped.len() >= MAX_SKIPPED_LISTED {
                break;
            }
            self.skipped.push(SkippedRow {
                page,
                index: u32::try_from(*i).unwrap_or(u32::MAX),
                reason: reason.clone(),
            });
        }
    }

    /// Records how paging ended.
    pub fn finish(&mut self, stop: StopReason, count_changed: bool) {
        self.stop = Some(stop);
        self.count_changed = count_changed;
    }

    /// The run read everything there was: paging ended on the data and the count held still.
    pub fn is_complete(&self) -> bool {
        self.stop.is_some_and(StopReason::is_complete) && !self.count_changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::{builtin_jobs, convert_json_row, Cell, Pager, SkipCode, Step};
    use serde_json::json;
    use std::collections::BTreeMap;

    fn tarif() -> JobConfig {
        builtin_jobs().into_iter().find(|j| j.name == "TARIF").unwrap()
    }

    fn row(kode: &str, harga: i64) -> Value {
        json!({"kode_item": kode, "nama_item": "Item", "harga": harga, "berlaku_mulai": "2026-01-01"})
    }

    fn key(kode: &str) -> Key {
        Key(vec![
            Cell::Text(kode.into()),
            Cell::Date(chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()),
        ])
    }

    fn check_sum(c: &RunCounts) {
        assert_eq!(
            c.fetched,
            c.inserted + c.updated + c.unchanged + c.skipped + c.duplicates,
            "{c:?}"
        );
    }

    #[test]
    fn insert_update_unchanged_skip() {
        let job = tarif();
        let stored_same = convert_json_row(&job, &row("B", 200)).unwrap().hash;
        let store: BTreeMap<Key, u64> = [(key("B"), stored_same), (key("C"), 12345)].into_iter().collect();
        let rows = vec![
            row("A", 100),                         // new
            row("B", 200),                         // same as stored
            row("C", 300),                         // stored with other content
            json!({"kode_item": "D", "harga": 1}), // berlaku_mulai missing
            json!({"kode_item": "E", "harga": "x", "berlaku_mulai": "2026-01-01"}),
            json!("not a row"),
        ];
        let mut dedup = Deduper::new();
        let plan = plan_page(&job, &rows, &mut dedup, |k| store.get(k).copied());
        assert_eq!(
            plan.inserts.iter().map(|r| r.key.clone()).collect::<Vec<_>>(),
            vec![key("A")]
        );
        assert_eq!(
            plan.updates.iter().map(|r| r.key.clone()).collect::<Vec<_>>(),
            vec![key("C")]
        );
        assert_eq!(plan.unchanged, vec![key("B")]);
        let skipped: Vec<(usize, SkipCode)> = plan.skipped.iter().map(|(i, r)| (*i, r.code)).collect();
        assert_eq!(
            skipped,
            vec![
                (3, SkipCode::Missing),
                (4, SkipCode::Invalid),
                (5, SkipCode::NotAnObject)
            ]
        );
        let c = plan.counts();
        assert_eq!(
            c,
            RunCounts {
                fetched: 6,
                inserted: 1,
                updated: 1,
                unchanged: 1,
                skipped: 3,
                duplicates: 0
            }
        );
        check_sum(&c);
        assert!(!plan.is_noop());
    }

    #[test]
    fn rows_repeated_across_pages_count_once() {
        let job = tarif();
        let mut store: BTreeMap<Key, u64> = BTreeMap::new();
        let mut dedup = Deduper::new();
        let mut report = RunReport::default();
        let pages = [
            vec![row("A", 1), row("B", 2)],
            vec![row("B", 2), row("C", 3)], // B shifted onto page 2 (a row was deleted before it)
            vec![row("C", 4)],              // C changed between pages
        ];
        for (n, rows) in pages.iter().enumerate() {
            let plan = plan_page(&job, rows, &mut dedup, |k| store.get(k).copied());
            // apply
            for r in plan.inserts.iter().chain(&plan.updates) {
                store.insert(r.key.clone(), r.hash);
            }
            report.record_page(n as u32 + 1, &plan);
        }
        let c = report.counts;
        assert_eq!((c.fetched, c.inserted, c.updated, c.duplicates), (5, 3, 1, 1));
        check_sum(&c);
        assert_eq!(dedup.duplicates(), 1);
        assert_eq!(dedup.distinct(), 3);
        assert_eq!(report.pages, 3);
    }

    #[test]
    fn the_same_key_twice_on_one_page_keeps_the_last_copy() {
        let job = tarif();
        let mut dedup = Deduper::new();
        let plan = plan_page(&job, &[row("A", 1), row("A", 2), row("A", 2)], &mut dedup, |_| None);
        assert_eq!(plan.inserts.len(), 1);
        assert_eq!(plan.inserts[0].get(&job, "harga"), Some(&Cell::Int(2)));
        assert_eq!(plan.duplicates, 2);
        check_sum(&plan.counts());

        // Unchanged first, then a changed copy: one update.
        let store: BTreeMap<Key, u64> = ["A", "B"]
            .map(|k| (key(k), convert_json_row(&job, &row(k, 1)).unwrap().hash))
            .into_iter()
            .collect();
        let mut dedup = Deduper::new();
        let plan = plan_page(&job, &[row("B", 1), row("A", 1), row("A", 9)], &mut dedup, |k| {
            store.get(k).copied()
        });
        assert_eq!(plan.unchanged, vec![key("B")]);
        assert_eq!(plan.updates.len(), 1);
        assert_eq!(plan.updates[0].get(&job, "harga"), Some(&Cell::Int(9)));
        check_sum(&plan.counts());
    }

    #[test]
    fn rerunning_a_page_changes_nothing() {
        let job = tarif();
        let rows = vec![row("A", 1), row("B", 2)];
        let mut store: BTreeMap<Key, u64> = BTreeMap::new();
        let plan = plan_page(&job, &rows, &mut Deduper::new(), |k| store.get(k).copied());
        for r in &plan.inserts {
            store.insert(r.key.clone(), r.hash);
        }
        // A crash after the commit, then a new run.
        let again = plan_page(&job, &rows, &mut Deduper::new(), |k| store.get(k).copied());
        assert!(again.is_noop());
        assert_eq!(again.counts().unchanged, 2);
    }

    #[test]
    fn a_whole_run_with_the_pager() {
        let job = tarif();
        // 25 rows, limit 10, count drifting 25 → 26 with a row inserted at the front after page 1,
        // so one row repeats on page 2.
        let all: Vec<Value> = (0..26).map(|i| row(&format!("K{i:02}"), i)).collect();
        let serve = |page: u32| -> (u64, Vec<Value>) {
            if page == 1 {
                (25, all[1..11].to_vec())
            } else {
                let start = (page as usize - 1) * 10;
                (26, all[start.min(26)..(start + 10).min(26)].to_vec())
            }
        };
        let mut pager = Pager::new(10);
        let mut dedup = Deduper::new();
        let mut report = RunReport::default();
        while let Step::Fetch(p) = pager.next() {
            let (count, rows) = serve(p);
            let plan = plan_page(&job, &rows, &mut dedup, |_| None);
            report.record_page(p, &plan);
            pager.record(count, rows.len());
        }
        report.finish(pager.stop_reason().unwrap(), pager.count_changed());
        assert_eq!(report.stop, Some(StopReason::ShortPage));
        assert!(!report.is_complete(), "count changed: K00 was missed, a rerun finds it");
        assert_eq!(report.counts.duplicates, 1);
        assert_eq!(report.counts.inserted, 25);
        check_sum(&report.counts);
    }

    #[test]
    fn the_report_lists_a_bounded_number_of_skips() {
        let job = tarif();
        let rows: Vec<Value> = (0..150).map(|_| json!({})).collect();
        let plan = plan_page(&job, &rows, &mut Deduper::new(), |_| None);
        let mut report = RunReport::default();
        report.record_page(1, &plan);
        report.record_page(2, &plan);
        assert_eq!(report.counts.skipped, 300);
        assert_eq!(report.skipped.len(), MAX_SKIPPED_LISTED);
        assert_eq!(report.skipped[0].page, 1);
        let mut total = RunCounts::default();
        total += plan.counts();
        total += plan.counts();
        assert_eq!(total, report.counts);
        assert_eq!(total.written(), 0);
    }
}
