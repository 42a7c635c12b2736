//! `loket opd simulate`: a whole OPD day played through the same use cases the desk uses, with
//! every kind of token, cancellations, no-shows and emergencies, followed by invariant checks.
//! Deterministic for a seed (its own small PRNG; the clock is a fixed instant per step).

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Duration, NaiveDate, NaiveTime};
use loket_core::opd::{Jenis, SessionId, Source, Status, TokenId};
use loket_core::time::{parse_date, wib_date, wib_instant};
use loket_core::{Error, Result};
use serde::Serialize;

use crate::opd::{NewSession, TokenAction, TokenRequest};
use crate::{Desk, FixedClock};

use loket_core::rng::SplitMix64 as Rng;

#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub name: String,
    pub ok: bool,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SimulationSummary {
    pub ok: bool,
    pub date: NaiveDate,
    pub seed: u64,
    pub doctors: u32,
    pub sessions: usize,
    pub requests: BTreeMap<String, u32>,
    pub paid_requests: u32,
    pub refused: u32,
    pub final_status: BTreeMap<String, u32>,
    pub events: BTreeMap<String, u32>,
    pub checks: Vec<Check>,
}

impl SimulationSummary {
    pub fn to_text(&self) -> String {
        let map = |m: &BTreeMap<String, u32>| m.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ");
        let mut lines = vec![
            format!(
                "Simulasi hari OPD {} (seed {}): {} dokter, {} sesi",
                self.date, self.seed, self.doctors, self.sessions
            ),
            format!(
                "permintaan: {} (berbayar {}), ditolak {}",
                map(&self.requests),
                self.paid_requests,
                self.refused
            ),
            format!("peristiwa: {}", map(&self.events)),
            format!("status akhir: {}", map(&self.final_status)),
            "pemeriksaan invarian:".to_string(),
        ];
        for c in &self.checks {
            lines.push(format!(
                "  [{}] {}: {}",
                if c.ok { "OK" } else { "GAGAL" },
                c.name,
                c.detail
            ));
        }
        lines.join("\n")
    }
}

const POLIS: &[&str] = &["ANA", "INT", "BED", "MAT", "SAR", "JAN", "OBG", "THT"];

