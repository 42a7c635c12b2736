//! Laporan SPM (Standar Pelayanan Minimal) of the DM and HT programmes: which patients are
//! standard in each month of a year, the monthly counts split by sex, and the monthly percentage
//! of the programme's annual target.
//!
//! - A visit belongs to a programme when any of its ICD-10 codes falls in the programme's
//!   [`ProgramCodes`] (by default DM E10–E14 and HT I10–I15, sub-codes such as E11.9 included).
//!   Cancelled (`Batal`) visits and visits of another year do not count. Dates are WIB dates.
//! - A patient is standard in month m when they visited in m and in every month from their first
//!   visit month of the year through m, so the first month is always standard. Months without a
//!   visit count neither way. Several visits in a month count once.
//! - Percentage = standard patients of the month / annual target × 100, rounded half-up to
//!   hundredths with integer arithmetic ([`percent_centi`]).
//!
//! Visits are folded once, in any order, into a 12-bit month mask per patient ([`Attendance`]),
//! so the service can stream them straight from a query. To add a programme, add a [`Program`]
//! variant with its default codes.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// An SPM programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum Program {
    /// Diabetes melitus.
    Dm,
    /// Hipertensi.
    Ht,
}

impl Program {
    pub const ALL: [Program; 2] = [Program::Dm, Program::Ht];

    pub fn as_str(self) -> &'static str {
        match self {
            Program::Dm => "dm",
            Program::Ht => "ht",
        }
    }

    /// The clerk's short name: `DM`, `HT`.
    pub fn label(self) -> &'static str {
        match self {
            Program::Dm => "DM",
            Program::Ht => "HT",
        }
    }

    /// The code list used when Settings say nothing.
    pub fn default_codes(self) -> &'static str {
        match self {
            Program::Dm => "E10-E14",
            Program::Ht => "I10-I15",
        }
    }
}

impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Program {
    type Err = Error;

    /// `dm` or `ht`, any case.
    fn from_str(s: &str) -> Result<Program> {
        match s.trim().to_ascii_lowercase().as_str() {
            "dm" => Ok(Program::Dm),
            "ht" => Ok(Program::Ht),
            _ => Err(Error::invalid(format!(
                "Program SPM harus dm atau ht, bukan \"{}\".",
                s.trim()
            ))),
        }
    }
}

/// A patient's sex as the SIMRS records it: laki-laki or perempuan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum Sex {
    L,
    P,
}

impl Sex {
    /// `L`/`P`, `laki-laki`/`perempuan`, `M`/`F`, any case; anything else is unknown.
    pub fn from_code(raw: &str) -> Option<Sex> {
        match raw.trim().to_ascii_uppercase().as_str() {
            "L" | "LAKI-LAKI" | "LAKI LAKI" | "LAKI" | "PRIA" | "M" | "MALE" => Some(Sex::L),
            "P" | "PEREMPUAN" | "WANITA" | "W" | "F" | "FEMALE" => Some(Sex::P),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Sex::L => "L",
            Sex::P => "P",
        }
    }
}

/// Longest ICD-10 code compared, without its dot (ICD-10-CM codes have 7 characters).
const CODE_MAX: usize = 8;

/// An ICD-10 code as compared: upper case, without its dot or spaces, a letter and two digits
/// then up to five letters or digits. `None` for anything else ("E1", "E1.1", "10", "").
fn normalise<'b>(raw: &str, buf: &'b mut [u8; CODE_MAX]) -> Option<&'b [u8]> {
    let mut len = 0;
    let mut dot = false;
    for b in raw.bytes() {
        if b.is_ascii_whitespace() {
            continue;
        }
        if b == b'.' {
            // One dot, right after the category: E11.9, not E1.19.
            if dot || len != 3 {
                return None;
            }
            dot = true;
            continue;
        }
        if len == CODE_MAX || !b.is_ascii_alphanumeric() {
            return None;
        }
        buf[len] = b.to_ascii_uppercase();
        len += 1;
    }
    let code = &buf[..len];
    let shaped = len >= 3 && code[0].is_ascii_alphabetic() && code[1].is_ascii_digit() && code[2].is_ascii_digit();
    shaped.then_some(code)
}

/// One entry of a code list: the codes from `from` through `to`, sub-codes included. Both ends
/// are normalised; a single code is a range with equal ends.
#[derive(Debug, Clone, PartialEq, Eq)]
struct CodeRange {
    from: String,
    to: String,
}

impl CodeRange {
    /// A code is in the range when it sorts at or after `from` and its first `to.len()`
    /// characters sort at or before `to`: E11.9 is in E10–E14, E15 is not, E11 is not in E11.9.
    fn contains(&self, code: &[u8]) -> bool {
        let to = self.to.as_bytes();
        code >= self.from.as_bytes() && &code[..code.len().min(to.len())] <= to
    }
}

/// `E119` as `E11.9`.
fn dotted(code: &str) -> String {
    match code.split_at_checked(3) {
        Some((cat, sub)) if !sub.is_empty() => format!("{cat}.{sub}"),
        _ => code.to_string(),
    }
}

/// The ICD-10 codes of a programme: an editable list of codes and ranges such as `E10-E14` or
/// `E10, E11, E12, E13, E14`. A code matches its sub-codes: `E11` matches `E11.9`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramCodes {
    ranges: Vec<CodeRange>,
}

impl ProgramCodes {
    /// The list used when Settings say nothing: [`Program::default_codes`].
    pub fn default_for(program: Program) -> ProgramCodes {
        let (from, to) = match program {
            Program::Dm => ("E10", "E14"),
            Program::Ht => ("I10", "I15"),
        };
        ProgramCodes {
            ranges: vec![CodeRange {
                from: from.to_string(),
                to: to.to_string(),
            }],
        }
    }

