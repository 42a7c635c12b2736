//! Saldo pasien (issue 7): each patient's deposits, priced charge items and monthly balances,
//! kept up to date in the local database so the desk reads them instantly.
//!
//! - Real time: [`apply_page`] is how a sync page is written. For DEPOSIT_PASIEN, TAGIHAN_PASIEN
//!   and TARIF it reads the page's rows as they were, writes the page, and recalculates every
//!   affected patient from the earliest affected month on, in the page's transaction: a reader
//!   never sees half an update. A tariff reprices every counted charge of its item code dated on
//!   or after its `berlaku_mulai`, whoever the patient.
//! - A recalculation ([`plan_patient`] then [`write_patient`]) replaces the patient's projections
//!   (`balance_months`, `balance_transactions`, `balance_unpriced`) from a month on, and brings
//!   the append-only `balance_ledger` in line with the synced rows: a source row whose effect
//!   changed gets a reversal of its entry in force, then its new entry; nothing is rewritten.
//! - `loket balance init` calculates the patients that have no calculation yet; `sync` compares
//!   every target patient with a calculation from scratch and rewrites from the earliest month
//!   that differs (or `--from-month`); `sync --force` discards the projections and rebuilds them.
//!   Every path gives the same rows: `force` equals the incremental result.
//!
//! The calculation itself is `loket_core::balance`. "Current month" is the WIB month of the
//! desk's clock unless `as_of` is given.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use loket_core::balance::{
    compute_patient, earliest_affected_month, price_charge, recompute_from, transaction_calculations, Balances, Change,
    MonthBalance, Qty, Tariff, TariffBook, TransactionCalculation, Volume, YearMonth,
};
use loket_core::sync::{JobConfig, Key, PagePlan};
use loket_core::time::wib_date;
use loket_core::{Error, Result, Rupiah};
use loket_store::balance::{
    self as store, EntryKind, LedgerEntry, PatientHit, PatientRows, Sources, StoredEntry, UnpricedReason, UnpricedRow,
    JOB_DEPOSIT, JOB_TAGIHAN, JOB_TARIF,
};
use loket_store::sync as repo;
use rusqlite::types::Value;
use rusqlite::{Connection, Transaction};
use serde::{Deserialize, Serialize};

use crate::Desk;

/// At most this many changed patients are listed in a report (the counts stay exact).
pub const MAX_CHANGED_LISTED: usize = 100;
/// At most this many patients are returned by a search.
pub const SEARCH_LIMIT: u32 = 20;

// ---- IPC types ---------------------------------------------------------------------------------

/// Whose balances a command calculates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum BalanceTarget {
    All,
    Patient(String),
}

/// A patient whose calculation changed (or would change).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PatientChange {
    pub no_rm: String,
    /// Months from this one on were rewritten; `None`: all of them.
    pub from_month: Option<YearMonth>,
    /// The latest closing balance before (none with `force`: the stored calculation was
    /// discarded first) and after.
    #[cfg_attr(feature = "specta", specta(type = Option<i32>))]
    pub closing_before: Option<Rupiah>,
    #[cfg_attr(feature = "specta", specta(type = Option<i32>))]
    pub closing_after: Option<Rupiah>,
    /// Ledger entries appended for this patient (reversals and recognitions).
    pub ledger_entries: u32,
}

/// What `balance init` or `balance sync` did, or would do with `dry_run`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BalanceReport {
    pub dry_run: bool,
    pub force: bool,
    /// The last month calculated (months run on to any row dated later).
    pub as_of: Option<YearMonth>,
    pub from_month: Option<YearMonth>,
    /// Patients examined.
    pub patients: u32,
    /// Patients whose months, transactions, unpriced items or ledger changed.
    pub patients_changed: u32,
    /// `init`: patients left alone because they already have a calculation.
    pub already_initialized: u32,
    /// Month rows (to be) written.
    pub months_written: u32,
    /// Month rows that differ from what was stored: new, changed or removed (with `force`
    /// the stored ones are discarded first, so every month written counts).
    pub months_changed: u32,
    /// Transaction calculations (to be) written.
    pub transactions_written: u32,
    /// Unpriced charge items of the patients examined.
    pub unpriced: u32,
    /// Ledger entries (to be) appended: reversals and recognitions.
    pub ledger_appended: u32,
    /// The first [`MAX_CHANGED_LISTED`] changed patients.
    pub changed: Vec<PatientChange>,
}

