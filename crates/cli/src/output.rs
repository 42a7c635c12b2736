use std::process::ExitCode;

use loket_core::{Error, ErrorCode};
use serde::Serialize;

pub struct Output {
    pub json: bool,
}

impl Output {
    /// Prints `value` as one JSON document when `--json`, else the human text.
    pub fn print<T: Serialize>(&self, value: &T, human: impl FnOnce() -> String) {
        if self.json {
            println!("{}", serde_json::to_string_pretty(value).expect("serializable output"));
        } else {
            println!("{}", human());
        }
    }

    pub fn error(&self, e: &Error) -> ExitCode {
        if self.json {
            eprintln!("{}", serde_json::json!({ "error": e }));
        } else {
            eprintln!("galat ({}): {}", e.code.as_str(), e.message);
        }
        ExitCode::from(match e.code {
            ErrorCode::InvalidInput => 2,
            ErrorCode::NotFound => 3,
            ErrorCode::Conflict => 4,
            ErrorCode::Integrity => 5,
            _ => 1,
        })
    }
}
