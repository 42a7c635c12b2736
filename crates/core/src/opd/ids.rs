//! Identifiers of the OPD aggregate. The store allocates them and passes them into commands, so
//! the core stays pure and a replay of the log yields the same ids.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        #[serde(transparent)]
        pub struct $name(#[cfg_attr(feature = "specta", specta(type = i32))] pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id!(
    /// One practice session: a doctor at a poli on a date, within its jam praktek.
    SessionId
);
id!(
    /// One time window of a session with its own capacity.
    SlotId
);
id!(
    /// One patient visit (a queue token).
    TokenId
);

/// The code printed on a ticket: poli code, a dash and the number in three digits
/// (`ANA-007`); numbers from 1000 on take four digits.
pub fn token_code(poli_code: &str, number: u32) -> String {
    format!("{poli_code}-{number:03}")
}
