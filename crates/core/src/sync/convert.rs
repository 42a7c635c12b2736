//! One API row into typed cells, in column order, with its key and content hash.

use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::hash::row_hash;
use super::job::{FieldKind, FieldMap, JobConfig};
use crate::time::{wib_date, wib_instant};

/// Decimals keep at most this many significant digits.
const MAX_DECIMAL_DIGITS: usize = 38;
/// Text longer than this is refused (a broken or hostile row, not data).
const MAX_TEXT_CHARS: usize = 20_000;

/// A typed value, ready for the store.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Cell {
    Null,
    Text(String),
    /// Integers and rupiah.
    Int(i64),
    /// Canonical fixed point: no leading or trailing zeros, `.` as separator, no `-0` (`"2.5"`).
    Decimal(String),
    /// A WIB calendar date.
    Date(NaiveDate),
    /// An instant.
    DateTime(DateTime<Utc>),
    /// A wall-clock time (WIB), whole seconds.
    Time(NaiveTime),
}

impl Cell {
    pub fn is_null(&self) -> bool {
        matches!(self, Cell::Null)
    }

    /// The value as the store writes it to a TEXT column (and a key shows in logs):
    /// text as is, integers in decimal, dates `YYYY-MM-DD`, instants RFC 3339 UTC with `Z`
    /// (fraction only when present), times `HH:MM:SS`. `None` for null.
    pub fn canonical(&self) -> Option<String> {
        match self {
            Cell::Null => None,
            Cell::Text(s) | Cell::Decimal(s) => Some(s.clone()),
            other => {
                let mut buf = String::new();
                other.write_canonical(&mut buf);
                Some(buf)
            }
        }
    }

    /// Appends [`Cell::canonical`] to `buf` (nothing for null), dates by hand: every synced row
    /// has them, and the store writes them on the hot path of applying a page.
    fn write_canonical(&self, buf: &mut String) {
        use chrono::{Datelike, Timelike};
        use std::fmt::Write as _;
        match self {
            Cell::Null => {}
            Cell::Text(s) | Cell::Decimal(s) => buf.push_str(s),
            Cell::Int(i) => {
                let _ = write!(buf, "{i}");
            }
            Cell::Date(d) if (0..=9999).contains(&d.year()) => {
                // By hand: every synced row has dates, and `write!` costs more than the rest.
                let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
                let y = d.year().unsigned_abs();
                buf.extend([digit(y / 1000), digit(y / 100), digit(y / 10), digit(y), '-']);
                buf.extend([
                    digit(d.month() / 10),
                    digit(d.month()),
                    '-',
                    digit(d.day() / 10),
                    digit(d.day()),
                ]);
            }
            Cell::Date(d) => {
                let _ = write!(buf, "{}", d.format("%Y-%m-%d"));
            }
            Cell::DateTime(t) => buf.push_str(&t.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
            Cell::Time(t) => {
                let _ = write!(buf, "{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second());
            }
        }
    }

    pub fn as_text(&self) -> Option<&str> {
        match self {
            Cell::Text(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            Cell::Int(i) => Some(*i),
            _ => None,
        }
    }

    pub fn as_date(&self) -> Option<NaiveDate> {
        match self {
            Cell::Date(d) => Some(*d),
            _ => None,
        }
    }

    pub fn as_time(&self) -> Option<NaiveTime> {
        match self {
            Cell::Time(t) => Some(*t),
            _ => None,
        }
    }
}

/// The key tuple of a row, in the job's key order. Never contains `Null`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Key(pub Vec<Cell>);

impl fmt::Display for Key {
    /// `1435755` or `12/2026-02-06`: for logs and skip lists (keys are ids, not patient data).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|c| c.canonical().unwrap_or_default()).collect();
        f.write_str(&parts.join("/"))
    }
}

/// A converted row: one cell per mapped field, in [`JobConfig::columns`] order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConvertedRow {
    pub cells: Vec<Cell>,
    pub key: Key,
    /// [`row_hash`] of the cells; the store keeps it to see "unchanged" without comparing columns.
    pub hash: u64,
}

impl ConvertedRow {
    /// The cell of a column, by name.
    pub fn get<'a>(&'a self, job: &JobConfig, column: &str) -> Option<&'a Cell> {
        job.column_index(column).and_then(|i| self.cells.get(i))
    }
}

