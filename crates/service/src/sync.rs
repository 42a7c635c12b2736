//! Sinkronisasi use cases: the hospital dashboard API client, running a sync job page by page
//! into its local table, the job list and run history, and turning synced bookings into online
//! tokens.
//!
//! - [`DashboardClient`] speaks `POST {base}/v3/view/view-table/list-filter-access` with the
//!   `token` and `x-api-key` headers, one request at a time with a minimum spacing (rate limit),
//!   a timeout, and retries with backoff for transient failures (network, timeout, 408, 429, 5xx).
//!   An HTML page or a malformed answer is a clear error, never a panic.
//! - [`sync_run`] fetches outside the desk's lock and, for every page, plans and applies it in
//!   one write transaction together with the run's progress ([`loket_store::sync`]), so a crash
//!   leaves whole pages and a rerun of the same window is safe (all unchanged).
//! - After BOOKING_PASIEN or JADWAL_DOKTER runs, [`Desk::sync_reconcile_bookings`] makes every
//!   active booking an `online` token in its doctor's session (idempotent by `booking_id`),
//!   cancels the token of a cancelled booking, moves the token of a moved one, and lists the
//!   bookings whose session is unknown.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveTime};
use loket_core::opd::{SessionId, Source, Status, TokenId};
use loket_core::sync::{
    booking_action, builtin_jobs, find_jadwal, parse_response, plan_page, request_body, Booking, BookingAction,
    BookingStatus, Deduper, Jadwal, JobConfig, PageAnswer, Pager, RunReport, RunWindow, SessionKey, Step, API_PATH,
};
use loket_core::time::wib_date;
use loket_core::{Error, ErrorCode, Result};
use loket_store::sync::{self as repo, BookingToken, RunRow, StoredJob};
use serde::Serialize;

use crate::credentials::DashboardCredentials;
use crate::opd::{TokenAction, TokenRequest};
use crate::outbox::DeskAccess;
use crate::Desk;
use loket_core::patient::PatientDetails;

/// Job names the rest of Loket relies on.
pub const JOB_JADWAL: &str = "JADWAL_DOKTER";
pub const JOB_BOOKING: &str = "BOOKING_PASIEN";

// ---- the client --------------------------------------------------------------------------------

/// How the client behaves; the defaults suit the hospital's server.
#[derive(Debug, Clone, Copy)]
pub struct ClientPolicy {
    pub timeout: Duration,
    /// Retries after the first attempt, for transient failures only.
    pub retries: u32,
    /// Delay before the first retry; doubled each time.
    pub backoff: Duration,
    /// Minimum time between two requests.
    pub min_interval: Duration,
}

impl Default for ClientPolicy {
    fn default() -> Self {
        ClientPolicy {
            timeout: Duration::from_secs(30),
            retries: 3,
            backoff: Duration::from_millis(500),
            min_interval: Duration::from_millis(100),
        }
    }
}

/// The dashboard API client. Blocking; it runs its own small runtime, so call it from a plain
/// thread (the CLI, the app's worker or a blocking task), never inside an async task.
pub struct DashboardClient {
    url: String,
    token: String,
    api_key: String,
    policy: ClientPolicy,
    http: reqwest::Client,
    runtime: tokio::runtime::Runtime,
    last: RefCell<Option<Instant>>,
}

impl std::fmt::Debug for DashboardClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DashboardClient")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

/// One failed attempt, and whether another may succeed.
struct Failure {
    transient: bool,
    error: Error,
}

fn network(message: String) -> Error {
    Error::new(ErrorCode::Network, message)
}

