//! `loket`: Loket's use cases on the command line, for hospital IT staff and scripts.
//! Every subcommand is an adapter over `loket-service`; `--json` prints one JSON document on
//! stdout; errors go to stderr with a non-zero exit code.

mod cmd;
mod output;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "loket",
    version,
    about = "Loket: the outpatient registration desk, on the command line"
)]
pub struct Cli {
    /// Database file (default: $LOKET_DB, else the app-data folder).
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Print one JSON document on stdout.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Database: migrate, check, backup.
    #[command(subcommand)]
    Db(cmd::db::DbCommand),
    /// Desk settings.
    #[command(subcommand)]
    Settings(cmd::settings::SettingsCommand),
    /// OPD queue: sessions, tokens, slots, the event log.
    #[command(subcommand)]
    Opd(cmd::opd::OpdCommand),
    /// BPJS Antrean RS: credentials, connection test, reference data, schedules, decode.
    Bpjs(cmd::bpjs::BpjsArgs),
    /// Kuota: HFIS schedule snapshots and real-time JKN/non-JKN quota.
    #[command(subcommand)]
    Quota(cmd::quota::QuotaCommand),
    /// Outbox: the requests waiting to go to BPJS (status, retry, run once).
    #[command(subcommand)]
    Outbox(cmd::outbox::OutboxCommand),
    /// Sinkronisasi: the hospital dashboard API into the local replica.
    #[command(subcommand)]
    Sync(cmd::sync::SyncCommand),
    /// Statistics of the synced data.
    #[command(subcommand)]
    Stats(cmd::sync::StatsCommand),
    /// Laporan SPM: DM and HT standard-patient percentages.
    #[command(subcommand)]
    Spm(cmd::spm::SpmCommand),
    /// Saldo pasien: deposits, charges and monthly balances per patient.
    #[command(subcommand)]
    Balance(cmd::balance::BalanceCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("LOKET_LOG").unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .init();
    let db = loket_store::paths::resolve_db_path(cli.db.clone());
    let out = output::Output { json: cli.json };
    let result = match cli.command {
        Command::Db(c) => cmd::db::run(c, &db, &out),
        Command::Settings(c) => cmd::settings::run(c, &db, &out),
        Command::Opd(c) => cmd::opd::run(c, &db, &out),
        Command::Bpjs(c) => return cmd::bpjs::run(c, &db, &out),
        Command::Quota(c) => return cmd::quota::run(c, &db, &out),
        Command::Outbox(c) => cmd::outbox::run(c, &db, &out),
        Command::Sync(c) => return cmd::sync::run(c, &db, &out),
        Command::Stats(c) => cmd::sync::stats(c, &db, &out),
        Command::Spm(c) => cmd::spm::run(c, &db, &out),
        Command::Balance(c) => cmd::balance::run(c, &db, &out),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => out.error(&e),
    }
}
