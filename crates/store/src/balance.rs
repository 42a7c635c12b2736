//! Saldo pasien storage: reading the synced deposits, charge items and tariffs (the tables of the
//! DEPOSIT_PASIEN, TAGIHAN_PASIEN and TARIF jobs), the append-only `balance_ledger`, and the
//! projections `balance_months`, `balance_transactions` and `balance_unpriced` (V7).
//!
//! The synced tables are created by [`crate::sync::ensure_table`] from the jobs' configuration;
//! their names come from the stored jobs ([`Sources::resolve`]) and a table that does not exist
//! yet reads as empty. [`ensure_source_indexes`] adds the per-patient and per-item indexes the
//! recalculation needs to those tables.
//!
//! Projections are replaced per patient from a month on (delete + insert); the ledger is only
//! ever appended to ([`append_entry`]).

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use loket_core::balance::{
    is_batal, CalculationDetails, Charge, Deposit, MonthBalance, Qty, Tariff, TariffBook, TransactionCalculation,
    UnpricedCharge, Volume, YearMonth,
};
use loket_core::sync::{JobConfig, Key};
use loket_core::{Error, ErrorCode, Result, Rupiah};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Transaction};
use serde::Serialize;

use crate::error::storage_error;

/// The sync jobs whose tables the balance is calculated from.
pub const JOB_DEPOSIT: &str = "DEPOSIT_PASIEN";
pub const JOB_TAGIHAN: &str = "TAGIHAN_PASIEN";
pub const JOB_TARIF: &str = "TARIF";

const DEFAULT_TABLES: [(&str, &str); 3] = [
    (JOB_DEPOSIT, "sync_deposit_pasien"),
    (JOB_TAGIHAN, "sync_tagihan_pasien"),
    (JOB_TARIF, "sync_tarif"),
];

fn q(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', ""))
}

fn table_exists(conn: &Connection, table: &str) -> Result<bool> {
    conn.prepare_cached("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1")
        .and_then(|mut s| s.exists([table]))
        .map_err(storage_error)
}

fn corrupt(what: &str) -> Error {
    Error::new(
        ErrorCode::Integrity,
        format!("Data saldo tersimpan rusak ({what}); jalankan `loket balance sync --all --force`."),
    )
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

// ---- the synced tables ------------------------------------------------------------------------

/// The synced tables, `None` when a table does not exist yet (nothing synced: reads as empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sources {
    pub deposits: Option<String>,
    pub charges: Option<String>,
    pub tariffs: Option<String>,
}

impl Sources {
    /// The tables of the stored DEPOSIT_PASIEN, TAGIHAN_PASIEN and TARIF jobs (the built-in
    /// names when a job is not stored), those that exist.
    pub fn resolve(conn: &Connection) -> Result<Sources> {
        let jobs = crate::sync::jobs(conn)?;
        let table = |job: &str| -> Result<Option<String>> {
            let name = jobs
                .iter()
                .find(|j| j.config.name == job)
                .map(|j| j.config.table.clone())
                .unwrap_or_else(|| {
                    DEFAULT_TABLES
                        .iter()
                        .find(|(j, _)| *j == job)
                        .map(|(_, t)| t.to_string())
                        .unwrap_or_default()
                });
            Ok(table_exists(conn, &name)?.then_some(name))
        };
        Ok(Sources {
            deposits: table(JOB_DEPOSIT)?,
            charges: table(JOB_TAGIHAN)?,
            tariffs: table(JOB_TARIF)?,
        })
    }
}

/// Indexes on the synced tables for reading one patient's rows and the charges of one item code
/// (idempotent; tables that do not exist are left alone).
pub fn ensure_source_indexes(tx: &Transaction<'_>, src: &Sources) -> Result<()> {
    let mut sql = String::new();
    if let Some(t) = &src.deposits {
        sql.push_str(&format!(
            "CREATE INDEX IF NOT EXISTS {} ON {} (no_rm, tanggal);",
            q(&format!("{t}_balance_no_rm")),
            q(t)
        ));
    }
    if let Some(t) = &src.charges {
        sql.push_str(&format!(
            "CREATE INDEX IF NOT EXISTS {} ON {} (no_rm, tanggal);
             CREATE INDEX IF NOT EXISTS {} ON {} (kode_item, tanggal);",
            q(&format!("{t}_balance_no_rm")),
            q(t),
            q(&format!("{t}_balance_kode")),
            q(t)
        ));
    }
    tx.execute_batch(&sql).map_err(storage_error)
}