impl DashboardClient {
    pub fn new(c: &DashboardCredentials, policy: ClientPolicy) -> Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(policy.timeout)
            .connect_timeout(policy.timeout.min(Duration::from_secs(10)))
            .build()
            .map_err(|e| Error::internal(format!("HTTP client: {e}")))?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::internal(format!("runtime: {e}")))?;
        Ok(DashboardClient {
            url: format!("{}{API_PATH}", c.base_url),
            token: c.token.expose().to_string(),
            api_key: c.api_key.expose().to_string(),
            policy,
            http,
            runtime,
            last: RefCell::new(None),
        })
    }

    /// One page of `job` over the WIB dates `from..=to`, retried while the failure is transient.
    pub fn fetch_page(
        &self,
        job: &JobConfig,
        from: NaiveDate,
        to: NaiveDate,
        page: u32,
        limit: u32,
    ) -> Result<PageAnswer> {
        let body = request_body(job, from, to, page, limit);
        let mut attempt = 0;
        loop {
            self.pace();
            match self.attempt(&body) {
                Ok(answer) => return Ok(answer),
                Err(f) if f.transient && attempt < self.policy.retries => {
                    let wait = self.policy.backoff * 2u32.saturating_pow(attempt);
                    tracing::warn!(job = %job.name, page, attempt, "dashboard page failed; retrying");
                    std::thread::sleep(wait);
                    attempt += 1;
                }
                Err(f) => {
                    tracing::warn!(job = %job.name, page, code = f.error.code.as_str(), "dashboard page failed");
                    return Err(f.error);
                }
            }
        }
    }

    /// Waits until `min_interval` has passed since the previous request.
    fn pace(&self) {
        let mut last = self.last.borrow_mut();
        if let Some(prev) = *last {
            let since = prev.elapsed();
            if since < self.policy.min_interval {
                std::thread::sleep(self.policy.min_interval - since);
            }
        }
        *last = Some(Instant::now());
    }

    fn attempt(&self, body: &serde_json::Value) -> std::result::Result<PageAnswer, Failure> {
        let request = self
            .http
            .post(&self.url)
            .header("token", &self.token)
            .header("x-api-key", &self.api_key)
            .json(body);
        let answer = self.runtime.block_on(async move {
            let response = request.send().await?;
            let status = response.status().as_u16();
            let text = response.text().await?;
            Ok::<_, reqwest::Error>((status, text))
        });
        let (status, text) = answer.map_err(|e| Failure {
            transient: true,
            error: network(if e.is_timeout() {
                "Dashboard rumah sakit tidak menjawab dalam batas waktu.".to_string()
            } else {
                "Dashboard rumah sakit tidak dapat dihubungi (jaringan atau alamat salah).".to_string()
            }),
        })?;
        let transient_status = status == 408 || status == 429 || status >= 500;
        match parse_response(&text) {
            Ok(answer) if (200..300).contains(&status) => Ok(answer),
            Ok(_) => Err(Failure {
                transient: transient_status,
                error: network(format!("Dashboard rumah sakit menjawab HTTP {status}.")),
            }),
            Err(e) => {
                let auth = e.is_auth() || status == 401 || status == 403;
                let message = if auth {
                    "Dashboard menolak token atau API key: perbarui kredensial dashboard (loket sync credentials set)."
                        .to_string()
                } else if (200..300).contains(&status) {
                    e.to_string()
                } else {
                    format!("Dashboard rumah sakit menjawab HTTP {status}: {e}")
                };
                Err(Failure {
                    transient: transient_status && !auth,
                    error: network(message),
                })
            }
        }
    }
}

// ---- running a job -----------------------------------------------------------------------------

/// Where a run is, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Progress {
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub run_id: i64,
    pub pages_done: u32,
    pub pages_total: u32,
    pub rows: u32,
    pub rows_per_second: u32,
}

/// What a run did, with the bookings it turned into tokens when it was a booking or schedule job.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SyncOutcome {
    pub run: RunRow,
    pub bookings: Option<ReconcileReport>,
}

impl Desk {
    /// The stored jobs, the built-in ones added on first use.
    pub fn sync_jobs(&mut self) -> Result<Vec<StoredJob>> {
        let now = self.now();
        let builtin = builtin_jobs();
        self.store.write(|tx| repo::seed_jobs(tx, &builtin, now))?;
        repo::jobs(self.store.conn())
    }

    pub fn sync_job(&mut self, name: &str) -> Result<JobConfig> {
        let name = name.trim().to_uppercase();
        self.sync_jobs()?
            .into_iter()
            .find(|j| j.config.name == name)
            .map(|j| j.config)
            .ok_or_else(|| Error::not_found(format!("Tugas sinkronisasi {name} tidak ada.")))
    }

