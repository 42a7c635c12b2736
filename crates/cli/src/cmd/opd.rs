use std::path::Path;
use std::sync::Arc;

use clap::{Args, Subcommand};
use loket_core::opd::{Jenis, SessionId, SlotId, Source, TokenId};
use loket_core::patient::PatientDetails;
use loket_core::Result;
use loket_service::opd::{NewSession, TokenAction, TokenRequest};
use loket_service::{Desk, FixedClock};
use serde_json::json;

use crate::output::Output;

#[derive(Subcommand)]
pub enum OpdCommand {
    /// Practice sessions.
    #[command(subcommand)]
    Session(SessionCommand),
    /// Queue tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Slots.
    #[command(subcommand)]
    Slot(SlotCommand),
    /// The event log, of one session or all.
    Events {
        #[arg(long)]
        session: Option<i64>,
    },
    /// Rebuild every session from its log and compare with the stored queue.
    Replay {
        #[arg(long)]
        check: bool,
    },
    /// Play a whole OPD day through the same use cases and check the invariants.
    Simulate {
        #[arg(long, default_value_t = 3)]
        doctors: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        date: Option<String>,
        /// Write into the --db database instead of a throw-away in-memory one.
        #[arg(long)]
        persist: bool,
    },
}

#[derive(Subcommand)]
pub enum SessionCommand {
    /// Open a practice session by hand.
    Add {
        #[arg(long)]
        doctor: String,
        #[arg(long = "doctor-name")]
        doctor_name: String,
        #[arg(long)]
        poli: String,
        #[arg(long)]
        date: String,
        #[arg(long)]
        jam: String,
        #[arg(long)]
        capacity: u32,
        #[arg(long = "slot-minutes")]
        slot_minutes: Option<u32>,
        #[arg(long)]
        at: Option<String>,
    },
    /// A session with its slots and tokens.
    Show { session_id: i64 },
    /// The sessions of a date.
    List {
        #[arg(long)]
        date: String,
        #[arg(long)]
        poli: Option<String>,
    },
}

#[derive(Args)]
pub struct At {
    /// The command's time (RFC 3339); default now.
    #[arg(long)]
    at: Option<String>,
}

/// What BPJS needs about the patient (all optional: a token is issued without them and its BPJS
/// item waits until they are completed with `loket opd token details`).
#[derive(Args, Debug, Default)]
pub struct PatientArgs {
    /// BPJS card number (13 digits), JKN only.
    #[arg(long)]
    nomorkartu: Option<String>,
    /// NIK (16 digits).
    #[arg(long)]
    nik: Option<String>,
    /// Phone number.
    #[arg(long)]
    nohp: Option<String>,
    /// 1 rujukan FKTP, 2 rujukan internal, 3 kontrol, 4 rujukan antar RS.
    #[arg(long)]
    jeniskunjungan: Option<u8>,
    /// Referral or control-letter number.
    #[arg(long)]
    nomorreferensi: Option<String>,
    /// A new patient at this hospital.
    #[arg(long = "pasien-baru")]
    pasien_baru: bool,
}

impl PatientArgs {
    fn details(self, norm: Option<String>) -> PatientDetails {
        PatientDetails {
            nomorkartu: self.nomorkartu,
            nik: self.nik,
            nohp: self.nohp,
            jeniskunjungan: self.jeniskunjungan,
            nomorreferensi: self.nomorreferensi,
            pasien_baru: self.pasien_baru,
            norm,
        }
    }
}

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Issue a token.
    Request {
        #[arg(long)]
        session: i64,
        #[arg(long)]
        slot: Option<i64>,
        #[arg(long)]
        source: String,
        #[arg(long)]
        paid: bool,
        #[arg(long, default_value = "jkn")]
        jenis: String,
        #[arg(long)]
        norm: Option<String>,
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        patient: PatientArgs,
        #[command(flatten)]
        at: At,
    },
    /// Complete the patient details BPJS needs for a token already issued.
    Details {
        token_id: i64,
        #[command(flatten)]
        patient: PatientArgs,
    },
    Cancel {
        token_id: i64,
        #[arg(long)]
        reason: Option<String>,
        #[command(flatten)]
        at: At,
    },
    #[command(name = "no-show")]
    NoShow {
        token_id: i64,
        #[command(flatten)]
        at: At,
    },
    Call {
        token_id: i64,
        #[command(flatten)]
        at: At,
    },
    Complete {
        token_id: i64,
        #[command(flatten)]
        at: At,
    },
    /// Print (or with --preview only show) the token's queue ticket.
    Print {
        token_id: i64,
        #[arg(long)]
        preview: bool,
    },
}