/// One month of a patient's statement (the seed's monthly_customer_balances).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MonthRow {
    pub year_month: YearMonth,
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub opening_balance: Rupiah,
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub total_deposits: Rupiah,
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub total_purchases: Rupiah,
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub closing_balance: Rupiah,
    pub total_volume: Volume,
    pub last_calculated_at: String,
}

/// A patient's monthly statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BalanceStatement {
    pub patient: String,
    pub months: Vec<MonthRow>,
}

/// The tariff row a charge was priced with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TariffUsed {
    pub kode_item: String,
    pub berlaku_mulai: NaiveDate,
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub harga: Rupiah,
}

/// One charge item's calculation (the seed's transaction_calculations).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TransactionRow {
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub id_tagihan_item: i64,
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub id_tagihan: i64,
    pub year_month: YearMonth,
    pub tanggal: NaiveDate,
    pub kode_item: String,
    /// From the synced item, when it is still there.
    pub nama_item: Option<String>,
    pub jumlah: Qty,
    pub faktor: Qty,
    pub volume: Volume,
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub harga: Rupiah,
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub amount: Rupiah,
    pub pricing_used: TariffUsed,
    pub calculated_at: String,
}

/// A patient's transactions of a month (or of every month).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BalanceTransactions {
    pub patient: String,
    pub month: Option<YearMonth>,
    pub transactions: Vec<TransactionRow>,
}

/// A patient's balance now: the closing of their latest month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CurrentBalance {
    pub no_rm: String,
    pub year_month: YearMonth,
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub closing_balance: Rupiah,
    pub last_calculated_at: String,
    /// Charge items of this patient not in the balance (no tariff, or a quantity that cannot
    /// be calculated).
    pub unpriced: u32,
}

// ---- the calculation of one patient ------------------------------------------------------------

/// What is fixed for a whole run.
struct Ctx<'a> {
    book: &'a TariffBook,
    as_of: YearMonth,
    /// Look up the entry in force of a source recognized for the first time for a patient under
    /// another patient (its no RM changed). Off when the ledger was empty at the start.
    probe: bool,
    /// Compare with the stored projections (for reports); off in the real-time path.
    diff: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// From scratch: every month replaced.
    Full,
    /// From this month on, with the stored closing of the month before (real time).
    Incremental(YearMonth),
    /// From scratch in memory; rewrite from the earliest month that differs from what is
    /// stored, or from this month if earlier.
    Repair(Option<YearMonth>),
}

#[derive(Debug, Clone)]
enum LedgerOp {
    Reverse(StoredEntry),
    Recognize(LedgerEntry),
}

impl LedgerOp {
    fn entry(&self) -> &LedgerEntry {
        match self {
            LedgerOp::Reverse(e) => &e.entry,
            LedgerOp::Recognize(e) => e,
        }
    }
}

/// A patient's recalculation, before it is written.
#[derive(Debug)]
struct PatientPlan {
    no_rm: String,
    /// Whether the projections are replaced (a repair that finds nothing different leaves them).
    write: bool,
    /// Projections are replaced from this month on; `None`: all of them.
    from: Option<YearMonth>,
    months: Vec<MonthBalance>,
    transactions: Vec<TransactionCalculation>,
    unpriced: Vec<UnpricedRow>,
    ledger: Vec<LedgerOp>,
    months_changed: u32,
    unpriced_total: u32,
    closing_before: Option<Rupiah>,
    closing_after: Option<Rupiah>,
}

impl PatientPlan {
    fn changed(&self) -> bool {
        self.months_changed > 0 || !self.ledger.is_empty()
    }
}

/// The ledger entry a deposit or a priced charge should have in force.
fn desired_entries(rows: &PatientRows, book: &TariffBook) -> Result<BTreeMap<(EntryKind, i64), LedgerEntry>> {
    let mut out = BTreeMap::new();
    for d in rows.deposits.iter().filter(|d| d.counts()) {
        out.insert(
            (EntryKind::Deposit, d.id_deposit),
            LedgerEntry {
                kind: EntryKind::Deposit,
                source_id: d.id_deposit,
                no_rm: rows.no_rm.clone(),
                year_month: d.year_month(),
                tanggal: d.tanggal,
                amount: d.jumlah,
                volume: None,
                pricing: None,
            },
        );
    }
    for c in rows.charges.iter().filter(|c| c.counts()) {
        let Some(p) = price_charge(c, book)? else { continue };
        out.insert(
            (EntryKind::Charge, c.id_tagihan_item),
            LedgerEntry {
                kind: EntryKind::Charge,
                source_id: c.id_tagihan_item,
                no_rm: rows.no_rm.clone(),
                year_month: c.year_month(),
                tanggal: c.tanggal,
                amount: -p.amount,
                volume: Some(p.volume.to_string()),
                pricing: Some(serde_json::to_string(p.tariff).map_err(|e| Error::internal(e.to_string()))?),
            },
        );
    }
    Ok(out)
}