    /// Replaces a job's configuration (Pengaturan), validated with the others.
    pub fn sync_save_job(&mut self, job: &JobConfig, enabled: bool) -> Result<StoredJob> {
        job.validate()?;
        let mut all: Vec<JobConfig> = self
            .sync_jobs()?
            .into_iter()
            .map(|j| j.config)
            .filter(|j| j.name != job.name)
            .collect();
        all.push(job.clone());
        loket_core::sync::validate_jobs(&all)?;
        let now = self.now();
        self.store.write(|tx| {
            repo::save_job(tx, job, enabled, now)?;
            repo::ensure_table(tx, job)
        })?;
        tracing::info!(job = %job.name, "sync job saved");
        repo::job(self.store.conn(), &job.name)?.ok_or_else(|| Error::internal("saved job vanished"))
    }

    pub fn sync_runs(&self, job: Option<&str>, limit: u32) -> Result<Vec<RunRow>> {
        repo::runs(self.store.conn(), job, limit)
    }

    pub fn sync_dashboard_credentials(&self) -> Result<Option<DashboardCredentials>> {
        let Some(profile) = self.bpjs_existing_profile()? else {
            return Ok(None);
        };
        profile.secrets().load_dashboard(profile.id())
    }

    /// Stores the dashboard URL, token and API key (secret store or owner-only file).
    pub fn sync_set_credentials(&mut self, url: &str, token: &str, api_key: &str) -> Result<String> {
        let c = DashboardCredentials::new(url, token, api_key, self.now())?;
        let profile = self.bpjs_profile()?;
        let storage = profile.secrets().save_dashboard(profile.id(), &c)?;
        tracing::info!(storage = ?storage, "dashboard credentials saved");
        Ok(c.base_url)
    }

    pub fn sync_client(&self, url_override: Option<&str>) -> Result<DashboardClient> {
        let mut c = self.sync_dashboard_credentials()?.ok_or_else(|| {
            Error::not_found(
                "Kredensial dashboard rumah sakit belum diatur: isi URL, token dan API key di Pengaturan › Sinkronisasi \
                 (atau `loket sync credentials set`).",
            )
        })?;
        if let Some(url) = url_override {
            c.base_url = crate::credentials::validate_base_url(url)?;
        }
        DashboardClient::new(&c, ClientPolicy::default())
    }

    /// Marks runs left `running` by a dead process as interrupted (called at start).
    pub fn sync_close_abandoned(&mut self) -> Result<usize> {
        let now = self.now();
        self.store.write(|tx| repo::close_abandoned_runs(tx, now))
    }

    /// The jobs due now by their schedules (enabled ones only), each with the window to run: the
    /// whole one when its full schedule is due, else the incremental one when that is due (a
    /// full run counts as an incremental one too). A job whose last scheduled try failed (the
    /// dashboard down, say) waits [`RETRY_AFTER_FAILURE`] before the next, instead of being
    /// tried every round of the worker.
    pub fn sync_due_jobs(&mut self) -> Result<Vec<(String, RunWindow)>> {
        let now = self.now();
        let mut due = Vec::new();
        for j in self.sync_jobs()? {
            if !j.enabled {
                continue;
            }
            let c = &j.config;
            let conn = self.store.conn();
            if repo::last_failed_attempt(conn, &c.name)?.is_some_and(|t| now - t < RETRY_AFTER_FAILURE) {
                continue;
            }
            if c.schedule.is_due(repo::last_run_started(conn, &c.name, true)?, now) {
                due.push((c.name.clone(), RunWindow::Full));
            } else if c
                .incremental
                .schedule
                .is_due(repo::last_run_started(conn, &c.name, false)?, now)
            {
                due.push((c.name.clone(), RunWindow::Incremental));
            }
        }
        Ok(due)
    }
}

/// How long the scheduler waits after a scheduled run failed before trying the job again.
pub const RETRY_AFTER_FAILURE: chrono::TimeDelta = chrono::TimeDelta::minutes(15);

