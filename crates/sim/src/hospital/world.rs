//! The generated hospital behind the dashboard views: doctors and sessions taken from the same
//! [`Hfis`] the BPJS simulator serves, a patient population, and the tariff history. Rows are not
//! stored: every view derives a row from (seed, date, index), so memory stays small however many
//! rows a window holds.

use super::catalogue::{self, ItemKind, FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES, NEW_ITEM, TARIFF_ITEMS};
use super::config::HospitalConfig;
use crate::hfis::Hfis;
use crate::rng::{mix, Rng};
use crate::time::wib_date;
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

/// Salts that keep the random streams of different row kinds apart.
pub(super) mod salt {
    pub const PATIENT: u64 = 0x5041_5449;
    pub const BOOKING: u64 = 0x424f_4f4b;
    pub const BOOKING_LOOK: u64 = 0x4c4f_4f4b;
    pub const MUTATE: u64 = 0x4d55_5441;
    pub const CHRONIC: u64 = 0x4348_524f;
    pub const GAP: u64 = 0x4741_5053;
    pub const VISIT: u64 = 0x5649_5354;
    pub const BILL: u64 = 0x4249_4c4c;
    pub const BILL_ITEM: u64 = 0x4954_454d;
    pub const DEPOSIT: u64 = 0x4445_504f;
    pub const TARIFF: u64 = 0x5441_5249;
}

/// A well-mixed hash of several words.
pub(super) fn hash(parts: &[u64]) -> u64 {
    parts.iter().fold(0x243F_6A88_85A3_08D3, |acc, p| {
        mix(acc ^ p.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    })
}

/// A generator for one row (or one decision).
pub(super) fn rng(parts: &[u64]) -> Rng {
    Rng::new(hash(parts))
}

/// Days since 2000-01-01: the date part of every generated id.
pub(super) fn day_no(date: NaiveDate) -> i64 {
    const EPOCH: i32 = 730_120; // 2000-01-01, days from CE
    i64::from(date.num_days_from_ce() - EPOCH)
}

/// The date as a word for hashing.
pub(super) fn day_word(date: NaiveDate) -> u64 {
    day_no(date) as u64
}

/// Unix seconds of 00:00 WIB on `date`.
pub(super) fn wib_midnight(date: NaiveDate) -> i64 {
    date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc().timestamp() - 7 * 3600
}

/// `2026-02-01T03:12:45.000Z`: how the API writes instants (UTC, like its Node back end).
pub(super) fn iso_utc(secs: i64) -> String {
    match chrono::DateTime::from_timestamp(secs, 0) {
        Some(t) => t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        None => String::new(),
    }
}

/// `2026-02-06`.
pub(super) fn ymd(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// The WIB date of unix seconds.
pub(super) fn wib_date_of(secs: i64) -> NaiveDate {
    wib_date(secs.saturating_mul(1000))
}

/// A stride ≥ `n + extra` rounded up to a thousand, so ids of consecutive days never overlap.
pub(super) fn stride(n: u64, extra: u64) -> i64 {
    (((n + extra) / 1000 + 1) * 1000) as i64
}

/// A doctor as the hospital knows it.
#[derive(Debug, Clone)]
pub(crate) struct DoctorInfo {
    /// The hospital's own doctor id.
    pub(crate) id_dokter: i64,
    /// HFIS code (`kode_dokter_bpjs`).
    pub(crate) kodedokter: i64,
    pub(crate) nama: String,
    pub(crate) kodepoli: String,
    /// BPJS sub-speciality code (`kode_poli_bpjs`, the `code` of a booking).
    pub(crate) kodesub: String,
    pub(crate) id_spesialis: i64,
    pub(crate) spesialis: String,
    pub(crate) poliklinik: &'static str,
}

/// One practice session of a doctor on a date: a row of JADWAL_DOKTER.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Session<'w> {
    pub(crate) doctor: usize,
    pub(crate) slot: usize,
    pub(crate) date: NaiveDate,
    pub(crate) buka: &'w str,
    pub(crate) tutup: &'w str,
    pub(crate) kuota: i64,
    pub(crate) libur: bool,
}

impl Session<'_> {
    /// Unique per (date, doctor, slot), increasing in that order.
    pub(crate) fn id_jadwal_dokter(&self) -> i64 {
        100_000 + day_no(self.date) * 256 + self.doctor as i64 * 4 + self.slot as i64
    }

    /// JKN share of the quota.
    pub(crate) fn kuota_jkn(&self) -> i64 {
        self.kuota - self.kuota / 5
    }

    /// Places kept for VIP patients.
    pub(crate) fn kuota_vip(&self) -> i64 {
        self.kuota / 10
    }
}

