//! Sinkronisasi: pulling views of the hospital dashboard API into a local SQLite replica, planned
//! purely. HTTP and SQL live in `loket-service` and `loket-store`; this module only decides.
//!
//! A sync job is configuration ([`JobConfig`], stored in the database, editable in Pengaturan;
//! [`builtin_jobs`] are the defaults). One run of a job:
//!
//! 1. **Fetch.** [`request_body`] builds the `POST {base}/v3/view/view-table/list-filter-access`
//!    body for a date range ([`JobConfig::window_range`]) and a page; [`parse_response`] classifies
//!    the answer (HTML, malformed JSON, an API error envelope, missing `list`/`count`). A
//!    [`Pager`] decides the next page from each answer and stops on an empty or short page, when
//!    `count` is reached, or at a bound derived from the first `count`.
//! 2. **Plan.** [`plan_page`] converts each row ([`convert_row`]: typed [`Cell`]s in column order,
//!    the key tuple and a stable content hash), drops rows repeated across pages ([`Deduper`]) and
//!    sorts the rest into inserts, updates and unchanged rows by comparing hashes with what the
//!    store holds. Invalid rows are skipped with a [`SkipReason`] that names the field, never its
//!    value.
//! 3. **Apply.** The store writes one page's plan and the job's progress in one transaction, so a
//!    crash leaves whole pages and a rerun is safe. [`RunReport`] adds up the [`RunCounts`].
//!
//! [`Schedule::next_run_after`] says when a job is due (WIB wall clock). The [`booking`] helpers
//! turn synced BOOKING_PASIEN rows into token actions.
//!
//! To add a field kind: a [`FieldKind`] variant, its parser in `convert.rs` (with bad-input tests),
//! its label and SQLite type in `job.rs`. To add a built-in job: `builtin.rs`, then check that
//! `builtin_jobs_validate` still passes.

mod api;
pub mod booking;
mod builtin;
mod convert;
mod hash;
mod job;
mod pager;
mod plan;
mod schedule;

pub use api::{parse_response, request_body, PageAnswer, ResponseError, API_PATH};
pub use booking::{booking_action, find_jadwal, Booking, BookingAction, BookingStatus, Jadwal, SessionKey};
pub use builtin::builtin_jobs;
pub use convert::{convert_json_row, convert_row, convert_value, Cell, ConvertedRow, Key, SkipCode, SkipReason};
pub use hash::row_hash;
pub use job::{
    validate_jobs, DateParam, DaysRange, FieldKind, FieldMap, IncrementalRun, JobConfig, RunWindow, DEFAULT_PAGE_LIMIT,
    MAX_PAGE_LIMIT, TABLE_PREFIX,
};
pub use pager::{Pager, Step, StopReason, HARD_MAX_PAGES};
pub use plan::{plan_page, Deduper, PagePlan, RunCounts, RunReport, Seen, SkippedRow, MAX_SKIPPED_LISTED};
pub use schedule::{Hari, Schedule};
