//! `loket balance …`: Saldo pasien, the patients' deposits, charges and monthly balances.
//!
//! ```text
//! loket balance init --all | --patient NORM [--dry-run] [--as-of YYYY-MM]
//! loket balance sync --all | --patient NORM [--from-month YYYY-MM] [--force] [--as-of YYYY-MM]
//! loket balance show --patient NORM [--month YYYY-MM] --json
//! loket balance transactions --patient NORM --month YYYY-MM --json
//! loket balance unpriced --json
//! ```
//!
//! `init` calculates the patients that have no calculation yet (`--dry-run`: report only,
//! nothing written); `sync` brings calculations in line with the synced rows from the earliest
//! month that differs (or `--from-month`); `--force` discards them and recalculates. "Current
//! month" is the WIB month of today unless `--as-of` is given.

use std::path::Path;

use clap::{ArgGroup, Args, Subcommand};
use loket_core::balance::YearMonth;
use loket_core::Result;
use loket_service::balance::{BalanceReport, BalanceTarget};
use serde_json::json;

use crate::output::Output;

#[derive(Args)]
#[command(group(ArgGroup::new("target").required(true).args(["all", "patient"])))]
pub struct Target {
    /// Every patient with synced deposits or charges.
    #[arg(long)]
    all: bool,
    /// One patient, by no RM.
    #[arg(long, value_name = "NORM")]
    patient: Option<String>,
}

impl Target {
    fn target(self) -> BalanceTarget {
        match self.patient {
            Some(p) if !self.all => BalanceTarget::Patient(p),
            _ => BalanceTarget::All,
        }
    }
}

#[derive(Subcommand)]
pub enum BalanceCommand {
    /// Calculate the patients that have no calculation yet.
    Init {
        #[command(flatten)]
        target: Target,
        /// Report what would be calculated; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Calculate through this month (YYYY-MM) instead of the current one.
        #[arg(long, value_name = "YYYY-MM")]
        as_of: Option<String>,
    },
    /// Bring the calculations in line with the synced rows.
    Sync {
        #[command(flatten)]
        target: Target,
        /// Rewrite from this month (YYYY-MM) on, even where nothing differs.
        #[arg(long, value_name = "YYYY-MM")]
        from_month: Option<String>,
        /// Discard the stored calculations and recalculate everything.
        #[arg(long)]
        force: bool,
        /// Calculate through this month (YYYY-MM) instead of the current one.
        #[arg(long, value_name = "YYYY-MM")]
        as_of: Option<String>,
    },
    /// A patient's monthly statement.
    Show {
        #[arg(long, value_name = "NORM")]
        patient: String,
        #[arg(long, value_name = "YYYY-MM")]
        month: Option<String>,
    },
    /// A patient's charge items of a month, with the tariff used.
    Transactions {
        #[arg(long, value_name = "NORM")]
        patient: String,
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
    },
    /// Charge items left out of the balances (no tariff, or a quantity that cannot be calculated).
    Unpriced,
}

fn month(s: Option<&str>) -> Result<Option<YearMonth>> {
    s.map(YearMonth::parse).transpose()
}

fn describe(r: &BalanceReport) -> String {
    let verb = if r.dry_run { "akan" } else { "sudah" };
    let mut lines = Vec::new();
    if r.dry_run {
        lines.push("Uji coba: tidak ada yang disimpan.".to_string());
    }
    lines.push(format!(
        "{} pasien diperiksa, {} berubah{}; {verb} ditulis {} bulan dan {} transaksi, {} entri buku besar baru; {} tagihan tanpa harga.",
        r.patients,
        r.patients_changed,
        if r.already_initialized > 0 {
            format!(
                " ({} pasien sudah pernah dihitung: gunakan `loket balance sync`)",
                r.already_initialized
            )
        } else {
            String::new()
        },
        r.months_written,
        r.transactions_written,
        r.ledger_appended,
        r.unpriced
    ));
    let rp = |v: Option<loket_core::Rupiah>| v.map_or("-".to_string(), |v| v.to_string());
    for c in &r.changed {
        lines.push(format!(
            "  {}: saldo {} → {}{}",
            c.no_rm,
            rp(c.closing_before),
            rp(c.closing_after),
            c.from_month.map(|m| format!(" (mulai {m})")).unwrap_or_default()
        ));
    }
    if (r.patients_changed as usize) > r.changed.len() {
        lines.push(format!(
            "  … dan {} pasien lain.",
            r.patients_changed as usize - r.changed.len()
        ));
    }
    lines.join("\n")
}

pub fn run(c: BalanceCommand, db: &Path, out: &Output) -> Result<()> {
    let mut desk = super::open(db)?;
    match c {
        BalanceCommand::Init { target, dry_run, as_of } => {
            let as_of = month(as_of.as_deref())?;
            let r = desk.balance_init(&target.target(), dry_run, as_of)?;
            out.print(&r, || describe(&r));
        }
        BalanceCommand::Sync {
            target,
            from_month,
            force,
            as_of,
        } => {
            let (from, as_of) = (month(from_month.as_deref())?, month(as_of.as_deref())?);
            let r = desk.balance_sync(&target.target(), from, force, as_of)?;
            out.print(&r, || describe(&r));
        }
        BalanceCommand::Show { patient, month: m } => {
            let s = desk.balance_show(&patient, month(m.as_deref())?)?;
            out.print(&s, || {
                let mut lines = vec![format!("Saldo pasien No. RM {}", s.patient)];
                for m in &s.months {
                    lines.push(format!(
                        "{}  awal {}  deposit {}  tagihan {}  akhir {}  volume {}",
                        m.year_month,
                        m.opening_balance,
                        m.total_deposits,
                        m.total_purchases,
                        m.closing_balance,
                        m.total_volume
                    ));
                }
                lines.join("\n")
            });
        }
        BalanceCommand::Transactions { patient, month: m } => {
            let t = desk.balance_transactions(&patient, month(Some(&m))?)?;
            out.print(&t, || {
                if t.transactions.is_empty() {
                    return format!("Tidak ada tagihan terhitung untuk No. RM {} pada {m}.", t.patient);
                }
                t.transactions
                    .iter()
                    .map(|x| {
                        format!(
                            "{} #{} {} {} × {} = {} @ {} → {} (tarif berlaku {})",
                            x.tanggal,
                            x.id_tagihan_item,
                            x.kode_item,
                            x.jumlah,
                            x.faktor,
                            x.volume,
                            x.harga,
                            x.amount,
                            x.pricing_used.berlaku_mulai
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        BalanceCommand::Unpriced => {
            let items = desk.balance_unpriced()?;
            let doc = json!({ "count": items.len(), "unpriced": items });
            out.print(&doc, || {
                if items.is_empty() {
                    return "Semua tagihan sudah punya harga.".into();
                }
                let mut lines = vec![format!("{} tagihan tanpa harga:", items.len())];
                for u in &items {
                    lines.push(format!(
                        "  {} No. RM {} item {} (#{}): {}",
                        u.tanggal,
                        u.no_rm,
                        u.kode_item,
                        u.id_tagihan_item,
                        match u.reason {
                            loket_store::balance::UnpricedReason::TanpaTarif => "belum ada tarif yang berlaku",
                            loket_store::balance::UnpricedReason::JumlahTidakValid =>
                                "jumlah/faktor tidak dapat dihitung (lebih dari 4 desimal)",
                        }
                    ));
                }
                lines.join("\n")
            });
        }
    }
    Ok(())
}