    /// Parses a list the clerk typed: entries separated by `,` `;` or new lines, each a code
    /// (`E11`, `e11.9`) or a range (`E10-E14`, `E10 – E14`). Empty entries are skipped.
    pub fn parse(program: Program, raw: &str) -> Result<ProgramCodes> {
        let label = program.label();
        let example = program.default_codes();
        let mut ranges = Vec::new();
        for entry in raw.split([',', ';', '\n']).map(str::trim).filter(|e| !e.is_empty()) {
            let ends: Vec<&str> = entry.split(['-', '–', '—']).collect();
            let code = |end: &str| {
                let mut buf = [0; CODE_MAX];
                normalise(end, &mut buf)
                    .and_then(|c| String::from_utf8(c.to_vec()).ok())
                    .ok_or_else(|| {
                        Error::invalid(format!(
                            "Kode ICD-10 program {label}: \"{entry}\" tidak valid; tulis kode seperti E11 atau E11.9, \
                             atau rentang seperti {example}."
                        ))
                    })
            };
            let range = match ends.as_slice() {
                [one] => {
                    let c = code(one)?;
                    CodeRange { from: c.clone(), to: c }
                }
                [from, to] => CodeRange {
                    from: code(from)?,
                    to: code(to)?,
                },
                _ => {
                    return Err(Error::invalid(format!(
                        "Kode ICD-10 program {label}: rentang \"{entry}\" tidak valid; tulis seperti {example}."
                    )))
                }
            };
            if range.from > range.to {
                return Err(Error::invalid(format!(
                    "Kode ICD-10 program {label}: rentang \"{entry}\" terbalik; kode awal harus sebelum kode akhir."
                )));
            }
            ranges.push(range);
        }
        if ranges.is_empty() {
            return Err(Error::invalid(format!(
                "Kode ICD-10 program {label} wajib diisi, misalnya {example}."
            )));
        }
        Ok(ProgramCodes { ranges })
    }

    /// Whether any code of a visit's `kode_icd10` (comma-separated, any case, dot optional)
    /// is in the list.
    pub fn matches(&self, icd10: &str) -> bool {
        icd10.split([',', ';']).any(|raw| {
            let mut buf = [0; CODE_MAX];
            normalise(raw, &mut buf).is_some_and(|code| self.ranges.iter().any(|r| r.contains(code)))
        })
    }
}

/// The list as a clerk would type it: `E10-E14, E11.9`. [`ProgramCodes::parse`] reads it back.
impl fmt::Display for ProgramCodes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, r) in self.ranges.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            if r.from == r.to {
                f.write_str(&dotted(&r.from))?;
            } else {
                write!(f, "{}-{}", dotted(&r.from), dotted(&r.to))?;
            }
        }
        Ok(())
    }
}

/// One visit as the report needs it. `date` is already the WIB date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    pub no_rm: String,
    pub sex: Option<Sex>,
    pub date: NaiveDate,
    /// `kode_icd10`: one or more codes, comma-separated.
    pub icd10: String,
    /// Status `Batal`: the visit does not count.
    pub cancelled: bool,
}

/// Whether a patient is standard in a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum MonthStatus {
    /// No visit this month: counted neither way.
    NoVisit,
    Standard,
    NonStandard,
}

/// Bit of `month` (1–12) in a month mask.
fn bit(month: u32) -> u16 {
    1 << (month - 1)
}

/// The status of a patient with visits in `mask` in `month` (1–12), and for a non-standard
/// month the first month that broke the run: the earliest month from the first visit month
/// through `month` without a visit.
fn classify(mask: u16, month: u32) -> (MonthStatus, Option<u32>) {
    if mask & bit(month) == 0 {
        return (MonthStatus::NoVisit, None);
    }
    let since_first = !((1u16 << mask.trailing_zeros()) - 1);
    let through_month = (bit(month) << 1) - 1;
    let missing = since_first & through_month & !mask;
    if missing == 0 {
        (MonthStatus::Standard, None)
    } else {
        (MonthStatus::NonStandard, Some(missing.trailing_zeros() + 1))
    }
}

fn first_month(mask: u16) -> Option<u32> {
    (mask != 0).then(|| mask.trailing_zeros() + 1)
}

fn check_month(month: u32) -> Result<()> {
    if (1..=12).contains(&month) {
        Ok(())
    } else {
        Err(Error::invalid(format!("Bulan harus 1 sampai 12, bukan {month}.")))
    }
}

/// Patients counted in total and per sex. A patient of unknown sex counts in `total` only.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Counts {
    pub total: u32,
    pub l: u32,
    pub p: u32,
}

impl Counts {
    fn add(&mut self, sex: Option<Sex>) {
        self.total += 1;
        match sex {
            Some(Sex::L) => self.l += 1,
            Some(Sex::P) => self.p += 1,
            None => {}
        }
    }
}

/// One month of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MonthRow {
    /// 1–12.
    pub month: u32,
    /// Patients with a visit this month: `standard` + `non_standard`.
    pub visited: Counts,
    pub standard: Counts,
    pub non_standard: Counts,
    /// standard / annual target × 100 in hundredths (1234 = 12,34 %); `None` without a target.
    #[cfg_attr(feature = "specta", specta(type = Option<i32>))]
    pub percentage_centi: Option<i64>,
}

/// The SPM report of one programme and year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct YearReport {
    pub program: Program,
    pub year: i32,
    /// The code list used, as [`ProgramCodes`] displays it.
    pub codes: String,
    /// The annual target as given.
    pub target: Option<u32>,
    /// Patients with at least one visit in the year.
    pub distinct_patients: Counts,
    /// January to December.
    pub months: Vec<MonthRow>,
    /// Why there is no percentage (no target), for the clerk.
    pub percentage_note: Option<String>,
}

/// A patient of one month, for the drill-down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MonthPatient {
    pub no_rm: String,
    pub sex: Option<Sex>,
    /// The patient's first visit month of the year.
    pub first_month: u32,
    pub standard: bool,
    /// For a non-standard patient, the first month without a visit that broke the run.
    pub break_month: Option<u32>,
}

