//! The simulated HFIS: polyclinics with sub-specialities, doctors, weekly practice slots
//! (several per day), libur days, and schedule changes that take effect the next day.
//! Everything follows from the seed.

mod catalogue;

use crate::rng::{mix, Rng};
use catalogue::{PoliEntry, AFTERNOON, FIRST_NAMES, LAST_NAMES, MORNING, NAMAHARI, POLIS};
use chrono::{Datelike, NaiveDate};
use loket_bpjs::model::jadwal::normalize_jampraktek;
use loket_bpjs::model::{Dokter, JadwalDokter, Poli, UpdateJadwalDokter};

/// One practice window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    /// `HH:MM`.
    pub buka: String,
    /// `HH:MM`.
    pub tutup: String,
    /// Patient capacity.
    pub kapasitas: i64,
}

impl Slot {
    /// `HH:MM-HH:MM`.
    pub fn jadwal(&self) -> String {
        format!("{}-{}", self.buka, self.tutup)
    }
}

/// Slots per weekday: index 1 = Senin … 7 = Minggu (index 0 unused).
pub type Weekly = [Vec<Slot>; 8];

/// A doctor of one sub-speciality.
#[derive(Debug, Clone)]
pub struct Doctor {
    /// HFIS code.
    pub kodedokter: i64,
    /// Name with title.
    pub namadokter: String,
    /// Polyclinic code.
    pub kodepoli: String,
    /// Polyclinic name.
    pub namapoli: String,
    /// Sub-speciality code.
    pub kodesubspesialis: String,
    /// Sub-speciality name.
    pub namasubspesialis: String,
    /// Schedules, each from a date on; the first is from the beginning of time.
    pub schedules: Vec<(NaiveDate, Weekly)>,
}

impl Doctor {
    /// The weekly pattern in force on `date`.
    pub fn weekly_on(&self, date: NaiveDate) -> &Weekly {
        let mut current = &self.schedules[0].1;
        for (from, weekly) in &self.schedules {
            if *from <= date {
                current = weekly;
            }
        }
        current
    }
}

/// How a requested slot relates to the schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlotCheck {
    /// The doctor practises in that window on that date.
    Open,
    /// No such doctor.
    UnknownDoctor,
    /// The doctor has no such window for that poli on that date.
    NoSlot,
    /// The window exists but the doctor is off that date.
    Libur,
}

/// The generated reference data.
#[derive(Debug, Clone)]
pub struct Hfis {
    doctors: Vec<Doctor>,
    seed: u64,
    libur_percent: u8,
    window: (NaiveDate, NaiveDate),
}

impl Hfis {
    /// Generates a hospital from `seed`. `window` bounds the dates that have schedules.
    pub fn generate(seed: u64, libur_percent: u8, window: (NaiveDate, NaiveDate)) -> Self {
        let mut rng = Rng::new(seed);
        let mut doctors = Vec::new();
        let mut used_codes = std::collections::HashSet::new();
        for PoliEntry(kdpoli, nmpoli, title, subs) in POLIS {
            for (kdsub, nmsub) in subs.iter() {
                for _ in 0..rng.range(1, 3) {
                    let kodedokter = loop {
                        let code = rng.range(10_000, 99_999) as i64;
                        if used_codes.insert(code) {
                            break code;
                        }
                    };
                    let first = rng.pick(FIRST_NAMES);
                    let last = rng.pick(LAST_NAMES);
                    let namadokter = if title.starts_with("drg") {
                        format!("drg. {first} {last}")
                    } else {
                        format!("dr. {first} {last}, {title}")
                    };
                    doctors.push(Doctor {
                        kodedokter,
                        namadokter,
                        kodepoli: (*kdpoli).into(),
                        namapoli: (*nmpoli).into(),
                        kodesubspesialis: (*kdsub).into(),
                        namasubspesialis: (*nmsub).into(),
                        schedules: vec![(NaiveDate::MIN, weekly(&mut rng))],
                    });
                }
            }
        }
        Self {
            doctors,
            seed,
            libur_percent,
            window,
        }
    }

    /// `ref/poli`: one row per sub-speciality.
    pub fn ref_poli(&self) -> Vec<Poli> {
        POLIS
            .iter()
            .flat_map(|PoliEntry(kdpoli, nmpoli, _, subs)| {
                subs.iter().map(move |(kdsub, nmsub)| Poli {
                    nmpoli: (*nmpoli).into(),
                    nmsubspesialis: (*nmsub).into(),
                    kdsubspesialis: (*kdsub).into(),
                    kdpoli: (*kdpoli).into(),
                })
            })
            .collect()
    }

    /// `ref/dokter`.
    pub fn ref_dokter(&self) -> Vec<Dokter> {
        self.doctors
            .iter()
            .map(|d| Dokter {
                namadokter: d.namadokter.clone(),
                kodedokter: d.kodedokter,
            })
            .collect()
    }

    /// All doctors.
    pub fn doctors(&self) -> &[Doctor] {
        &self.doctors
    }

    /// One doctor.
    pub fn doctor(&self, kodedokter: i64) -> Option<&Doctor> {
        self.doctors.iter().find(|d| d.kodedokter == kodedokter)
    }

    /// `true` when `kodepoli` is a poli or sub-speciality code.
    pub fn knows_poli(&self, kodepoli: &str) -> bool {
        POLIS
            .iter()
            .any(|PoliEntry(kd, _, _, subs)| *kd == kodepoli || subs.iter().any(|(s, _)| *s == kodepoli))
    }

    /// Whether a doctor is off on a date (deterministic from the seed).
    pub fn is_libur(&self, kodedokter: i64, date: NaiveDate) -> bool {
        let h =
            mix(self.seed ^ (kodedokter as u64).wrapping_mul(0x2545_F491_4F6C_DD1D) ^ date.num_days_from_ce() as u64);
        h % 100 < u64::from(self.libur_percent)
    }

