//! A sync job's configuration and its validation.

use std::collections::BTreeSet;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::convert::convert_value;
use super::schedule::Schedule;
use crate::{Error, Result};

/// Every target table starts with this prefix, so a job can never write into one of Loket's own
/// tables (`settings`, `opd_tokens`, …).
pub const TABLE_PREFIX: &str = "sync_";
/// Rows per page when a job says nothing.
pub const DEFAULT_PAGE_LIMIT: u32 = 100;
/// The largest page a job may ask for.
pub const MAX_PAGE_LIMIT: u32 = 1000;
/// At most this many days back (10 years, for tariffs) and forward.
const MAX_DAYS_BACK: u32 = 3660;
const MAX_DAYS_FORWARD: u32 = 366;
const MAX_FIELDS: usize = 200;
const MAX_IDENT: usize = 63;

/// How a field of the API row becomes a typed cell. Serialised externally tagged:
/// `"rupiah"`, `{"enum": ["L", "P"]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// Any string; numbers and booleans are written as text. Trimmed.
    Text,
    /// A whole number: `123`, `"123"`, `"-5"`, `12.0`.
    Integer,
    /// Whole rupiah: `150000`, `"150000"`, `"150000.00"`; a non-zero fraction is refused.
    Rupiah,
    /// Exact fixed point kept as a canonical string (`"2.5"`): numbers or strings with `.` or `,`.
    Decimal,
    /// A WIB calendar date: `YYYY-MM-DD`, or a date-time whose WIB date is taken.
    Date,
    /// An instant: RFC 3339, or WIB wall clock `YYYY-MM-DD HH:MM[:SS]`.
    DateTime,
    /// A wall-clock time `HH:MM` or `HH:MM:SS`.
    Time,
    /// One of the listed values, matched ignoring case and stored as listed.
    Enum(Vec<String>),
    /// A comma- or semicolon-separated list of codes (ICD-10), stored trimmed, upper-cased,
    /// joined with `,`.
    CodeList,
}

impl FieldKind {
    /// What a valid value looks like, in Indonesian, for skip reasons and the settings screen.
    pub fn expectation(&self) -> String {
        match self {
            FieldKind::Text => "teks".into(),
            FieldKind::Integer => "bilangan bulat, misalnya 123".into(),
            FieldKind::Rupiah => "rupiah bulat tanpa sen, misalnya 150000".into(),
            FieldKind::Decimal => "angka desimal, misalnya 2.5".into(),
            FieldKind::Date => "tanggal TTTT-BB-HH, misalnya 2026-02-06".into(),
            FieldKind::DateTime => "waktu TTTT-BB-HH JJ:MM:DD (WIB) atau RFC 3339".into(),
            FieldKind::Time => "jam JJ:MM atau JJ:MM:DD, misalnya 08:00".into(),
            FieldKind::Enum(values) => format!("salah satu dari {}", values.join(", ")),
            FieldKind::CodeList => "daftar kode dipisah koma, misalnya E11.9,I10".into(),
        }
    }

    /// The SQLite column type the store declares: `INTEGER` for whole numbers, `TEXT` otherwise
    /// (decimals stay exact as canonical text; dates, instants and times as ISO text).
    pub fn sqlite_type(&self) -> &'static str {
        match self {
            FieldKind::Integer | FieldKind::Rupiah => "INTEGER",
            _ => "TEXT",
        }
    }
}

/// One API field mapped to one column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FieldMap {
    /// The JSON key in the API row.
    pub source: String,
    /// The column in the target table.
    pub column: String,
    pub kind: FieldKind,
    /// A row whose value is missing, `null` or empty (and has no default) is skipped.
    #[serde(default)]
    pub required: bool,
    /// Used when the value is missing, `null` or empty; written as text and converted like an API
    /// value (e.g. `"1"` for a decimal).
    #[serde(default)]
    pub default: Option<String>,
}

/// How the date range goes into the request body.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum DateParam {
    /// As the dashboard's own web client sends it (the seed): the UTC instant of WIB midnight
    /// starting `from`, and of WIB midnight ending `to`. 2026-02-02..=2026-02-10 becomes
    /// `2026-02-01T17:00:00+00:00` and `2026-02-10T17:00:00+00:00`.
    #[default]
    WibMidnightUtc,
    /// Plain dates, both inclusive: `2026-02-02` and `2026-02-10`.
    Date,
    /// WIB wall clock: `2026-02-02 00:00:00` and `2026-02-10 23:59:59`.
    WibWallClock,
}