/// Runs job `name` over `window` (the job's whole or incremental days around today, WIB, or the
/// dates given), page by page.
/// `progress` is called after every page; setting `cancel` stops after the current page (the run
/// is kept as `cancelled`, its pages stay). A fetch failure ends the run as `failed` with the
/// error and returns it.
pub fn sync_run(
    mut desk: impl DeskAccess,
    client: &DashboardClient,
    name: &str,
    window: RunWindow,
    progress: &dyn Fn(&Progress),
    cancel: &AtomicBool,
) -> Result<SyncOutcome> {
    let (job, from, to, run_id) = desk.with(|d| -> Result<_> {
        let job = d.sync_job(name)?;
        let (from, to) = job.window_range(window, wib_date(d.now()));
        if from > to {
            return Err(Error::invalid("Tanggal awal sinkronisasi setelah tanggal akhir."));
        }
        let now = d.now();
        let run_id = d.store.write(|tx| {
            repo::ensure_table(tx, &job)?;
            repo::start_run(tx, &job.name, window.kind(), from, to, now)
        })?;
        Ok((job, from, to, run_id))
    })?;
    tracing::info!(job = %job.name, run_id, kind = window.kind(), %from, %to, "sync run started");
    let started = Instant::now();
    let mut pager = Pager::new(job.page_limit);
    let mut dedup = Deduper::new();
    let mut report = RunReport::default();
    loop {
        if cancel.load(Ordering::Relaxed) {
            finish_run(&mut desk, run_id, "cancelled", Some("Dibatalkan oleh petugas.".into()))?;
            break;
        }
        let page = match pager.next() {
            Step::Fetch(page) => page,
            Step::Done(stop) => {
                report.finish(stop, pager.count_changed());
                let status = if report.is_complete() { "ok" } else { "partial" };
                let note = (!report.is_complete()).then(|| {
                    "Jumlah data berubah selama sinkronisasi atau batas halaman tercapai; jalankan ulang untuk melengkapi."
                        .to_string()
                });
                finish_run(&mut desk, run_id, status, note)?;
                break;
            }
        };
        let answer = match client.fetch_page(&job, from, to, page, pager.limit()) {
            Ok(a) => a,
            Err(e) => {
                finish_run(&mut desk, run_id, "failed", Some(e.message.clone()))?;
                return Err(e);
            }
        };
        pager.record_answer(&answer);
        let rows = answer.rows;
        let pages_done = pager.pages_done();
        let pages_total = pager.pages_total_estimate();
        desk.with(|d| {
            let now = d.now();
            d.store.write(|tx| {
                let (plan, counts) = write_page(tx, &job, &rows, &mut dedup, now)?;
                report.record_applied(page, &plan, counts);
                repo::record_progress(tx, run_id, pages_done, pages_total, &report.counts, &report.skipped)
            })
        })?;
        let secs = started.elapsed().as_secs_f64().max(0.001);
        progress(&Progress {
            run_id,
            pages_done,
            pages_total,
            rows: report.counts.fetched,
            rows_per_second: (f64::from(report.counts.fetched) / secs) as u32,
        });
    }
    let run = desk
        .with(|d| repo::run(d.store.conn(), run_id))?
        .ok_or_else(|| Error::internal("run vanished"))?;
    tracing::info!(job = %job.name, run_id, status = %run.status, counts = ?run.counts, "sync run finished");
    let bookings = if run.status != "failed" && (job.name == JOB_BOOKING || job.name == JOB_JADWAL) {
        Some(desk.with(|d| d.sync_reconcile_bookings())?)
    } else {
        None
    };
    Ok(SyncOutcome { run, bookings })
}

