//! `loket spm …`: the monthly standard-patient report of the DM and HT programmes.
//!
//! ```text
//! loket spm report --program dm|ht --year YYYY [--csv] [--json]
//! loket spm target set --program dm|ht --year YYYY --target N
//! loket spm patient --program dm|ht --norm NORM --year YYYY [--json]
//! loket spm month --program dm|ht --year YYYY --month M [--json]
//! ```

use std::path::Path;

use clap::Subcommand;
use loket_core::spm::{MonthStatus, Program};
use loket_core::Result;
use serde_json::json;

use crate::output::Output;

#[derive(Subcommand)]
pub enum SpmCommand {
    /// The year's monthly table.
    Report {
        #[arg(long)]
        program: String,
        #[arg(long)]
        year: i32,
        /// CSV instead of the table (semicolons, decimal comma).
        #[arg(long)]
        csv: bool,
    },
    /// Annual targets.
    #[command(subcommand)]
    Target(TargetCommand),
    /// One patient's year, month by month.
    Patient {
        #[arg(long)]
        program: String,
        #[arg(long)]
        norm: String,
        #[arg(long)]
        year: i32,
    },
    /// A month's patients, standard or not.
    Month {
        #[arg(long)]
        program: String,
        #[arg(long)]
        year: i32,
        #[arg(long)]
        month: u32,
    },
}

#[derive(Subcommand)]
pub enum TargetCommand {
    Set {
        #[arg(long)]
        program: String,
        #[arg(long)]
        year: i32,
        #[arg(long)]
        target: u32,
    },
}

fn month_name(m: u32) -> &'static str {
    [
        "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
    ]
    .get(m.saturating_sub(1) as usize)
    .copied()
    .unwrap_or("?")
}

pub fn run(c: SpmCommand, db: &Path, out: &Output) -> Result<()> {
    let mut desk = super::open(db)?;
    match c {
        SpmCommand::Report { program, year, csv } => {
            let r = desk.spm_report(program.parse::<Program>()?, year)?;
            if csv && !out.json {
                print!("{}", r.to_csv());
                return Ok(());
            }
            out.print(&r, || {
                let mut lines = vec![format!(
                    "SPM {} {} — target {} — pasien dilayani {}",
                    r.program.label(),
                    r.year,
                    r.target.map_or("belum diisi".to_string(), |t| t.to_string()),
                    r.distinct_patients
                )];
                lines.push("Bulan  Kunjungan  Standar  Tidak standar  Persentase".into());
                for m in &r.months {
                    lines.push(format!(
                        "{:<5}  {:>9}  {:>7}  {:>13}  {:>10}",
                        month_name(m.month),
                        m.visited,
                        m.standard,
                        m.non_standard,
                        m.percentage_text
                            .as_deref()
                            .map_or("—".to_string(), |p| format!("{p}%"))
                    ));
                }
                if let Some(note) = &r.note {
                    lines.push(note.clone());
                }
                lines.join("\n")
            });
        }
        SpmCommand::Target(TargetCommand::Set { program, year, target }) => {
            let program = program.parse::<Program>()?;
            desk.spm_set_target(program, year, target)?;
            out.print(&json!({ "program": program, "year": year, "target": target }), || {
                format!("target {} {year} = {target} pasien", program.label())
            });
        }
        SpmCommand::Patient { program, norm, year } => {
            let p = desk.spm_patient(program.parse::<Program>()?, &norm, year)?;
            out.print(&p, || {
                p.months
                    .iter()
                    .map(|m| {
                        let status = match m.status {
                            MonthStatus::NoVisit => "—".to_string(),
                            MonthStatus::Standard => "standar".to_string(),
                            MonthStatus::NonStandard => {
                                format!("tidak standar (putus {})", m.break_month.map_or("?", month_name))
                            }
                        };
                        format!("{:<5} {status}", month_name(m.month))
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        SpmCommand::Month { program, year, month } => {
            let rows = desk.spm_month(program.parse::<Program>()?, year, month)?;
            out.print(&rows, || {
                rows.iter()
                    .map(|p| {
                        if p.standard {
                            format!("{} standar", p.no_rm)
                        } else {
                            format!(
                                "{} tidak standar (putus {})",
                                p.no_rm,
                                p.break_month.map_or("?", month_name)
                            )
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}
