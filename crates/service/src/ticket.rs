//! Queue tickets: what a token's ticket says, and sending it to the configured printer.

use std::io::Write;

use chrono::Duration;
use loket_core::opd::{session_view, Status, TokenId};
use loket_core::ticket::{self, Paper, Ticket};
use loket_core::time::format_wib;
use loket_core::{Error, Result};
use loket_store::opd as repo;
use serde::{Deserialize, Serialize};

use crate::Desk;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TicketPreview {
    pub ticket: Ticket,
    pub paper: Paper,
    /// The ticket as it prints, one string per line.
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PrintOutcome {
    pub device: String,
    pub bytes: u32,
}

impl Desk {
    pub fn opd_ticket(&self, token_id: TokenId) -> Result<TicketPreview> {
        let settings = self.settings()?;
        let session_id = repo::session_of_token(self.store.conn(), token_id)?
            .ok_or_else(|| Error::not_found(format!("Token {token_id} tidak ditemukan.")))?;
        let state = repo::load_session(self.store.conn(), session_id)?
            .ok_or_else(|| Error::not_found(format!("Sesi praktik {session_id} tidak ditemukan.")))?;
        let view = session_view(&state);
        let (slot, token) = view
            .slots
            .iter()
            .find_map(|s| s.tokens.iter().find(|t| t.token_id == token_id).map(|t| (s, t)))
            .ok_or_else(|| Error::not_found(format!("Token {token_id} tidak ditemukan.")))?;
        let poli_name = settings
            .polis
            .iter()
            .find(|p| p.kode == view.session.poli_code)
            .map(|p| p.nama.clone());
        let estimate = match (token.status, token.position) {
            (Status::Confirmed, Some(p)) => {
                let at = slot.start
                    + Duration::minutes(
                        i64::from(settings.minutes_per_patient_of(&view.session.poli_code)) * i64::from(p - 1),
                    );
                Some(format!("{} WIB", loket_core::opd::wib_hhmm(at)))
            }
            _ => None,
        };
        let t = Ticket {
            hospital_name: settings.hospital_name.clone(),
            poli: match poli_name {
                Some(n) => format!("{} {n}", view.session.poli_code),
                None => view.session.poli_code.clone(),
            },
            doctor_name: view.session.doctor_name.clone(),
            code: token.code.clone(),
            date_label: view.session.date.format("%d/%m/%Y").to_string(),
            slot_label: format!("{}-{}", slot.start_label, slot.end_label),
            estimate_label: estimate,
            jenis_label: token.jenis.label().to_string(),
            status_label: token.status.label().to_string(),
        };
        let lines = ticket::lines(&t, settings.printer_paper);
        Ok(TicketPreview {
            ticket: t,
            paper: settings.printer_paper,
            lines,
        })
    }

    /// Sends the ticket as ESC/POS to the configured printer device (or file, appended).
    pub fn opd_print_ticket(&self, token_id: TokenId) -> Result<PrintOutcome> {
        let device = self.settings()?.printer_device;
        if device.is_empty() {
            return Err(Error::invalid(
                "Printer karcis belum diatur. Isi \"Printer karcis\" di Pengaturan atau cetak lewat dialog cetak.",
            ));
        }
        let preview = self.opd_ticket(token_id)?;
        let bytes = ticket::escpos(&preview.ticket, preview.paper);
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(&device)
            .map_err(|e| {
                Error::new(
                    loket_core::ErrorCode::Storage,
                    format!("Printer {device} tidak dapat dibuka: {e}"),
                )
            })?;
        f.write_all(&bytes).and_then(|_| f.flush()).map_err(|e| {
            Error::new(
                loket_core::ErrorCode::Storage,
                format!("Gagal mengirim karcis ke {device}: {e}"),
            )
        })?;
        tracing::info!(token_id = %token_id, bytes = bytes.len(), at = %format_wib(self.now()), "ticket printed");
        Ok(PrintOutcome {
            device,
            bytes: bytes.len() as u32,
        })
    }
}