/// `08:00` → `08:00:00`.
pub(super) fn hms(hm: &str) -> String {
    if hm.len() == 5 {
        format!("{hm}:00")
    } else {
        hm.to_string()
    }
}

/// A synthetic patient.
#[derive(Debug, Clone)]
pub(crate) struct Patient {
    pub(crate) no_rm: String,
    pub(crate) nama: String,
    pub(crate) perempuan: bool,
    pub(crate) nik: String,
    pub(crate) no_hp: String,
    pub(crate) telepon: Option<String>,
    pub(crate) no_kartu: String,
}

/// One version of a tariff.
#[derive(Debug, Clone)]
pub(crate) struct TariffVersion {
    pub(crate) kode: &'static str,
    pub(crate) nama: &'static str,
    pub(crate) harga: i64,
    pub(crate) berlaku_mulai: NaiveDate,
    pub(crate) kind: ItemKind,
}

/// Everything that does not change while the simulator runs.
pub(crate) struct World {
    pub(crate) seed: u64,
    pub(crate) bookings_per_day: u64,
    pub(crate) visits_per_day: u64,
    pub(crate) chronic_patients: u64,
    pub(crate) gap_percent: u64,
    pub(crate) deposits_per_day: u64,
    pub(crate) bill_items_per_day: u64,
    pub(crate) patient_count: u64,
    pub(crate) schedule_days_ahead: u64,
    pub(crate) history_days: u64,
    pub(crate) kdppk: String,
    /// The first day with data.
    pub(crate) history_start: NaiveDate,
    pub(crate) hfis: Hfis,
    pub(crate) doctors: Vec<DoctorInfo>,
    /// Versions ordered by (berlaku_mulai, kode).
    pub(crate) tariffs: Vec<TariffVersion>,
    /// Positions in `tariffs` of each berlaku_mulai date.
    pub(crate) tariff_dates: BTreeMap<NaiveDate, Range<usize>>,
    /// The date of the mid-history tariff change (and of the new drug).
    pub(crate) tariff_change: NaiveDate,
}

/// The most patients the `no_rm` scheme can number.
const MAX_PATIENTS: u64 = 900_000;

