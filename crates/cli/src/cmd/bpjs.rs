//! `loket bpjs …`: BPJS Antrean RS credentials, connection test, reference data, schedules,
//! and decoding a captured response.
//!
//! ```text
//! loket bpjs credentials set --cons-id ID --user-key KEY --secret-stdin [--env dev|production] [--url BASE_URL]
//! loket bpjs credentials show
//! loket bpjs decode --cons-id ID --secret S --timestamp T [FILE|-]
//! loket bpjs ping | ref poli | ref dokter | jadwal --poli KODE --date YYYY-MM-DD  [--bpjs-url URL]
//! ```
//!
//! Exit codes: 0 success; 1 BPJS unreachable or refused (`ping`: the test failed); 2 invalid
//! input; 3 no credentials yet. `decode`: 2 bad arguments or unreadable input, 3 file not
//! found, 10 not a BPJS JSON envelope, 11 `response` not Base64/whole AES blocks, 12 wrong
//! cons id/secret/timestamp (padding), 13 not an LZ-string stream, 14 payload not JSON.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Subcommand};
use loket_core::{Error, Result};
use loket_service::bpjs::{decode_captured, BpjsConnection, DecodeReason};
use loket_service::credentials::{BpjsEnv, CredentialsInput, CredentialsView, StorageKind};
use loket_service::Desk;
use serde_json::json;

use crate::output::Output;

#[derive(Args)]
pub struct BpjsArgs {
    /// Base URL to call instead of the stored one (e.g. a loket-sim: http://127.0.0.1:8080/antreanrs_dev).
    #[arg(long = "bpjs-url", global = true, value_name = "URL")]
    bpjs_url: Option<String>,
    /// Timeout of one BPJS request, in seconds (default 15; `ping` at most 10).
    #[arg(long = "bpjs-timeout", global = true, value_name = "SECS")]
    bpjs_timeout: Option<u64>,
    #[command(subcommand)]
    command: BpjsCommand,
}

#[derive(Subcommand)]
enum BpjsCommand {
    /// The BPJS credentials of this database (kept outside it, in the OS secret store or an owner-only file).
    #[command(subcommand)]
    Credentials(CredentialsCommand),
    /// Decode a captured response body (FILE, or `-`/nothing for stdin) and print its JSON.
    Decode {
        #[arg(long = "cons-id")]
        cons_id: String,
        #[arg(long)]
        secret: String,
        /// The request's X-timestamp, exactly as sent (Unix seconds).
        #[arg(long)]
        timestamp: String,
        file: Option<PathBuf>,
    },
    /// Test the connection: call ref/poli and say what happened (exit 1 when it failed).
    Ping,
    /// Reference data.
    #[command(subcommand)]
    Ref(RefCommand),
    /// Doctors' practice slots of a poli on a date.
    Jadwal {
        /// Sub-speciality code, e.g. ANA or 027.
        #[arg(long)]
        poli: String,
        /// YYYY-MM-DD.
        #[arg(long)]
        date: String,
    },
}

#[derive(Subcommand)]
enum CredentialsCommand {
    /// Store credentials. The secret is read from stdin; without --secret-stdin the stored one is kept.
    Set {
        #[arg(long = "cons-id")]
        cons_id: String,
        #[arg(long = "user-key")]
        user_key: String,
        /// Read the consumer secret from standard input (one line).
        #[arg(long = "secret-stdin")]
        secret_stdin: bool,
        /// dev or production (default: as stored, else dev).
        #[arg(long)]
        env: Option<String>,
        /// Base URL (default: the environment's published URL).
        #[arg(long)]
        url: Option<String>,
    },
    /// Cons ID, environment, URL and where they are kept; never the secret or the key in full.
    Show,
}

#[derive(Subcommand)]
enum RefCommand {
    /// ref/poli: polyclinics and sub-specialities.
    Poli,
    /// ref/dokter: doctors registered in HFIS.
    Dokter,
}

