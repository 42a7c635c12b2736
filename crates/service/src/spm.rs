//! Laporan SPM: the monthly "standard patient" percentages of the DM and HT programmes, from the
//! synced visits (KUNJUNGAN, `sync_kunjungan`). One implementation
//! ([`loket_core::spm::Attendance`]) serves the CLI, the Laporan screen, the drill-down and the
//! CSV export, so they cannot disagree (the seed's pain). Nothing is cached: a change to a past
//! visit is in the next report.

use chrono::NaiveDate;
use loket_core::spm::{Attendance, MonthPatient, PatientYear, Program, ProgramCodes, Sex, Visit, YearReport};
use loket_core::{Error, Result};
use serde::Serialize;

use crate::Desk;

/// The visits job whose table the reports read.
pub const JOB_KUNJUNGAN: &str = "KUNJUNGAN";

/// One month as the CLI and the screen show it; `percentage` is the exact two-decimal value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SpmMonth {
    pub month: u32,
    pub visited: u32,
    pub standard: u32,
    pub non_standard: u32,
    pub visited_l: u32,
    pub visited_p: u32,
    pub standard_l: u32,
    pub standard_p: u32,
    pub non_standard_l: u32,
    pub non_standard_p: u32,
    /// Standard / target × 100, rounded half-up to two decimals; `None` without a target.
    pub percentage: Option<f64>,
    /// The same as text with a decimal comma, e.g. `12,34`.
    pub percentage_text: Option<String>,
}

/// The year's report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SpmReport {
    pub program: Program,
    pub year: i32,
    pub target: Option<u32>,
    pub codes: String,
    pub distinct_patients: u32,
    pub distinct_l: u32,
    pub distinct_p: u32,
    /// Why there is no percentage (no target), if so.
    pub note: Option<String>,
    pub months: Vec<SpmMonth>,
}

impl SpmReport {
    fn of(r: &YearReport) -> SpmReport {
        SpmReport {
            program: r.program,
            year: r.year,
            target: r.target,
            codes: r.codes.clone(),
            distinct_patients: r.distinct_patients.total,
            distinct_l: r.distinct_patients.l,
            distinct_p: r.distinct_patients.p,
            note: r.percentage_note.clone(),
            months: r
                .months
                .iter()
                .map(|m| SpmMonth {
                    month: m.month,
                    visited: m.visited.total,
                    standard: m.standard.total,
                    non_standard: m.non_standard.total,
                    visited_l: m.visited.l,
                    visited_p: m.visited.p,
                    standard_l: m.standard.l,
                    standard_p: m.standard.p,
                    non_standard_l: m.non_standard.l,
                    non_standard_p: m.non_standard.p,
                    percentage: m.percentage_centi.map(|c| c as f64 / 100.0),
                    percentage_text: m.percentage_centi.map(|c| loket_core::spm::format_centi(c, ',')),
                })
                .collect(),
        }
    }

    /// The report as CSV (semicolon-separated, decimal comma, as Indonesian spreadsheets expect).
    pub fn to_csv(&self) -> String {
        let mut out = String::from(
            "program;tahun;bulan;dikunjungi;standar;tidak_standar;dikunjungi_l;dikunjungi_p;standar_l;standar_p;tidak_standar_l;tidak_standar_p;target;persentase\n",
        );
        for m in &self.months {
            out.push_str(&format!(
                "{};{};{};{};{};{};{};{};{};{};{};{};{};{}\n",
                self.program.label(),
                self.year,
                m.month,
                m.visited,
                m.standard,
                m.non_standard,
                m.visited_l,
                m.visited_p,
                m.standard_l,
                m.standard_p,
                m.non_standard_l,
                m.non_standard_p,
                self.target.map(|t| t.to_string()).unwrap_or_default(),
                m.percentage_text.clone().unwrap_or_default()
            ));
        }
        out
    }
}

impl Desk {
    fn spm_codes(&self, program: Program) -> Result<ProgramCodes> {
        let s = self.settings()?;
        let raw = match program {
            Program::Dm => s.spm_dm_codes,
            Program::Ht => s.spm_ht_codes,
        };
        ProgramCodes::parse(program, &raw)
    }