/// Values of `columns` of the rows with these keys (missing rows are left out).
pub fn rows_by_keys<'a>(
    conn: &Connection,
    job: &JobConfig,
    keys: impl IntoIterator<Item = &'a Key>,
    columns: &[&str],
) -> Result<Vec<Vec<Value>>> {
    if !table_exists(conn, &job.table)? {
        return Ok(Vec::new());
    }
    let cols: Vec<String> = columns.iter().map(|c| q(c)).collect();
    let cond: Vec<String> = job
        .key
        .iter()
        .enumerate()
        .map(|(i, k)| format!("{} = ?{}", q(k), i + 1))
        .collect();
    let sql = format!(
        "SELECT {} FROM {} WHERE {}",
        cols.join(", "),
        q(&job.table),
        cond.join(" AND ")
    );
    let mut stmt = conn.prepare_cached(&sql).map_err(storage_error)?;
    let mut out = Vec::new();
    for key in keys {
        let values = key.0.iter().map(crate::sync::sql_value);
        let row = stmt
            .query_row(params_from_iter(values), |r| {
                (0..columns.len())
                    .map(|i| r.get::<_, Value>(i))
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .optional()
            .map_err(storage_error)?;
        out.extend(row);
    }
    Ok(out)
}

/// Every tariff row. A row with a missing or malformed date or price is left out (never
/// guessed); the sync refuses such rows anyway.
pub fn tariff_book(conn: &Connection, src: &Sources) -> Result<TariffBook> {
    let Some(t) = &src.tariffs else {
        return TariffBook::new([]);
    };
    let mut stmt = conn
        .prepare_cached(&format!("SELECT kode_item, berlaku_mulai, harga FROM {}", q(t)))
        .map_err(storage_error)?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Value>(2)?,
            ))
        })
        .map_err(storage_error)?;
    let mut tariffs = Vec::new();
    for row in rows {
        let (kode, from, harga) = row.map_err(storage_error)?;
        let (Some(kode_item), Some(berlaku_mulai), Value::Integer(harga)) =
            (kode, from.as_deref().and_then(parse_date), harga)
        else {
            continue;
        };
        tariffs.push(Tariff {
            kode_item,
            berlaku_mulai,
            harga: Rupiah(harga),
        });
    }
    TariffBook::new(tariffs)
}

const DEPOSIT_COLUMNS: &str = "id_deposit, no_rm, tanggal, jumlah, metode, keterangan, status";
const CHARGE_COLUMNS: &str =
    "id_tagihan_item, id_tagihan, no_rm, tanggal, kode_item, nama_item, jumlah, faktor, status";

