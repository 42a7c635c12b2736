//! `loket sync …`: the hospital dashboard API into the local replica.
//!
//! ```text
//! loket sync credentials set --url BASE_URL --token TOKEN --api-key KEY
//! loket sync run JOB|all [--from YYYY-MM-DD --to YYYY-MM-DD | --incremental] [--dashboard-url URL] [--json]
//! loket sync status [--json]
//! loket sync jobs [--json]
//! ```
//!
//! `run` exits 1 when a job failed (the others still run), 3 when no dashboard credentials are
//! stored.

use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use clap::Subcommand;
use loket_core::sync::RunWindow;
use loket_core::time::parse_date;
use loket_core::{ErrorCode, Result};
use loket_service::sync::{sync_run, SyncOutcome};
use serde_json::json;

use crate::output::Output;

#[derive(Subcommand)]
pub enum SyncCommand {
    /// Dashboard API credentials.
    #[command(subcommand)]
    Credentials(CredentialsCommand),
    /// Run one job (or `all`) now.
    Run {
        /// Job name (e.g. BOOKING_PASIEN) or `all`.
        job: String,
        /// First WIB date of the window (default: the job's days back from today).
        #[arg(long)]
        from: Option<String>,
        /// Last WIB date of the window.
        #[arg(long)]
        to: Option<String>,
        /// Only the job's incremental window (e.g. bookings: yesterday and today).
        #[arg(long)]
        incremental: bool,
        /// Base URL to call instead of the stored one (e.g. a loket-sim).
        #[arg(long = "dashboard-url", value_name = "URL")]
        dashboard_url: Option<String>,
    },
    /// The jobs with their last run.
    Status,
    /// The job configurations.
    Jobs,
}

#[derive(Subcommand)]
pub enum CredentialsCommand {
    Set {
        #[arg(long)]
        url: String,
        #[arg(long)]
        token: String,
        #[arg(long = "api-key")]
        api_key: String,
    },
}

pub fn run(c: SyncCommand, db: &Path, out: &Output) -> ExitCode {
    match run_desk(c, db, out) {
        Ok(code) => code,
        Err(e) if e.code == ErrorCode::NotFound && e.message.contains("Kredensial dashboard") => {
            out.error(&e);
            ExitCode::from(3)
        }
        Err(e) => out.error(&e),
    }
}

fn describe(o: &SyncOutcome) -> String {
    let r = &o.run;
    let c = &r.counts;
    let mut s = format!(
        "{} ({}) {}..{}: {} — {} diambil, {} baru, {} berubah, {} sama, {} dilewati, {} duplikat ({} halaman)",
        r.job,
        r.kind,
        r.window_from,
        r.window_to,
        r.status,
        c.fetched,
        c.inserted,
        c.updated,
        c.unchanged,
        c.skipped,
        c.duplicates,
        r.pages_done
    );
    for sk in r.skipped_rows.iter().take(10) {
        s.push_str(&format!(
            "\n  dilewati halaman {} baris {}: {}",
            sk.page, sk.index, sk.reason.message
        ));
    }
    if let Some(e) = &r.error {
        s.push_str(&format!("\n  {e}"));
    }
    if let Some(b) = &o.bookings {
        s.push_str(&format!(
            "\n  booking → token: {} terbit, {} dibatalkan, {} dipindah, {} tanpa sesi, {} ditolak",
            b.issued,
            b.cancelled,
            b.moved,
            b.unknown_session.len(),
            b.refused.len()
        ));
    }
    s
}