/// One month of one patient's year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PatientMonth {
    pub month: u32,
    pub visited: bool,
    pub status: MonthStatus,
    /// For a non-standard month, the first month without a visit that broke the run.
    pub break_month: Option<u32>,
}

/// One patient's year, month by month (`loket spm patient`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PatientYear {
    pub program: Program,
    pub year: i32,
    pub no_rm: String,
    pub sex: Option<Sex>,
    /// `None` when the patient has no visit of the programme in the year.
    pub first_month: Option<u32>,
    /// January to December.
    pub months: Vec<PatientMonth>,
}

/// The sex seen on a patient's visits: visits that disagree make it unknown, whatever their order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum SeenSex {
    #[default]
    Unknown,
    Known(Sex),
    Conflict,
}

impl SeenSex {
    fn merge(self, sex: Option<Sex>) -> SeenSex {
        match (self, sex) {
            (s, None) => s,
            (SeenSex::Unknown, Some(s)) => SeenSex::Known(s),
            (SeenSex::Known(a), Some(b)) if a == b => self,
            (SeenSex::Known(_) | SeenSex::Conflict, Some(_)) => SeenSex::Conflict,
        }
    }

    fn get(self) -> Option<Sex> {
        match self {
            SeenSex::Known(s) => Some(s),
            SeenSex::Unknown | SeenSex::Conflict => None,
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Seen {
    months: u16,
    sex: SeenSex,
}

/// The visit months of every patient of one programme in one year, one bit per month. Feed it
/// visits in any order, then ask for the report, a month's patients or one patient's year.
#[derive(Debug, Clone)]
pub struct Attendance {
    program: Program,
    year: i32,
    codes: ProgramCodes,
    patients: HashMap<String, Seen>,
}

impl Attendance {
    pub fn new(program: Program, year: i32, codes: ProgramCodes) -> Attendance {
        Attendance {
            program,
            year,
            codes,
            patients: HashMap::new(),
        }
    }

    /// [`Attendance::new`] fed with `visits`.
    pub fn from_visits<'a>(
        program: Program,
        year: i32,
        codes: ProgramCodes,
        visits: impl IntoIterator<Item = &'a Visit>,
    ) -> Attendance {
        let mut a = Attendance::new(program, year, codes);
        for v in visits {
            a.add_visit(v);
        }
        a
    }

    pub fn program(&self) -> Program {
        self.program
    }

    pub fn year(&self) -> i32 {
        self.year
    }

    pub fn codes(&self) -> &ProgramCodes {
        &self.codes
    }

    /// Counts a visit when it is not cancelled, falls in the year, matches the programme's
    /// codes and has a medical-record number. Returns whether it counted.
    pub fn add_visit(&mut self, visit: &Visit) -> bool {
        if visit.cancelled || visit.date.year() != self.year || !self.codes.matches(&visit.icd10) {
            return false;
        }
        self.mark(&visit.no_rm, visit.sex, visit.date.month())
    }

    /// Counts a visit already known to belong to this programme and year (a query filtered
    /// it), in `month` 1–12. A blank `no_rm` is ignored.
    pub fn add_month(&mut self, no_rm: &str, sex: Option<Sex>, month: u32) -> Result<()> {
        check_month(month)?;
        self.mark(no_rm, sex, month);
        Ok(())
    }

    fn mark(&mut self, no_rm: &str, sex: Option<Sex>, month: u32) -> bool {
        let no_rm = no_rm.trim();
        if no_rm.is_empty() {
            return false;
        }
        if let Some(seen) = self.patients.get_mut(no_rm) {
            seen.months |= bit(month);
            seen.sex = seen.sex.merge(sex);
            return true;
        }
        let seen = Seen {
            months: bit(month),
            sex: SeenSex::Unknown.merge(sex),
        };
        self.patients.insert(no_rm.to_string(), seen);
        true
    }

    /// The year's report against the annual `target` (patients).
    pub fn report(&self, target: Option<u32>) -> YearReport {
        let mut months: Vec<MonthRow> = (1..=12)
            .map(|month| MonthRow {
                month,
                visited: Counts::default(),
                standard: Counts::default(),
                non_standard: Counts::default(),
                percentage_centi: None,
            })
            .collect();
        let mut distinct = Counts::default();
        for seen in self.patients.values() {
            let sex = seen.sex.get();
            distinct.add(sex);
            for row in &mut months {
                match classify(seen.months, row.month).0 {
                    MonthStatus::NoVisit => continue,
                    MonthStatus::Standard => row.standard.add(sex),
                    MonthStatus::NonStandard => row.non_standard.add(sex),
                }
                row.visited.add(sex);
            }
        }
        let label = self.program.label();
        let percentage_note = match target {
            None => Some(format!(
                "Target tahunan program {label} {} belum diisi; persentase tidak dihitung.",
                self.year
            )),
            Some(0) => Some(format!(
                "Target tahunan program {label} {} bernilai 0; persentase tidak dihitung.",
                self.year
            )),
            Some(t) => {
                for row in &mut months {
                    row.percentage_centi = percent_centi(row.standard.total, t);
                }
                None
            }
        };
        YearReport {
            program: self.program,
            year: self.year,
            codes: self.codes.to_string(),
            target,
            distinct_patients: distinct,
            months,
            percentage_note,
        }
    }

    /// The patients who visited in `month` (1–12), by medical-record number.
    pub fn month_patients(&self, month: u32) -> Result<Vec<MonthPatient>> {
        check_month(month)?;
        let mut out: Vec<MonthPatient> = self
            .patients
            .iter()
            .filter_map(|(no_rm, seen)| {
                let (status, break_month) = classify(seen.months, month);
                (status != MonthStatus::NoVisit).then(|| MonthPatient {
                    no_rm: no_rm.clone(),
                    sex: seen.sex.get(),
                    first_month: seen.months.trailing_zeros() + 1,
                    standard: status == MonthStatus::Standard,
                    break_month,
                })
            })
            .collect();
        out.sort_unstable_by(|a, b| a.no_rm.cmp(&b.no_rm));
        Ok(out)
    }

    /// One patient's year, month by month. A patient without visits gets twelve `NoVisit` months.
    pub fn patient_status(&self, no_rm: &str) -> PatientYear {
        let no_rm = no_rm.trim();
        let seen = self.patients.get(no_rm).copied().unwrap_or_default();
        PatientYear {
            program: self.program,
            year: self.year,
            no_rm: no_rm.to_string(),
            sex: seen.sex.get(),
            first_month: first_month(seen.months),
            months: (1..=12)
                .map(|month| {
                    let (status, break_month) = classify(seen.months, month);
                    PatientMonth {
                        month,
                        visited: status != MonthStatus::NoVisit,
                        status,
                        break_month,
                    }
                })
                .collect(),
        }
    }
}

/// `standard` / `target` × 100 in hundredths of a percent, rounded half-up, exactly:
/// 1 of 3 → 3333 (33,33 %), 1 of 32 → 313 (3,13 %). `None` when the target is 0.
pub fn percent_centi(standard: u32, target: u32) -> Option<i64> {
    if target == 0 {
        return None;
    }
    let t = u64::from(target);
    let centi = (u64::from(standard) * 10_000 + t / 2) / t;
    Some(i64::try_from(centi).unwrap_or(i64::MAX))
}

/// Hundredths as a decimal with two places: `format_centi(1234, ',')` is `12,34`,
/// `format_centi(1234, '.')` is `12.34`.
pub fn format_centi(centi: i64, decimal: char) -> String {
    let sign = if centi < 0 { "-" } else { "" };
    let abs = centi.unsigned_abs();
    format!("{sign}{}{decimal}{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn visit(no_rm: &str, sex: Option<Sex>, on: NaiveDate, icd10: &str) -> Visit {
        Visit {
            no_rm: no_rm.to_string(),
            sex,
            date: on,
            icd10: icd10.to_string(),
            cancelled: false,
        }
    }

    /// DM visits of one patient on the 10th of each month listed.
    fn dm_months(no_rm: &str, year: i32, months: &[u32]) -> Vec<Visit> {
        months
            .iter()
            .map(|m| visit(no_rm, Some(Sex::P), date(year, *m, 10), "E11.9"))
            .collect()
    }

    fn attendance(program: Program, year: i32, visits: &[Visit]) -> Attendance {
        Attendance::from_visits(program, year, ProgramCodes::default_for(program), visits)
    }

    /// (month, status, break month) of the months with a visit.
    fn visited_months(a: &Attendance, no_rm: &str) -> Vec<(u32, MonthStatus, Option<u32>)> {
        a.patient_status(no_rm)
            .months
            .into_iter()
            .filter(|m| m.visited)
            .map(|m| (m.month, m.status, m.break_month))
            .collect()
    }

    use MonthStatus::{NoVisit, NonStandard, Standard};

    #[test]
    fn scenario_1_a_consistent_patient_is_standard_every_month() {
        // Given visits in January, February and March.
        let a = attendance(Program::Dm, 2026, &dm_months("RM1", 2026, &[1, 2, 3]));
        // Then every one of them is standard.
        assert_eq!(
            visited_months(&a, "RM1"),
            vec![(1, Standard, None), (2, Standard, None), (3, Standard, None)]
        );
        let r = a.report(Some(10));
        let standard: Vec<u32> = r.months.iter().map(|m| m.standard.total).collect();
        assert_eq!(standard, [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert!(r.months.iter().all(|m| m.non_standard.total == 0));
    }

    #[test]
    fn scenario_2_a_gap_makes_every_later_visit_non_standard() {
        // Given visits in January, March and April, none in February.
        let a = attendance(Program::Dm, 2026, &dm_months("RM2", 2026, &[1, 3, 4]));
        // Then January is standard; March and April are not, broken by February.
        assert_eq!(
            visited_months(&a, "RM2"),
            vec![
                (1, Standard, None),
                (3, NonStandard, Some(2)),
                (4, NonStandard, Some(2))
            ]
        );
        // And February counts neither way.
        let feb = a.patient_status("RM2").months[1];
        assert_eq!((feb.visited, feb.status, feb.break_month), (false, NoVisit, None));
        let r = a.report(Some(10));
        assert_eq!(r.months[1].visited.total, 0);
        assert_eq!((r.months[2].standard.total, r.months[2].non_standard.total), (0, 1));
    }

    #[test]
    fn scenario_3_a_mid_year_start_is_standard_from_its_first_month() {
        // Given visits in June, July and September.
        let a = attendance(Program::Dm, 2026, &dm_months("RM3", 2026, &[6, 7, 9]));
        // Then June (the first month) and July are standard, September is broken by August.
        assert_eq!(
            visited_months(&a, "RM3"),
            vec![(6, Standard, None), (7, Standard, None), (9, NonStandard, Some(8))]
        );
        let p = a.patient_status("RM3");
        assert_eq!(p.first_month, Some(6));
        assert!(p.months[..5].iter().all(|m| m.status == NoVisit));
        assert_eq!(p.months.len(), 12);
    }

    #[test]
    fn only_visits_of_the_year_count() {
        // A December visit of last year does not start this year's run.
        let mut visits = dm_months("RM1", 2025, &[11, 12]);
        visits.extend(dm_months("RM1", 2026, &[2, 3]));
        visits.extend(dm_months("RM1", 2027, &[1]));
        let a = attendance(Program::Dm, 2026, &visits);
        assert_eq!(
            visited_months(&a, "RM1"),
            vec![(2, Standard, None), (3, Standard, None)]
        );
        let r = a.report(Some(1));
        assert_eq!(r.months[0].visited.total, 0);
        assert_eq!(r.distinct_patients.total, 1);

        // The last year's run does not carry a gap into this year either.
        let a = attendance(Program::Dm, 2025, &visits);
        assert_eq!(
            visited_months(&a, "RM1"),
            vec![(11, Standard, None), (12, Standard, None)]
        );
    }

    #[test]
    fn several_visits_in_a_month_count_once() {
        let visits = vec![
            visit("RM1", Some(Sex::L), date(2026, 1, 2), "E11"),
            visit("RM1", Some(Sex::L), date(2026, 1, 20), "E11.9"),
            visit("RM1", Some(Sex::L), date(2026, 1, 31), "E14"),
            visit("RM1", Some(Sex::L), date(2026, 2, 1), "E11"),
        ];
        let r = attendance(Program::Dm, 2026, &visits).report(Some(4));
        assert_eq!(r.months[0].visited, Counts { total: 1, l: 1, p: 0 });
        assert_eq!(r.months[0].standard.total, 1);
        assert_eq!(r.months[1].standard.total, 1);
        assert_eq!(r.months[0].percentage_centi, Some(2500));
        assert_eq!(r.distinct_patients.total, 1);
    }

    #[test]
    fn a_visit_with_dm_and_ht_codes_counts_in_both() {
        let visits = vec![
            visit("RM1", None, date(2026, 3, 5), "I10, E11"),
            visit("RM2", None, date(2026, 3, 5), "I10"),
            visit("RM3", None, date(2026, 3, 5), "E11.9"),
        ];
        let dm = attendance(Program::Dm, 2026, &visits).month_patients(3).unwrap();
        let ht = attendance(Program::Ht, 2026, &visits).month_patients(3).unwrap();
        let names = |v: Vec<MonthPatient>| v.into_iter().map(|p| p.no_rm).collect::<Vec<_>>();
        assert_eq!(names(dm), ["RM1", "RM3"]);
        assert_eq!(names(ht), ["RM1", "RM2"]);
    }

    #[test]
    fn cancelled_visits_do_not_count() {
        let mut visits = dm_months("RM1", 2026, &[1, 2, 3]);
        visits[1].cancelled = true;
        let mut a = attendance(Program::Dm, 2026, &visits);
        assert_eq!(
            visited_months(&a, "RM1"),
            vec![(1, Standard, None), (3, NonStandard, Some(2))]
        );
        assert!(!a.add_visit(&visits[1]));
        let mut only_cancelled = visit("RM9", None, date(2026, 5, 1), "E11");
        only_cancelled.cancelled = true;
        assert!(!a.add_visit(&only_cancelled));
        assert_eq!(a.report(None).distinct_patients.total, 1);
    }

    #[test]
    fn sub_codes_and_sloppy_spelling_match() {
        let dm = ProgramCodes::default_for(Program::Dm);
        let ht = ProgramCodes::default_for(Program::Ht);
        for code in [
            "E10",
            "E11.9",
            "e119",
            " e11.9 ",
            "E 11.9",
            "E14.0",
            "E149",
            "I10, E11",
            "Z00.0,E13",
            "E11.65",
        ] {
            assert!(dm.matches(code), "{code}");
        }
        for code in ["I10", "i10", "I15.0", "I11.9", "E11,I12"] {
            assert!(ht.matches(code), "{code}");
        }
    }

    #[test]
    fn codes_outside_the_range_do_not_match() {
        let dm = ProgramCodes::default_for(Program::Dm);
        let ht = ProgramCodes::default_for(Program::Ht);
        for code in [
            "E15",
            "E1",
            "E09.9",
            "E16.2",
            "",
            ",",
            "10",
            "EE1",
            "E1.1",
            "I10",
            "O24.4",
            "E11-9",
            "E11.9X12345",
        ] {
            assert!(!dm.matches(code), "{code}");
        }
        for code in ["I16", "I09", "I1", "I20.0", "E11", "L10"] {
            assert!(!ht.matches(code), "{code}");
        }
    }

    #[test]
    fn code_lists_parse_in_several_spellings() {
        let parse = |raw: &str| ProgramCodes::parse(Program::Dm, raw).unwrap();
        let range = parse("E10-E14");
        assert_eq!(range, ProgramCodes::default_for(Program::Dm));
        assert_eq!(parse(" e10 – e14 "), range);
        assert_eq!(range.to_string(), "E10-E14");
        assert_eq!(
            ProgramCodes::default_for(Program::Ht).to_string(),
            Program::Ht.default_codes()
        );

        let list = parse("E10,E11, E12 ;E13\nE14,");
        assert_eq!(list.to_string(), "E10, E11, E12, E13, E14");
        for code in ["E10", "E11.9", "E14.9", "e139"] {
            assert!(list.matches(code), "{code}");
        }
        assert!(!list.matches("E15"));

        let sub = parse("E11.9, E13-E14");
        assert_eq!(sub.to_string(), "E11.9, E13-E14");
        assert!(sub.matches("E11.9") && sub.matches("E1190") && sub.matches("E13.2"));
        assert!(!sub.matches("E11") && !sub.matches("E11.8") && !sub.matches("E12"));
        assert_eq!(parse(&sub.to_string()), sub);

        // A range may start at a sub-code: E11.9 up to and including E12.
        let mixed = parse("E11.9-E12");
        assert!(mixed.matches("E119") && mixed.matches("E12") && mixed.matches("E12.8"));
        assert!(!mixed.matches("E11.8") && !mixed.matches("E13"));
    }

    #[test]
    fn code_list_errors_say_what_is_wrong() {
        let err = |raw: &str| {
            let e = ProgramCodes::parse(Program::Dm, raw).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidInput, "{raw}");
            e.message
        };
        assert_eq!(err(""), "Kode ICD-10 program DM wajib diisi, misalnya E10-E14.");
        assert_eq!(err(" , ;"), "Kode ICD-10 program DM wajib diisi, misalnya E10-E14.");
        assert_eq!(
            err("E10, E1"),
            "Kode ICD-10 program DM: \"E1\" tidak valid; tulis kode seperti E11 atau E11.9, \
             atau rentang seperti E10-E14."
        );
        assert_eq!(
            err("E14-E10"),
            "Kode ICD-10 program DM: rentang \"E14-E10\" terbalik; kode awal harus sebelum kode akhir."
        );
        assert_eq!(
            err("E10-E12-E14"),
            "Kode ICD-10 program DM: rentang \"E10-E12-E14\" tidak valid; tulis seperti E10-E14."
        );
        for raw in [
            "E10-",
            "-E14",
            "10-14",
            "E1X",
            "E10*",
            "DM",
            "E11.9.1",
            "E1.19",
            "E11.912345",
        ] {
            assert!(err(raw).contains(&format!("\"{raw}\" tidak valid")), "{raw}");
        }
        let ht = ProgramCodes::parse(Program::Ht, "I1").unwrap_err().message;
        assert!(
            ht.starts_with("Kode ICD-10 program HT") && ht.ends_with("I10-I15."),
            "{ht}"
        );
    }

    #[test]
    fn percentage_rounds_half_up_exactly() {
        let cases = [
            // standard, target, hundredths of a percent
            (1, 3, 3333),
            (2, 3, 6667),
            (1, 8, 1250),
            (1, 32, 313),   // 3.125 → 3.13
            (3, 32, 938),   // 9.375 → 9.38
            (1, 20_000, 1), // 0.005 → 0.01
            (1, 40_000, 0), // 0.0025 → 0.00
            (1, 80_000, 0), // 0.00125 → 0.00
            (0, 5, 0),
            (5, 5, 10_000),
            (3, 2, 15_000), // above the target: reported, not capped
            (7, 16_000, 4), // 0.04375 → 0.04
            (u32::MAX, 1, 42_949_672_950_000),
        ];
        for (standard, target, want) in cases {
            assert_eq!(percent_centi(standard, target), Some(want), "{standard}/{target}");
        }
        assert_eq!(percent_centi(3, 0), None);
    }

    #[test]
    fn percentages_format_with_either_decimal_mark() {
        assert_eq!(format_centi(3333, ','), "33,33");
        assert_eq!(format_centi(1250, '.'), "12.50");
        assert_eq!(format_centi(5, ','), "0,05");
        assert_eq!(format_centi(0, ','), "0,00");
        assert_eq!(format_centi(15_000, ','), "150,00");
        assert_eq!(format_centi(-1234, '.'), "-12.34");
    }

    #[test]
    fn without_a_target_there_is_no_percentage_and_the_report_says_why() {
        let a = attendance(Program::Ht, 2026, &[visit("RM1", None, date(2026, 1, 1), "I10")]);
        let none = a.report(None);
        assert!(none.months.iter().all(|m| m.percentage_centi.is_none()));
        assert_eq!(
            none.percentage_note.as_deref(),
            Some("Target tahunan program HT 2026 belum diisi; persentase tidak dihitung.")
        );
        let zero = a.report(Some(0));
        assert!(zero.months.iter().all(|m| m.percentage_centi.is_none()));
        assert_eq!(
            zero.percentage_note.as_deref(),
            Some("Target tahunan program HT 2026 bernilai 0; persentase tidak dihitung.")
        );
        let with = a.report(Some(3));
        assert_eq!(with.percentage_note, None);
        assert_eq!(with.months[0].percentage_centi, Some(3333));
        assert_eq!(with.months[1].percentage_centi, Some(0));
    }

    #[test]
    fn counts_split_by_sex_and_unknown_counts_in_totals_only() {
        let visits = vec![
            visit("L1", Some(Sex::L), date(2026, 1, 3), "E11"),
            visit("L1", Some(Sex::L), date(2026, 3, 3), "E11"),
            visit("P1", Some(Sex::P), date(2026, 1, 3), "E11"),
            visit("P1", None, date(2026, 3, 3), "E11"),
            visit("P2", Some(Sex::P), date(2026, 3, 3), "E11"),
            visit("X1", None, date(2026, 3, 3), "E11"),
            // Visits that disagree on the sex leave it unknown.
            visit("Z1", Some(Sex::L), date(2026, 3, 3), "E11"),
            visit("Z1", Some(Sex::P), date(2026, 3, 4), "E11"),
        ];
        let a = attendance(Program::Dm, 2026, &visits);
        let r = a.report(Some(100));
        assert_eq!(r.distinct_patients, Counts { total: 5, l: 1, p: 2 });
        let mar = &r.months[2];
        assert_eq!(mar.visited, Counts { total: 5, l: 1, p: 2 });
        assert_eq!(mar.standard, Counts { total: 3, l: 0, p: 1 });
        assert_eq!(mar.non_standard, Counts { total: 2, l: 1, p: 1 });
        assert_eq!(mar.percentage_centi, Some(300));
        assert_eq!(a.patient_status("Z1").sex, None);
        assert_eq!(a.patient_status("P1").sex, Some(Sex::P));
    }

    #[test]
    fn a_month_drill_down_lists_patients_with_their_break_month() {
        let mut visits = dm_months("B", 2026, &[1, 3, 4]);
        visits.extend(dm_months("A", 2026, &[2, 3, 4]));
        visits.extend(dm_months("C", 2026, &[4]));
        visits.extend(dm_months("D", 2026, &[1, 2, 5]));
        let a = attendance(Program::Dm, 2026, &visits);
        let rows = a.month_patients(4).unwrap();
        let got: Vec<(&str, u32, bool, Option<u32>)> = rows
            .iter()
            .map(|p| (p.no_rm.as_str(), p.first_month, p.standard, p.break_month))
            .collect();
        assert_eq!(
            got,
            vec![("A", 2, true, None), ("B", 1, false, Some(2)), ("C", 4, true, None)]
        );
        assert!(a.month_patients(6).unwrap().is_empty());
        for bad in [0, 13] {
            assert_eq!(
                a.month_patients(bad).unwrap_err().message,
                format!("Bulan harus 1 sampai 12, bukan {bad}.")
            );
        }
    }

    #[test]
    fn a_patient_without_visits_has_twelve_empty_months() {
        let a = attendance(Program::Dm, 2026, &dm_months("RM1", 2026, &[1]));
        let p = a.patient_status(" RM404 ");
        assert_eq!((p.no_rm.as_str(), p.first_month, p.sex), ("RM404", None, None));
        assert!(p
            .months
            .iter()
            .all(|m| !m.visited && m.status == NoVisit && m.break_month.is_none()));
        assert_eq!(
            p.months.iter().map(|m| m.month).collect::<Vec<_>>(),
            (1..=12).collect::<Vec<_>>()
        );
    }

    #[test]
    fn months_fed_from_a_query_give_the_same_report_as_visits() {
        let mut visits = dm_months("RM1", 2026, &[1, 3, 4]);
        visits.extend(dm_months("RM2", 2026, &[2]));
        let from_visits = attendance(Program::Dm, 2026, &visits);
        let mut fed = Attendance::new(Program::Dm, 2026, ProgramCodes::default_for(Program::Dm));
        for v in visits.iter().rev() {
            fed.add_month(&v.no_rm, v.sex, v.date.month()).unwrap();
        }
        assert_eq!(fed.report(Some(7)), from_visits.report(Some(7)));
        assert!(fed.add_month("RM1", None, 13).is_err());
        assert!(fed.add_month("RM1", None, 0).is_err());
        // A blank medical-record number cannot be followed: ignored.
        fed.add_month("  ", None, 5).unwrap();
        assert_eq!(fed.report(None).months[4].visited.total, 0);
    }

    #[test]
    fn programs_parse_and_serialise_in_lower_case() {
        assert_eq!("dm".parse::<Program>().unwrap(), Program::Dm);
        assert_eq!(" HT ".parse::<Program>().unwrap(), Program::Ht);
        assert_eq!(
            "tb".parse::<Program>().unwrap_err().message,
            "Program SPM harus dm atau ht, bukan \"tb\"."
        );
        assert_eq!(serde_json::to_value(Program::Ht).unwrap(), "ht");
        assert_eq!(Program::Dm.to_string(), "dm");
        assert_eq!(Sex::from_code("l"), Some(Sex::L));
        assert_eq!(Sex::from_code("Perempuan"), Some(Sex::P));
        assert_eq!(Sex::from_code("-"), None);
        assert_eq!(serde_json::to_value(Sex::P).unwrap(), "P");
    }

    #[test]
    fn the_report_serialises_with_stable_field_names() {
        let a = attendance(Program::Dm, 2026, &dm_months("RM1", 2026, &[1, 3]));
        let v = serde_json::to_value(a.report(Some(8))).unwrap();
        assert_eq!(v["program"], "dm");
        assert_eq!(v["codes"], "E10-E14");
        assert_eq!(v["distinct_patients"]["total"], 1);
        assert_eq!(v["months"][0]["percentage_centi"], 1250);
        assert_eq!(v["months"][2]["non_standard"]["p"], 1);
        let p = serde_json::to_value(a.patient_status("RM1")).unwrap();
        assert_eq!(p["months"][2]["status"], "non_standard");
        assert_eq!(p["months"][2]["break_month"], 2);
        assert_eq!(p["months"][1]["status"], "no_visit");
    }

    #[test]
    fn a_hundred_thousand_patients_fold_into_one_report() {
        let mut a = Attendance::new(Program::Dm, 2026, ProgramCodes::default_for(Program::Dm));
        let codes = ["E11.9", "e119", "I10, E11", "E14"];
        for i in 0..100_000u32 {
            let no_rm = format!("RM{i:06}");
            let sex = [Some(Sex::L), Some(Sex::P), None][(i % 3) as usize];
            for k in 0..4 {
                // Patients with i % 4 == 0 skip March.
                let month = if i % 4 == 0 && k == 2 { 5 } else { k + 1 };
                let v = visit(&no_rm, sex, date(2026, month, 1 + k), codes[k as usize]);
                a.add_visit(&v);
            }
        }
        let r = a.report(Some(50_000));
        assert_eq!(r.distinct_patients.total, 100_000);
        assert_eq!(r.months[1].standard.total, 100_000);
        assert_eq!(
            (r.months[3].standard.total, r.months[3].non_standard.total),
            (75_000, 25_000)
        );
        assert_eq!(r.months[3].percentage_centi, Some(15_000));
        assert_eq!(r.months[4].non_standard.total, 25_000);
    }

    // The naive reference: month by month straight over the visits, nothing shared with the
    // code under test beyond the types.

    fn naive_codes(program: Program) -> &'static [&'static str] {
        match program {
            Program::Dm => &["E10", "E11", "E12", "E13", "E14"],
            Program::Ht => &["I10", "I11", "I12", "I13", "I14", "I15"],
        }
    }

    fn naive_counts(program: Program, year: i32, v: &Visit) -> bool {
        !v.cancelled
            && v.date.year() == year
            && !v.no_rm.trim().is_empty()
            && v.icd10.split(',').any(|c| {
                let c: String = c
                    .chars()
                    .filter(|ch| *ch != '.' && *ch != ' ')
                    .collect::<String>()
                    .to_uppercase();
                naive_codes(program).iter().any(|k| c.starts_with(k))
            })
    }

    fn naive_visited(program: Program, year: i32, visits: &[Visit], no_rm: &str, month: u32) -> bool {
        visits
            .iter()
            .any(|v| v.no_rm == no_rm && v.date.month() == month && naive_counts(program, year, v))
    }

    fn naive_status(
        program: Program,
        year: i32,
        visits: &[Visit],
        no_rm: &str,
        month: u32,
    ) -> (MonthStatus, Option<u32>) {
        if !naive_visited(program, year, visits, no_rm, month) {
            return (NoVisit, None);
        }
        let first = (1..=12)
            .find(|m| naive_visited(program, year, visits, no_rm, *m))
            .unwrap();
        match (first..=month).find(|m| !naive_visited(program, year, visits, no_rm, *m)) {
            None => (Standard, None),
            Some(gap) => (NonStandard, Some(gap)),
        }
    }

    fn naive_sex(program: Program, year: i32, visits: &[Visit], no_rm: &str) -> Option<Sex> {
        let mut seen: Vec<Sex> = visits
            .iter()
            .filter(|v| v.no_rm == no_rm && naive_counts(program, year, v))
            .filter_map(|v| v.sex)
            .collect();
        seen.sort_by_key(|s| s.as_str());
        seen.dedup();
        match seen.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    const PATIENTS: [&str; 6] = ["RM-A", "RM-B", "RM-C", "RM-D", "RM-E", "RM-F"];
    const ICD: [&str; 12] = [
        "E11.9", "e119", "I10, E11", "I15.0", "E15", "I16", "E1", "Z00.0", "E14", "i10", "E10,I12", "O24.4",
    ];

    fn visits_strategy() -> impl Strategy<Value = Vec<Visit>> {
        let one = (
            0..PATIENTS.len(),
            0u8..8,
            prop_oneof![1 => Just(2025), 6 => Just(2026), 1 => Just(2027)],
            1u32..=12,
            1u32..=28,
            0..ICD.len(),
            0u8..6,
        )
            .prop_map(|(p, noise, y, m, d, icd, cancel)| {
                let usual = [Some(Sex::L), Some(Sex::P), None][p % 3];
                let sex = match noise {
                    0 => None,
                    1 => Some(if usual == Some(Sex::L) { Sex::P } else { Sex::L }),
                    _ => usual,
                };
                Visit {
                    no_rm: PATIENTS[p].to_string(),
                    sex,
                    date: date(y, m, d),
                    icd10: ICD[icd].to_string(),
                    cancelled: cancel == 0,
                }
            });
        proptest::collection::vec(one, 0..90)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn matches_a_naive_month_by_month_reference(
            visits in visits_strategy(),
            program in prop_oneof![Just(Program::Dm), Just(Program::Ht)],
            target in prop_oneof![Just(None), Just(Some(0u32)), (1u32..40).prop_map(Some)],
        ) {
            let year = 2026;
            let a = attendance(program, year, &visits);
            let report = a.report(target);

            let mut distinct = Counts::default();
            for no_rm in PATIENTS {
                if (1..=12).any(|m| naive_visited(program, year, &visits, no_rm, m)) {
                    distinct.add(naive_sex(program, year, &visits, no_rm));
                }
            }
            prop_assert_eq!(report.distinct_patients, distinct);

            for month in 1..=12u32 {
                let mut visited = Counts::default();
                let mut standard = Counts::default();
                let mut non_standard = Counts::default();
                let mut drill = Vec::new();
                for no_rm in PATIENTS {
                    let sex = naive_sex(program, year, &visits, no_rm);
                    let (status, break_month) = naive_status(program, year, &visits, no_rm, month);
                    if status == NoVisit {
                        continue;
                    }
                    visited.add(sex);
                    if status == Standard { standard.add(sex) } else { non_standard.add(sex) }
                    let first = (1..=12).find(|m| naive_visited(program, year, &visits, no_rm, *m)).unwrap();
                    drill.push((no_rm.to_string(), sex, first, status == Standard, break_month));
                }
                let row = &report.months[month as usize - 1];
                prop_assert_eq!(row.month, month);
                prop_assert_eq!(row.visited, visited);
                prop_assert_eq!(row.standard, standard);
                prop_assert_eq!(row.non_standard, non_standard);
                let want_pct = match target {
                    Some(t) if t > 0 => Some((f64::from(standard.total) * 100.0 / f64::from(t) * 100.0).round() as i64),
                    _ => None,
                };
                prop_assert_eq!(row.percentage_centi, want_pct);

                let got: Vec<_> = a
                    .month_patients(month)
                    .unwrap()
                    .into_iter()
                    .map(|p| (p.no_rm, p.sex, p.first_month, p.standard, p.break_month))
                    .collect();
                prop_assert_eq!(got, drill);
            }
            prop_assert_eq!(report.percentage_note.is_some(), !matches!(target, Some(t) if t > 0));

            for no_rm in PATIENTS {
                let p = a.patient_status(no_rm);
                prop_assert_eq!(p.sex, naive_sex(program, year, &visits, no_rm));
                for m in &p.months {
                    let (status, break_month) = naive_status(program, year, &visits, no_rm, m.month);
                    prop_assert_eq!((m.visited, m.status, m.break_month), (status != NoVisit, status, break_month));
                }
            }

            // Order does not matter.
            let reversed: Vec<Visit> = visits.iter().rev().cloned().collect();
            prop_assert_eq!(attendance(program, year, &reversed).report(target), report);
        }

        #[test]
        fn percentage_is_the_nearest_hundredth_ties_up(standard in 0u32..2_000_000, target in 1u32..2_000_000) {
            let c = i128::from(percent_centi(standard, target).unwrap());
            let n = i128::from(standard) * 10_000;
            let t = i128::from(target);
            // c − ½ ≤ n / t < c + ½
            prop_assert!(2 * c * t - t <= 2 * n);
            prop_assert!(2 * n < 2 * c * t + t);
        }
    }
}