type RawDeposit = (
    i64,
    Option<String>,
    Option<String>,
    Value,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn raw_deposit(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawDeposit> {
    RawDeposit::try_from(r)
}

/// A deposit row as the calculation reads it; `None` without a patient, a date or a whole
/// rupiah amount (the sync never stores such a row).
fn deposit_of(raw: RawDeposit) -> Option<Deposit> {
    let (id_deposit, no_rm, tanggal, jumlah, metode, keterangan, status) = raw;
    let jumlah = match jumlah {
        Value::Integer(j) => j,
        _ => return None,
    };
    Some(Deposit {
        id_deposit,
        no_rm: no_rm.filter(|n| !n.trim().is_empty())?,
        tanggal: parse_date(tanggal.as_deref()?)?,
        jumlah: Rupiah(jumlah),
        metode: metode.unwrap_or_default(),
        keterangan,
        status: status.unwrap_or_default(),
    })
}

type RawCharge = (
    i64,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Value,
    Value,
    Option<String>,
);

fn raw_charge(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawCharge> {
    RawCharge::try_from(r)
}

fn qty_of(v: &Value, default: Option<Qty>) -> Option<Qty> {
    match v {
        Value::Null => default,
        Value::Integer(i) => Qty::from_int(*i),
        Value::Text(s) => Qty::parse(s).ok(),
        _ => None,
    }
}

/// One synced charge item: calculable, or counted but with a quantity Loket cannot calculate
/// exactly (more than 4 decimals, too large): reported, never guessed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChargeRow {
    Valid(Charge),
    Invalid(UnpricedCharge),
}

/// `None` without a patient or a date (the sync never stores such a row), and for a cancelled
/// item that cannot be read (it would not count anyway).
fn charge_of(raw: RawCharge) -> Option<ChargeRow> {
    let (id_tagihan_item, id_tagihan, no_rm, tanggal, kode_item, nama_item, jumlah, faktor, status) = raw;
    let no_rm = no_rm.filter(|n| !n.trim().is_empty())?;
    let tanggal = parse_date(tanggal.as_deref()?)?;
    let status = status.unwrap_or_default();
    let kode_item = kode_item.unwrap_or_default();
    let id_tagihan = id_tagihan.unwrap_or(0);
    match (qty_of(&jumlah, None), qty_of(&faktor, Some(Qty::ONE))) {
        (Some(jumlah), Some(faktor)) => Some(ChargeRow::Valid(Charge {
            id_tagihan_item,
            id_tagihan,
            no_rm,
            tanggal,
            kode_item,
            nama_item: nama_item.unwrap_or_default(),
            jumlah,
            faktor,
            status,
        })),
        _ if is_batal(&status) => None,
        _ => Some(ChargeRow::Invalid(UnpricedCharge {
            id_tagihan_item,
            id_tagihan,
            no_rm,
            kode_item,
            tanggal,
        })),
    }
}

/// One patient's synced rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PatientRows {
    pub no_rm: String,
    pub deposits: Vec<Deposit>,
    pub charges: Vec<Charge>,
    /// Counted charge items whose quantity cannot be calculated.
    pub invalid: Vec<UnpricedCharge>,
}

impl PatientRows {
    fn push_charge(&mut self, c: ChargeRow) {
        match c {
            ChargeRow::Valid(c) => self.charges.push(c),
            ChargeRow::Invalid(u) => self.invalid.push(u),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.deposits.is_empty() && self.charges.is_empty() && self.invalid.is_empty()
    }
}

/// All synced rows of one patient.
pub fn patient_rows(conn: &Connection, src: &Sources, no_rm: &str) -> Result<PatientRows> {
    let mut out = PatientRows {
        no_rm: no_rm.to_string(),
        ..PatientRows::default()
    };
    if let Some(t) = &src.deposits {
        let mut stmt = conn
            .prepare_cached(&format!("SELECT {DEPOSIT_COLUMNS} FROM {} WHERE no_rm = ?1", q(t)))
            .map_err(storage_error)?;
        let rows = stmt.query_map([no_rm], raw_deposit).map_err(storage_error)?;
        for r in rows {
            out.deposits.extend(deposit_of(r.map_err(storage_error)?));
        }
    }
    if let Some(t) = &src.charges {
        let mut stmt = conn
            .prepare_cached(&format!("SELECT {CHARGE_COLUMNS} FROM {} WHERE no_rm = ?1", q(t)))
            .map_err(storage_error)?;
        let rows = stmt.query_map([no_rm], raw_charge).map_err(storage_error)?;
        for r in rows {
            if let Some(c) = charge_of(r.map_err(storage_error)?) {
                out.push_charge(c);
            }
        }
    }
    Ok(out)
}

/// Calls `f` with every patient's synced rows, ordered by no_rm (two ordered scans merged, so
/// memory holds one patient at a time).
pub fn each_patient(conn: &Connection, src: &Sources, mut f: impl FnMut(PatientRows) -> Result<()>) -> Result<()> {
    let dep_sql = src.deposits.as_ref().map(|t| {
        format!(
            "SELECT {DEPOSIT_COLUMNS} FROM {} WHERE no_rm IS NOT NULL ORDER BY no_rm",
            q(t)
        )
    });
    let chg_sql = src.charges.as_ref().map(|t| {
        format!(
            "SELECT {CHARGE_COLUMNS} FROM {} WHERE no_rm IS NOT NULL ORDER BY no_rm",
            q(t)
        )
    });
    let mut dep_stmt = dep_sql.map(|s| conn.prepare(&s)).transpose().map_err(storage_error)?;
    let mut chg_stmt = chg_sql.map(|s| conn.prepare(&s)).transpose().map_err(storage_error)?;
    let mut deps = match dep_stmt.as_mut() {
        Some(s) => Some(s.query_map([], raw_deposit).map_err(storage_error)?),
        None => None,
    };
    let mut chgs = match chg_stmt.as_mut() {
        Some(s) => Some(s.query_map([], raw_charge).map_err(storage_error)?),
        None => None,
    };
    let mut dep = next_row(&mut deps)?;
    let mut chg = next_row(&mut chgs)?;
    loop {
        let no_rm = match (&dep, &chg) {
            (None, None) => break,
            (Some(d), None) => d.1.clone().unwrap_or_default(),
            (None, Some(c)) => c.2.clone().unwrap_or_default(),
            (Some(d), Some(c)) => d.1.clone().min(c.2.clone()).unwrap_or_default(),
        };
        let mut p = PatientRows {
            no_rm: no_rm.clone(),
            ..PatientRows::default()
        };
        while let Some(d) = dep.take() {
            if d.1.as_deref() != Some(no_rm.as_str()) {
                dep = Some(d);
                break;
            }
            p.deposits.extend(deposit_of(d));
            dep = next_row(&mut deps)?;
        }
        while let Some(c) = chg.take() {
            if c.2.as_deref() != Some(no_rm.as_str()) {
                chg = Some(c);
                break;
            }
            if let Some(c) = charge_of(c) {
                p.push_charge(c);
            }
            chg = next_row(&mut chgs)?;
        }
        if !p.is_empty() {
            f(p)?;
        }
    }
    Ok(())
}

fn next_row<T, F>(rows: &mut Option<rusqlite::MappedRows<'_, F>>) -> Result<Option<T>>
where
    F: FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
{
    match rows {
        Some(it) => it.next().transpose().map_err(storage_error),
        None => Ok(None),
    }
}

/// Patients with a counted charge of `kode_item` dated on or after `from`.
pub fn patients_charged_with(
    conn: &Connection,
    src: &Sources,
    kode_item: &str,
    from: NaiveDate,
) -> Result<Vec<String>> {
    let Some(t) = &src.charges else {
        return Ok(Vec::new());
    };
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT DISTINCT no_rm FROM {} WHERE kode_item = ?1 AND tanggal >= ?2 AND no_rm IS NOT NULL
               AND lower(trim(coalesce(status, ''))) <> 'batal'",
            q(t)
        ))
        .map_err(storage_error)?;
    let rows = stmt
        .query_map(params![kode_item, from.to_string()], |r| r.get::<_, String>(0))
        .map_err(storage_error)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(storage_error)?;
    Ok(rows)
}

/// A patient found by the search: no RM and the name on their latest deposit (if any).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PatientHit {
    pub no_rm: String,
    pub nama: Option<String>,
}

fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// Patients whose no RM starts with `query` or whose name (from the deposits) contains it,
/// among those with synced rows or a calculated balance. Ordered by no RM.
pub fn search_patients(conn: &Connection, src: &Sources, query: &str, limit: u32) -> Result<Vec<PatientHit>> {
    let pattern = like_escape(query.trim());
    let mut parts =
        vec!["SELECT no_rm, NULL AS nama FROM balance_months WHERE no_rm LIKE ?1 || '%' ESCAPE '\\'".to_string()];
    if let Some(t) = &src.deposits {
        parts.push(format!(
            "SELECT no_rm, nama_rm AS nama FROM {t} WHERE no_rm IS NOT NULL
               AND (no_rm LIKE ?1 || '%' ESCAPE '\\' OR nama_rm LIKE '%' || ?1 || '%' ESCAPE '\\')",
            t = q(t)
        ));
    }
    if let Some(t) = &src.charges {
        parts.push(format!(
            "SELECT no_rm, NULL AS nama FROM {} WHERE no_rm LIKE ?1 || '%' ESCAPE '\\'",
            q(t)
        ));
    }
    let sql = format!(
        "SELECT no_rm, max(nama) FROM ({}) GROUP BY no_rm ORDER BY no_rm LIMIT ?2",
        parts.join(" UNION ALL ")
    );
    let mut stmt = conn.prepare_cached(&sql).map_err(storage_error)?;
    let rows = stmt
        .query_map(params![pattern, limit], |r| {
            Ok(PatientHit {
                no_rm: r.get(0)?,
                nama: r.get(1)?,
            })
        })
        .map_err(storage_error)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(storage_error)?;
    let mut hits = rows;
    // The name of a patient found by no RM, from their deposits.
    if let Some(t) = &src.deposits {
        let mut name = conn
            .prepare_cached(&format!(
                "SELECT nama_rm FROM {} WHERE no_rm = ?1 AND nama_rm IS NOT NULL ORDER BY tanggal DESC LIMIT 1",
                q(t)
            ))
            .map_err(storage_error)?;
        for h in hits.iter_mut() {
            h.nama = name
                .query_row([&h.no_rm], |r| r.get::<_, String>(0))
                .optional()
                .map_err(storage_error)?;
        }
    }
    Ok(hits)
}

// ---- the ledger -------------------------------------------------------------------------------

/// What a ledger entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Deposit,
    Charge,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Deposit => "deposit",
            EntryKind::Charge => "charge",
        }
    }
    fn parse(s: &str) -> Result<EntryKind> {
        match s {
            "deposit" => Ok(EntryKind::Deposit),
            "charge" => Ok(EntryKind::Charge),
            _ => Err(corrupt("jenis entri buku besar")),
        }
    }
}

/// The effect of one source row on a patient's balance, as the ledger records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    pub kind: EntryKind,
    /// id_deposit or id_tagihan_item.
    pub source_id: i64,
    pub no_rm: String,
    pub year_month: YearMonth,
    pub tanggal: NaiveDate,
    /// Signed effect on the balance: a deposit +, a charge −.
    pub amount: Rupiah,
    /// Charges: jumlah × faktor, exact decimal text.
    pub volume: Option<String>,
    /// Charges: the tariff row used, JSON.
    pub pricing: Option<String>,
}

/// A stored ledger entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEntry {
    pub seq: i64,
    /// `Some(seq)` for a reversal of entry `seq`.
    pub reverses: Option<i64>,
    pub entry: LedgerEntry,
    pub at: String,
}

impl StoredEntry {
    pub fn is_reversal(&self) -> bool {
        self.reverses.is_some()
    }
}

const ENTRY_COLUMNS: &str = "seq, reverses, kind, source_id, no_rm, year_month, tanggal, amount, volume, pricing, at";

type RawEntry = (
    i64,
    Option<i64>,
    String,
    i64,
    String,
    String,
    String,
    i64,
    Option<String>,
    Option<String>,
    String,
);

fn raw_entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawEntry> {
    RawEntry::try_from(r)
}

fn stored_entry(raw: RawEntry) -> Result<StoredEntry> {
    let (seq, reverses, kind, source_id, no_rm, ym, tanggal, amount, volume, pricing, at) = raw;
    Ok(StoredEntry {
        seq,
        reverses,
        entry: LedgerEntry {
            kind: EntryKind::parse(&kind)?,
            source_id,
            no_rm,
            year_month: YearMonth::parse(&ym).map_err(|_| corrupt("bulan entri buku besar"))?,
            tanggal: parse_date(&tanggal).ok_or_else(|| corrupt("tanggal entri buku besar"))?,
            amount: Rupiah(amount),
            volume,
            pricing,
        },
        at,
    })
}

