//! Saldo: a patient's deposit balance, monthly statement and the month's transactions.

use loket_core::balance::YearMonth;
use loket_core::Error;
use loket_service::balance::{BalanceStatement, BalanceTransactions, CurrentBalance};
use loket_store::balance::{PatientHit, UnpricedRow};
use tauri::State;

use crate::AppState;

fn month(m: Option<String>) -> Result<Option<YearMonth>, Error> {
    m.filter(|s| !s.trim().is_empty())
        .map(|s| YearMonth::parse(&s))
        .transpose()
}

/// Patients by no RM prefix or a part of the name.
#[tauri::command]
#[specta::specta]
pub fn balance_search(state: State<'_, AppState>, query: String) -> Result<Vec<PatientHit>, Error> {
    state.desk()?.balance_search(&query)
}

/// The monthly statement (one month, or every month).
#[tauri::command]
#[specta::specta]
pub fn balance_show(
    state: State<'_, AppState>,
    no_rm: String,
    month: Option<String>,
) -> Result<BalanceStatement, Error> {
    state.desk()?.balance_show(&no_rm, self::month(month)?)
}

/// The charge items of a month with the tariff used.
#[tauri::command]
#[specta::specta]
pub fn balance_transactions(
    state: State<'_, AppState>,
    no_rm: String,
    month: Option<String>,
) -> Result<BalanceTransactions, Error> {
    state.desk()?.balance_transactions(&no_rm, self::month(month)?)
}

/// The balance now (latest closing), for the Antrean screen; `None` when unknown.
#[tauri::command]
#[specta::specta]
pub fn balance_current(state: State<'_, AppState>, no_rm: String) -> Result<Option<CurrentBalance>, Error> {
    state.desk()?.balance_current(&no_rm)
}

/// Charge items that cannot be priced yet.
#[tauri::command]
#[specta::specta]
pub fn balance_unpriced(state: State<'_, AppState>) -> Result<Vec<UnpricedRow>, Error> {
    state.desk()?.balance_unpriced()
}