/// How many days around today a scheduled run covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DaysRange {
    pub back: u32,
    pub forward: u32,
}

/// A shorter run between full ones: the last days only, on its own schedule (bookings: the
/// whole window weekly, yesterday and today every day). `Disabled`: the job has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct IncrementalRun {
    pub schedule: Schedule,
    pub days: DaysRange,
}

impl Default for IncrementalRun {
    fn default() -> Self {
        IncrementalRun {
            schedule: Schedule::Disabled,
            days: DaysRange { back: 1, forward: 0 },
        }
    }
}

/// Which run: the job's whole window, its incremental window, or dates the clerk chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RunWindow {
    Full,
    Incremental,
    Dates { from: NaiveDate, to: NaiveDate },
}

impl RunWindow {
    /// As the run history records it.
    pub fn kind(&self) -> &'static str {
        match self {
            RunWindow::Full => "full",
            RunWindow::Incremental => "incremental",
            RunWindow::Dates { .. } => "manual",
        }
    }
}

/// A sync job: which dashboard view to pull, into which table, how its fields convert and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct JobConfig {
    /// `UPPER_SNAKE`, unique: `BOOKING_PASIEN`.
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// `id_laporan_view`.
    pub view_id: u32,
    /// Request body key of the range start, e.g. `tanggal_awal`.
    pub start_field: String,
    /// Request body key of the range end, e.g. `tanggal_akhir`.
    pub end_field: String,
    #[serde(default)]
    pub date_param: DateParam,
    /// Target table, `sync_` + `[a-z0-9_]`.
    pub table: String,
    /// Columns that identify a row (upsert key); each is a required mapped field.
    pub key: Vec<String>,
    pub default_days: DaysRange,
    #[serde(default = "default_page_limit")]
    pub page_limit: u32,
    pub fields: Vec<FieldMap>,
    /// When the whole window runs.
    pub schedule: Schedule,
    /// When the shorter, incremental window runs (a full run counts as one too).
    #[serde(default)]
    pub incremental: IncrementalRun,
}

fn default_page_limit() -> u32 {
    DEFAULT_PAGE_LIMIT
}

fn is_ident(s: &str, first_underscore: bool) -> bool {
    let mut chars = s.chars();
    let first_ok = match chars.next() {
        Some(c) => c.is_ascii_lowercase() || (first_underscore && c == '_'),
        None => false,
    };
    first_ok && s.len() <= MAX_IDENT && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_job_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_uppercase())
        && s.len() <= 40
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

fn is_json_key(s: &str) -> bool {
    !s.trim().is_empty() && s.len() <= 100 && !s.chars().any(char::is_control)
}

