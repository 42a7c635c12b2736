use std::path::Path;

use clap::Subcommand;
use loket_core::Result;
use serde_json::json;

use crate::output::Output;

#[derive(Subcommand)]
pub enum SettingsCommand {
    /// Print every setting, or one KEY.
    Get { key: Option<String> },
    /// Validate and store VALUE for KEY.
    Set { key: String, value: String },
}

pub fn run(cmd: SettingsCommand, db: &Path, out: &Output) -> Result<()> {
    let mut desk = super::open(db)?;
    match cmd {
        SettingsCommand::Get { key: Some(key) } => {
            let value = desk.setting(&key)?;
            out.print(&json!({ "key": key, "value": value }), || value.clone());
        }
        SettingsCommand::Get { key: None } => {
            let settings = desk.settings()?;
            let rows = loket_service::settings::describe(&settings)?;
            out.print(&settings, || {
                rows.iter()
                    .map(|(k, label, v)| format!("{k:<24} {v:<30} # {label}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        SettingsCommand::Set { key, value } => {
            let settings = desk.set_setting(&key, &value)?;
            let stored = settings.get(&key)?;
            out.print(&json!({ "key": key, "value": stored }), || format!("{key} = {stored}"));
        }
    }
    Ok(())
}