/// The ledger appends that make the patient's entries in force match the synced rows.
fn ledger_ops(conn: &Connection, ctx: &Ctx<'_>, rows: &PatientRows) -> Result<Vec<LedgerOp>> {
    let mut desired = desired_entries(rows, ctx.book)?;
    let mut ops = Vec::new();
    for e in store::entries_in_force(conn, &rows.no_rm)? {
        match desired.remove(&(e.entry.kind, e.entry.source_id)) {
            Some(d) if d == e.entry => {}
            Some(d) => {
                ops.push(LedgerOp::Reverse(e));
                ops.push(LedgerOp::Recognize(d));
            }
            None => ops.push(LedgerOp::Reverse(e)),
        }
    }
    let mut new: Vec<LedgerEntry> = desired.into_values().collect();
    new.sort_by_key(|e| (e.tanggal, e.kind, e.source_id));
    for d in new {
        if ctx.probe {
            // In force under another patient: its no RM changed.
            if let Some(other) = store::entry_in_force_of_source(conn, d.kind, d.source_id)? {
                ops.push(LedgerOp::Reverse(other));
            }
        }
        ops.push(LedgerOp::Recognize(d));
    }
    Ok(ops)
}

fn unpriced_rows(b: &Balances, rows: &PatientRows, from: Option<YearMonth>) -> Vec<UnpricedRow> {
    let keep = |d: NaiveDate| from.is_none_or(|f| YearMonth::of(d) >= f);
    let mut out: Vec<UnpricedRow> = b
        .unpriced
        .iter()
        .filter(|u| keep(u.tanggal))
        .map(|u| UnpricedRow::new(u, UnpricedReason::TanpaTarif))
        .chain(
            rows.invalid
                .iter()
                .filter(|u| keep(u.tanggal))
                .map(|u| UnpricedRow::new(u, UnpricedReason::JumlahTidakValid)),
        )
        .collect();
    out.sort_by_key(|u| (u.tanggal, u.id_tagihan_item));
    out
}