#[derive(Subcommand)]
pub enum SlotCommand {
    /// Change one slot's capacity.
    Capacity {
        slot_id: i64,
        capacity: u32,
        #[command(flatten)]
        at: At,
    },
}

fn with_at(desk: &mut Desk, at: Option<&str>) -> Result<()> {
    if let Some(at) = at {
        desk.set_clock(Arc::new(FixedClock(loket_core::time::parse_instant(at)?)));
    }
    Ok(())
}

pub fn run(cmd: OpdCommand, db: &Path, out: &Output) -> Result<()> {
    if let OpdCommand::Simulate {
        doctors,
        seed,
        date,
        persist,
    } = cmd
    {
        let mut desk = if persist {
            super::open(db)?
        } else {
            Desk::in_memory(Arc::new(loket_service::SystemClock))?
        };
        let summary = loket_service::simulate::run(&mut desk, doctors, seed, date.as_deref())?;
        out.print(&summary, || summary.to_text());
        return if summary.ok {
            Ok(())
        } else {
            Err(loket_core::Error::internal("Simulasi menemukan pelanggaran invarian."))
        };
    }
    let mut desk = super::open(db)?;
    match cmd {
        OpdCommand::Session(SessionCommand::Add {
            doctor,
            doctor_name,
            poli,
            date,
            jam,
            capacity,
            slot_minutes,
            at,
        }) => {
            with_at(&mut desk, at.as_deref())?;
            let opened = desk.opd_add_session(&NewSession {
                doctor_code: doctor,
                doctor_name,
                poli_code: poli,
                date,
                jam,
                capacity,
                slot_minutes,
            })?;
            out.print(&opened, || {
                let slots: Vec<String> = opened
                    .slots
                    .iter()
                    .map(|s| {
                        format!(
                            "  slot {} {}-{} kapasitas {}",
                            s.slot_id, s.start_label, s.end_label, s.capacity
                        )
                    })
                    .collect();
                format!("sesi {} dibuka\n{}", opened.session_id, slots.join("\n"))
            });
        }
        OpdCommand::Session(SessionCommand::Show { session_id }) => {
            let view = desk.opd_session(SessionId(session_id))?;
            out.print(&view, || {
                let mut lines = vec![format!(
                    "sesi {} · {} {} · poli {} · {} {}",
                    view.session.session_id,
                    view.session.doctor_code,
                    view.session.doctor_name,
                    view.session.poli_code,
                    view.session.date,
                    view.session.jam
                )];
                for s in &view.slots {
                    lines.push(format!(
                        "slot {} {}-{}: {}/{} terisi, {} menunggu",
                        s.slot_id, s.start_label, s.end_label, s.occupied, s.capacity, s.waitlisted
                    ));
                    for t in &s.tokens {
                        let pos = t
                            .position
                            .map(|p| format!("#{p}"))
                            .or(t.waitlist_position.map(|p| format!("tunggu #{p}")))
                            .unwrap_or_default();
                        lines.push(format!(
                            "  {} [{}] {} {} {}",
                            t.code,
                            t.token_id,
                            t.status.as_str(),
                            t.source.as_str(),
                            pos
                        ));
                    }
                }
                lines.join("\n")
            });
        }
        OpdCommand::Session(SessionCommand::List { date, poli }) => {
            let rows = desk.opd_sessions(&date, poli.as_deref())?;
            out.print(&rows, || {
                rows.iter()
                    .map(|r| {
                        format!(
                            "{} {} {} {} {} {}/{}",
                            r.session_id, r.poli_code, r.doctor_code, r.doctor_name, r.jam, r.occupied, r.capacity
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        OpdCommand::Token(TokenCommand::Print { token_id, preview }) => {
            if preview {
                let p = desk.opd_ticket(TokenId(token_id))?;
                out.print(&p, || p.lines.join("\n"));
            } else {
                let p = desk.opd_print_ticket(TokenId(token_id))?;
                out.print(&p, || format!("karcis dikirim ke {} ({} byte)", p.device, p.bytes));
            }
        }
        OpdCommand::Token(t) => {
            let outcome = match t {
                TokenCommand::Request {
                    session,
                    slot,
                    source,
                    paid,
                    jenis,
                    norm,
                    name,
                    patient,
                    at,
                } => {
                    with_at(&mut desk, at.at.as_deref())?;
                    desk.opd_request_token(&TokenRequest {
                        session_id: SessionId(session),
                        slot_id: slot.map(SlotId),
                        source: source.parse::<Source>()?,
                        paid,
                        jenis: jenis.parse::<Jenis>()?,
                        patient: patient.details(norm.clone()),
                        norm,
                        name,
                    })?
                }
                TokenCommand::Details { token_id, patient } => {
                    let outcome = desk.opd_token_details(TokenId(token_id), &patient.details(None))?;
                    let missing = &outcome.missing;
                    let doc = json!({ "token_id": token_id, "sent_to_bpjs": outcome.sent_to_bpjs, "missing": missing });
                    out.print(&doc, || {
                        if !outcome.sent_to_bpjs {
                            format!("data pasien token {token_id} disimpan (antrean ini tidak dikirim ke BPJS)")
                        } else if missing.is_empty() {
                            format!("data pasien token {token_id} lengkap untuk BPJS")
                        } else {
                            format!(
                                "data pasien token {token_id} disimpan; masih kurang: {}",
                                missing.join(", ")
                            )
                        }
                    });
                    return Ok(());
                }
                TokenCommand::Cancel { token_id, reason, at } => {
                    action(&mut desk, token_id, TokenAction::Cancel, reason, at)?
                }
                TokenCommand::NoShow { token_id, at } => action(&mut desk, token_id, TokenAction::NoShow, None, at)?,
                TokenCommand::Call { token_id, at } => action(&mut desk, token_id, TokenAction::Call, None, at)?,
                TokenCommand::Complete { token_id, at } => {
                    action(&mut desk, token_id, TokenAction::Complete, None, at)?
                }
                TokenCommand::Print { .. } => unreachable!("handled above"),
            };
            out.print(&outcome, || {
                let place = match (outcome.position, outcome.waitlist_position) {
                    (Some(p), _) => format!(", urutan {p}"),
                    (_, Some(w)) => format!(", daftar tunggu {w}"),
                    _ => String::new(),
                };
                let alert = if outcome.emergency_unplaced {
                    "\nPERINGATAN: pasien gawat darurat belum mendapat tempat."
                } else {
                    ""
                };
                format!(
                    "{} (token {}) {} di slot {}{place}{alert}",
                    outcome.code,
                    outcome.token_id,
                    outcome.status.as_str(),
                    outcome.slot_id
                )
            });
        }
        OpdCommand::Slot(SlotCommand::Capacity { slot_id, capacity, at }) => {
            with_at(&mut desk, at.at.as_deref())?;
            let view = desk.opd_set_slot_capacity(SlotId(slot_id), capacity)?;
            let slot = view.slots.iter().find(|s| s.slot_id.0 == slot_id).cloned();
            out.print(&json!({ "session_id": view.session.session_id, "slot": slot }), || {
                slot.as_ref()
                    .map(|s| {
                        format!(
                            "slot {} kapasitas {} ({} terisi, {} menunggu)",
                            s.slot_id, s.capacity, s.occupied, s.waitlisted
                        )
                    })
                    .unwrap_or_default()
            });
        }
        OpdCommand::Events { session } => {
            let records = desk.opd_event_records(session.map(SessionId))?;
            out.print(&records, || {
                records
                    .iter()
                    .map(|r| {
                        format!(
                            "#{} {} sesi {} {} {}/{} {}",
                            r.seq,
                            loket_core::time::format_wib(r.at),
                            r.session_id,
                            r.kind,
                            r.desk_id,
                            r.clerk,
                            serde_json::to_string(&r.event).unwrap_or_default()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        OpdCommand::Replay { check: _ } => {
            let report = desk.opd_replay_check()?;
            out.print(&report, || {
                let head = format!(
                    "{} sesi, {} peristiwa, {} token diputar ulang",
                    report.sessions, report.events, report.tokens
                );
                if report.ok {
                    format!("{head}: cocok dengan antrean tersimpan")
                } else {
                    format!("{head}\nTIDAK COCOK:\n{}", report.mismatches.join("\n"))
                }
            });
            if !report.ok {
                return Err(loket_core::Error::new(
                    loket_core::ErrorCode::Integrity,
                    "Antrean tersimpan tidak cocok dengan log peristiwa.",
                ));
            }
        }
        OpdCommand::Simulate { .. } => unreachable!("handled above"),
    }
    Ok(())
}

fn action(
    desk: &mut Desk,
    token_id: i64,
    action: TokenAction,
    reason: Option<String>,
    at: At,
) -> Result<loket_service::opd::TokenOutcome> {
    with_at(desk, at.at.as_deref())?;
    desk.opd_token_action(TokenId(token_id), action, reason)
}