/// Plans and writes one page of `rows` in `tx`, as every sync page is written: each converted
/// row is offered to the store, which tells new, changed and unchanged rows apart as it writes
/// (`loket_store::sync::apply_plan`), and the balances of the rows' patients are recalculated
/// ([`crate::balance::apply_page`]). Returns the plan and the page's exact counts.
pub(crate) fn write_page(
    tx: &rusqlite::Transaction<'_>,
    job: &JobConfig,
    rows: &[serde_json::Value],
    dedup: &mut Deduper,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(loket_core::sync::PagePlan, loket_core::sync::RunCounts)> {
    let plan = plan_page(job, rows, dedup, |_| None);
    let applied = crate::balance::apply_page(tx, job, &plan, now)?;
    let counts = loket_core::sync::RunCounts {
        inserted: applied.inserted,
        updated: applied.updated,
        unchanged: applied.unchanged,
        ..plan.counts()
    };
    Ok((plan, counts))
}

impl Desk {
    /// Writes `rows` (as the dashboard API returns them) into job `job_name`'s table exactly as
    /// one sync page does ([`write_page`]), in one write transaction. No HTTP and no run
    /// history: for tests, benchmarks and imports.
    pub fn sync_apply_rows(
        &mut self,
        job_name: &str,
        rows: &[serde_json::Value],
    ) -> Result<loket_core::sync::RunCounts> {
        let job = self.sync_job(job_name)?;
        let now = self.now();
        self.store.write(|tx| {
            repo::ensure_table(tx, &job)?;
            write_page(tx, &job, rows, &mut Deduper::new(), now).map(|(_, counts)| counts)
        })
    }
}

fn finish_run(desk: &mut impl DeskAccess, run_id: i64, status: &str, error: Option<String>) -> Result<()> {
    desk.with(|d| {
        let now = d.now();
        d.store
            .write(|tx| repo::finish_run(tx, run_id, status, error.as_deref(), now))
    })
}

// ---- bookings become tokens --------------------------------------------------------------------

/// What reconciling bookings with tokens did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReconcileReport {
    pub issued: u32,
    pub cancelled: u32,
    pub moved: u32,
    pub unchanged: u32,
    /// Bookings whose doctor's session is not known here (no schedule row, or no OPD session
    /// from the HFIS snapshot yet): listed for the clerk, never dropped.
    pub unknown_session: Vec<UnplacedBooking>,
    /// Bookings that could not become a token (a full pool, a session that has ended).
    pub refused: Vec<UnplacedBooking>,
    /// The sessions whose queue changed (for the windows showing them).
    pub sessions_changed: Vec<SessionId>,
}

/// A booking the desk must look at. No patient data: ids, date and the reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UnplacedBooking {
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub booking_id: i64,
    pub tanggal: String,
    #[cfg_attr(feature = "specta", specta(type = Option<i32>))]
    pub id_dokter: Option<i64>,
    pub reason: String,
}

impl Desk {
    fn opd_session_for(&self, key: &SessionKey) -> Result<Option<SessionId>> {
        let jam = key.jam_mulai.format("%H:%M").to_string();
        repo_session(self.store.conn(), &key.kode_dokter, &key.tanggal.to_string(), &jam)
    }