fn min_month(a: Option<YearMonth>, b: Option<YearMonth>) -> Option<YearMonth> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The months whose rows differ between `stored` and `new` (both ordered by month).
fn differing_months<'a>(
    stored: impl IntoIterator<Item = (YearMonth, &'a MonthBalance)>,
    new: impl IntoIterator<Item = (YearMonth, &'a MonthBalance)>,
) -> Vec<YearMonth> {
    let mut all: BTreeMap<YearMonth, (Option<&MonthBalance>, Option<&MonthBalance>)> = BTreeMap::new();
    for (m, r) in stored {
        all.entry(m).or_default().0 = Some(r);
    }
    for (m, r) in new {
        all.entry(m).or_default().1 = Some(r);
    }
    all.into_iter().filter(|(_, (a, b))| a != b).map(|(m, _)| m).collect()
}

/// The earliest month of the items that differ between two keyed lists.
fn earliest_difference<K: Ord, T: PartialEq>(
    stored: impl IntoIterator<Item = (K, T, YearMonth)>,
    new: impl IntoIterator<Item = (K, T, YearMonth)>,
) -> Option<YearMonth> {
    type Side<T> = Option<(T, YearMonth)>;
    let mut all: BTreeMap<K, (Side<T>, Side<T>)> = BTreeMap::new();
    for (k, t, m) in stored {
        all.entry(k).or_insert((None, None)).0 = Some((t, m));
    }
    for (k, t, m) in new {
        all.entry(k).or_insert((None, None)).1 = Some((t, m));
    }
    let mut earliest = None;
    for (_, (a, b)) in all {
        let differ = match (&a, &b) {
            (Some((x, _)), Some((y, _))) => x != y,
            _ => true,
        };
        if differ {
            for m in a.iter().chain(b.iter()).map(|(_, m)| *m) {
                earliest = min_month(earliest, Some(m));
            }
        }
    }
    earliest
}

/// Recalculates one patient (reads only).
fn plan_patient(conn: &Connection, ctx: &Ctx<'_>, rows: &PatientRows, mode: Mode) -> Result<PatientPlan> {
    let ledger = ledger_ops(conn, ctx, rows)?;
    let book = ctx.book;
    let closing_before = if ctx.diff {
        store::latest_month(conn, &rows.no_rm)?.map(|m| m.balance.closing_balance)
    } else {
        None
    };
    // (from, months, transactions, unpriced of those months, all unpriced count, write)
    let (from, prev_closing, balances) = match mode {
        Mode::Incremental(m) => match store::month_before(conn, &rows.no_rm, m)? {
            Some((prev, closing)) => {
                let from = prev.succ();
                let b = recompute_from(Some(closing), from, ctx.as_of, &rows.deposits, &rows.charges, book)?;
                (Some(from), Some(closing), b)
            }
            None => (
                None,
                None,
                compute_patient(&rows.deposits, &rows.charges, book, ctx.as_of)?,
            ),
        },
        Mode::Full | Mode::Repair(_) => (
            None,
            None,
            compute_patient(&rows.deposits, &rows.charges, book, ctx.as_of)?,
        ),
    };
    let in_range = |m: YearMonth, from: Option<YearMonth>| from.is_none_or(|f| m >= f);
    let charges_from = |from: Option<YearMonth>| rows.charges.iter().filter(move |c| in_range(c.year_month(), from));
    let transactions = transaction_calculations(charges_from(from), book)?;
    let unpriced = unpriced_rows(&balances, rows, from);
    let unpriced_total = unpriced.len() as u32;

    let mut plan = PatientPlan {
        no_rm: rows.no_rm.clone(),
        write: true,
        from,
        months: balances.months,
        transactions,
        unpriced,
        ledger,
        months_changed: 0,
        unpriced_total,
        closing_before,
        closing_after: None,
    };
    if let Mode::Repair(from_month) = mode {
        // Everything stored against the calculation from scratch.
        let stored = store::months(conn, &rows.no_rm, None)?;
        let differing = differing_months(
            stored.iter().map(|s| (s.balance.year_month, &s.balance)),
            plan.months.iter().map(|m| (m.year_month, m)),
        );
        let stored_tx = store::transactions(conn, &rows.no_rm, None)?;
        let tx_diff = earliest_difference(
            stored_tx
                .iter()
                .map(|s| (s.calc.id_tagihan_item, &s.calc, s.calc.year_month)),
            plan.transactions.iter().map(|t| (t.id_tagihan_item, t, t.year_month)),
        );
        let stored_unpriced = store::unpriced(conn, Some(&rows.no_rm))?;
        let unpriced_diff = earliest_difference(
            stored_unpriced
                .iter()
                .map(|u| (u.id_tagihan_item, u, YearMonth::of(u.tanggal))),
            plan.unpriced
                .iter()
                .map(|u| (u.id_tagihan_item, u, YearMonth::of(u.tanggal))),
        );
        let ledger_diff = plan
            .ledger
            .iter()
            .map(LedgerOp::entry)
            .filter(|e| e.no_rm == rows.no_rm)
            .map(|e| e.year_month)
            .min();
        let earliest = [differing.first().copied(), tx_diff, unpriced_diff, ledger_diff]
            .into_iter()
            .fold(None, min_month);
        match min_month(earliest, from_month) {
            None => {
                plan.write = false;
                plan.months.clear();
                plan.transactions.clear();
                plan.unpriced.clear();
            }
            Some(f) => {
                // Months before `f` are the same stored and calculated: keep them.
                plan.from = Some(f);
                plan.months.retain(|m| m.year_month >= f);
                plan.transactions.retain(|t| t.year_month >= f);
                plan.unpriced.retain(|u| YearMonth::of(u.tanggal) >= f);
            }
        }
        plan.months_changed = differing.len() as u32;
        plan.closing_after = plan
            .months
            .last()
            .map(|m| m.closing_balance)
            .or_else(|| stored.last().map(|s| s.balance.closing_balance));
        if !plan.write {
            plan.closing_after = closing_before;
        }
        return Ok(plan);
    }
    if ctx.diff {
        let stored = store::months(conn, &rows.no_rm, plan.from)?;
        plan.months_changed = differing_months(
            stored.iter().map(|s| (s.balance.year_month, &s.balance)),
            plan.months.iter().map(|m| (m.year_month, m)),
        )
        .len() as u32;
        plan.closing_after = plan.months.last().map(|m| m.closing_balance).or(prev_closing);
    }
    Ok(plan)
}

/// Writes a patient's recalculation: projections from `plan.from`, then the ledger appends.
fn write_patient(tx: &Transaction<'_>, plan: &PatientPlan, now: DateTime<Utc>) -> Result<()> {
    if plan.write {
        store::replace_months(tx, &plan.no_rm, plan.from, &plan.months, now)?;
        store::replace_transactions(tx, &plan.no_rm, plan.from, &plan.transactions, now)?;
        store::replace_unpriced(tx, &plan.no_rm, plan.from, &plan.unpriced)?;
    }
    for op in &plan.ledger {
        match op {
            LedgerOp::Reverse(e) => store::append_entry(tx, &e.entry, Some(e.seq), now)?,
            LedgerOp::Recognize(e) => store::append_entry(tx, e, None, now)?,
        };
    }
    Ok(())
}

// ---- real time: a sync page --------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SourceJob {
    Deposit,
    Charge,
    Tariff,
}