impl JobConfig {
    /// Checks one job. Messages name the job and the offending setting.
    pub fn validate(&self) -> Result<()> {
        if !is_job_name(&self.name) {
            return Err(Error::invalid(format!(
                "Nama tugas sinkronisasi \"{}\" tidak valid; gunakan huruf besar, angka dan _ (paling panjang 40), misalnya BOOKING_PASIEN.",
                self.name.trim()
            )));
        }
        let n = &self.name;
        let bad = |m: String| Err(Error::invalid(format!("Tugas {n}: {m}")));
        if self.description.chars().count() > 200 || self.description.chars().any(char::is_control) {
            return bad("keterangan paling panjang 200 karakter, tanpa karakter kontrol.".into());
        }
        if self.view_id == 0 {
            return bad("ID laporan (id_laporan_view) harus lebih dari 0.".into());
        }
        for (what, f) in [("awal", &self.start_field), ("akhir", &self.end_field)] {
            if !is_json_key(f) {
                return bad(format!(
                    "nama parameter tanggal {what} wajib diisi (paling panjang 100)."
                ));
            }
            if ["id_laporan_view", "pages", "limit"].contains(&f.as_str()) {
                return bad(format!("parameter tanggal {what} tidak boleh bernama \"{f}\"."));
            }
        }
        if self.start_field == self.end_field {
            return bad("parameter tanggal awal dan akhir harus berbeda.".into());
        }
        if !self.table.starts_with(TABLE_PREFIX)
            || self.table.len() <= TABLE_PREFIX.len()
            || !is_ident(&self.table, true)
        {
            return bad(format!(
                "nama tabel \"{}\" tidak valid; gunakan huruf kecil, angka dan _, diawali \"{TABLE_PREFIX}\", misalnya {TABLE_PREFIX}booking_pasien.",
                self.table
            ));
        }
        if self.default_days.back > MAX_DAYS_BACK || self.default_days.forward > MAX_DAYS_FORWARD {
            return bad(format!(
                "rentang hari paling banyak {MAX_DAYS_BACK} hari ke belakang dan {MAX_DAYS_FORWARD} hari ke depan."
            ));
        }
        if !(1..=MAX_PAGE_LIMIT).contains(&self.page_limit) {
            return bad(format!("jumlah baris per halaman harus antara 1 dan {MAX_PAGE_LIMIT}."));
        }
        if self.fields.is_empty() || self.fields.len() > MAX_FIELDS {
            return bad(format!("isi 1 sampai {MAX_FIELDS} pemetaan field."));
        }
        let mut columns = BTreeSet::new();
        for f in &self.fields {
            if !is_json_key(&f.source) {
                return bad(format!("field sumber untuk kolom \"{}\" wajib diisi.", f.column));
            }
            if !is_ident(&f.column, false) || ["rowid", "oid"].contains(&f.column.as_str()) {
                return bad(format!(
                    "nama kolom \"{}\" tidak valid; gunakan huruf kecil, angka dan _, diawali huruf.",
                    f.column
                ));
            }
            if !columns.insert(f.column.as_str()) {
                return bad(format!("kolom {} dipetakan dua kali.", f.column));
            }
            if let FieldKind::Enum(values) = &f.kind {
                let mut seen = BTreeSet::new();
                if values.is_empty() {
                    return bad(format!("kolom {}: isi daftar nilai yang diizinkan.", f.column));
                }
                for v in values {
                    if v.trim().is_empty() || v.trim() != v || v.chars().any(char::is_control) {
                        return bad(format!("kolom {}: nilai yang diizinkan tidak boleh kosong.", f.column));
                    }
                    if !seen.insert(v.to_lowercase()) {
                        return bad(format!("kolom {}: nilai \"{v}\" tercantum dua kali.", f.column));
                    }
                }
            }
            if let Some(d) = &f.default {
                let ok = matches!(
                    convert_value(&f.kind, Some(&serde_json::Value::String(d.clone()))),
                    Ok(c) if !c.is_null()
                );
                if !ok {
                    return bad(format!(
                        "nilai bawaan kolom {} tidak valid; harus {}.",
                        f.column,
                        f.kind.expectation()
                    ));
                }
            }
        }
        if self.key.is_empty() {
            return bad("pilih paling sedikit satu kolom kunci.".into());
        }
        let mut keys = BTreeSet::new();
        for k in &self.key {
            let Some(f) = self.field(k) else {
                return bad(format!("kolom kunci {k} tidak ada di pemetaan field."));
            };
            if !f.required && f.default.is_none() {
                return bad(format!("kolom kunci {k} harus wajib diisi."));
            }
            if !keys.insert(k.as_str()) {
                return bad(format!("kolom kunci {k} tercantum dua kali."));
            }
        }
        self.schedule
            .validate()
            .map_err(|e| Error::invalid(format!("Tugas {n}: {}", e.message)))?;
        self.incremental
            .schedule
            .validate()
            .map_err(|e| Error::invalid(format!("Tugas {n}, jadwal inkremental: {}", e.message)))?;
        let (inc, full) = (self.incremental.days, self.default_days);
        if self.incremental.schedule != Schedule::Disabled && (inc.back > full.back || inc.forward > full.forward) {
            return bad(format!(
                "rentang inkremental ({} hari ke belakang, {} ke depan) harus di dalam rentang penuh ({} dan {}).",
                inc.back, inc.forward, full.back, full.forward
            ));
        }
        Ok(())
    }

    /// The mapping of a column.
    pub fn field(&self, column: &str) -> Option<&FieldMap> {
        self.fields.iter().find(|f| f.column == column)
    }