fn run_desk(c: SyncCommand, db: &Path, out: &Output) -> Result<ExitCode> {
    let mut desk = super::open(db)?;
    match c {
        SyncCommand::Credentials(CredentialsCommand::Set { url, token, api_key }) => {
            let url = desk.sync_set_credentials(&url, &token, &api_key)?;
            out.print(&json!({ "base_url": url }), || {
                format!("kredensial dashboard disimpan untuk {url}")
            });
        }
        SyncCommand::Run {
            job,
            from,
            to,
            incremental,
            dashboard_url,
        } => {
            let window = match (from, to, incremental) {
                (Some(f), Some(t), false) => RunWindow::Dates {
                    from: parse_date(&f)?,
                    to: parse_date(&t)?,
                },
                (None, None, false) => RunWindow::Full,
                (None, None, true) => RunWindow::Incremental,
                (_, _, true) => {
                    return Err(loket_core::Error::invalid(
                        "--incremental memakai rentang tugasnya sendiri; jangan digabung dengan --from/--to.",
                    ))
                }
                _ => {
                    return Err(loket_core::Error::invalid(
                        "Isi --from dan --to bersama-sama, atau keduanya dikosongkan.",
                    ))
                }
            };
            desk.sync_close_abandoned()?;
            let client = desk.sync_client(dashboard_url.as_deref())?;
            let names: Vec<String> = if job.eq_ignore_ascii_case("all") {
                desk.sync_jobs()?
                    .into_iter()
                    .filter(|j| j.enabled)
                    .map(|j| j.config.name)
                    .collect()
            } else {
                vec![job]
            };
            let cancel = AtomicBool::new(false);
            let mut outcomes = Vec::new();
            let mut failed = false;
            for name in names {
                match sync_run(&mut desk, &client, &name, window, &|_| {}, &cancel) {
                    Ok(o) => outcomes.push(o),
                    Err(e) if e.code == ErrorCode::Network => {
                        failed = true;
                        let run = desk.sync_runs(Some(&name.to_uppercase()), 1)?.into_iter().next();
                        if let Some(run) = run {
                            outcomes.push(SyncOutcome { run, bookings: None });
                        } else {
                            return Err(e);
                        }
                    }
                    Err(e) => return Err(e),
                }
            }
            if outcomes.len() == 1 {
                out.print(&outcomes[0], || describe(&outcomes[0]));
            } else {
                out.print(&outcomes, || {
                    outcomes.iter().map(describe).collect::<Vec<_>>().join("\n")
                });
            }
            return Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS });
        }
        SyncCommand::Status => {
            let jobs = desk.sync_jobs()?;
            let mut rows = Vec::new();
            for j in &jobs {
                let last = desk.sync_runs(Some(&j.config.name), 1)?.into_iter().next();
                rows.push(
                    json!({ "job": j.config.name, "enabled": j.enabled, "table": j.config.table, "last_run": last }),
                );
            }
            out.print(&rows, || {
                jobs.iter()
                    .zip(&rows)
                    .map(|(j, r)| {
                        let last = r["last_run"]["status"].as_str().unwrap_or("belum pernah");
                        let at = r["last_run"]["started_at"].as_str().unwrap_or("");
                        format!("{:<16} {:<10} {at}", j.config.name, last)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        SyncCommand::Jobs => {
            let jobs = desk.sync_jobs()?;
            out.print(&jobs, || {
                jobs.iter()
                    .map(|j| {
                        format!(
                            "{:<16} view {:<4} → {} ({} kolom, kunci {}){}",
                            j.config.name,
                            j.config.view_id,
                            j.config.table,
                            j.config.fields.len(),
                            j.config.key.join("+"),
                            if j.enabled { "" } else { " [nonaktif]" }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `loket stats bookings --by doctor|specialization --date D`.
#[derive(Subcommand)]
pub enum StatsCommand {
    /// Active bookings per doctor or specialization on a date.
    Bookings {
        #[arg(long, default_value = "doctor")]
        by: String,
        #[arg(long)]
        date: String,
    },
}

pub fn stats(c: StatsCommand, db: &Path, out: &Output) -> Result<()> {
    let mut desk = super::open(db)?;
    match c {
        StatsCommand::Bookings { by, date } => {
            let rows = desk.sync_booking_stats(by.parse()?, parse_date(&date)?)?;
            out.print(&rows, || {
                if rows.is_empty() {
                    return "Belum ada jadwal tersinkron untuk tanggal ini.".into();
                }
                rows.iter()
                    .map(|r| format!("{:>4}  {} ({})", r.bookings, r.name, r.id))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}