fn source_job(job: &JobConfig) -> Option<SourceJob> {
    match job.name.as_str() {
        JOB_DEPOSIT => Some(SourceJob::Deposit),
        JOB_TAGIHAN => Some(SourceJob::Charge),
        JOB_TARIF => Some(SourceJob::Tariff),
        _ => None,
    }
}

fn text(v: &Value) -> Option<&str> {
    match v {
        Value::Text(s) if !s.trim().is_empty() => Some(s),
        _ => None,
    }
}

fn date(v: &Value) -> Option<NaiveDate> {
    text(v).and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
}

fn tariff_of(row: &[Value]) -> Option<Tariff> {
    match row {
        [kode, from, Value::Integer(harga)] => Some(Tariff {
            kode_item: text(kode)?.to_string(),
            berlaku_mulai: date(from)?,
            harga: Rupiah(*harga),
        }),
        _ => None,
    }
}

/// Writes one sync page (`loket_store::sync::apply_plan`) and, for the deposit, charge and
/// tariff jobs, recalculates every affected patient from the earliest affected month on, in the
/// same transaction. Every sync page goes through here.
pub(crate) fn apply_page(
    tx: &Transaction<'_>,
    job: &JobConfig,
    plan: &PagePlan,
    now: DateTime<Utc>,
) -> Result<repo::Applied> {
    let Some(kind) = source_job(job) else {
        return repo::apply_plan(tx, job, plan, now);
    };
    if plan.is_noop() {
        return repo::apply_plan(tx, job, plan, now);
    }
    let keys: Vec<&Key> = plan.inserts.iter().chain(&plan.updates).map(|r| &r.key).collect();
    let columns: &[&str] = match kind {
        SourceJob::Deposit | SourceJob::Charge => &["no_rm", "tanggal"],
        SourceJob::Tariff => &["kode_item", "berlaku_mulai", "harga"],
    };
    let before = store::rows_by_keys(tx, job, keys.iter().copied(), columns)?;
    let applied = repo::apply_plan(tx, job, plan, now)?;
    if applied.inserted + applied.updated == 0 {
        return Ok(applied);
    }
    let after = store::rows_by_keys(tx, job, keys.iter().copied(), columns)?;

    let src = Sources::resolve(tx)?;
    store::ensure_source_indexes(tx, &src)?;
    let mut affected: BTreeMap<String, YearMonth> = BTreeMap::new();
    let mut note = |no_rm: &str, m: YearMonth| {
        affected
            .entry(no_rm.to_string())
            .and_modify(|e| *e = (*e).min(m))
            .or_insert(m);
    };
    let mut loaded: HashMap<String, PatientRows> = HashMap::new();
    match kind {
        SourceJob::Deposit | SourceJob::Charge => {
            // The old row's month too: a date or patient that changed affects both.
            for row in before.iter().chain(&after) {
                if let (Some(no_rm), Some(d)) = (text(&row[0]), date(&row[1])) {
                    note(no_rm, YearMonth::of(d));
                }
            }
        }
        SourceJob::Tariff => {
            let old: HashMap<(String, NaiveDate), Rupiah> = before
                .iter()
                .filter_map(|r| tariff_of(r))
                .map(|t| ((t.kode_item, t.berlaku_mulai), t.harga))
                .collect();
            let changed: Vec<Tariff> = after
                .iter()
                .filter_map(|r| tariff_of(r))
                .filter(|t| old.get(&(t.kode_item.clone(), t.berlaku_mulai)) != Some(&t.harga))
                .collect();
            let mut candidates = BTreeSet::new();
            for t in &changed {
                candidates.extend(store::patients_charged_with(tx, &src, &t.kode_item, t.berlaku_mulai)?);
            }
            for no_rm in candidates {
                let rows = store::patient_rows(tx, &src, &no_rm)?;
                if let Some(m) = earliest_affected_month(changed.iter().map(Change::Tariff), &rows.charges) {
                    note(&no_rm, m);
                }
                loaded.insert(no_rm, rows);
            }
        }
    }
    if affected.is_empty() {
        return Ok(applied);
    }
    let book = store::tariff_book(tx, &src)?;
    let ctx = Ctx {
        book: &book,
        as_of: YearMonth::of(wib_date(now)),
        probe: true,
        diff: false,
    };
    let n = affected.len();
    for (no_rm, from) in affected {
        let rows = match loaded.remove(&no_rm) {
            Some(rows) => rows,
            None => store::patient_rows(tx, &src, &no_rm)?,
        };
        let plan = plan_patient(tx, &ctx, &rows, Mode::Incremental(from))?;
        write_patient(tx, &plan, now)?;
    }
    tracing::debug!(job = %job.name, patients = n, "balances recalculated with the page");
    Ok(applied)
}

