//! `loket quota …`: the HFIS schedule snapshot and the real-time JKN/non-JKN quota.
//!
//! ```text
//! loket quota refresh --poli ANA,BED --date 2026-01-19,2026-01-20 [--bpjs-url URL]
//! loket quota calculate --poli ANA --dokter 33690 --date 2026-01-19 [--jam 08:00-12:00] [--json]
//! loket quota snapshots --date 2026-01-19 [--poli ANA] [--json]
//! ```
//!
//! `refresh` exits 1 when some poli-date could not be refreshed (the report still lists what
//! was done), 3 when no BPJS credentials are stored.

use std::path::Path;
use std::process::ExitCode;

use clap::Subcommand;
use loket_core::time::parse_date;
use loket_core::Result;

use crate::output::Output;

#[derive(Subcommand)]
pub enum QuotaCommand {
    /// Fetch jadwaldokter for each poli × date into the snapshot and create or update the OPD sessions.
    Refresh {
        /// Poli codes, comma separated, e.g. ANA,BED.
        #[arg(long, value_delimiter = ',', required = true)]
        poli: Vec<String>,
        /// Dates YYYY-MM-DD, comma separated.
        #[arg(long, value_delimiter = ',', required = true)]
        date: Vec<String>,
        /// Base URL to call instead of the stored one (e.g. a loket-sim).
        #[arg(long = "bpjs-url", value_name = "URL")]
        bpjs_url: Option<String>,
    },
    /// The real-time quota of one doctor's shift.
    Calculate {
        #[arg(long)]
        poli: String,
        /// HFIS doctor code.
        #[arg(long)]
        dokter: String,
        /// YYYY-MM-DD.
        #[arg(long)]
        date: String,
        /// HH:MM-HH:MM, when the doctor has several shifts that day.
        #[arg(long)]
        jam: Option<String>,
    },
    /// The snapshot of a date: one entry per shift, with its OPD session.
    Snapshots {
        #[arg(long)]
        date: String,
        #[arg(long)]
        poli: Option<String>,
    },
}

pub fn run(c: QuotaCommand, db: &Path, out: &Output) -> ExitCode {
    match run_desk(c, db, out) {
        Ok(code) => code,
        Err(e) => out.error(&e),
    }
}

fn run_desk(c: QuotaCommand, db: &Path, out: &Output) -> Result<ExitCode> {
    let mut desk = super::open(db)?;
    match c {
        QuotaCommand::Refresh { poli, date, bpjs_url } => {
            let dates = date.iter().map(|d| parse_date(d)).collect::<Result<Vec<_>>>()?;
            let conn = desk.bpjs_connection(bpjs_url.as_deref())?;
            let r = loket_service::quota::quota_refresh_run(&mut desk, &conn, &poli, &dates, &|_, _| {})?;
            out.print(&r, || {
                let mut lines = vec![format!(
                    "{} jadwal diterima; {} sesi dibuat, {} sesi diperbarui, {} perlu diperiksa, {} gagal.",
                    r.fetched_shifts,
                    r.created_sessions.len(),
                    r.updated_sessions.len(),
                    r.flagged.len(),
                    r.errors.len()
                )];
                for f in &r.flagged {
                    lines.push(format!(
                        "PERIKSA {} {} {} {}: {}",
                        f.poli_code,
                        f.doctor_code,
                        f.date,
                        f.jam,
                        f.reason.as_deref().unwrap_or("")
                    ));
                }
                for e in &r.errors {
                    lines.push(format!("GAGAL {} {}: {}", e.poli, e.date, e.message));
                }
                lines.join("\n")
            });
            Ok(if r.errors.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        QuotaCommand::Calculate {
            poli,
            dokter,
            date,
            jam,
        } => {
            let q = desk.quota_calculate(&poli, &dokter, &date, jam.as_deref())?;
            out.print(&q, || {
                format!(
                    "{} ({}) dokter {} {} {}\nJKN: kuota {}, terdaftar {}, sisa {}\nNon-JKN: kuota {}, terdaftar {}, sisa {}\nEstimasi dilayani berikutnya: {}",
                    q.poli_name,
                    q.poli_id,
                    q.dokter_id,
                    q.tanggal,
                    q.jam_praktek,
                    q.kuota_jkn,
                    q.total_registrasi_jkn,
                    q.sisa_kuota_jkn,
                    q.kuota_nonjkn,
                    q.total_registrasi_nonjkn,
                    q.sisa_kuota_nonjkn,
                    q.estimasi_dilayani_berikutnya_wib
                )
            });
            Ok(ExitCode::SUCCESS)
        }
        QuotaCommand::Snapshots { date, poli } => {
            let rows = desk.quota_snapshots(&date, poli.as_deref())?;
            out.print(&rows, || {
                if rows.is_empty() {
                    return "Belum ada jadwal HFIS untuk tanggal ini.".into();
                }
                rows.iter()
                    .map(|e| {
                        format!(
                            "{} {} {} {} kuota JKN {} non-JKN {}{}{}{}",
                            e.row.poli_code,
                            e.row.doctor_code,
                            e.row.doctor_name,
                            e.jam_praktek,
                            e.kuota_jkn,
                            e.kuota_nonjkn,
                            e.row.session_id.map(|s| format!(" sesi {s}")).unwrap_or_default(),
                            if e.row.libur { " LIBUR" } else { "" },
                            e.row
                                .flag_reason
                                .as_deref()
                                .map(|r| format!(" PERIKSA: {r}"))
                                .unwrap_or_default()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
            Ok(ExitCode::SUCCESS)
        }
    }
}