    /// Makes synced bookings (from today, WIB) and tokens agree; idempotent.
    pub fn sync_reconcile_bookings(&mut self) -> Result<ReconcileReport> {
        let today = wib_date(self.now());
        let booking_job = self.sync_job(JOB_BOOKING)?;
        let jadwal_job = self.sync_job(JOB_JADWAL)?;
        self.store.write(|tx| {
            repo::ensure_table(tx, &booking_job)?;
            repo::ensure_table(tx, &jadwal_job)
        })?;
        let conn = self.store.conn();
        let bookings = read_bookings(conn, &booking_job, today)?;
        let jadwal = read_jadwal(conn, &jadwal_job, today)?;
        let mut report = ReconcileReport::default();
        for (b, patient) in &bookings {
            let existing = repo::booking_token(self.store.conn(), b.booking_id)?;
            let existing_state = match existing {
                Some(link) => self.opd_token_state(TokenId(link.token_id))?,
                None => None,
            };
            let target = find_jadwal(b, &jadwal).and_then(Jadwal::session_key);
            let session = match &target {
                Some(key) => self.opd_session_for(key)?.map(|id| (key.clone(), id)),
                None => None,
            };
            let action = booking_action(
                existing_state.as_ref().map(|(k, s)| (k, *s)),
                b,
                session.as_ref().map(|(k, _)| k),
            );
            let unplaced = |reason: String| UnplacedBooking {
                booking_id: b.booking_id,
                tanggal: b.tanggal.to_string(),
                id_dokter: b.id_dokter,
                reason,
            };
            match action {
                BookingAction::Nothing => report.unchanged += 1,
                BookingAction::UnknownSession => report.unknown_session.push(unplaced(if target.is_none() {
                    "Jadwal dokter untuk booking ini belum tersinkron.".into()
                } else {
                    "Sesi praktik dokter belum ada: perbarui jadwal HFIS di layar Kuota.".into()
                })),
                BookingAction::Issue { .. } => {
                    let Some((_, session_id)) = session else { continue };
                    match self.issue_booking(b, patient, session_id) {
                        Ok(()) => {
                            report.issued += 1;
                            report.sessions_changed.push(session_id);
                        }
                        Err(e) => report.refused.push(unplaced(e.message)),
                    }
                }
                BookingAction::Cancel { reason } => {
                    if let Some(link) = existing {
                        self.opd_token_action(TokenId(link.token_id), TokenAction::Cancel, Some(reason))?;
                        report.cancelled += 1;
                        report.sessions_changed.push(SessionId(link.session_id));
                    }
                }
                BookingAction::Move { .. } => {
                    let (Some(link), Some((_, session_id))) = (existing, session) else {
                        continue;
                    };
                    match self.issue_booking(b, patient, session_id) {
                        Ok(()) => {
                            self.opd_token_action(
                                TokenId(link.token_id),
                                TokenAction::Cancel,
                                Some("Booking dipindah ke jadwal lain.".into()),
                            )?;
                            report.moved += 1;
                            report.sessions_changed.extend([SessionId(link.session_id), session_id]);
                        }
                        Err(e) => report.refused.push(unplaced(e.message)),
                    }
                }
            }
        }
        report.sessions_changed.sort_unstable_by_key(|s| s.0);
        report.sessions_changed.dedup();
        if report.issued + report.cancelled + report.moved > 0 || !report.unknown_session.is_empty() {
            tracing::info!(
                issued = report.issued,
                cancelled = report.cancelled,
                moved = report.moved,
                unknown = report.unknown_session.len(),
                refused = report.refused.len(),
                "bookings reconciled"
            );
        }
        Ok(report)
    }

    /// Issues the online token of a booking and links it, in one transaction.
    fn issue_booking(&mut self, b: &Booking, patient: &PatientDetails, session_id: SessionId) -> Result<()> {
        let req = TokenRequest {
            session_id,
            slot_id: None,
            source: Source::Online,
            paid: false,
            jenis: b.jenis,
            norm: b.no_rm.clone(),
            name: None,
            // Details that do not pass validation are left out: the token is still issued and
            // its BPJS item waits, incomplete, for the clerk.
            patient: PatientDetails {
                nomorkartu: patient
                    .nomorkartu
                    .clone()
                    .filter(|_| b.jenis == loket_core::opd::Jenis::Jkn),
                ..patient.clone()
            }
            .keep_valid(),
        };
        self.opd_request_token_linked(&req, Some(b.booking_id)).map(|_| ())
    }

    /// The session key and status of a token.
    fn opd_token_state(&self, token_id: TokenId) -> Result<Option<(SessionKey, Status)>> {
        let Some(session_id) = loket_store::opd::session_of_token(self.store.conn(), token_id)? else {
            return Ok(None);
        };
        let state = loket_store::opd::load_session(self.store.conn(), session_id)?;
        Ok(state.and_then(|s| {
            let status = s.token(token_id)?.status;
            Some((
                SessionKey {
                    kode_dokter: s.session.doctor_code.clone(),
                    tanggal: s.session.date,
                    jam_mulai: s.session.jam.start,
                },
                status,
            ))
        }))
    }
}

/// The OPD session of a doctor on a date whose jam praktek starts at `start` (`HH:MM`).
fn repo_session(conn: &rusqlite::Connection, doctor: &str, date: &str, start: &str) -> Result<Option<SessionId>> {
    use rusqlite::OptionalExtension;
    conn.prepare_cached(
        "SELECT session_id FROM opd_sessions WHERE doctor_code = ?1 AND date = ?2 AND substr(jam, 1, 5) = ?3
         ORDER BY session_id LIMIT 1",
    )
    .and_then(|mut s| {
        s.query_row(rusqlite::params![doctor, date, start], |r| r.get(0))
            .optional()
    })
    .map(|o: Option<i64>| o.map(SessionId))
    .map_err(loket_store::storage_error)
}

