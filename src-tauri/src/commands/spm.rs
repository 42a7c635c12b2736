//! Laporan SPM: the DM/HT monthly report, its drill-downs, targets and CSV.

use loket_core::spm::{MonthPatient, PatientYear, Program};
use loket_core::Error;
use loket_service::spm::SpmReport;
use tauri::State;

use crate::AppState;

#[tauri::command]
#[specta::specta]
pub fn spm_report(state: State<'_, AppState>, program: Program, year: i32) -> Result<SpmReport, Error> {
    state.desk()?.spm_report(program, year)
}

#[tauri::command]
#[specta::specta]
pub fn spm_month(
    state: State<'_, AppState>,
    program: Program,
    year: i32,
    month: u32,
) -> Result<Vec<MonthPatient>, Error> {
    state.desk()?.spm_month(program, year, month)
}

#[tauri::command]
#[specta::specta]
pub fn spm_patient(
    state: State<'_, AppState>,
    program: Program,
    norm: String,
    year: i32,
) -> Result<PatientYear, Error> {
    state.desk()?.spm_patient(program, &norm, year)
}

#[tauri::command]
#[specta::specta]
pub fn spm_set_target(
    state: State<'_, AppState>,
    program: Program,
    year: i32,
    target: u32,
) -> Result<SpmReport, Error> {
    let mut desk = state.desk()?;
    desk.spm_set_target(program, year, target)?;
    desk.spm_report(program, year)
}

/// The report as CSV text (semicolons, decimal comma), for the UI to save.
#[tauri::command]
#[specta::specta]
pub fn spm_csv(state: State<'_, AppState>, program: Program, year: i32) -> Result<String, Error> {
    Ok(state.desk()?.spm_report(program, year)?.to_csv())
}

/// The user's downloads folder: `$XDG_DOWNLOAD_DIR`, else `~/Downloads`.
fn downloads_dir() -> std::path::PathBuf {
    std::env::var_os("XDG_DOWNLOAD_DIR")
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join("Downloads")))
        .unwrap_or_else(|| loket_store::paths::app_data_dir().join("exports"))
}

/// Saves the report as CSV in the downloads folder; returns the file's path for the clerk.
#[tauri::command]
#[specta::specta]
pub fn spm_export_csv(state: State<'_, AppState>, program: Program, year: i32) -> Result<String, Error> {
    let path = state.desk()?.spm_export_csv(program, year, &downloads_dir())?;
    Ok(path.display().to_string())
}