/// Why a row was skipped, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum SkipCode {
    /// The row is not a JSON object.
    NotAnObject,
    /// A required field is missing, `null` or empty.
    Missing,
    /// A value does not fit its kind.
    Invalid,
    /// A value is not one of the allowed values.
    NotAllowed,
}

/// Why a row was skipped: the field and the kind of problem, never the value (which may be a
/// name, NIK or phone number).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SkipReason {
    /// The column concerned, if any.
    pub column: Option<String>,
    pub code: SkipCode,
    /// For the clerk, in Indonesian.
    pub message: String,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl SkipReason {
    pub fn not_an_object() -> SkipReason {
        SkipReason {
            column: None,
            code: SkipCode::NotAnObject,
            message: "Baris bukan objek JSON.".into(),
        }
    }

    fn for_field(f: &FieldMap, code: SkipCode) -> SkipReason {
        let name = if f.source == f.column {
            format!("Field \"{}\"", f.source)
        } else {
            format!("Field \"{}\" (kolom {})", f.source, f.column)
        };
        let message = match code {
            SkipCode::Missing => format!("{name} wajib diisi tetapi kosong."),
            SkipCode::NotAllowed | SkipCode::Invalid => {
                format!("{name} tidak valid; harus {}.", f.kind.expectation())
            }
            SkipCode::NotAnObject => "Baris bukan objek JSON.".into(),
        };
        SkipReason {
            column: Some(f.column.clone()),
            code,
            message,
        }
    }
}

/// A job's fields ordered by source name, so that a row's values are found in one ordered pass
/// over the row instead of one map search per field. Built once per page.
pub struct FieldIndex<'j> {
    by_source: Vec<(&'j str, usize)>,
    /// JSON objects iterate in key order (serde_json's map without `preserve_order`); if they
    /// do not, each field is looked up instead.
    ordered: bool,
}

impl<'j> FieldIndex<'j> {
    pub fn new(job: &'j JobConfig) -> Self {
        let mut by_source: Vec<(&str, usize)> = job
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| (f.source.as_str(), i))
            .collect();
        by_source.sort_unstable();
        let mut probe = Map::new();
        probe.insert("b".into(), Value::Null);
        probe.insert("a".into(), Value::Null);
        let ordered = probe.keys().next().is_some_and(|k| k == "a");
        FieldIndex { by_source, ordered }
    }

    /// Each field's value in `row` (`None` when absent), in field order, into `out`.
    fn values<'r>(&self, job: &JobConfig, row: &'r Map<String, Value>, out: &mut Vec<Option<&'r Value>>) {
        out.clear();
        if !self.ordered {
            out.extend(job.fields.iter().map(|f| row.get(&f.source)));
            return;
        }
        out.resize(job.fields.len(), None);
        let mut fields = self.by_source.iter().peekable();
        for (key, value) in row {
            while let Some((source, i)) = fields.peek() {
                match short_cmp(source.as_bytes(), key.as_bytes()) {
                    std::cmp::Ordering::Less => {
                        fields.next();
                    }
                    std::cmp::Ordering::Equal => {
                        out[*i] = Some(value);
                        fields.next();
                    }
                    std::cmp::Ordering::Greater => break,
                }
            }
        }
    }
}

/// Byte order of two short strings (field names), compared in place: cheaper than a call to
/// `memcmp` for a dozen bytes, and it runs for every field of every row.
#[inline]
fn short_cmp(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return x.cmp(y);
        }
    }
    a.len().cmp(&b.len())
}