/// The entries in force of a patient: for each source, its latest entry of this patient when
/// that is a recognition (not a reversal). Ordered by (kind, source_id).
pub fn entries_in_force(conn: &Connection, no_rm: &str) -> Result<Vec<StoredEntry>> {
    // SQLite takes the bare columns from the row holding max(seq).
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {ENTRY_COLUMNS}, max(seq) FROM balance_ledger WHERE no_rm = ?1 GROUP BY kind, source_id"
        ))
        .map_err(storage_error)?;
    let rows = stmt.query_map([no_rm], raw_entry).map_err(storage_error)?;
    let mut out = Vec::new();
    for r in rows {
        let e = stored_entry(r.map_err(storage_error)?)?;
        if !e.is_reversal() {
            out.push(e);
        }
    }
    Ok(out)
}

/// The entry in force of one source, whichever patient it is under.
pub fn entry_in_force_of_source(conn: &Connection, kind: EntryKind, source_id: i64) -> Result<Option<StoredEntry>> {
    let raw = conn
        .prepare_cached(&format!(
            "SELECT {ENTRY_COLUMNS} FROM balance_ledger WHERE kind = ?1 AND source_id = ?2 ORDER BY seq DESC LIMIT 1"
        ))
        .and_then(|mut s| s.query_row(params![kind.as_str(), source_id], raw_entry).optional())
        .map_err(storage_error)?;
    Ok(raw.map(stored_entry).transpose()?.filter(|e| !e.is_reversal()))
}

/// Whether the ledger has no entry at all.
pub fn ledger_is_empty(conn: &Connection) -> Result<bool> {
    conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM balance_ledger)", [], |r| r.get(0))
        .map_err(storage_error)
}

/// Appends a recognition of `entry`, or with `reverses` a reversal of that entry (`entry` is
/// then the entry reversed: its amount and volume are negated here). Returns the new seq.
pub fn append_entry(
    tx: &Transaction<'_>,
    entry: &LedgerEntry,
    reverses: Option<i64>,
    at: DateTime<Utc>,
) -> Result<i64> {
    let (action, amount, volume) = match reverses {
        None => ("recognize", entry.amount.0, entry.volume.clone()),
        Some(_) => ("reverse", -entry.amount.0, entry.volume.as_deref().map(negate_decimal)),
    };
    tx.prepare_cached(
        "INSERT INTO balance_ledger (no_rm, kind, source_id, action, reverses, year_month, tanggal, amount, volume,
           pricing, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )
    .and_then(|mut s| {
        s.execute(params![
            entry.no_rm,
            entry.kind.as_str(),
            entry.source_id,
            action,
            reverses,
            entry.year_month.to_string(),
            entry.tanggal.to_string(),
            amount,
            volume,
            entry.pricing,
            at.to_rfc3339(),
        ])
    })
    .map_err(storage_error)?;
    Ok(tx.last_insert_rowid())
}

/// `2.5` → `-2.5`, `-2.5` → `2.5`, `0` stays `0`.
fn negate_decimal(s: &str) -> String {
    match s.strip_prefix('-') {
        Some(rest) => rest.to_string(),
        None if s.trim_start_matches(['0', '.']).is_empty() => s.to_string(),
        None => format!("-{s}"),
    }
}

/// A patient's whole ledger, oldest first.
pub fn ledger_of(conn: &Connection, no_rm: &str) -> Result<Vec<StoredEntry>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {ENTRY_COLUMNS} FROM balance_ledger WHERE no_rm = ?1 ORDER BY seq"
        ))
        .map_err(storage_error)?;
    let rows = stmt.query_map([no_rm], raw_entry).map_err(storage_error)?;
    rows.map(|r| stored_entry(r.map_err(storage_error)?)).collect()
}

// ---- projections ------------------------------------------------------------------------------

/// A stored month row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMonth {
    pub balance: MonthBalance,
    pub last_calculated_at: String,
}

const MONTH_COLUMNS: &str =
    "year_month, opening_balance, total_deposits, total_purchases, closing_balance, total_volume,
    calculation_details, last_calculated_at";

type RawMonth = (String, i64, i64, i64, i64, String, String, String);

