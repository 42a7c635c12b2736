//! 310 KUNJUNGAN: outpatient visits. Each day has first the monthly control visits of the DM/HT
//! cohort, then everyday visits. No visits on Sunday.
//!
//! Chronic patient `c` (patient number `c < chronic_patients`) has diabetes (E10–E14), hypertension
//! (I10–I15) or both, and comes once a month on day `1 + c % 28` (Monday when that is a Sunday),
//! from an enrolment month on (most before history starts), sometimes until a drop-out month, and
//! skips a month with `gap_percent` chance.

use super::Cx;
use crate::hospital::catalogue::{acute_icd, poliklinik, COMORBID_CODES, DM_CODES, HT_CODES};
use crate::hospital::row::Row;
use crate::hospital::world::{day_no, day_word, hash, is_sunday, rng, salt, stride, weekday_volume, ymd, World};
use chrono::{Datelike, NaiveDate, Weekday};
use serde_json::Value;
use std::ops::Range;

pub(super) const FIELDS: &[&str] = &[
    "id_kunjungan",
    "no_rm",
    "nama_rm",
    "jenis_kelamin",
    "tanggal_kunjungan",
    "kode_icd10",
    "poliklinik",
    "status",
];

/// A chronic patient's condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Chronic {
    Dm,
    Ht,
    Both,
}

/// Months since year 0.
fn month_index(date: NaiveDate) -> i64 {
    i64::from(date.year()) * 12 + i64::from(date.month0())
}

/// Condition, DM code, HT code, controls at the cardiology clinic.
pub(crate) fn condition(world: &World, c: u64) -> (Chronic, &'static str, &'static str, bool) {
    let h = hash(&[world.seed, salt::CHRONIC, c]);
    let kind = match h % 100 {
        0..=39 => Chronic::Dm,
        40..=79 => Chronic::Ht,
        _ => Chronic::Both,
    };
    let dm = DM_CODES[((h >> 8) % DM_CODES.len() as u64) as usize];
    let ht = HT_CODES[((h >> 16) % HT_CODES.len() as u64) as usize];
    (kind, dm, ht, (h >> 24) % 100 < 30)
}

/// Whether chronic patient `c` is due for control in the month of `date`.
pub(crate) fn due(world: &World, c: u64, date: NaiveDate) -> bool {
    let m = month_index(date);
    let base = month_index(world.history_start);
    let h = hash(&[world.seed, salt::CHRONIC, c, 1]);
    let history_months = (world.history_days / 30).max(1);
    let start = if h % 100 < 55 {
        base - ((h >> 8) % 24) as i64
    } else {
        base + ((h >> 16) % history_months) as i64
    };
    let end = if (h >> 32) % 100 < 10 {
        start + 3 + ((h >> 40) % 12) as i64
    } else {
        i64::MAX
    };
    let gap = hash(&[world.seed, salt::GAP, c, m as u64]) % 100 < world.gap_percent;
    start <= m && m <= end && !gap
}

/// The chronic patients controlling on `date`, in order.
pub(crate) fn chronic_on(world: &World, date: NaiveDate) -> Vec<u64> {
    if is_sunday(date) || world.chronic_patients == 0 {
        return Vec::new();
    }
    let mut days = vec![date.day()];
    if date.weekday() == Weekday::Mon && date.day() > 1 {
        days.push(date.day() - 1);
    }
    let mut out: Vec<u64> = days
        .into_iter()
        .filter(|d| *d <= 28)
        .flat_map(|d| (u64::from(d) - 1..world.chronic_patients).step_by(28))
        .filter(|c| due(world, *c, date))
        .collect();
    out.sort_unstable();
    out
}

fn acute_count(world: &World, date: NaiveDate) -> usize {
    if is_sunday(date) {
        0
    } else {
        weekday_volume(world.visits_per_day, date) as usize
    }
}

pub(super) fn day_len(cx: &Cx<'_, '_>, date: NaiveDate) -> usize {
    chronic_on(cx.world, date).len() + acute_count(cx.world, date)
}

fn id(world: &World, date: NaiveDate, idx: usize) -> i64 {
    let per_day = world.visits_per_day + 2 * world.chronic_patients.div_ceil(28);
    2_000_000 + day_no(date) * stride(per_day, 0) + idx as i64
}

pub(super) fn rows(cx: &Cx<'_, '_>, date: NaiveDate, range: Range<usize>) -> Vec<Row> {
    let world = cx.world;
    let chronic = chronic_on(world, date);
    range
        .map(|idx| match chronic.get(idx) {
            Some(c) => chronic_row(world, date, idx, *c),
            None => acute_row(world, date, idx),
        })
        .collect()
}

fn row(world: &World, date: NaiveDate, idx: usize, k: u64, codes: Value, poli: &str, batal: bool) -> Row {
    let p = world.patient(k);
    let mut r = Row::with_capacity(FIELDS.len());
    r.put("id_kunjungan", id(world, date, idx))
        .put("no_rm", p.no_rm)
        .put("nama_rm", p.nama)
        .put("jenis_kelamin", if p.perempuan { "P" } else { "L" })
        .put("tanggal_kunjungan", ymd(date))
        .put("kode_icd10", codes)
        .put("poliklinik", poli)
        .put("status", if batal { "Batal" } else { "Selesai" });
    r
}

fn chronic_row(world: &World, date: NaiveDate, idx: usize, c: u64) -> Row {
    let (kind, dm, ht, jantung) = condition(world, c);
    let mut v = rng(&[world.seed, salt::VISIT, c, month_index(date) as u64]);
    let dm = if v.below(100) < 15 { *v.pick(DM_CODES) } else { dm };
    let mut codes: Vec<&str> = match kind {
        Chronic::Dm => vec![dm],
        Chronic::Ht => vec![ht],
        Chronic::Both => vec![dm, ht],
    };
    if v.below(100) < 20 {
        codes.push(*v.pick(COMORBID_CODES));
    }
    let sep = if v.below(100) < 85 { ", " } else { "," };
    let batal = v.below(100) < 4;
    let codes = if batal && v.below(2) == 0 {
        Value::Null
    } else {
        Value::from(codes.join(sep))
    };
    let poli = if kind == Chronic::Ht && jantung {
        poliklinik("JAN")
    } else {
        poliklinik("INT")
    };
    row(world, date, idx, c, codes, poli, batal)
}

fn acute_row(world: &World, date: NaiveDate, idx: usize) -> Row {
    let mut v = rng(&[world.seed, salt::VISIT, day_word(date), idx as u64, 2]);
    let mut kodepoli = world.doctors[v.below(world.doctors.len() as u64) as usize]
        .kodepoli
        .as_str();
    let others = world.patient_count - world.chronic_patients;
    let draw = |v: &mut crate::rng::Rng| {
        if others > 0 {
            world.chronic_patients + v.below(others)
        } else {
            v.below(world.patient_count)
        }
    };
    let mut k = draw(&mut v);
    if kodepoli == "OBG" {
        match (0..8).map(|_| draw(&mut v)).find(|k| world.patient(*k).perempuan) {
            Some(f) => k = f,
            None => kodepoli = "INT",
        }
    }
    let list = acute_icd(kodepoli);
    let first = *v.pick(list);
    let mut codes = vec![first];
    if v.below(100) < 25 {
        let second = *v.pick(list);
        if second != first {
            codes.push(second);
        }
    }
    let batal = v.below(100) < 3;
    row(
        world,
        date,
        idx,
        k,
        Value::from(codes.join(", ")),
        poliklinik(kodepoli),
        batal,
    )
}