/// Converts one API row. Missing, `null` and empty values take the field's default, else
/// `Null`; a required field still null, or any value that does not fit its kind, skips the row.
pub fn convert_row(job: &JobConfig, row: &Map<String, Value>) -> Result<ConvertedRow, SkipReason> {
    convert_row_with(job, &FieldIndex::new(job), row, &mut Vec::new())
}

/// [`convert_row`] with the job's [`FieldIndex`] and a scratch buffer kept across rows.
pub fn convert_row_with<'r>(
    job: &JobConfig,
    index: &FieldIndex<'_>,
    row: &'r Map<String, Value>,
    values: &mut Vec<Option<&'r Value>>,
) -> Result<ConvertedRow, SkipReason> {
    index.values(job, row, values);
    let mut cells = Vec::with_capacity(job.fields.len());
    for (f, value) in job.fields.iter().zip(values.iter()) {
        let mut cell = convert_value(&f.kind, *value).map_err(|code| SkipReason::for_field(f, code))?;
        if cell.is_null() {
            if let Some(d) = &f.default {
                cell = convert_value(&f.kind, Some(&Value::String(d.clone())))
                    .map_err(|code| SkipReason::for_field(f, code))?;
            }
        }
        if cell.is_null() && f.required {
            return Err(SkipReason::for_field(f, SkipCode::Missing));
        }
        cells.push(cell);
    }
    let mut key = Vec::with_capacity(job.key.len());
    for k in &job.key {
        let Some(i) = job.column_index(k) else {
            return Err(SkipReason {
                column: Some(k.clone()),
                code: SkipCode::Missing,
                message: format!("Kolom kunci {k} tidak ada di pemetaan field."),
            });
        };
        if cells[i].is_null() {
            return Err(SkipReason::for_field(&job.fields[i], SkipCode::Missing));
        }
        key.push(cells[i].clone());
    }
    let hash = row_hash(job, &cells);
    Ok(ConvertedRow {
        cells,
        key: Key(key),
        hash,
    })
}

/// Converts any JSON value of a row; a value that is not an object is skipped.
pub fn convert_json_row(job: &JobConfig, row: &Value) -> Result<ConvertedRow, SkipReason> {
    match row {
        Value::Object(m) => convert_row(job, m),
        _ => Err(SkipReason::not_an_object()),
    }
}

/// Converts one value. Missing, `null` and blank strings are `Null`.
pub fn convert_value(kind: &FieldKind, v: Option<&Value>) -> Result<Cell, SkipCode> {
    let v = match v {
        None | Some(Value::Null) => return Ok(Cell::Null),
        Some(Value::String(s)) if s.trim().is_empty() => return Ok(Cell::Null),
        Some(v) => v,
    };
    let invalid = SkipCode::Invalid;
    match kind {
        FieldKind::Text => match v {
            Value::String(s) if s.chars().count() > MAX_TEXT_CHARS => Err(invalid),
            Value::String(s) => Ok(Cell::Text(s.trim().to_string())),
            Value::Number(n) => Ok(Cell::Text(n.to_string())),
            Value::Bool(b) => Ok(Cell::Text(b.to_string())),
            _ => Err(invalid),
        },
        FieldKind::Integer | FieldKind::Rupiah => {
            if let Some(i) = plain_int(v) {
                return Ok(Cell::Int(i));
            }
            let dec = numeric(v).ok_or(invalid)?;
            dec.to_i64().map(Cell::Int).ok_or(invalid)
        }
        FieldKind::Decimal => numeric(v).map(|d| Cell::Decimal(d.canonical())).ok_or(invalid),
        FieldKind::Date => text_of(v).and_then(parse_date_cell).map(Cell::Date).ok_or(invalid),
        FieldKind::DateTime => text_of(v)
            .and_then(parse_instant_cell)
            .map(Cell::DateTime)
            .ok_or(invalid),
        FieldKind::Time => text_of(v).and_then(parse_time_cell).map(Cell::Time).ok_or(invalid),
        FieldKind::Enum(values) => {
            let s = match v {
                Value::String(s) => s.trim().to_string(),
                Value::Number(n) => n.to_string(),
                _ => return Err(invalid),
            };
            values
                .iter()
                .find(|a| a.to_lowercase() == s.to_lowercase())
                .map(|a| Cell::Text(a.clone()))
                .ok_or(SkipCode::NotAllowed)
        }
        FieldKind::CodeList => {
            let s = text_of(v).ok_or(invalid)?;
            let codes: Vec<String> = s
                .split([',', ';'])
                .map(|c| c.trim().to_uppercase())
                .filter(|c| !c.is_empty())
                .collect();
            if codes
                .iter()
                .any(|c| c.len() > 20 || !c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '.' || ch == '-'))
            {
                return Err(invalid);
            }
            Ok(if codes.is_empty() {
                Cell::Null
            } else {
                Cell::Text(codes.join(","))
            })
        }
    }
}

