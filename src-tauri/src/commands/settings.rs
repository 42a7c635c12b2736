use loket_core::settings::Settings;
use loket_core::Error;
use tauri::State;

use crate::AppState;

#[tauri::command]
#[specta::specta]
pub fn get_settings(state: State<'_, AppState>) -> Result<Settings, Error> {
    state.desk()?.settings()
}

#[tauri::command]
#[specta::specta]
pub fn set_setting(state: State<'_, AppState>, key: String, value: String) -> Result<Settings, Error> {
    state.desk()?.set_setting(&key, &value)
}