// ---- use cases ---------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RunKind {
    Init,
    Sync { force: bool },
}

fn no_rm_arg(no_rm: &str) -> Result<String> {
    let t = no_rm.trim();
    if t.is_empty() {
        return Err(Error::invalid("No. RM pasien wajib diisi."));
    }
    Ok(t.to_string())
}

fn not_found(no_rm: &str) -> Error {
    Error::not_found(format!(
        "Saldo pasien No. RM {no_rm} belum ada: belum ada deposit atau tagihan tersinkron, atau saldo belum dihitung \
         (`loket balance init --patient {no_rm}`)."
    ))
}

/// One init or sync run over `target` in `tx`; writes only when `write`.
#[allow(clippy::too_many_arguments)]
fn run_balance(
    tx: &Transaction<'_>,
    target: &BalanceTarget,
    kind: RunKind,
    from_month: Option<YearMonth>,
    as_of: YearMonth,
    write: bool,
    now: DateTime<Utc>,
) -> Result<BalanceReport> {
    let src = Sources::resolve(tx)?;
    if write {
        store::ensure_source_indexes(tx, &src)?;
    }
    let book = store::tariff_book(tx, &src)?;
    let ctx = Ctx {
        book: &book,
        as_of,
        probe: !store::ledger_is_empty(tx)?,
        diff: true,
    };
    let force = matches!(kind, RunKind::Sync { force: true });
    let mut report = BalanceReport {
        dry_run: !write,
        force,
        as_of: Some(as_of),
        from_month,
        ..BalanceReport::default()
    };
    let patient = match target {
        BalanceTarget::All => None,
        BalanceTarget::Patient(p) => Some(no_rm_arg(p)?),
    };
    if force && write {
        store::clear_projections(tx, patient.as_deref())?;
    }
    let mut process = |rows: PatientRows| -> Result<()> {
        let mode = match kind {
            RunKind::Init if store::has_months(tx, &rows.no_rm)? => {
                report.already_initialized += 1;
                return Ok(());
            }
            RunKind::Init | RunKind::Sync { force: true } => Mode::Full,
            RunKind::Sync { force: false } => Mode::Repair(from_month),
        };
        report.patients += 1;
        let plan = plan_patient(tx, &ctx, &rows, mode)?;
        if plan.write {
            report.months_written += plan.months.len() as u32;
            report.transactions_written += plan.transactions.len() as u32;
        }
        report.months_changed += plan.months_changed;
        report.unpriced += plan.unpriced_total;
        report.ledger_appended += plan.ledger.len() as u32;
        if plan.changed() {
            report.patients_changed += 1;
            if report.changed.len() < MAX_CHANGED_LISTED {
                report.changed.push(PatientChange {
                    no_rm: plan.no_rm.clone(),
                    from_month: plan.from,
                    closing_before: plan.closing_before,
                    closing_after: plan.closing_after,
                    ledger_entries: plan.ledger.len() as u32,
                });
            }
        }
        if write {
            write_patient(tx, &plan, now)?;
        }
        Ok(())
    };
    match &patient {
        Some(p) => {
            let rows = store::patient_rows(tx, &src, p)?;
            if rows.is_empty() && !store::is_calculated(tx, p)? {
                return Err(not_found(p));
            }
            process(rows)?;
        }
        None => {
            // Patients with a calculation but no synced rows any more are recalculated too.
            let mut leftover = store::calculated_patients(tx)?;
            store::each_patient(tx, &src, |rows| {
                leftover.remove(&rows.no_rm);
                process(rows)
            })?;
            for no_rm in leftover {
                process(PatientRows {
                    no_rm,
                    ..PatientRows::default()
                })?;
            }
        }
    }
    Ok(report)
}

