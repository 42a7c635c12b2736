//! `loket outbox …`: the durable queue of requests to BPJS Antrean RS.
//!
//! ```text
//! loket outbox status [--limit N] [--json]
//! loket outbox retry ITEM_ID
//! loket outbox run-once [--bpjs-url URL]
//! ```
//!
//! `run-once` sends everything due now and exits 0 (items that must wait for a retry stay
//! queued); it exits 3 when no BPJS credentials are stored.

use std::path::Path;

use clap::Subcommand;
use loket_core::Result;
use loket_service::outbox::{run_once, OutboxSender};

use crate::output::Output;

#[derive(Subcommand)]
pub enum OutboxCommand {
    /// Counts (pending, incomplete, sent, failed) and the items, unsent first.
    Status {
        #[arg(long, default_value_t = 200)]
        limit: u32,
    },
    /// Send a failed item again (or one waiting for its next attempt, now).
    Retry { item_id: i64 },
    /// Send every item that is due, booking by booking in order.
    #[command(name = "run-once")]
    RunOnce {
        /// Base URL to call instead of the stored one (e.g. a loket-sim).
        #[arg(long = "bpjs-url", value_name = "URL")]
        bpjs_url: Option<String>,
    },
}

pub fn run(c: OutboxCommand, db: &Path, out: &Output) -> Result<()> {
    let mut desk = super::open(db)?;
    match c {
        OutboxCommand::Status { limit } => {
            let s = desk.outbox_status(limit)?;
            out.print(&s, || {
                let m = &s.summary;
                let mut lines = vec![format!(
                    "menunggu {}, data kurang {}, terkirim {}, gagal {}",
                    m.pending, m.incomplete, m.sent, m.failed
                )];
                for it in &s.items {
                    let mut line = format!("#{} {} {} [{}]", it.id, it.kodebooking, it.what, it.state);
                    if !it.missing.is_empty() {
                        line.push_str(&format!(" kurang: {}", it.missing.join(", ")));
                    }
                    if let Some(msg) = &it.last_message {
                        line.push_str(&format!(" — {msg}"));
                    }
                    lines.push(line);
                }
                lines.join("\n")
            });
        }
        OutboxCommand::Retry { item_id } => {
            let it = desk.outbox_retry(item_id)?;
            out.print(&it, || format!("item #{} dijadwalkan kirim ulang", it.id));
        }
        OutboxCommand::RunOnce { bpjs_url } => {
            let conn = desk.bpjs_connection(bpjs_url.as_deref())?;
            let sender = OutboxSender::new(&conn)?;
            let r = run_once(&mut desk, &sender)?;
            let summary = desk.outbox_summary()?;
            let doc = serde_json::json!({ "run": r, "summary": summary });
            out.print(&doc, || {
                format!(
                    "{} dikirim: {} diterima, {} dicoba lagi nanti, {} ditolak. Sisa: menunggu {}, data kurang {}, gagal {}.",
                    r.attempted, r.sent, r.retry_later, r.failed, summary.pending, summary.incomplete, summary.failed
                )
            });
        }
    }
    Ok(())
}