impl World {
    pub(crate) fn generate(config: &HospitalConfig, today: NaiveDate) -> Self {
        let history_start = today - Days::new(u64::from(config.history_days));
        let window_end = today + Days::new(u64::from(config.schedule_days_ahead) + 30);
        let hfis = Hfis::generate(config.seed, config.libur_percent, (history_start, window_end));
        let subs: Vec<String> = hfis.ref_poli().into_iter().map(|p| p.kdsubspesialis).collect();
        let doctors = hfis
            .doctors()
            .iter()
            .enumerate()
            .map(|(i, d)| DoctorInfo {
                id_dokter: 11 + i as i64,
                kodedokter: d.kodedokter,
                nama: d.namadokter.clone(),
                kodepoli: d.kodepoli.clone(),
                kodesub: d.kodesubspesialis.clone(),
                id_spesialis: subs.iter().position(|s| *s == d.kodesubspesialis).unwrap_or(0) as i64 + 1,
                spesialis: catalogue::title_case(&d.namasubspesialis),
                poliklinik: catalogue::poliklinik(&d.kodepoli),
            })
            .collect();
        let (tariffs, tariff_change) = tariff_history(config.seed, history_start, config.history_days, today);
        let mut tariff_dates: BTreeMap<NaiveDate, Range<usize>> = BTreeMap::new();
        for (i, t) in tariffs.iter().enumerate() {
            tariff_dates.entry(t.berlaku_mulai).or_insert(i..i).end = i + 1;
        }
        let patient_count = u64::from(config.patient_count).clamp(1, MAX_PATIENTS);
        Self {
            seed: config.seed,
            bookings_per_day: u64::from(config.bookings_per_day),
            visits_per_day: u64::from(config.visits_per_day),
            chronic_patients: u64::from(config.chronic_patients).min(patient_count),
            gap_percent: u64::from(config.gap_percent),
            deposits_per_day: u64::from(config.deposits_per_day),
            bill_items_per_day: u64::from(config.bill_items_per_day),
            patient_count,
            schedule_days_ahead: u64::from(config.schedule_days_ahead),
            history_days: u64::from(config.history_days),
            kdppk: config.kdppk.clone(),
            history_start,
            hfis,
            doctors,
            tariffs,
            tariff_dates,
            tariff_change,
        }
    }

    /// The sessions on `date` (libur ones included), ordered by (doctor, slot).
    pub(crate) fn sessions(&self, date: NaiveDate) -> Vec<Session<'_>> {
        let hari = date.weekday().number_from_monday() as usize;
        let mut out = Vec::new();
        for (i, d) in self.hfis.doctors().iter().enumerate() {
            let slots = &d.weekly_on(date)[hari];
            if slots.is_empty() {
                continue;
            }
            let libur = self.hfis.is_libur(d.kodedokter, date);
            for (s, slot) in slots.iter().enumerate().take(4) {
                out.push(Session {
                    doctor: i,
                    slot: s,
                    date,
                    buka: &slot.buka,
                    tutup: &slot.tutup,
                    kuota: slot.kapasitas,
                    libur,
                });
            }
        }
        out
    }

    /// Patient number `k` (`0..patient_count`); the first `chronic_patients` are the DM/HT cohort.
    pub(crate) fn patient(&self, k: u64) -> Patient {
        let mut r = rng(&[self.seed, salt::PATIENT, k]);
        let perempuan = r.below(2) == 0;
        let given = if perempuan {
            r.pick(FEMALE_NAMES)
        } else {
            r.pick(MALE_NAMES)
        };
        let nama = match r.below(10) {
            0..=2 => (*given).to_string(),
            3 => format!(
                "{} {}",
                given,
                r.pick(if perempuan { FEMALE_NAMES } else { MALE_NAMES })
            ),
            _ => format!("{} {}", given, r.pick(FAMILY_NAMES)),
        };
        let rm = 10_000 + (k % MAX_PATIENTS * 7919 + self.seed % MAX_PATIENTS) % MAX_PATIENTS;
        let birth_year = if k < self.chronic_patients {
            r.range(1945, 1985)
        } else {
            r.range(1940, 2022)
        };
        let day = r.range(1, 28) + if perempuan { 40 } else { 0 };
        // 16 digits: region (province, regency, district), DDMMYY (day + 40 for women), serial.
        let nik = format!(
            "1371{:02}{:02}{:02}{:02}{:04}",
            r.range(1, 11),
            day,
            r.range(1, 12),
            birth_year % 100,
            r.range(1, 9999)
        );
        const PREFIX: &[&str] = &[
            "0811", "0812", "0813", "0821", "0822", "0852", "0853", "0857", "0877", "0896",
        ];
        let no_hp = format!("{}{:08}", r.pick(PREFIX), r.below(100_000_000));
        let telepon = (r.below(10) < 3).then(|| format!("0751-{:06}", r.range(700_000, 799_999)));
        let no_kartu = format!("0000{:09}", r.below(1_000_000_000));
        Patient {
            no_rm: format!("{rm:08}"),
            nama,
            perempuan,
            nik,
            no_hp,
            telepon,
            no_kartu,
        }
    }

    /// The tariff item `kode` in force on `date`.
    pub(crate) fn tariff_on(&self, kode: &str, date: NaiveDate) -> Option<&TariffVersion> {
        self.tariffs
            .iter()
            .filter(|t| t.kode == kode && t.berlaku_mulai <= date)
            .max_by_key(|t| t.berlaku_mulai)
    }

    /// The items that can be billed on `date`.
    pub(crate) fn items_on(&self, date: NaiveDate, kind: ItemKind) -> Vec<&'static str> {
        let mut items: Vec<&'static str> = TARIFF_ITEMS.iter().filter(|t| t.3 == kind).map(|t| t.0).collect();
        if kind == NEW_ITEM.3 && date >= self.tariff_change {
            items.push(NEW_ITEM.0);
        }
        items
    }
}