pub fn run(args: BpjsArgs, db: &Path, out: &Output) -> ExitCode {
    if let BpjsCommand::Decode {
        cons_id,
        secret,
        timestamp,
        file,
    } = &args.command
    {
        return decode(cons_id, secret, timestamp, file.as_deref(), out);
    }
    match run_desk(args, db, out) {
        Ok(code) => code,
        Err(e) => out.error(&e),
    }
}

fn run_desk(args: BpjsArgs, db: &Path, out: &Output) -> Result<ExitCode> {
    let mut desk = super::open(db)?;
    let url = args.bpjs_url.as_deref();
    let connect = |desk: &Desk| -> Result<BpjsConnection> {
        let conn = desk.bpjs_connection(url)?;
        Ok(match args.bpjs_timeout {
            Some(secs) => conn.with_timeout(Duration::from_secs(secs.max(1))),
            None => conn,
        })
    };
    match args.command {
        BpjsCommand::Credentials(CredentialsCommand::Set {
            cons_id,
            user_key,
            secret_stdin,
            env,
            url,
        }) => {
            let secret = if secret_stdin { Some(read_secret()?) } else { None };
            let input = CredentialsInput {
                cons_id,
                secret,
                user_key: Some(user_key),
                env: env.as_deref().map(BpjsEnv::parse).transpose()?,
                base_url: url,
            };
            let view = desk.bpjs_set_credentials(&input)?;
            out.print(&view, || format!("Kredensial BPJS tersimpan.\n{}", describe(&view)));
        }
        BpjsCommand::Credentials(CredentialsCommand::Show) => {
            let view = desk.bpjs_credentials_view()?;
            out.print(&view, || describe(&view));
        }
        BpjsCommand::Ping => {
            let outcome = connect(&desk)?.test();
            out.print(&outcome, || {
                format!(
                    "{} {}\n  {} ({}), {} ms",
                    if outcome.ok { "OK:" } else { "GAGAL:" },
                    outcome.message,
                    outcome.base_url,
                    outcome.env.as_str(),
                    outcome.elapsed_ms
                )
            });
            return Ok(if outcome.ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            });
        }
        BpjsCommand::Ref(RefCommand::Poli) => {
            let polis = connect(&desk)?.ref_poli()?;
            out.print(&polis, || {
                table(
                    &["KDPOLI", "NMPOLI", "KDSUB", "NMSUBSPESIALIS"],
                    polis
                        .iter()
                        .map(|p| {
                            vec![
                                p.kdpoli.clone(),
                                p.nmpoli.clone(),
                                p.kdsubspesialis.clone(),
                                p.nmsubspesialis.clone(),
                            ]
                        })
                        .collect(),
                )
            });
        }
        BpjsCommand::Ref(RefCommand::Dokter) => {
            let dokter = connect(&desk)?.ref_dokter()?;
            out.print(&dokter, || {
                table(
                    &["KODE", "NAMA"],
                    dokter
                        .iter()
                        .map(|d| vec![d.kodedokter.to_string(), d.namadokter.clone()])
                        .collect(),
                )
            });
        }
        BpjsCommand::Jadwal { poli, date } => {
            let slots = connect(&desk)?.jadwal(&poli, &date)?;
            out.print(&slots, || {
                if slots.is_empty() {
                    return format!(
                        "Tidak ada jadwal poli {} pada {}.",
                        poli.trim().to_uppercase(),
                        date.trim()
                    );
                }
                table(
                    &["DOKTER", "NAMA", "SUB", "JAM", "KAPASITAS", "LIBUR"],
                    slots
                        .iter()
                        .map(|s| {
                            vec![
                                s.kodedokter.to_string(),
                                s.namadokter.clone(),
                                s.kodesubspesialis.clone(),
                                s.jampraktek(),
                                s.kapasitaspasien.to_string(),
                                if s.is_libur() { "libur".into() } else { String::new() },
                            ]
                        })
                        .collect(),
                )
            });
        }
        BpjsCommand::Decode { .. } => unreachable!("handled before opening the database"),
    }
    Ok(ExitCode::SUCCESS)
}