impl Desk {
    fn balance_as_of(&self, as_of: Option<YearMonth>) -> YearMonth {
        as_of.unwrap_or_else(|| YearMonth::of(wib_date(self.now())))
    }

    fn balance_run(
        &mut self,
        target: &BalanceTarget,
        kind: RunKind,
        from_month: Option<YearMonth>,
        dry_run: bool,
        as_of: Option<YearMonth>,
    ) -> Result<BalanceReport> {
        let as_of = self.balance_as_of(as_of);
        let now = self.now();
        // Every patient: a bigger page cache (64 MiB instead of SQLite's 2 MiB) and reads
        // through a memory map instead of one system call per page; restored afterwards.
        let tuned: Option<(i64, i64)> = match target {
            BalanceTarget::All => {
                let conn = self.store.conn();
                let get = |p: &str| conn.query_row(&format!("PRAGMA {p}"), [], |r| r.get::<_, i64>(0));
                let old = (get("cache_size"), get("mmap_size"));
                let old = (
                    old.0.map_err(loket_store::storage_error)?,
                    old.1.map_err(loket_store::storage_error)?,
                );
                conn.execute_batch("PRAGMA cache_size = -65536; PRAGMA mmap_size = 4294967296;")
                    .map_err(loket_store::storage_error)?;
                Some(old)
            }
            BalanceTarget::Patient(_) => None,
        };
        let result = if dry_run {
            // A deferred transaction that only reads: one consistent snapshot, rolled back.
            self.store
                .conn()
                .unchecked_transaction()
                .map_err(loket_store::storage_error)
                .and_then(|tx| run_balance(&tx, target, kind, from_month, as_of, false, now))
        } else {
            self.store
                .write(|tx| run_balance(tx, target, kind, from_month, as_of, true, now))
        };
        if let Some((cache, mmap)) = tuned {
            self.store
                .conn()
                .execute_batch(&format!("PRAGMA cache_size = {cache}; PRAGMA mmap_size = {mmap};"))
                .map_err(loket_store::storage_error)?;
        }
        let report = result?;
        tracing::info!(
            ?kind,
            dry_run,
            %as_of,
            patients = report.patients,
            changed = report.patients_changed,
            months = report.months_written,
            ledger = report.ledger_appended,
            "balance run"
        );
        Ok(report)
    }

    /// `balance init`: calculates from scratch the target patients that have no calculation
    /// yet (the others are counted in `already_initialized`; `balance_sync` updates them).
    /// With `dry_run` nothing is written: the report says what would be.
    pub fn balance_init(
        &mut self,
        target: &BalanceTarget,
        dry_run: bool,
        as_of: Option<YearMonth>,
    ) -> Result<BalanceReport> {
        self.balance_run(target, RunKind::Init, None, dry_run, as_of)
    }

    /// `balance sync`: brings the target patients' calculations in line with the synced rows.
    /// Each is calculated from scratch in memory and rewritten from the earliest month that
    /// differs from what is stored (or from `from_month`, if earlier); the ledger gets the
    /// reversals and entries of the rows whose effect changed. `force` discards the stored
    /// calculations first and rewrites everything (the ledger is kept: it only gains entries
    /// where it disagrees).
    pub fn balance_sync(
        &mut self,
        target: &BalanceTarget,
        from_month: Option<YearMonth>,
        force: bool,
        as_of: Option<YearMonth>,
    ) -> Result<BalanceReport> {
        self.balance_run(target, RunKind::Sync { force }, from_month, false, as_of)
    }

