//! Changing the bookings between two syncs: each mutation is a new *generation* that cancels,
//! moves or adds bookings, chosen deterministically from the seed and the generation number.

use super::catalogue::ALASAN_BATAL;
use super::views::booking::{self, booking_id, extra_capacity, Core};
use super::views::Cx;
use super::world::{rng, salt, Session, SessionCache, World};
use crate::rng::Rng;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A change to the bookings, as `POST /__admin/hospital/mutate` takes it:
/// `{"cancel": 3, "move": 2, "add": 5}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mutation {
    /// Active future bookings to cancel.
    #[serde(default)]
    pub cancel: u32,
    /// Active future bookings to move to another session (same doctor on a later date, or
    /// another doctor of the same sub-speciality on the same date).
    #[serde(default, rename = "move")]
    pub moves: u32,
    /// New bookings registered now (today, after the day's others).
    #[serde(default)]
    pub add: u32,
    /// Registration dates to pick from; default the last 14 days up to today.
    #[serde(default)]
    pub from: Option<NaiveDate>,
    /// Last registration date to pick from; default today.
    #[serde(default)]
    pub to: Option<NaiveDate>,
}

/// Where a moved booking went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MovedBooking {
    /// The booking.
    pub booking_id: i64,
    /// Old `tanggal_antrian`.
    pub from_tanggal: NaiveDate,
    /// New `tanggal_antrian`.
    pub to_tanggal: NaiveDate,
    /// Old session.
    pub from_id_jadwal_dokter: i64,
    /// New session.
    pub to_id_jadwal_dokter: i64,
    /// Old doctor.
    pub from_id_dokter: i64,
    /// New doctor.
    pub to_id_dokter: i64,
}

/// What a mutation did. Fewer bookings than asked are reported when too few qualify.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MutationReport {
    /// The generation the data is now at (0 = as generated).
    pub generation: u64,
    /// Cancelled `booking_id`s.
    pub cancelled: Vec<i64>,
    /// Moved bookings.
    pub moved: Vec<MovedBooking>,
    /// Added `booking_id`s.
    pub added: Vec<i64>,
}

/// A booking's state after mutations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Override {
    pub(crate) versi_add: u32,
    pub(crate) batal: Option<&'static str>,
    /// (date, doctor index, slot index).
    pub(crate) moved: Option<(NaiveDate, usize, usize)>,
    /// (unix seconds, user).
    pub(crate) updated: (i64, &'static str),
}

/// Every mutation so far.
#[derive(Debug, Clone, Default)]
pub(crate) struct Mutations {
    pub(crate) generation: u64,
    pub(crate) overrides: HashMap<i64, Override>,
    /// Registration instants of added bookings, per day, in order.
    pub(crate) extras: BTreeMap<NaiveDate, Vec<i64>>,
}

/// Applies `m` on top of `muts` at `now` (unix seconds, WIB date `today`).
pub(crate) fn apply(
    world: &World,
    today: NaiveDate,
    now: i64,
    muts: &Mutations,
    m: &Mutation,
) -> (Mutations, MutationReport) {
    let mut next = muts.clone();
    next.generation += 1;
    let mut report = MutationReport {
        generation: next.generation,
        ..MutationReport::default()
    };
    let mut r = rng(&[world.seed, salt::MUTATE, next.generation]);
    let from = m.from.unwrap_or(today - Days::new(14)).max(world.history_start);
    let to = m.to.unwrap_or(today).min(today);
    let mut touched = HashSet::new();
    if from <= to && world.bookings_per_day > 0 {
        let days = (to - from).num_days() as u64 + 1;
        for cancel in std::iter::repeat_n(true, m.cancel as usize).chain(std::iter::repeat_n(false, m.moves as usize)) {
            let mut cache = SessionCache::default();
            let Some(c) = pick(world, today, &next, &mut cache, &mut r, from, days, &mut touched) else {
                break;
            };
            let mut o = next.overrides.get(&c.id).cloned().unwrap_or(Override {
                versi_add: 0,
                batal: None,
                moved: None,
                updated: (now, ""),
            });
            o.versi_add += 1;
            if cancel {
                o.batal = Some(*r.pick(ALASAN_BATAL));
                o.updated = (now, *r.pick(&["mobilejkn", "loket.02"]));
                report.cancelled.push(c.id);
            } else {
                let Some(t) = move_target(world, &mut cache, &c, &mut r) else {
                    continue;
                };
                o.moved = Some((t.date, t.doctor, t.slot));
                o.updated = (now, "loket.02");
                report.moved.push(MovedBooking {
                    booking_id: c.id,
                    from_tanggal: c.session.date,
                    to_tanggal: t.date,
                    from_id_jadwal_dokter: c.session.id_jadwal_dokter(),
                    to_id_jadwal_dokter: t.id_jadwal_dokter(),
                    from_id_dokter: world.doctors[c.session.doctor].id_dokter,
                    to_id_dokter: world.doctors[t.doctor].id_dokter,
                });
            }
            next.overrides.insert(c.id, o);
        }
    }
    if m.add > 0 && today >= world.history_start {
        let cap = extra_capacity(world);
        let extras = next.extras.entry(today).or_default();
        for _ in 0..m.add {
            if extras.len() >= cap {
                break;
            }
            let idx = world.bookings_per_day + extras.len() as u64;
            extras.push(now);
            report.added.push(booking_id(world, today, idx));
        }
    }
    (next, report)
}

/// An active booking for today or later, registered in `[from, from + days)`, not yet touched
/// by this mutation.
#[allow(clippy::too_many_arguments)]
fn pick<'w>(
    world: &'w World,
    today: NaiveDate,
    muts: &Mutations,
    cache: &mut SessionCache<'w>,
    r: &mut Rng,
    from: NaiveDate,
    days: u64,
    touched: &mut HashSet<i64>,
) -> Option<Core<'w>> {
    let cx = Cx { world, today, muts };
    for _ in 0..500 {
        let day = from + Days::new(r.below(days));
        let idx = r.below(world.bookings_per_day);
        let c = booking::core(&cx, cache, day, idx);
        if c.batal.is_none() && c.session.date >= today && !touched.contains(&c.id) {
            touched.insert(c.id);
            return Some(c);
        }
    }
    None
}

/// Another open session: 40 % another doctor of the same sub-speciality that day, otherwise the
/// same doctor 1–21 days later.
fn move_target<'w>(world: &'w World, cache: &mut SessionCache<'w>, c: &Core<'w>, r: &mut Rng) -> Option<Session<'w>> {
    let cur = c.session;
    let sub = &world.doctors[cur.doctor].kodesub;
    if r.below(100) < 40 {
        let others: Vec<Session<'w>> = cache
            .get(world, cur.date)
            .iter()
            .filter(|s| s.doctor != cur.doctor && !s.libur && world.doctors[s.doctor].kodesub == *sub)
            .copied()
            .collect();
        if !others.is_empty() {
            return Some(others[r.below(others.len() as u64) as usize]);
        }
    }
    for date in (cur.date + Days::new(1)).iter_days().take(21) {
        let same: Vec<Session<'w>> = cache
            .get(world, date)
            .iter()
            .filter(|s| s.doctor == cur.doctor && !s.libur)
            .copied()
            .collect();
        if let Some(s) = same.iter().find(|s| s.slot == cur.slot).or(same.first()) {
            return Some(*s);
        }
    }
    None
}