/// One line from stdin (a terminal: typed, then Enter), without its line ending.
fn read_secret() -> Result<String> {
    let stdin = std::io::stdin();
    let mut text = String::new();
    if stdin.is_terminal() {
        eprint!("Secret BPJS (akhiri dengan Enter): ");
        stdin
            .read_line(&mut text)
            .map_err(|e| Error::invalid(format!("Secret tidak dapat dibaca dari stdin: {e}")))?;
    } else {
        stdin
            .lock()
            .take(64 * 1024)
            .read_to_string(&mut text)
            .map_err(|e| Error::invalid(format!("Secret tidak dapat dibaca dari stdin: {e}")))?;
    }
    let line = text.strip_suffix('\n').unwrap_or(&text);
    let line = line.strip_suffix('\r').unwrap_or(line);
    if line.is_empty() {
        return Err(Error::invalid("Secret wajib diisi: kirim lewat stdin, misalnya `printf '%s' \"$SECRET\" | loket bpjs credentials set … --secret-stdin`."));
    }
    if line.contains('\n') {
        return Err(Error::invalid("Secret harus satu baris."));
    }
    Ok(line.to_string())
}

fn describe(v: &CredentialsView) -> String {
    if !v.configured {
        return "Kredensial BPJS belum diatur (loket bpjs credentials set …).".into();
    }
    let storage = match v.storage {
        StorageKind::File => format!("berkas khusus pemilik ({})", v.storage_detail),
        _ => v.storage_detail.clone(),
    };
    format!(
        "cons_id     {}\nlingkungan  {}\nurl         {}\nsecret      {}\nuser_key    {}\ntersimpan   {}{}",
        v.cons_id,
        v.env.as_str(),
        v.base_url,
        v.secret_masked,
        v.user_key_masked,
        storage,
        v.saved_at
            .as_deref()
            .map(|t| format!("\ndisimpan    {t}"))
            .unwrap_or_default()
    )
}

fn table(header: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    let mut lines = vec![line(header.iter().map(|h| h.to_string()).collect())];
    lines.extend(rows.into_iter().map(line));
    lines.join("\n")
}

fn decode_exit(reason: DecodeReason) -> u8 {
    match reason {
        DecodeReason::Input => 2,
        DecodeReason::NotEnvelope => 10,
        DecodeReason::Ciphertext => 11,
        DecodeReason::WrongKey => 12,
        DecodeReason::Decompress => 13,
        DecodeReason::NotJson => 14,
    }
}

fn decode(cons_id: &str, secret: &str, timestamp: &str, file: Option<&Path>, out: &Output) -> ExitCode {
    let body = match file.filter(|f| f.as_os_str() != "-") {
        Some(path) => std::fs::read(path).map_err(|e| {
            let msg = format!("Berkas {} tidak dapat dibaca: {e}", path.display());
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::not_found(msg)
            } else {
                Error::invalid(msg)
            }
        }),
        None => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map(|_| buf)
                .map_err(|e| Error::invalid(format!("stdin tidak dapat dibaca: {e}")))
        }
    };
    let body = match body {
        Ok(b) => b,
        Err(e) => return out.error(&e),
    };
    match decode_captured(cons_id, secret, timestamp, &body) {
        Ok(d) => {
            let shown = match &d.response {
                Some(v) => v.clone(),
                None => json!({ "code": d.code, "message": d.message }),
            };
            if out.json {
                let doc = json!({ "metadata": { "code": d.code, "message": d.message }, "response": d.response });
                println!("{}", serde_json::to_string_pretty(&doc).expect("JSON value"));
            } else {
                println!("{}", serde_json::to_string_pretty(&shown).expect("JSON value"));
            }
            ExitCode::SUCCESS
        }
        Err(f) => {
            if out.json {
                eprintln!(
                    "{}",
                    json!({ "error": { "code": "decode", "reason": f.reason, "message": f.message } })
                );
            } else {
                eprintln!("galat (decode): {}", f.message);
            }
            ExitCode::from(decode_exit(f.reason))
        }
    }
}