    /// A patient's monthly statement (one month when given), oldest first.
    pub fn balance_show(&self, no_rm: &str, month: Option<YearMonth>) -> Result<BalanceStatement> {
        let no_rm = no_rm_arg(no_rm)?;
        let conn = self.store.conn();
        let stored = match month {
            Some(m) => store::month(conn, &no_rm, m)?.into_iter().collect(),
            None => store::months(conn, &no_rm, None)?,
        };
        if stored.is_empty() {
            if month.is_some() && store::has_months(conn, &no_rm)? {
                return Err(Error::not_found(format!(
                    "Saldo pasien No. RM {no_rm} tidak punya baris untuk periode {}.",
                    month.map(|m| m.to_string()).unwrap_or_default()
                )));
            }
            return Err(not_found(&no_rm));
        }
        Ok(BalanceStatement {
            patient: no_rm,
            months: stored
                .into_iter()
                .map(|s| MonthRow {
                    year_month: s.balance.year_month,
                    opening_balance: s.balance.opening_balance,
                    total_deposits: s.balance.total_deposits,
                    total_purchases: s.balance.total_charges,
                    closing_balance: s.balance.closing_balance,
                    total_volume: s.balance.total_volume,
                    last_calculated_at: s.last_calculated_at,
                })
                .collect(),
        })
    }

    /// A patient's transaction calculations of a month (all months when `None`), by date.
    pub fn balance_transactions(&self, no_rm: &str, month: Option<YearMonth>) -> Result<BalanceTransactions> {
        let no_rm = no_rm_arg(no_rm)?;
        let conn = self.store.conn();
        if !store::has_months(conn, &no_rm)? {
            return Err(not_found(&no_rm));
        }
        let stored = store::transactions(conn, &no_rm, month)?;
        let src = Sources::resolve(conn)?;
        let names: HashMap<i64, String> = if stored.is_empty() {
            HashMap::new()
        } else {
            store::patient_rows(conn, &src, &no_rm)?
                .charges
                .into_iter()
                .map(|c| (c.id_tagihan_item, c.nama_item))
                .collect()
        };
        Ok(BalanceTransactions {
            patient: no_rm,
            month,
            transactions: stored
                .into_iter()
                .map(|s| {
                    let t = s.calc;
                    TransactionRow {
                        id_tagihan_item: t.id_tagihan_item,
                        id_tagihan: t.id_tagihan,
                        year_month: t.year_month,
                        tanggal: t.tanggal,
                        kode_item: t.pricing_used.kode_item.clone(),
                        nama_item: names.get(&t.id_tagihan_item).cloned(),
                        jumlah: t.jumlah,
                        faktor: t.faktor,
                        volume: t.volume,
                        harga: t.harga,
                        amount: t.amount,
                        pricing_used: TariffUsed {
                            kode_item: t.pricing_used.kode_item,
                            berlaku_mulai: t.pricing_used.berlaku_mulai,
                            harga: t.pricing_used.harga,
                        },
                        calculated_at: s.calculated_at,
                    }
                })
                .collect(),
        })
    }

    /// Every counted charge item left out of the balances (no tariff in force on its date, or
    /// a quantity that cannot be calculated), by date.
    pub fn balance_unpriced(&self) -> Result<Vec<UnpricedRow>> {
        store::unpriced(self.store.conn(), None)
    }

    /// Patients for the Saldo screen: no RM prefix or name substring (names from the synced
    /// deposits). At most [`SEARCH_LIMIT`].
    pub fn balance_search(&self, query: &str) -> Result<Vec<PatientHit>> {
        let q = query.trim();
        if q.is_empty() {
            return Ok(Vec::new());
        }
        let conn = self.store.conn();
        store::search_patients(conn, &Sources::resolve(conn)?, q, SEARCH_LIMIT)
    }

    /// The patient's balance now (the closing of their latest month), for the Antrean screen;
    /// `None` when it has not been calculated.
    pub fn balance_current(&self, no_rm: &str) -> Result<Option<CurrentBalance>> {
        let no_rm = no_rm_arg(no_rm)?;
        let conn = self.store.conn();
        let Some(m) = store::latest_month(conn, &no_rm)? else {
            return Ok(None);
        };
        let unpriced = store::unpriced(conn, Some(&no_rm))?.len() as u32;
        Ok(Some(CurrentBalance {
            no_rm,
            year_month: m.balance.year_month,
            closing_balance: m.balance.closing_balance,
            last_calculated_at: m.last_calculated_at,
            unpriced,
        }))
    }

    /// A patient's ledger, oldest first (audit; tests).
    pub fn balance_ledger(&self, no_rm: &str) -> Result<Vec<StoredEntry>> {
        store::ledger_of(self.store.conn(), &no_rm_arg(no_rm)?)
    }
}