fn text_of(v: &Value) -> Option<&str> {
    match v {
        Value::String(s) => Some(s.trim()),
        _ => None,
    }
}

/// `YYYY-MM-DD`; `YYYY-MM-DD HH:MM[:SS]` (WIB wall clock); RFC 3339 (converted to its WIB date).
fn parse_date_cell(s: &str) -> Option<NaiveDate> {
    if s.len() == 10 {
        return plain_date(s.as_bytes()).or_else(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok());
    }
    parse_instant_cell(s).map(wib_date)
}

/// The digits of `b` as a number, `None` unless all are ASCII digits.
fn digits(b: &[u8]) -> Option<u32> {
    b.iter()
        .try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
}

/// `YYYY-MM-DD` read directly (the common case of every synced date; the general parser is the
/// fallback and decides anything this does not take).
fn plain_date(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(
        i32::try_from(digits(&b[0..4])?).ok()?,
        digits(&b[5..7])?,
        digits(&b[8..10])?,
    )
}

/// `YYYY-MM-DD HH:MM[:SS]` (or with `T`) read directly, as [`plain_date`].
fn plain_wall_clock(s: &str) -> Option<NaiveDateTime> {
    let b = s.as_bytes();
    if !(b.len() == 16 || b.len() == 19) || !(b[10] == b' ' || b[10] == b'T') || b[13] != b':' {
        return None;
    }
    let sec = match b.len() {
        19 if b[16] == b':' => digits(&b[17..19])?,
        19 => return None,
        _ => 0,
    };
    let time = NaiveTime::from_hms_opt(digits(&b[11..13])?, digits(&b[14..16])?, sec)?;
    Some(plain_date(&b[..10])?.and_time(time))
}