pub fn run(desk: &mut Desk, doctors: u32, seed: u64, date: Option<&str>) -> Result<SimulationSummary> {
    if !(3..=200).contains(&doctors) {
        return Err(Error::invalid("Simulasi memerlukan 3 sampai 200 dokter."));
    }
    let date = match date {
        Some(d) => parse_date(d)?,
        None => wib_date(desk.now()),
    };
    let at = |h: u32, m: u32| wib_instant(date, NaiveTime::from_hms_opt(h, m, 0).expect("valid time"));
    let mut rng = Rng(seed);
    let mut sessions: Vec<SessionId> = Vec::new();
    desk.set_clock(Arc::new(FixedClock(at(6, 30))));
    for d in 0..doctors {
        let (start, end) = if d % 2 == 0 {
            ("08:00", "12:00")
        } else {
            ("13:00", "16:30")
        };
        let opened = desk.opd_add_session(&NewSession {
            doctor_code: format!("{}", 30000 + d),
            doctor_name: format!("dr. Simulasi {}", d + 1),
            poli_code: POLIS[d as usize % POLIS.len()].to_string(),
            date: date.to_string(),
            jam: format!("{start}-{end}"),
            capacity: 8 + rng.below(9) as u32,
            slot_minutes: Some(60),
        })?;
        sessions.push(opened.session_id);
    }

    let mut requests: BTreeMap<String, u32> = BTreeMap::new();
    let mut paid_requests = 0;
    let mut refused = 0;
    let mut issued: Vec<(SessionId, TokenId)> = Vec::new();
    let mut clock = at(7, 0);
    let end_of_day = at(17, 0);
    while clock < end_of_day {
        desk.set_clock(Arc::new(FixedClock(clock)));
        for &session_id in &sessions {
            let view = desk.opd_session(session_id)?;
            let session_end = view.slots.last().map(|s| s.end).unwrap_or(clock);
            if clock >= session_end {
                continue;
            }
            // New arrivals.
            if rng.chance(18) {
                let source = match rng.below(100) {
                    0..=29 => Source::Online,
                    30..=64 => Source::WalkIn,
                    65..=89 => Source::FollowUp,
                    _ => Source::Emergency,
                };
                let paid = rng.chance(15);
                let req = TokenRequest {
                    session_id,
                    slot_id: None,
                    source,
                    paid,
                    jenis: if rng.chance(70) { Jenis::Jkn } else { Jenis::NonJkn },
                    norm: Some(format!("{:06}", rng.below(1_000_000))),
                    name: None,
                    patient: Default::default(),
                };
                match desk.opd_request_token(&req) {
                    Ok(o) => {
                        *requests.entry(source.as_str().to_string()).or_default() += 1;
                        paid_requests += u32::from(paid);
                        issued.push((session_id, o.token_id));
                    }
                    Err(_) => refused += 1,
                }
            }
            // The doctor's room: finish the patient inside, call the next one of the current slot.
            let view = desk.opd_session(session_id)?;
            let current = view.slots.iter().find(|s| s.start <= clock && clock < s.end);
            let in_progress = view
                .slots
                .iter()
                .flat_map(|s| &s.tokens)
                .find(|t| t.status == Status::InProgress);
            if let Some(t) = in_progress {
                if rng.chance(40) {
                    desk.opd_token_action(t.token_id, TokenAction::Complete, None)?;
                }
            } else if let Some(slot) = current {
                if let Some(next) = slot.tokens.iter().find(|t| t.position == Some(1)) {
                    let action = if rng.chance(10) {
                        TokenAction::NoShow
                    } else {
                        TokenAction::Call
                    };
                    desk.opd_token_action(next.token_id, action, None)?;
                }
            }
            // Someone gives up their place.
            let view = desk.opd_session(session_id)?;
            if rng.chance(4) {
                let waiting: Vec<_> = view
                    .slots
                    .iter()
                    .flat_map(|s| &s.tokens)
                    .filter(|t| matches!(t.status, Status::Confirmed | Status::Waitlisted))
                    .collect();
                if !waiting.is_empty() {
                    let t = waiting[rng.below(waiting.len() as u64) as usize];
                    desk.opd_token_action(t.token_id, TokenAction::Cancel, Some("simulasi".into()))?;
                }
            }
        }
        clock += Duration::minutes(2);
    }

    // Invariants.
    let mut checks = Vec::new();
    let replay = desk.opd_replay_check()?;
    checks.push(Check {
        name: "replay equals stored queue".into(),
        ok: replay.ok,
        detail: format!(
            "{} sessions, {} events, {} mismatches",
            replay.sessions,
            replay.events,
            replay.mismatches.len()
        ),
    });
    let mut final_status: BTreeMap<String, u32> = BTreeMap::new();
    let mut over = 0;
    let mut numbering_ok = true;
    let mut one_status = true;
    for &session_id in &sessions {
        let view = desk.opd_session(session_id)?;
        let mut numbers = Vec::new();
        for slot in &view.slots {
            over += u32::from(slot.occupied > slot.capacity);
            for t in &slot.tokens {
                *final_status.entry(t.status.as_str().to_string()).or_default() += 1;
                numbers.push(t.number);
            }
        }
        numbers.sort_unstable();
        let n = numbers.len();
        numbers.dedup();
        one_status &= numbers.len() == n;
        numbering_ok &= numbers.iter().enumerate().all(|(i, &num)| num == i as u32 + 1);
    }
    let all_issued = issued.len() as u32;
    checks.push(Check {
        name: "occupied never exceeds capacity".into(),
        ok: over == 0,
        detail: format!("{over} slots over"),
    });
    checks.push(Check {
        name: "numbers 1..n per doctor, never reused".into(),
        ok: numbering_ok,
        detail: format!("{all_issued} tokens"),
    });
    checks.push(Check {
        name: "one status per token".into(),
        ok: one_status,
        detail: "each token appears once".into(),
    });
    let total: u32 = final_status.values().sum();
    checks.push(Check {
        name: "every issued token is in the queue".into(),
        ok: total == all_issued,
        detail: format!("{total} in queue, {all_issued} issued"),
    });
    let mut events: BTreeMap<String, u32> = BTreeMap::new();
    for r in desk.opd_event_records(None)? {
        *events.entry(r.kind).or_default() += 1;
    }
    let kinds_seen = ["online", "walk_in", "follow_up", "emergency"]
        .iter()
        .all(|k| requests.contains_key(*k))
        && paid_requests > 0;
    checks.push(Check {
        name: "all five kinds of token were issued".into(),
        ok: kinds_seen,
        detail: "online, walk-in, follow-up, emergency and paid".into(),
    });
    let ok = checks.iter().all(|c| c.ok);
    Ok(SimulationSummary {
        ok,
        date,
        seed,
        doctors,
        sessions: sessions.len(),
        requests,
        paid_requests,
        refused,
        final_status,
        events,
        checks,
    })
}