fn raw_month(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawMonth> {
    RawMonth::try_from(r)
}

fn stored_month(raw: RawMonth) -> Result<StoredMonth> {
    let (ym, opening, deposits, charges, closing, volume, details, at) = raw;
    let details: CalculationDetails =
        serde_json::from_str(&details).map_err(|_| corrupt("rincian perhitungan bulanan"))?;
    Ok(StoredMonth {
        balance: MonthBalance {
            year_month: YearMonth::parse(&ym).map_err(|_| corrupt("periode saldo bulanan"))?,
            opening_balance: Rupiah(opening),
            total_deposits: Rupiah(deposits),
            total_charges: Rupiah(charges),
            closing_balance: Rupiah(closing),
            total_volume: Volume::parse(&volume).map_err(|_| corrupt("volume saldo bulanan"))?,
            details,
        },
        last_calculated_at: at,
    })
}

/// A patient's months (from `from` on when given), oldest first.
pub fn months(conn: &Connection, no_rm: &str, from: Option<YearMonth>) -> Result<Vec<StoredMonth>> {
    let from = from.map(|m| m.to_string()).unwrap_or_default();
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {MONTH_COLUMNS} FROM balance_months WHERE no_rm = ?1 AND year_month >= ?2 ORDER BY year_month"
        ))
        .map_err(storage_error)?;
    let rows = stmt.query_map([no_rm, &from], raw_month).map_err(storage_error)?;
    rows.map(|r| stored_month(r.map_err(storage_error)?)).collect()
}

/// A patient's month `ym`.
pub fn month(conn: &Connection, no_rm: &str, ym: YearMonth) -> Result<Option<StoredMonth>> {
    let raw = conn
        .prepare_cached(&format!(
            "SELECT {MONTH_COLUMNS} FROM balance_months WHERE no_rm = ?1 AND year_month = ?2"
        ))
        .and_then(|mut s| s.query_row([no_rm, &ym.to_string()], raw_month).optional())
        .map_err(storage_error)?;
    raw.map(stored_month).transpose()
}

/// The patient's last stored month before `ym`: its month and closing balance.
pub fn month_before(conn: &Connection, no_rm: &str, ym: YearMonth) -> Result<Option<(YearMonth, Rupiah)>> {
    let raw: Option<(String, i64)> = conn
        .prepare_cached(
            "SELECT year_month, closing_balance FROM balance_months WHERE no_rm = ?1 AND year_month < ?2
             ORDER BY year_month DESC LIMIT 1",
        )
        .and_then(|mut s| {
            s.query_row([no_rm, &ym.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
        })
        .map_err(storage_error)?;
    raw.map(|(m, c)| {
        Ok((
            YearMonth::parse(&m).map_err(|_| corrupt("periode saldo bulanan"))?,
            Rupiah(c),
        ))
    })
    .transpose()
}

/// The patient's latest month.
pub fn latest_month(conn: &Connection, no_rm: &str) -> Result<Option<StoredMonth>> {
    let raw = conn
        .prepare_cached(&format!(
            "SELECT {MONTH_COLUMNS} FROM balance_months WHERE no_rm = ?1 ORDER BY year_month DESC LIMIT 1"
        ))
        .and_then(|mut s| s.query_row([no_rm], raw_month).optional())
        .map_err(storage_error)?;
    raw.map(stored_month).transpose()
}

fn from_text(from: Option<YearMonth>) -> String {
    from.map(|m| m.to_string()).unwrap_or_default()
}

/// Replaces the patient's months from `from` on (all of them when `None`) with `rows`.
pub fn replace_months(
    tx: &Transaction<'_>,
    no_rm: &str,
    from: Option<YearMonth>,
    rows: &[MonthBalance],
    at: DateTime<Utc>,
) -> Result<()> {
    tx.prepare_cached("DELETE FROM balance_months WHERE no_rm = ?1 AND year_month >= ?2")
        .and_then(|mut s| s.execute([no_rm, &from_text(from)]))
        .map_err(storage_error)?;
    let mut stmt = tx
        .prepare_cached(
            "INSERT INTO balance_months (no_rm, year_month, opening_balance, total_deposits, total_purchases,
               closing_balance, total_volume, calculation_details, last_calculated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )
        .map_err(storage_error)?;
    let at = at.to_rfc3339();
    for m in rows {
        let details = serde_json::to_string(&m.details).map_err(|e| Error::internal(e.to_string()))?;
        stmt.execute(params![
            no_rm,
            m.year_month.to_string(),
            m.opening_balance.0,
            m.total_deposits.0,
            m.total_charges.0,
            m.closing_balance.0,
            m.total_volume.to_string(),
            details,
            at,
        ])
        .map_err(storage_error)?;
    }
    Ok(())
}

/// A stored transaction calculation, with when it was calculated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTransaction {
    pub calc: TransactionCalculation,
    pub calculated_at: String,
}

const TRANSACTION_COLUMNS: &str = "id_tagihan_item, id_tagihan, no_rm, year_month, tanggal, jumlah, faktor, volume,
    harga, amount, pricing_used, calculated_at";

type RawTransaction = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
    String,
    String,
);

