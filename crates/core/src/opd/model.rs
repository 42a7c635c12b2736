//! The vocabulary of a token: where it came from, how it is paid, its status and its priority.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::settings::Settings;
use crate::{Error, Result};

/// Where a token request came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Online,
    WalkIn,
    FollowUp,
    Emergency,
}

/// How the visit is paid: JKN (BPJS Kesehatan) or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Jenis {
    Jkn,
    NonJkn,
}

/// The life of a token: `confirmed` ⇄ `waitlisted`, then `in_progress` → `completed`, or
/// `cancelled` / `no_show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Confirmed,
    Waitlisted,
    InProgress,
    Completed,
    Cancelled,
    NoShow,
}

impl Source {
    pub const ALL: [Source; 4] = [Source::Online, Source::WalkIn, Source::FollowUp, Source::Emergency];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::Online => "online",
            Source::WalkIn => "walk_in",
            Source::FollowUp => "follow_up",
            Source::Emergency => "emergency",
        }
    }

    /// The clerk's word for it.
    pub fn label(self) -> &'static str {
        match self {
            Source::Online => "Booking online",
            Source::WalkIn => "Datang langsung",
            Source::FollowUp => "Kontrol",
            Source::Emergency => "Gawat darurat",
        }
    }
}

impl Jenis {
    pub const ALL: [Jenis; 2] = [Jenis::Jkn, Jenis::NonJkn];

    pub fn as_str(self) -> &'static str {
        match self {
            Jenis::Jkn => "jkn",
            Jenis::NonJkn => "non_jkn",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Jenis::Jkn => "JKN",
            Jenis::NonJkn => "Non-JKN",
        }
    }
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Confirmed,
        Status::Waitlisted,
        Status::InProgress,
        Status::Completed,
        Status::Cancelled,
        Status::NoShow,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Confirmed => "confirmed",
            Status::Waitlisted => "waitlisted",
            Status::InProgress => "in_progress",
            Status::Completed => "completed",
            Status::Cancelled => "cancelled",
            Status::NoShow => "no_show",
        }
    }

    /// The clerk's word for it, lower case so it fits inside a sentence.
    pub fn label(self) -> &'static str {
        match self {
            Status::Confirmed => "terkonfirmasi",
            Status::Waitlisted => "daftar tunggu",
            Status::InProgress => "sedang dilayani",
            Status::Completed => "selesai",
            Status::Cancelled => "batal",
            Status::NoShow => "tidak hadir",
        }
    }

    /// Counts against the slot's capacity: `confirmed`, `in_progress` or `completed`.
    pub fn occupies(self) -> bool {
        matches!(self, Status::Confirmed | Status::InProgress | Status::Completed)
    }
}

fn parse_choice<T: Copy>(raw: &str, all: &[T], name: fn(T) -> &'static str, what: &str) -> Result<T> {
    let key = raw.trim().to_ascii_lowercase().replace('-', "_");
    all.iter().copied().find(|v| name(*v) == key).ok_or_else(|| {
        let names: Vec<&str> = all.iter().map(|v| name(*v)).collect();
        Error::invalid(format!(
            "{what} \"{}\" tidak dikenal; pilih salah satu: {}.",
            raw.trim(),
            names.join(", ")
        ))
    })
}

impl FromStr for Source {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        parse_choice(s, &Source::ALL, Source::as_str, "Sumber antrean")
    }
}

impl FromStr for Jenis {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        parse_choice(s, &Jenis::ALL, Jenis::as_str, "Jenis pasien")
    }
}

impl FromStr for Status {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        parse_choice(s, &Status::ALL, Status::as_str, "Status antrean")
    }
}

macro_rules! display_as_str {
    ($($t:ty),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )*};
}
display_as_str!(Source, Jenis, Status);

/// The priority weights (from Settings). The caller computes a token's priority once and puts it
/// in the command, so changing the weights later never changes a replay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Weights {
    pub emergency: i64,
    pub paid: i64,
    pub follow_up: i64,
    pub walk_in: i64,
    pub online: i64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            emergency: 1000,
            paid: 300,
            follow_up: 200,
            walk_in: 100,
            online: 50,
        }
    }
}

impl Weights {
    pub fn from_settings(s: &Settings) -> Weights {
        Weights {
            emergency: s.weight_emergency.into(),
            paid: s.weight_paid.into(),
            follow_up: s.weight_follow_up.into(),
            walk_in: s.weight_walk_in.into(),
            online: s.weight_online.into(),
        }
    }

    /// The weight of the source itself. An emergency has none beyond `emergency`.
    pub fn source_weight(&self, source: Source) -> i64 {
        match source {
            Source::Online => self.online,
            Source::WalkIn => self.walk_in,
            Source::FollowUp => self.follow_up,
            Source::Emergency => 0,
        }
    }

    /// (emergency ? emergency : 0) + (paid ? paid : 0) + source weight. Higher is served first.
    pub fn priority(&self, source: Source, paid: bool) -> i64 {
        let emergency = if source == Source::Emergency { self.emergency } else { 0 };
        let paid = if paid { self.paid } else { 0 };
        emergency
            .saturating_add(paid)
            .saturating_add(self.source_weight(source))
    }
}