    /// The position of a column in a converted row.
    pub fn column_index(&self, column: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.column == column)
    }

    /// The target columns, in the order of the cells of a converted row.
    pub fn columns(&self) -> Vec<&str> {
        self.fields.iter().map(|f| f.column.as_str()).collect()
    }

    /// Positions of the key columns, in key order (validated jobs only: unknown keys are left out).
    pub fn key_indices(&self) -> Vec<usize> {
        self.key.iter().filter_map(|k| self.column_index(k)).collect()
    }

    /// The inclusive WIB date range of `window` on `today`.
    pub fn window_range(&self, window: RunWindow, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        match window {
            RunWindow::Full => days_around(today, self.default_days),
            RunWindow::Incremental => days_around(today, self.incremental.days),
            RunWindow::Dates { from, to } => (from, to),
        }
    }
}

fn days_around(today: NaiveDate, days: DaysRange) -> (NaiveDate, NaiveDate) {
    let from = today
        .checked_sub_days(Days::new(u64::from(days.back)))
        .unwrap_or(NaiveDate::MIN);
    let to = today
        .checked_add_days(Days::new(u64::from(days.forward)))
        .unwrap_or(NaiveDate::MAX);
    (from, to)
}

/// Checks every job and that names and tables are unique.
pub fn validate_jobs(jobs: &[JobConfig]) -> Result<()> {
    let mut names = BTreeSet::new();
    let mut tables = BTreeSet::new();
    for j in jobs {
        j.validate()?;
        if !names.insert(j.name.as_str()) {
            return Err(Error::invalid(format!(
                "Nama tugas sinkronisasi {} dipakai dua kali.",
                j.name
            )));
        }
        if !tables.insert(j.table.as_str()) {
            return Err(Error::invalid(format!(
                "Tabel {} dipakai oleh dua tugas sinkronisasi; setiap tugas perlu tabelnya sendiri.",
                j.table
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::builtin_jobs;

    fn job() -> JobConfig {
        builtin_jobs().into_iter().find(|j| j.name == "TARIF").unwrap()
    }

    fn refused(j: &JobConfig, needle: &str) {
        let e = j.validate().unwrap_err();
        assert_eq!(e.code, crate::ErrorCode::InvalidInput);
        assert!(e.message.contains(needle), "{:?} should mention {needle:?}", e.message);
    }

    #[test]
    fn builtin_jobs_validate() {
        let jobs = builtin_jobs();
        validate_jobs(&jobs).unwrap();
        let names: Vec<&str> = jobs.iter().map(|j| j.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "JADWAL_DOKTER",
                "BOOKING_PASIEN",
                "DEPOSIT_PASIEN",
                "TAGIHAN_PASIEN",
                "TARIF",
                "KUNJUNGAN"
            ]
        );
    }

    #[test]
    fn config_round_trips_through_json() {
        for j in builtin_jobs() {
            let s = serde_json::to_string(&j).unwrap();
            let back: JobConfig = serde_json::from_str(&s).unwrap();
            assert_eq!(back, j);
        }
        let s = serde_json::to_value(&builtin_jobs()[5]).unwrap();
        let kinds: Vec<&serde_json::Value> = s["fields"].as_array().unwrap().iter().map(|f| &f["kind"]).collect();
        assert!(kinds.contains(&&serde_json::json!({"enum": ["L", "P"]})));
        assert!(kinds.contains(&&serde_json::json!("code_list")));
    }

    #[test]
    fn optional_settings_have_defaults() {
        let j: JobConfig = serde_json::from_value(serde_json::json!({
            "name": "X", "view_id": 1, "start_field": "a", "end_field": "b", "table": "sync_x",
            "key": ["id"], "default_days": {"back": 1, "forward": 0},
            "fields": [{"source": "id", "column": "id", "kind": "integer", "required": true}],
            "schedule": {"kind": "disabled"}
        }))
        .unwrap();
        assert_eq!(j.page_limit, DEFAULT_PAGE_LIMIT);
        assert_eq!(j.date_param, DateParam::WibMidnightUtc);
        assert_eq!(
            j.incremental.schedule,
            Schedule::Disabled,
            "a job stored before increments has none"
        );
        j.validate().unwrap();
    }

    #[test]
    fn bad_configs_are_refused_in_indonesian() {
        let mut j = job();
        j.name = "tarif".into();
        refused(&j, "tidak valid");

        let mut j = job();
        j.incremental = IncrementalRun {
            schedule: Schedule::Daily { hour: 0, minute: 0 },
            days: DaysRange {
                back: j.default_days.back + 1,
                forward: 0,
            },
        };
        refused(&j, "rentang inkremental");
        j.incremental.schedule = Schedule::Daily { hour: 25, minute: 0 };
        refused(&j, "jadwal inkremental");
        j.incremental.schedule = Schedule::Disabled;
        assert!(j.validate().is_ok(), "no increment: its range is not used");

        let mut j = job();
        j.view_id = 0;
        refused(&j, "id_laporan_view");

        let mut j = job();
        j.end_field = j.start_field.clone();
        refused(&j, "harus berbeda");

        let mut j = job();
        j.start_field = "limit".into();
        refused(&j, "tidak boleh");

        for t in [
            "settings",
            "opd_tokens",
            "sync_",
            "sync_Tarif",
            "sync_tarif;drop",
            "sync tarif",
        ] {
            let mut j = job();
            j.table = t.into();
            refused(&j, "nama tabel");
        }

        let mut j = job();
        j.fields[1].column = "Nama Item".into();
        refused(&j, "nama kolom");

        let mut j = job();
        j.fields[1].column = "_hash".into();
        refused(&j, "nama kolom");

        let mut j = job();
        j.fields[1].column = j.fields[0].column.clone();
        refused(&j, "dua kali");

        let mut j = job();
        j.key = vec!["tidak_ada".into()];
        refused(&j, "tidak ada di pemetaan");

        let mut j = job();
        j.key = vec![];
        refused(&j, "kunci");

        let mut j = job();
        j.key = vec!["nama_item".into()];
        refused(&j, "wajib");

        let mut j = job();
        j.key = vec!["kode_item".into(), "kode_item".into()];
        refused(&j, "dua kali");

        let mut j = job();
        j.fields[2].default = Some("seratus".into());
        refused(&j, "nilai bawaan");

        let mut j = job();
        j.fields[1].kind = FieldKind::Enum(vec![]);
        refused(&j, "nilai yang diizinkan");

        let mut j = job();
        j.fields[1].kind = FieldKind::Enum(vec!["L".into(), "l".into()]);
        refused(&j, "dua kali");

        let mut j = job();
        j.page_limit = 0;
        refused(&j, "per halaman");

        let mut j = job();
        j.default_days.forward = 1000;
        refused(&j, "rentang hari");

        let mut j = job();
        j.fields.clear();
        refused(&j, "pemetaan field");

        let mut j = job();
        j.schedule = Schedule::Daily { hour: 24, minute: 0 };
        refused(&j, "Tugas TARIF");
    }

    #[test]
    fn names_and_tables_are_unique() {
        let mut jobs = builtin_jobs();
        jobs[1].name = jobs[0].name.clone();
        assert!(validate_jobs(&jobs).unwrap_err().message.contains("dua kali"));
        let mut jobs = builtin_jobs();
        jobs[1].table = jobs[0].table.clone();
        assert!(validate_jobs(&jobs).unwrap_err().message.contains("tabelnya sendiri"));
    }

    #[test]
    fn a_full_window_counts_back_and_forward_from_today() {
        let mut j = job();
        j.default_days = DaysRange { back: 14, forward: 2 };
        let today = NaiveDate::from_ymd_opt(2026, 2, 10).unwrap();
        assert_eq!(
            j.window_range(RunWindow::Full, today),
            (
                NaiveDate::from_ymd_opt(2026, 1, 27).unwrap(),
                NaiveDate::from_ymd_opt(2026, 2, 12).unwrap()
            )
        );
    }

    #[test]
    fn sqlite_types() {
        assert_eq!(FieldKind::Rupiah.sqlite_type(), "INTEGER");
        assert_eq!(FieldKind::Decimal.sqlite_type(), "TEXT");
        assert!(FieldKind::Enum(vec!["L".into(), "P".into()])
            .expectation()
            .contains("L, P"));
    }
}