fn raw_transaction(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawTransaction> {
    RawTransaction::try_from(r)
}

fn stored_transaction(raw: RawTransaction) -> Result<StoredTransaction> {
    let (id, id_tagihan, no_rm, ym, tanggal, jumlah, faktor, volume, harga, amount, pricing, at) = raw;
    let bad = || corrupt("perhitungan transaksi");
    Ok(StoredTransaction {
        calc: TransactionCalculation {
            id_tagihan_item: id,
            id_tagihan,
            no_rm,
            year_month: YearMonth::parse(&ym).map_err(|_| bad())?,
            tanggal: parse_date(&tanggal).ok_or_else(bad)?,
            jumlah: Qty::parse(&jumlah).map_err(|_| bad())?,
            faktor: Qty::parse(&faktor).map_err(|_| bad())?,
            volume: Volume::parse(&volume).map_err(|_| bad())?,
            harga: Rupiah(harga),
            amount: Rupiah(amount),
            pricing_used: serde_json::from_str(&pricing).map_err(|_| bad())?,
        },
        calculated_at: at,
    })
}

/// A patient's transaction calculations (of one month when given), by (tanggal, id).
pub fn transactions(conn: &Connection, no_rm: &str, month: Option<YearMonth>) -> Result<Vec<StoredTransaction>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {TRANSACTION_COLUMNS} FROM balance_transactions WHERE no_rm = ?1 AND (?2 IS NULL OR year_month = ?2)
             ORDER BY tanggal, id_tagihan_item"
        ))
        .map_err(storage_error)?;
    let rows = stmt
        .query_map(params![no_rm, month.map(|m| m.to_string())], raw_transaction)
        .map_err(storage_error)?;
    rows.map(|r| stored_transaction(r.map_err(storage_error)?)).collect()
}

/// Replaces the patient's transaction calculations from month `from` on (all when `None`). An
/// item stored under another patient (its no RM changed) is replaced too.
pub fn replace_transactions(
    tx: &Transaction<'_>,
    no_rm: &str,
    from: Option<YearMonth>,
    rows: &[TransactionCalculation],
    at: DateTime<Utc>,
) -> Result<()> {
    tx.prepare_cached("DELETE FROM balance_transactions WHERE no_rm = ?1 AND year_month >= ?2")
        .and_then(|mut s| s.execute([no_rm, &from_text(from)]))
        .map_err(storage_error)?;
    let mut stmt = tx
        .prepare_cached(
            "INSERT OR REPLACE INTO balance_transactions (id_tagihan_item, id_tagihan, no_rm, year_month, tanggal,
               kode_item, jumlah, faktor, volume, harga, amount, pricing_used, calculated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )
        .map_err(storage_error)?;
    let at = at.to_rfc3339();
    for t in rows {
        let pricing = serde_json::to_string(&t.pricing_used).map_err(|e| Error::internal(e.to_string()))?;
        stmt.execute(params![
            t.id_tagihan_item,
            t.id_tagihan,
            t.no_rm,
            t.year_month.to_string(),
            t.tanggal.to_string(),
            t.pricing_used.kode_item,
            t.jumlah.to_string(),
            t.faktor.to_string(),
            t.volume.to_string(),
            t.harga.0,
            t.amount.0,
            pricing,
            at,
        ])
        .map_err(storage_error)?;
    }
    Ok(())
}

/// Why a counted charge item is not in the totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum UnpricedReason {
    /// No tariff of its item code in force on its date.
    TanpaTarif,
    /// Its quantity or factor cannot be calculated exactly.
    JumlahTidakValid,
}

impl UnpricedReason {
    pub fn as_str(self) -> &'static str {
        match self {
            UnpricedReason::TanpaTarif => "tanpa_tarif",
            UnpricedReason::JumlahTidakValid => "jumlah_tidak_valid",
        }
    }
    fn parse(s: &str) -> Result<UnpricedReason> {
        match s {
            "tanpa_tarif" => Ok(UnpricedReason::TanpaTarif),
            "jumlah_tidak_valid" => Ok(UnpricedReason::JumlahTidakValid),
            _ => Err(corrupt("alasan tagihan tanpa harga")),
        }
    }
}

/// A counted charge item left out of the totals, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UnpricedRow {
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub id_tagihan_item: i64,
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub id_tagihan: i64,
    pub no_rm: String,
    pub kode_item: String,
    pub tanggal: NaiveDate,
    pub reason: UnpricedReason,
}

impl UnpricedRow {
    pub fn new(u: &UnpricedCharge, reason: UnpricedReason) -> UnpricedRow {
        UnpricedRow {
            id_tagihan_item: u.id_tagihan_item,
            id_tagihan: u.id_tagihan,
            no_rm: u.no_rm.clone(),
            kode_item: u.kode_item.clone(),
            tanggal: u.tanggal,
            reason,
        }
    }
}

/// Unpriced items of one patient or of all, by (tanggal, id).
pub fn unpriced(conn: &Connection, no_rm: Option<&str>) -> Result<Vec<UnpricedRow>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT id_tagihan_item, id_tagihan, no_rm, kode_item, tanggal, reason FROM balance_unpriced
             WHERE ?1 IS NULL OR no_rm = ?1 ORDER BY tanggal, id_tagihan_item",
        )
        .map_err(storage_error)?;
    let rows = stmt
        .query_map([no_rm], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })
        .map_err(storage_error)?;
    let mut out = Vec::new();
    for r in rows {
        let (id, id_tagihan, no_rm, kode_item, tanggal, reason) = r.map_err(storage_error)?;
        out.push(UnpricedRow {
            id_tagihan_item: id,
            id_tagihan,
            no_rm,
            kode_item,
            tanggal: parse_date(&tanggal).ok_or_else(|| corrupt("tanggal tagihan tanpa harga"))?,
            reason: UnpricedReason::parse(&reason)?,
        });
    }
    Ok(out)
}