/// The first of the month of `date`.
fn month_start(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

/// Tariffs: every item from 1 January of the year before history; a change for some items in
/// the middle of history (and a new drug then), and a second one for a few a month or two ago.
fn tariff_history(
    seed: u64,
    history_start: NaiveDate,
    history_days: u32,
    today: NaiveDate,
) -> (Vec<TariffVersion>, NaiveDate) {
    let initial = NaiveDate::from_ymd_opt(history_start.year() - 1, 1, 1).unwrap_or(history_start);
    let mid = month_start(history_start + Days::new(u64::from(history_days / 2)));
    let recent = month_start(today - Days::new(45)).max(mid + Months::new(1));
    // A new price: up by the percentage, rounded to 500 (50 below 10 000), and never the same.
    let raise = |old: i64, percent: i64| {
        let step = if old >= 10_000 { 500 } else { 50 };
        ((old * percent / 100 + step / 2) / step * step).max(old + step)
    };
    let mut out = Vec::new();
    for (i, item) in TARIFF_ITEMS.iter().enumerate() {
        let version = |harga, from| TariffVersion {
            kode: item.0,
            nama: item.1,
            harga,
            berlaku_mulai: from,
            kind: item.3,
        };
        out.push(version(item.2, initial));
        let h = hash(&[seed, salt::TARIFF, i as u64]);
        let mut harga = item.2;
        if h % 100 < 40 {
            harga = raise(harga, 105 + (h >> 8) as i64 % 16);
            out.push(version(harga, mid));
        }
        if (h >> 16) % 100 < 12 && recent <= today {
            harga = raise(harga, 103 + (h >> 24) as i64 % 8);
            out.push(version(harga, recent));
        }
    }
    out.push(TariffVersion {
        kode: NEW_ITEM.0,
        nama: NEW_ITEM.1,
        harga: NEW_ITEM.2,
        berlaku_mulai: mid,
        kind: NEW_ITEM.3,
    });
    out.sort_by(|a, b| (a.berlaku_mulai, a.kode).cmp(&(b.berlaku_mulai, b.kode)));
    (out, mid)
}

/// Sessions by date, computed once per request.
#[derive(Default)]
pub(crate) struct SessionCache<'w> {
    by_date: HashMap<NaiveDate, Vec<Session<'w>>>,
}

impl<'w> SessionCache<'w> {
    pub(crate) fn get(&mut self, world: &'w World, date: NaiveDate) -> &[Session<'w>] {
        self.by_date.entry(date).or_insert_with(|| world.sessions(date))
    }
}

/// `true` on Sunday, when the polyclinics are closed.
pub(super) fn is_sunday(date: NaiveDate) -> bool {
    date.weekday() == Weekday::Sun
}

/// Rows on a day for a per-day volume `n`: 100 % Monday–Friday, 60 % Saturday, 30 % Sunday.
pub(super) fn weekday_volume(n: u64, date: NaiveDate) -> u64 {
    match date.weekday() {
        Weekday::Sat => n * 6 / 10,
        Weekday::Sun => n * 3 / 10,
        _ => n,
    }
}