fn col(job: &JobConfig, c: &str) -> Result<String> {
    job.column_index(c)
        .map(|_| format!("\"{c}\""))
        .ok_or_else(|| Error::invalid(format!("Tugas {} tidak memetakan kolom {c}.", job.name)))
}

fn time_of(s: Option<String>) -> Option<NaiveTime> {
    s.and_then(|t| NaiveTime::parse_from_str(&t, "%H:%M:%S").ok())
}

fn date_of(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn read_bookings(
    conn: &rusqlite::Connection,
    job: &JobConfig,
    from: NaiveDate,
) -> Result<Vec<(Booking, PatientDetails)>> {
    // What a booking brings for BPJS; a column the job does not map reads as empty.
    let opt = |c: &str| col(job, c).unwrap_or_else(|_| "NULL".into());
    let sql = format!(
        "SELECT {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {} FROM \"{}\" WHERE {} >= ?1 ORDER BY 1",
        col(job, "booking_id")?,
        col(job, "status_booking")?,
        col(job, "tanggal_antrian")?,
        col(job, "mulai")?,
        col(job, "id_jadwal_dokter")?,
        col(job, "id_dokter")?,
        col(job, "no_rm")?,
        col(job, "asuransi")?,
        opt("nik_rm"),
        opt("no_hp"),
        opt("telepon"),
        opt("no_asuransi"),
        opt("no_rujukan"),
        opt("no_kontrol"),
        opt("status_rekam_medis"),
        job.table,
        col(job, "tanggal_antrian")?,
    );
    let mut stmt = conn.prepare(&sql).map_err(loket_store::storage_error)?;
    let text = |v: rusqlite::types::Value| match v {
        rusqlite::types::Value::Text(t) if !t.trim().is_empty() => Some(t.trim().to_string()),
        rusqlite::types::Value::Integer(i) => Some(i.to_string()),
        _ => None,
    };
    let mut rows = stmt.query([from.to_string()]).map_err(loket_store::storage_error)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next().map_err(loket_store::storage_error)? {
        let get = |i: usize| r.get::<_, rusqlite::types::Value>(i).map(text);
        let read = || -> rusqlite::Result<Option<(Booking, PatientDetails)>> {
            let Some(tanggal) = get(2)?.as_deref().and_then(date_of) else {
                return Ok(None);
            };
            let no_kontrol = get(13)?;
            let booking = Booking {
                booking_id: r.get(0)?,
                status: BookingStatus::parse(get(1)?.as_deref().unwrap_or("")),
                tanggal,
                jam: time_of(get(3)?),
                id_jadwal_dokter: r.get(4)?,
                id_dokter: r.get(5)?,
                no_rm: get(6)?,
                jenis: loket_core::sync::booking::jenis_of_asuransi(get(7)?.as_deref()),
            };
            // A control letter makes the visit a kontrol (3); otherwise a referral from FKTP (1).
            let patient = PatientDetails {
                nomorkartu: get(11)?,
                nik: get(8)?,
                nohp: get(9)?.or(get(10)?),
                jeniskunjungan: Some(if no_kontrol.is_some() { 3 } else { 1 }),
                nomorreferensi: no_kontrol.or(get(12)?),
                pasien_baru: get(14)?.is_some_and(|s| s.eq_ignore_ascii_case("baru")),
                norm: booking.no_rm.clone(),
            }
            .normalized();
            Ok(Some((booking, patient)))
        };
        if let Some(pair) = read().map_err(loket_store::storage_error)? {
            out.push(pair);
        }
    }
    Ok(out)
}

fn read_jadwal(conn: &rusqlite::Connection, job: &JobConfig, from: NaiveDate) -> Result<Vec<Jadwal>> {
    let sql = format!(
        "SELECT {}, {}, {}, {}, {}, {}, {} FROM \"{}\" WHERE {} >= ?1",
        col(job, "id_jadwal_dokter")?,
        col(job, "id_dokter")?,
        col(job, "kode_dokter_bpjs")?,
        col(job, "kode_poli_bpjs")?,
        col(job, "tanggal")?,
        col(job, "mulai")?,
        col(job, "selesai")?,
        job.table,
        col(job, "tanggal")?,
    );
    let mut stmt = conn.prepare(&sql).map_err(loket_store::storage_error)?;
    let rows = stmt
        .query_map([from.to_string()], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
            ))
        })
        .map_err(loket_store::storage_error)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(loket_store::storage_error)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, dokter, kode, poli, tanggal, mulai, selesai)| {
            Some(Jadwal {
                id_jadwal_dokter: id,
                id_dokter: dokter,
                kode_dokter_bpjs: kode,
                kode_poli_bpjs: poli,
                tanggal: date_of(&tanggal)?,
                mulai: time_of(mulai),
                selesai: time_of(selesai),
            })
        })
        .collect())
}