    /// Every visit of `year` folded into the programme's attendance.
    fn spm_attendance(&mut self, program: Program, year: i32) -> Result<Attendance> {
        if !(2000..=2100).contains(&year) {
            return Err(Error::invalid("Tahun laporan harus antara 2000 dan 2100."));
        }
        let job = self.sync_job(JOB_KUNJUNGAN)?;
        self.store.write(|tx| loket_store::sync::ensure_table(tx, &job))?;
        let mut attendance = Attendance::new(program, year, self.spm_codes(program)?);
        let sql = format!(
            "SELECT no_rm, jenis_kelamin, tanggal_kunjungan, kode_icd10, status FROM \"{}\"
             WHERE tanggal_kunjungan >= ?1 AND tanggal_kunjungan <= ?2",
            job.table
        );
        let conn = self.store.conn();
        let mut stmt = conn.prepare(&sql).map_err(loket_store::storage_error)?;
        let mut rows = stmt
            .query([format!("{year}-01-01"), format!("{year}-12-31")])
            .map_err(loket_store::storage_error)?;
        while let Some(r) = rows.next().map_err(loket_store::storage_error)? {
            let no_rm: Option<String> = r.get(0).map_err(loket_store::storage_error)?;
            let sex: Option<String> = r.get(1).map_err(loket_store::storage_error)?;
            let date: String = r.get(2).map_err(loket_store::storage_error)?;
            let icd: Option<String> = r.get(3).map_err(loket_store::storage_error)?;
            let status: Option<String> = r.get(4).map_err(loket_store::storage_error)?;
            let (Some(no_rm), Ok(date)) = (no_rm, NaiveDate::parse_from_str(&date, "%Y-%m-%d")) else {
                continue;
            };
            attendance.add_visit(&Visit {
                no_rm,
                sex: sex.as_deref().and_then(Sex::from_code),
                date,
                icd10: icd.unwrap_or_default(),
                cancelled: status.is_some_and(|s| s.trim().eq_ignore_ascii_case("batal")),
            });
        }
        Ok(attendance)
    }

    pub fn spm_report(&mut self, program: Program, year: i32) -> Result<SpmReport> {
        let target = self.settings()?.spm_target(program.as_str(), year);
        Ok(SpmReport::of(&self.spm_attendance(program, year)?.report(target)))
    }

    /// A month's patients, standard or not (with the month that broke a non-standard run).
    pub fn spm_month(&mut self, program: Program, year: i32, month: u32) -> Result<Vec<MonthPatient>> {
        self.spm_attendance(program, year)?.month_patients(month)
    }

    /// One patient's year, month by month.
    pub fn spm_patient(&mut self, program: Program, norm: &str, year: i32) -> Result<PatientYear> {
        let norm = norm.trim();
        if norm.is_empty() {
            return Err(Error::invalid("Nomor rekam medis wajib diisi."));
        }
        Ok(self.spm_attendance(program, year)?.patient_status(norm))
    }

    /// Writes the report's CSV into `dir` as `spm-<program>-<year>.csv` (replacing an older
    /// export) and returns the file's path.
    pub fn spm_export_csv(&mut self, program: Program, year: i32, dir: &std::path::Path) -> Result<std::path::PathBuf> {
        let csv = self.spm_report(program, year)?.to_csv();
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::storage(format!("Folder {} tidak dapat dibuat: {e}", dir.display())))?;
        let path = dir.join(format!("spm-{}-{year}.csv", program.as_str()));
        std::fs::write(&path, csv)
            .map_err(|e| Error::storage(format!("Berkas {} tidak dapat ditulis: {e}", path.display())))?;
        tracing::info!(path = %path.display(), "SPM report exported");
        Ok(path)
    }

    /// Sets a programme's annual target (kept in Settings with its change history).
    pub fn spm_set_target(&mut self, program: Program, year: i32, target: u32) -> Result<()> {
        let s = self.settings()?;
        let mut targets = s.spm_targets.clone();
        targets.insert(format!("{}:{year}", program.as_str()), target);
        let raw = targets
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", ");
        self.set_setting("spm_targets", &raw)?;
        Ok(())
    }
}