/// Replaces the patient's unpriced items dated in month `from` or later (all when `None`).
pub fn replace_unpriced(
    tx: &Transaction<'_>,
    no_rm: &str,
    from: Option<YearMonth>,
    rows: &[UnpricedRow],
) -> Result<()> {
    let from_date = from
        .and_then(YearMonth::first_day)
        .map(|d| d.to_string())
        .unwrap_or_default();
    tx.prepare_cached("DELETE FROM balance_unpriced WHERE no_rm = ?1 AND tanggal >= ?2")
        .and_then(|mut s| s.execute([no_rm, &from_date]))
        .map_err(storage_error)?;
    let mut stmt = tx
        .prepare_cached(
            "INSERT OR REPLACE INTO balance_unpriced (id_tagihan_item, id_tagihan, no_rm, kode_item, tanggal, reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .map_err(storage_error)?;
    for u in rows {
        stmt.execute(params![
            u.id_tagihan_item,
            u.id_tagihan,
            u.no_rm,
            u.kode_item,
            u.tanggal.to_string(),
            u.reason.as_str()
        ])
        .map_err(storage_error)?;
    }
    Ok(())
}

/// Discards the projections of one patient, or of everyone (the ledger stays).
pub fn clear_projections(tx: &Transaction<'_>, no_rm: Option<&str>) -> Result<()> {
    match no_rm {
        None => tx.execute_batch(
            "DELETE FROM balance_months; DELETE FROM balance_transactions; DELETE FROM balance_unpriced;",
        ),
        Some(p) => ["balance_months", "balance_transactions", "balance_unpriced"]
            .iter()
            .try_for_each(|t| {
                tx.execute(&format!("DELETE FROM {t} WHERE no_rm = ?1"), [p])
                    .map(|_| ())
            }),
    }
    .map_err(storage_error)
}

/// Patients that have a calculation or a ledger entry.
pub fn calculated_patients(conn: &Connection) -> Result<BTreeSet<String>> {
    let mut stmt = conn
        .prepare(
            "SELECT DISTINCT no_rm FROM balance_months UNION SELECT DISTINCT no_rm FROM balance_ledger
             UNION SELECT DISTINCT no_rm FROM balance_transactions UNION SELECT DISTINCT no_rm FROM balance_unpriced",
        )
        .map_err(storage_error)?;
    let rows = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .map_err(storage_error)?
        .collect::<rusqlite::Result<BTreeSet<_>>>()
        .map_err(storage_error)?;
    Ok(rows)
}

/// Whether the patient has a calculation or a ledger entry.
pub fn is_calculated(conn: &Connection, no_rm: &str) -> Result<bool> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM balance_months WHERE no_rm = ?1)
             OR EXISTS (SELECT 1 FROM balance_ledger WHERE no_rm = ?1)
             OR EXISTS (SELECT 1 FROM balance_transactions WHERE no_rm = ?1)
             OR EXISTS (SELECT 1 FROM balance_unpriced WHERE no_rm = ?1)",
    )
    .and_then(|mut s| s.query_row([no_rm], |r| r.get(0)))
    .map_err(storage_error)
}

/// Whether the patient has any stored month.
pub fn has_months(conn: &Connection, no_rm: &str) -> Result<bool> {
    conn.prepare_cached("SELECT 1 FROM balance_months WHERE no_rm = ?1 LIMIT 1")
        .and_then(|mut s| s.exists([no_rm]))
        .map_err(storage_error)
}

/// Row counts of the balance tables.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BalanceCounts {
    pub ledger: i64,
    pub months: i64,
    pub transactions: i64,
    pub unpriced: i64,
}

pub fn counts(conn: &Connection) -> Result<BalanceCounts> {
    conn.query_row(
        "SELECT (SELECT count(*) FROM balance_ledger), (SELECT count(*) FROM balance_months),
                (SELECT count(*) FROM balance_transactions), (SELECT count(*) FROM balance_unpriced)",
        [],
        |r| {
            Ok(BalanceCounts {
                ledger: r.get(0)?,
                months: r.get(1)?,
                transactions: r.get(2)?,
                unpriced: r.get(3)?,
            })
        },
    )
    .map_err(storage_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_negate_exactly() {
        assert_eq!(negate_decimal("2.5"), "-2.5");
        assert_eq!(negate_decimal("-2.5"), "2.5");
        assert_eq!(negate_decimal("0"), "0");
        assert_eq!(negate_decimal("0.0001"), "-0.0001");
    }

    #[test]
    fn like_patterns_are_escaped() {
        assert_eq!(like_escape("a%b_c\\"), "a\\%b\\_c\\\\");
    }
}