/// For tests and the bench: the links of bookings to tokens.
pub fn booking_link(desk: &Desk, booking_id: i64) -> Result<Option<BookingToken>> {
    repo::booking_token(desk.store.conn(), booking_id)
}

// ---- stats (the seed's step 9) -----------------------------------------------------------------

/// Active bookings of one doctor or specialization on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BookingStat {
    pub id: String,
    pub name: String,
    pub bookings: u32,
}

/// How to group booking stats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum StatsBy {
    Doctor,
    Specialization,
}

impl std::str::FromStr for StatsBy {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim() {
            "doctor" | "dokter" => Ok(StatsBy::Doctor),
            "specialization" | "spesialis" => Ok(StatsBy::Specialization),
            _ => Err(Error::invalid("Pengelompokan harus doctor atau specialization.")),
        }
    }
}

impl Desk {
    /// Active (`Aktif`) bookings per doctor of the date's schedule (doctors without bookings as
    /// 0; a doctor with two shifts counted once), or per specialization (those of the schedule
    /// included with 0). Most bookings first.
    pub fn sync_booking_stats(&mut self, by: StatsBy, date: NaiveDate) -> Result<Vec<BookingStat>> {
        let booking = self.sync_job(JOB_BOOKING)?;
        let jadwal = self.sync_job(JOB_JADWAL)?;
        self.store.write(|tx| {
            repo::ensure_table(tx, &booking)?;
            repo::ensure_table(tx, &jadwal)
        })?;
        let (b, j) = (&booking.table, &jadwal.table);
        let sql = match by {
            StatsBy::Doctor => format!(
                "SELECT d.id_dokter, max(d.nama_dokter),
                   (SELECT count(*) FROM \"{b}\" x WHERE x.id_dokter = d.id_dokter AND x.tanggal_antrian = ?1
                      AND x.status_booking = 'Aktif') AS n
                 FROM \"{j}\" d WHERE d.tanggal = ?1 AND d.id_dokter IS NOT NULL
                 GROUP BY d.id_dokter ORDER BY n DESC, 2"
            ),
            StatsBy::Specialization => format!(
                "SELECT s.id, max(s.name), sum(s.n) AS n FROM (
                   SELECT id_spesialis AS id, spesialis AS name, count(*) AS n FROM \"{b}\"
                    WHERE tanggal_antrian = ?1 AND status_booking = 'Aktif' GROUP BY id_spesialis
                   UNION ALL
                   SELECT DISTINCT id_spesialis, spesialis, 0 FROM \"{j}\" WHERE tanggal = ?1
                 ) s WHERE s.id IS NOT NULL GROUP BY s.id ORDER BY n DESC, 2"
            ),
        };
        let conn = self.store.conn();
        let mut stmt = conn.prepare(&sql).map_err(loket_store::storage_error)?;
        let rows = stmt
            .query_map([date.to_string()], |r| {
                Ok(BookingStat {
                    id: r.get::<_, rusqlite::types::Value>(0).map(|v| match v {
                        rusqlite::types::Value::Integer(i) => i.to_string(),
                        rusqlite::types::Value::Text(t) => t,
                        _ => String::new(),
                    })?,
                    name: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    bookings: r.get(2)?,
                })
            })
            .map_err(loket_store::storage_error)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(loket_store::storage_error)?;
        Ok(rows)
    }
}
