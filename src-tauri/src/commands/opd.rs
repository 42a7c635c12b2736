use loket_core::opd::{SessionId, SessionView, SlotId, TokenId};
use loket_core::Error;
use loket_service::opd::{
    EventLine, NewSession, SessionOpened, SessionSummary, TokenAction, TokenOutcome, TokenRequest,
};
use tauri::{AppHandle, State};
use tauri_specta::Event as _;

use crate::events::{notify, notify_alerts, QueueChanged};
use crate::AppState;

#[tauri::command]
#[specta::specta]
pub fn opd_sessions(
    state: State<'_, AppState>,
    date: String,
    poli: Option<String>,
) -> Result<Vec<SessionSummary>, Error> {
    state.desk()?.opd_sessions(&date, poli.as_deref())
}

#[tauri::command]
#[specta::specta]
pub fn opd_session(state: State<'_, AppState>, session_id: SessionId) -> Result<SessionView, Error> {
    state.desk()?.opd_session(session_id)
}

#[tauri::command]
#[specta::specta]
pub fn opd_events(state: State<'_, AppState>, session_id: SessionId) -> Result<Vec<EventLine>, Error> {
    state.desk()?.opd_event_lines(session_id)
}

#[tauri::command]
#[specta::specta]
pub fn opd_add_session(app: AppHandle, state: State<'_, AppState>, input: NewSession) -> Result<SessionOpened, Error> {
    let opened = state.desk()?.opd_add_session(&input)?;
    QueueChanged {
        session_id: opened.session_id,
    }
    .emit(&app)
    .ok();
    Ok(opened)
}

#[tauri::command]
#[specta::specta]
pub fn opd_request_token(
    app: AppHandle,
    state: State<'_, AppState>,
    request: TokenRequest,
) -> Result<TokenOutcome, Error> {
    let outcome = {
        let mut desk = state.desk()?;
        let outcome = desk.opd_request_token(&request)?;
        notify_alerts(&app, &mut desk);
        outcome
    };
    if outcome.emergency_unplaced {
        notify(
            &app,
            "Gawat darurat belum mendapat tempat",
            &format!(
                "Antrean {} menunggu di daftar tunggu; atur kapasitas slot.",
                outcome.code
            ),
        );
    }
    QueueChanged {
        session_id: outcome.session_id,
    }
    .emit(&app)
    .ok();
    Ok(outcome)
}

#[tauri::command]
#[specta::specta]
pub fn opd_token_action(
    app: AppHandle,
    state: State<'_, AppState>,
    token_id: TokenId,
    action: TokenAction,
    reason: Option<String>,
) -> Result<TokenOutcome, Error> {
    let outcome = {
        let mut desk = state.desk()?;
        let outcome = desk.opd_token_action(token_id, action, reason)?;
        notify_alerts(&app, &mut desk);
        outcome
    };
    QueueChanged {
        session_id: outcome.session_id,
    }
    .emit(&app)
    .ok();
    Ok(outcome)
}

#[tauri::command]
#[specta::specta]
pub fn opd_set_slot_capacity(
    app: AppHandle,
    state: State<'_, AppState>,
    slot_id: SlotId,
    capacity: u32,
) -> Result<SessionView, Error> {
    let view = state.desk()?.opd_set_slot_capacity(slot_id, capacity)?;
    QueueChanged {
        session_id: view.session.session_id,
    }
    .emit(&app)
    .ok();
    Ok(view)
}

#[tauri::command]
#[specta::specta]
pub fn opd_ticket(
    state: State<'_, AppState>,
    token_id: TokenId,
) -> Result<loket_service::ticket::TicketPreview, Error> {
    state.desk()?.opd_ticket(token_id)
}

#[tauri::command]
#[specta::specta]
pub fn opd_print_ticket(
    state: State<'_, AppState>,
    token_id: TokenId,
) -> Result<loket_service::ticket::PrintOutcome, Error> {
    state.desk()?.opd_print_ticket(token_id)
}