    /// The slots of a poli (or sub-speciality) on a date, as `jadwaldokter` returns them.
    pub fn jadwal(&self, kodepoli: &str, date: NaiveDate) -> Vec<JadwalDokter> {
        if date < self.window.0 || date > self.window.1 {
            return Vec::new();
        }
        let hari = date.weekday().number_from_monday() as usize;
        let mut out = Vec::new();
        for d in self
            .doctors
            .iter()
            .filter(|d| d.kodepoli == kodepoli || d.kodesubspesialis == kodepoli)
        {
            let libur = i64::from(self.is_libur(d.kodedokter, date));
            for slot in &d.weekly_on(date)[hari] {
                out.push(JadwalDokter {
                    kodesubspesialis: d.kodesubspesialis.clone(),
                    namasubspesialis: d.namasubspesialis.clone(),
                    kodepoli: d.kodepoli.clone(),
                    namapoli: d.namapoli.clone(),
                    kodedokter: d.kodedokter,
                    namadokter: d.namadokter.clone(),
                    hari: hari as i64,
                    namahari: NAMAHARI[hari].into(),
                    jadwal: slot.jadwal(),
                    kapasitaspasien: slot.kapasitas,
                    libur,
                });
            }
        }
        out
    }

    /// Checks that `kodedokter` practises `jampraktek` for `kodepoli` on `date`.
    pub fn check_slot(&self, kodedokter: i64, kodepoli: &str, date: NaiveDate, jampraktek: &str) -> SlotCheck {
        let Some(d) = self.doctor(kodedokter) else {
            return SlotCheck::UnknownDoctor;
        };
        let wanted = normalize_jampraktek(jampraktek);
        let found = self
            .jadwal(kodepoli, date)
            .into_iter()
            .find(|j| j.kodedokter == d.kodedokter && j.jampraktek() == wanted);
        match found {
            None => SlotCheck::NoSlot,
            Some(j) if j.is_libur() => SlotCheck::Libur,
            Some(_) => SlotCheck::Open,
        }
    }

    /// Records a schedule change; it takes effect the day after `today` (H+1).
    pub fn update_schedule(&mut self, update: &UpdateJadwalDokter, today: NaiveDate) -> Result<(), &'static str> {
        let doctor = self
            .doctors
            .iter_mut()
            .find(|d| d.kodedokter == update.kodedokter)
            .ok_or("Data dokter tidak ditemukan.")?;
        if doctor.kodepoli != update.kodepoli && doctor.kodesubspesialis != update.kodepoli {
            return Err("Kode poli tidak sesuai dengan dokter");
        }
        let mut weekly: Weekly = Default::default();
        for day in &update.jadwal {
            let hari: usize = day.hari.trim().parse().map_err(|_| "Hari tidak valid")?;
            if !(1..=8).contains(&hari) {
                return Err("Hari tidak valid");
            }
            let window = format!("{}-{}", day.buka.trim(), day.tutup.trim());
            match loket_bpjs::model::jadwal::parse_jampraktek(&window) {
                Some((buka, tutup)) if buka < tutup => {}
                _ => return Err("Format jam buka/tutup tidak valid"),
            }
            if hari <= 7 {
                weekly[hari].push(Slot {
                    buka: day.buka.trim().into(),
                    tutup: day.tutup.trim().into(),
                    kapasitas: 30,
                });
            }
        }
        let from = today.succ_opt().unwrap_or(today);
        doctor.schedules.retain(|(f, _)| *f < from);
        doctor.schedules.push((from, weekly));
        Ok(())
    }
}

/// A weekly pattern: 2–5 practice days among Senin–Sabtu, a morning window each, sometimes an
/// afternoon one too.
fn weekly(rng: &mut Rng) -> Weekly {
    let mut weekly: Weekly = Default::default();
    let days = rng.range(2, 5);
    let mut chosen = 0;
    while chosen < days {
        let hari = rng.range(1, 6) as usize;
        if !weekly[hari].is_empty() {
            continue;
        }
        let (buka, tutup) = rng.pick(MORNING);
        weekly[hari].push(Slot {
            buka: (*buka).into(),
            tutup: (*tutup).into(),
            kapasitas: rng.range(2, 12) as i64 * 5,
        });
        if rng.below(2) == 0 {
            let (buka, tutup) = rng.pick(AFTERNOON);
            weekly[hari].push(Slot {
                buka: (*buka).into(),
                tutup: (*tutup).into(),
                kapasitas: rng.range(2, 8) as i64 * 5,
            });
        }
        chosen += 1;
    }
    weekly
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window() -> (NaiveDate, NaiveDate) {
        (
            NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
        )
    }

    #[test]
    fn same_seed_same_hospital() {
        let a = Hfis::generate(7, 5, window());
        let b = Hfis::generate(7, 5, window());
        assert_eq!(a.ref_dokter(), b.ref_dokter());
        assert_ne!(a.ref_dokter(), Hfis::generate(8, 5, window()).ref_dokter());
    }

    #[test]
    fn several_slots_and_libur_days_exist() {
        let h = Hfis::generate(1, 10, window());
        let (start, _) = window();
        let mut multi = false;
        let mut libur = false;
        for i in 0..60 {
            let date = start + chrono::Days::new(i);
            for PoliEntry(kdpoli, ..) in POLIS {
                let j = h.jadwal(kdpoli, date);
                libur |= j.iter().any(JadwalDokter::is_libur);
                multi |= j
                    .iter()
                    .any(|a| j.iter().filter(|b| b.kodedokter == a.kodedokter).count() > 1);
            }
        }
        assert!(multi && libur);
    }
}