/// RFC 3339 (with `T` or a space); WIB wall clock `YYYY-MM-DD HH:MM[:SS[.f]]` or with `T`;
/// a bare date is WIB midnight.
fn parse_instant_cell(s: &str) -> Option<DateTime<Utc>> {
    if let Some(l) = plain_wall_clock(s) {
        return Some(wib_instant(l.date(), l.time()));
    }
    if s.len() == 10 {
        let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
        return Some(wib_instant(d, NaiveTime::MIN));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    .map(|l| wib_instant(l.date(), l.time()))
}

/// `H:MM`, `HH:MM`, `HH:MM:SS`, with `:` or `.` (`08.00`).
fn parse_time_cell(s: &str) -> Option<NaiveTime> {
    let parts: Vec<&str> = s.split([':', '.']).collect();
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    let num = |p: &str, max_len: usize| -> Option<u32> {
        (!p.is_empty() && p.len() <= max_len && p.chars().all(|c| c.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let h = num(parts[0], 2)?;
    let m = (parts[1].len() == 2).then(|| num(parts[1], 2)).flatten()?;
    let sec = match parts.get(2) {
        Some(p) => (p.len() == 2).then(|| num(p, 2)).flatten()?,
        None => 0,
    };
    if sec > 59 {
        return None;
    }
    NaiveTime::from_hms_opt(h, m, sec)
}

/// An exact decimal: sign, integer digits without leading zeros, fraction without trailing zeros.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Dec {
    neg: bool,
    int: String,
    frac: String,
}

impl Dec {
    fn canonical(&self) -> String {
        let int = if self.int.is_empty() { "0" } else { &self.int };
        let sign = if self.neg { "-" } else { "" };
        if self.frac.is_empty() {
            format!("{sign}{int}")
        } else {
            format!("{sign}{int}.{}", self.frac)
        }
    }

    fn to_i64(&self) -> Option<i64> {
        if !self.frac.is_empty() {
            return None;
        }
        if self.int.is_empty() {
            return Some(0);
        }
        let s = if self.neg {
            format!("-{}", self.int)
        } else {
            self.int.clone()
        };
        s.parse().ok()
    }
}

/// An integer given as a JSON integer or as plain digits, read directly (the general decimal
/// parser is the fallback and decides anything else).
fn plain_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => {
            let t = s.trim();
            (!t.is_empty() && t.len() <= 18 && t.bytes().all(|b| b.is_ascii_digit()))
                .then(|| t.parse().ok())
                .flatten()
        }
        _ => None,
    }
}

/// A number, or a string of one: `123`, `-1.5`, `"2,5"`, `"150000.00"`, `1e3`. No thousands
/// separators: `.` and `,` are both the decimal separator, and at most one may appear.
fn numeric(v: &Value) -> Option<Dec> {
    match v {
        Value::Number(n) => parse_dec(&n.to_string()),
        Value::String(s) => parse_dec(s.trim()),
        _ => None,
    }
}

fn parse_dec(s: &str) -> Option<Dec> {
    let (neg, rest) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (mantissa, exp) = match rest.find(['e', 'E']) {
        Some(i) => {
            let e: i32 = rest[i + 1..].parse().ok()?;
            (&rest[..i], e)
        }
        None => (rest, 0),
    };
    if exp.unsigned_abs() as usize > MAX_DECIMAL_DIGITS {
        return None;
    }
    let mut seps = mantissa.match_indices(['.', ',']);
    let (int, frac) = match (seps.next(), seps.next()) {
        (None, _) => (mantissa, ""),
        (Some((i, _)), None) => (&mantissa[..i], &mantissa[i + 1..]),
        (Some(_), Some(_)) => return None,
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    // All digits, and where the point sits after applying the exponent.
    let digits: String = format!("{int}{frac}");
    let point = int.len() as i64 + i64::from(exp);
    let (mut i, mut f) = if point <= 0 {
        (
            String::new(),
            format!("{}{digits}", "0".repeat(point.unsigned_abs() as usize)),
        )
    } else if point as usize >= digits.len() {
        (
            format!("{digits}{}", "0".repeat(point as usize - digits.len())),
            String::new(),
        )
    } else {
        (
            digits[..point as usize].to_string(),
            digits[point as usize..].to_string(),
        )
    };
    i = i.trim_start_matches('0').to_string();
    while f.ends_with('0') {
        f.pop();
    }
    if i.len() + f.len() > MAX_DECIMAL_DIGITS {
        return None;
    }
    let neg = neg && !(i.is_empty() && f.is_empty());
    Some(Dec { neg, int: i, frac: f })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn conv(kind: FieldKind, v: Value) -> Result<Cell, SkipCode> {
        convert_value(&kind, Some(&v))
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn missing_null_and_blank_are_null() {
        for k in [FieldKind::Text, FieldKind::Integer, FieldKind::Date, FieldKind::Time] {
            assert_eq!(convert_value(&k, None), Ok(Cell::Null));
            assert_eq!(conv(k.clone(), Value::Null), Ok(Cell::Null));
            assert_eq!(conv(k.clone(), json!("  ")), Ok(Cell::Null));
        }
    }

    #[test]
    fn text() {
        assert_eq!(conv(FieldKind::Text, json!(" Aktif ")), Ok(Cell::Text("Aktif".into())));
        assert_eq!(conv(FieldKind::Text, json!(123456)), Ok(Cell::Text("123456".into())));
        assert_eq!(conv(FieldKind::Text, json!(true)), Ok(Cell::Text("true".into())));
        assert_eq!(conv(FieldKind::Text, json!(["a"])), Err(SkipCode::Invalid));
        assert_eq!(conv(FieldKind::Text, json!({"a": 1})), Err(SkipCode::Invalid));
        assert_eq!(conv(FieldKind::Text, json!("x".repeat(20_001))), Err(SkipCode::Invalid));
    }

    #[test]
    fn integers() {
        let ok = [
            (json!(123), 123),
            (json!("123"), 123),
            (json!(" -5 "), -5),
            (json!("+7"), 7),
            (json!(12.0), 12),
            (json!("007"), 7),
            (json!(0), 0),
            (json!("-0"), 0),
            (json!(i64::MAX), i64::MAX),
            (json!(i64::MIN), i64::MIN),
        ];
        for (v, want) in ok {
            assert_eq!(conv(FieldKind::Integer, v.clone()), Ok(Cell::Int(want)), "{v}");
        }
        for v in [
            json!("12a"),
            json!("1.5"),
            json!(1.5),
            json!("1,234,567"),
            json!("1.234.567"),
            json!("9223372036854775808"),
            json!(u64::MAX),
            json!(true),
            json!([1]),
            json!("-"),
            json!("."),
            json!("Rp 10"),
        ] {
            assert_eq!(conv(FieldKind::Integer, v.clone()), Err(SkipCode::Invalid), "{v}");
        }
    }

    #[test]
    fn rupiah_accepts_a_zero_fraction_only() {
        for (v, want) in [
            (json!(150000), 150_000),
            (json!("150000"), 150_000),
            (json!("150000.00"), 150_000),
            (json!("150000,0"), 150_000),
            (json!(150000.0), 150_000),
            (json!(1.5e5), 150_000),
            (json!("-25000"), -25_000),
        ] {
            assert_eq!(conv(FieldKind::Rupiah, v.clone()), Ok(Cell::Int(want)), "{v}");
        }
        for v in [
            json!("150000.50"),
            json!(150000.5),
            json!("150.000.00"),
            json!("Rp150000"),
            json!("1e30"),
        ] {
            assert_eq!(conv(FieldKind::Rupiah, v.clone()), Err(SkipCode::Invalid), "{v}");
        }
    }

    #[test]
    fn decimals_are_exact_and_canonical() {
        for (v, want) in [
            (json!("2.5"), "2.5"),
            (json!("2,50"), "2.5"),
            (json!(2.5), "2.5"),
            (json!(0.1), "0.1"),
            (json!(3), "3"),
            (json!("003.100"), "3.1"),
            (json!(".5"), "0.5"),
            (json!("5."), "5"),
            (json!("-0.0"), "0"),
            (json!("-1.25"), "-1.25"),
            (json!("1e-3"), "0.001"),
            (json!("1.5E2"), "150"),
            (json!("0.123456789012345678901"), "0.123456789012345678901"),
        ] {
            assert_eq!(
                conv(FieldKind::Decimal, v.clone()),
                Ok(Cell::Decimal(want.into())),
                "{v}"
            );
        }
        for v in [
            json!("1.2.3"),
            json!("1,5.0"),
            json!("abc"),
            json!("1 5"),
            json!("NaN"),
            json!("1e400"),
        ] {
            assert_eq!(conv(FieldKind::Decimal, v.clone()), Err(SkipCode::Invalid), "{v}");
        }
    }

    #[test]
    fn dates_take_the_wib_date() {
        for (v, want) in [
            ("2026-02-06", "2026-02-06"),
            ("2026-02-06 23:30:00", "2026-02-06"),
            ("2026-02-06T08:00:00", "2026-02-06"),
            // A Postgres DATE serialised by a Node API: WIB midnight in UTC.
            ("2026-02-05T17:00:00.000Z", "2026-02-06"),
            ("2026-02-06T08:00:00+07:00", "2026-02-06"),
        ] {
            assert_eq!(conv(FieldKind::Date, json!(v)), Ok(Cell::Date(date(want))), "{v}");
        }
        for v in [
            json!("2026-02-30"),
            json!("06/02/2026"),
            json!("2026-2-6"),
            json!(20260206),
        ] {
            assert_eq!(conv(FieldKind::Date, v.clone()), Err(SkipCode::Invalid), "{v}");
        }
    }

    #[test]
    fn datetimes_are_wib_wall_clock_or_rfc3339() {
        for (v, want) in [
            ("2026-02-06 08:00:00", "2026-02-06T01:00:00Z"),
            ("2026-02-06 08:00", "2026-02-06T01:00:00Z"),
            ("2026-02-06T08:00:00", "2026-02-06T01:00:00Z"),
            ("2026-02-06 08:00:00.250", "2026-02-06T01:00:00.250Z"),
            ("2026-02-06T01:00:00Z", "2026-02-06T01:00:00Z"),
            ("2026-02-06T01:00:00.000Z", "2026-02-06T01:00:00Z"),
            ("2026-02-06 08:00:00+07:00", "2026-02-06T01:00:00Z"),
            ("2026-02-06", "2026-02-05T17:00:00Z"),
        ] {
            assert_eq!(
                conv(FieldKind::DateTime, json!(v)),
                Ok(Cell::DateTime(utc(want))),
                "{v}"
            );
        }
        for v in [json!("2026-02-06 25:00:00"), json!("kemarin"), json!(1_770_000_000)] {
            assert_eq!(conv(FieldKind::DateTime, v.clone()), Err(SkipCode::Invalid), "{v}");
        }
        assert_eq!(
            Cell::DateTime(utc("2026-02-06T01:00:00Z")).canonical().unwrap(),
            "2026-02-06T01:00:00Z"
        );
    }

    #[test]
    fn times() {
        let t = |h, m, s| Ok(Cell::Time(NaiveTime::from_hms_opt(h, m, s).unwrap()));
        assert_eq!(conv(FieldKind::Time, json!("08:00")), t(8, 0, 0));
        assert_eq!(conv(FieldKind::Time, json!("08:15:30")), t(8, 15, 30));
        assert_eq!(conv(FieldKind::Time, json!("8:05")), t(8, 5, 0));
        assert_eq!(conv(FieldKind::Time, json!("13.30")), t(13, 30, 0));
        for v in [
            "24:00",
            "12:60",
            "12:5",
            "12",
            "12:00:60",
            "12:00:00:00",
            "ab:cd",
            "-1:00",
            "123:00",
        ] {
            assert_eq!(conv(FieldKind::Time, json!(v)), Err(SkipCode::Invalid), "{v}");
        }
        assert_eq!(conv(FieldKind::Time, json!(800)), Err(SkipCode::Invalid));
        assert_eq!(
            Cell::Time(NaiveTime::from_hms_opt(8, 0, 0).unwrap())
                .canonical()
                .unwrap(),
            "08:00:00"
        );
    }

    #[test]
    fn enums_match_ignoring_case_and_store_as_listed() {
        let k = FieldKind::Enum(vec!["L".into(), "P".into()]);
        assert_eq!(conv(k.clone(), json!("l")), Ok(Cell::Text("L".into())));
        assert_eq!(conv(k.clone(), json!(" P ")), Ok(Cell::Text("P".into())));
        assert_eq!(conv(k.clone(), json!("Laki-laki")), Err(SkipCode::NotAllowed));
        assert_eq!(conv(k.clone(), json!({})), Err(SkipCode::Invalid));
        let n = FieldKind::Enum(vec!["1".into(), "2".into()]);
        assert_eq!(conv(n, json!(2)), Ok(Cell::Text("2".into())));
    }

    #[test]
    fn code_lists_are_normalised() {
        assert_eq!(
            conv(FieldKind::CodeList, json!(" e11.9, I10 ;;z00.0 ")),
            Ok(Cell::Text("E11.9,I10,Z00.0".into()))
        );
        assert_eq!(conv(FieldKind::CodeList, json!(",")), Ok(Cell::Null));
        assert_eq!(conv(FieldKind::CodeList, json!("E11 9")), Err(SkipCode::Invalid));
        assert_eq!(conv(FieldKind::CodeList, json!(10)), Err(SkipCode::Invalid));
    }

    fn tagihan() -> JobConfig {
        crate::sync::builtin_jobs()
            .into_iter()
            .find(|j| j.name == "TAGIHAN_PASIEN")
            .unwrap()
    }

    #[test]
    fn a_row_becomes_cells_in_column_order_with_defaults() {
        let job = tagihan();
        let row = json!({
            "id_tagihan_item": "991", "id_tagihan": 77, "no_rm": "00123456", "tanggal": "2026-02-06 09:12:00",
            "kode_item": "LAB01", "nama_item": "Gula darah", "jumlah": "2,5", "status": "Belum", "extra": [1, 2]
        });
        let r = convert_json_row(&job, &row).unwrap();
        assert_eq!(r.key, Key(vec![Cell::Int(991)]));
        assert_eq!(r.cells.len(), job.fields.len());
        assert_eq!(r.get(&job, "jumlah"), Some(&Cell::Decimal("2.5".into())));
        assert_eq!(r.get(&job, "faktor"), Some(&Cell::Decimal("1".into())), "default");
        assert_eq!(r.get(&job, "tanggal"), Some(&Cell::Date(date("2026-02-06"))));
        assert_eq!(r.get(&job, "tidak_ada"), None);
        assert_eq!(r.key.to_string(), "991");
    }

    #[test]
    fn bad_rows_are_skipped_naming_the_field_not_the_value() {
        let job = crate::sync::builtin_jobs()
            .into_iter()
            .find(|j| j.name == "KUNJUNGAN")
            .unwrap();
        let base = json!({
            "id_kunjungan": 5, "no_rm": "00123456", "nama_rm": "Budi Santoso", "jenis_kelamin": "L",
            "tanggal_kunjungan": "2026-02-06", "kode_icd10": "E11.9", "poliklinik": "Penyakit Dalam", "status": "Selesai"
        });
        assert!(convert_json_row(&job, &base).is_ok());

        let mut missing = base.clone();
        missing.as_object_mut().unwrap().remove("id_kunjungan");
        let e = convert_json_row(&job, &missing).unwrap_err();
        assert_eq!((e.code, e.column.as_deref()), (SkipCode::Missing, Some("id_kunjungan")));
        assert!(e.message.contains("id_kunjungan") && e.message.contains("wajib"));

        let mut sex = base.clone();
        sex["jenis_kelamin"] = json!("Laki-laki");
        let e = convert_json_row(&job, &sex).unwrap_err();
        assert_eq!(e.code, SkipCode::NotAllowed);
        assert!(e.message.contains("L, P"), "{}", e.message);
        assert!(!e.message.contains("Laki"), "no value in the reason");

        let mut date = base.clone();
        date["tanggal_kunjungan"] = json!("Budi Santoso 3174012345678901");
        let e = convert_json_row(&job, &date).unwrap_err();
        assert_eq!(e.code, SkipCode::Invalid);
        assert!(!e.message.contains("Budi") && !e.message.contains("3174"));

        assert_eq!(
            convert_json_row(&job, &json!([1, 2])).unwrap_err().code,
            SkipCode::NotAnObject
        );
    }

    #[test]
    fn a_renamed_column_is_named_with_its_source() {
        let mut job = tagihan();
        job.fields[6].column = "qty".into();
        let row = json!({"id_tagihan_item": 1, "tanggal": "2026-02-06", "jumlah": "banyak"});
        let e = convert_json_row(&job, &row).unwrap_err();
        assert!(e.message.contains("\"jumlah\" (kolom qty)"), "{}", e.message);
    }
}
