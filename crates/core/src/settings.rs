//! Desk settings: what each key means, its default, and how a value a clerk typed is validated
//! and normalised. Storage lives in `loket-store`; this module only decides.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::time::parse_hhmm;
use crate::{Error, Result};

/// A polyclinic as BPJS (HFIS) knows it: sub-speciality code and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Poli {
    pub kode: String,
    pub nama: String,
}

/// Every setting with its effective value (stored or default).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Settings {
    pub hospital_name: String,
    pub kode_ppk: String,
    pub desk_id: String,
    pub clerk: String,
    pub polis: Vec<Poli>,
    /// Non-JKN quota as a share of the JKN quota, in basis points (3000 = 0.30), so that
    /// floor(kuota × ratio) is exact integer arithmetic.
    pub nonjkn_ratio_bp: u32,
    pub minutes_per_patient: u32,
    pub weight_emergency: u32,
    pub weight_paid: u32,
    pub weight_follow_up: u32,
    pub weight_walk_in: u32,
    pub weight_online: u32,
    /// Daily BPJS schedule refresh, WIB wall-clock `HH:MM`.
    pub schedule_refresh_time: String,
    /// Where queue tickets go as ESC/POS bytes: a printer device (`/dev/usb/lp0`) or a file.
    /// Empty: not configured (the system print dialog still works).
    pub printer_device: String,
    /// Receipt paper width in mm: 58 or 80.
    pub printer_paper: crate::ticket::Paper,
    /// Per-poli non-JKN ratio overrides (basis points), by poli code.
    pub poli_nonjkn_ratio_bp: BTreeMap<String, u32>,
    /// Per-poli minutes per patient overrides, by poli code.
    pub poli_minutes_per_patient: BTreeMap<String, u32>,
    /// "Almost full" alert at this share of a pool, in basis points (9000 = 90 %); 0 = off.
    pub quota_alert_threshold_bp: u32,
    /// ICD-10 codes of the DM programme, e.g. `E10-E14`.
    pub spm_dm_codes: String,
    /// ICD-10 codes of the HT programme, e.g. `I10-I15`.
    pub spm_ht_codes: String,
    /// Annual targets (patients) by `program:year`, e.g. `dm:2026` → 1200.
    pub spm_targets: BTreeMap<String, u32>,
}

impl Settings {
    /// The non-JKN ratio of a poli: its override, else the desk's ratio.
    pub fn nonjkn_ratio_bp_of(&self, poli: &str) -> u32 {
        self.poli_nonjkn_ratio_bp
            .get(&poli.trim().to_uppercase())
            .copied()
            .unwrap_or(self.nonjkn_ratio_bp)
    }

    /// Minutes per patient of a poli: its override, else the desk's.
    pub fn minutes_per_patient_of(&self, poli: &str) -> u32 {
        self.poli_minutes_per_patient
            .get(&poli.trim().to_uppercase())
            .copied()
            .unwrap_or(self.minutes_per_patient)
    }

    /// The annual SPM target of a programme (`dm`/`ht`) in a year, if set.
    pub fn spm_target(&self, program: &str, year: i32) -> Option<u32> {
        self.spm_targets
            .get(&format!("{program}:{year}"))
            .copied()
            .filter(|t| *t > 0)
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            hospital_name: "Rumah Sakit".into(),
            kode_ppk: String::new(),
            desk_id: "LOKET-1".into(),
            clerk: String::new(),
            polis: Vec::new(),
            nonjkn_ratio_bp: 3000,
            minutes_per_patient: 6,
            weight_emergency: 1000,
            weight_paid: 300,
            weight_follow_up: 200,
            weight_walk_in: 100,
            weight_online: 50,
            schedule_refresh_time: "05:00".into(),
            printer_device: String::new(),
            printer_paper: crate::ticket::Paper::Mm58,
            poli_nonjkn_ratio_bp: BTreeMap::new(),
            poli_minutes_per_patient: BTreeMap::new(),
            quota_alert_threshold_bp: 9000,
            spm_dm_codes: crate::spm::Program::Dm.default_codes().to_string(),
            spm_ht_codes: crate::spm::Program::Ht.default_codes().to_string(),
            spm_targets: BTreeMap::new(),
        }
    }
}

/// The keys a clerk or admin may set, as written on the CLI and stored in the database.
pub const KEYS: &[&str] = &[
    "hospital_name",
    "kode_ppk",
    "desk_id",
    "clerk",
    "polis",
    "nonjkn_ratio",
    "minutes_per_patient",
    "weight_emergency",
    "weight_paid",
    "weight_follow_up",
    "weight_walk_in",
    "weight_online",
    "schedule_refresh_time",
    "printer_device",
    "printer_paper",
    "poli_nonjkn_ratio",
    "poli_minutes_per_patient",
    "quota_alert_threshold",
    "spm_dm_codes",
    "spm_ht_codes",
    "spm_targets",
];

/// Indonesian label of a key, for messages.
pub fn label(key: &str) -> &'static str {
    match key {
        "hospital_name" => "Nama rumah sakit",
        "kode_ppk" => "Kode PPK",
        "desk_id" => "ID loket",
        "clerk" => "Petugas",
        "polis" => "Daftar poli",
        "nonjkn_ratio" => "Rasio kuota non-JKN",
        "minutes_per_patient" => "Menit per pasien",
        "weight_emergency" => "Bobot gawat darurat",
        "weight_paid" => "Bobot pasien berbayar",
        "weight_follow_up" => "Bobot kontrol",
        "weight_walk_in" => "Bobot datang langsung",
        "weight_online" => "Bobot booking online",
        "schedule_refresh_time" => "Jam pembaruan jadwal",
        "printer_device" => "Printer karcis",
        "printer_paper" => "Lebar kertas karcis",
        "poli_nonjkn_ratio" => "Rasio non-JKN per poli",
        "poli_minutes_per_patient" => "Menit per pasien per poli",
        "quota_alert_threshold" => "Peringatan kuota hampir penuh",
        "spm_dm_codes" => "Kode ICD-10 program DM",
        "spm_ht_codes" => "Kode ICD-10 program HT",
        "spm_targets" => "Sasaran tahunan SPM",
        _ => "Pengaturan",
    }
}

fn text(key: &str, raw: &str, max: usize, required: bool) -> Result<String> {
    let v = raw.trim();
    if required && v.is_empty() {
        return Err(Error::invalid(format!("{} wajib diisi.", label(key))));
    }
    if v.chars().count() > max {
        return Err(Error::invalid(format!("{} paling panjang {max} karakter.", label(key))));
    }
    if v.chars().any(char::is_control) {
        return Err(Error::invalid(format!(
            "{} tidak boleh berisi karakter kontrol.",
            label(key)
        )));
    }
    Ok(v.to_string())
}

fn int_in(key: &str, raw: &str, min: u32, max: u32) -> Result<u32> {
    let v = raw.trim();
    let n: u32 = v
        .parse()
        .map_err(|_| Error::invalid(format!("{} harus bilangan bulat, bukan \"{v}\".", label(key))))?;
    if !(min..=max).contains(&n) {
        return Err(Error::invalid(format!("{} harus antara {min} dan {max}.", label(key))));
    }
    Ok(n)
}

/// Parses a ratio such as `0.30`, `0,3` or `30%` into basis points, exactly (no floating point).
pub fn parse_ratio_bp(raw: &str) -> Result<u32> {
    let bad = || {
        Error::invalid(format!(
            "Rasio kuota non-JKN \"{}\" tidak valid; isi angka 0 sampai 1, misalnya 0.30 (atau 30%).",
            raw.trim()
        ))
    };
    let s = raw.trim().replace(',', ".");
    let (num, scale_bp) = match s.strip_suffix('%') {
        Some(p) => (p.trim().to_string(), 100u64),
        None => (s.clone(), 10_000u64),
    };
    let (int_part, frac_part) = num.split_once('.').unwrap_or((num.as_str(), ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return Err(bad());
    }
    if !int_part.chars().all(|c| c.is_ascii_digit()) || !frac_part.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let decimals = frac_part.len() as u32;
    if decimals > 6 || int_part.len() > 6 {
        return Err(bad());
    }
    let int: u64 = if int_part.is_empty() {
        0
    } else {
        int_part.parse().map_err(|_| bad())?
    };
    let frac: u64 = if frac_part.is_empty() {
        0
    } else {
        frac_part.parse().map_err(|_| bad())?
    };
    let denom = 10u64.pow(decimals);
    let scaled = (int * denom + frac) * scale_bp;
    if !scaled.is_multiple_of(denom) {
        return Err(Error::invalid(
            "Rasio kuota non-JKN paling teliti 4 angka di belakang koma (0.0001).".to_string(),
        ));
    }
    let bp = scaled / denom;
    if bp > 10_000 {
        return Err(Error::invalid(
            "Rasio kuota non-JKN harus antara 0 dan 1 (0% sampai 100%).".to_string(),
        ));
    }
    Ok(bp as u32)
}

/// `0.30` for 3000 basis points: at least two decimals, trailing zeros beyond them dropped.
pub fn format_ratio_bp(bp: u32) -> String {
    let mut s = format!("{}.{:04}", bp / 10_000, bp % 10_000);
    while s.ends_with('0') && s.len() > s.find('.').unwrap_or(0) + 3 {
        s.pop();
    }
    s
}

/// Parses `KODE=value, KODE=value` (a poli code, 1–10 letters or digits, upper-cased, each once)
/// with `value` parsed by `parse`. Empty: no overrides.
fn parse_poli_map(key: &str, raw: &str, parse: impl Fn(&str) -> Result<u32>) -> Result<BTreeMap<String, u32>> {
    let mut out = BTreeMap::new();
    for part in raw.split([',', ';', '\n']).map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').ok_or_else(|| {
            Error::invalid(format!(
                "{}: tulis KODE=nilai, misalnya ANA=0.25; \"{part}\" tidak sesuai.",
                label(key)
            ))
        })?;
        let kode = k.trim().to_uppercase();
        if kode.is_empty() || kode.len() > 10 || !kode.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(Error::invalid(format!(
                "{}: kode poli \"{}\" tidak valid.",
                label(key),
                k.trim()
            )));
        }
        let value = parse(v.trim()).map_err(|e| Error::invalid(format!("{} {kode}: {}", label(key), e.message)))?;
        if out.insert(kode.clone(), value).is_some() {
            return Err(Error::invalid(format!(
                "{}: poli {kode} tercantum dua kali.",
                label(key)
            )));
        }
    }
    Ok(out)
}

fn format_poli_map(map: &BTreeMap<String, u32>, format: impl Fn(u32) -> String) -> String {
    map.iter()
        .map(|(k, v)| format!("{k}={}", format(*v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parses `dm:2026=1200, ht:2026=3400` (programme, year, annual target in patients).
fn parse_spm_targets(raw: &str) -> Result<BTreeMap<String, u32>> {
    let mut out = BTreeMap::new();
    for part in raw.split([',', ';', '\n']).map(str::trim).filter(|p| !p.is_empty()) {
        let bad = || {
            Error::invalid(format!(
                "Sasaran SPM \"{part}\" tidak sesuai; tulis program:tahun=jumlah, misalnya dm:2026=1200."
            ))
        };
        let (k, v) = part.split_once('=').ok_or_else(bad)?;
        let (program, year) = k.trim().split_once(':').ok_or_else(bad)?;
        let program: crate::spm::Program = program.parse()?;
        let year: i32 = year.trim().parse().map_err(|_| bad())?;
        if !(2000..=2100).contains(&year) {
            return Err(Error::invalid("Tahun sasaran SPM harus antara 2000 dan 2100."));
        }
        let target: u32 = v.trim().parse().map_err(|_| bad())?;
        if target == 0 || target > 10_000_000 {
            return Err(Error::invalid("Sasaran SPM harus 1 sampai 10.000.000 pasien."));
        }
        out.insert(format!("{}:{year}", program.as_str()), target);
    }
    Ok(out)
}

fn minutes(raw: &str) -> Result<u32> {
    let n: u32 = raw
        .parse()
        .map_err(|_| Error::invalid(format!("harus bilangan bulat menit, bukan \"{raw}\".")))?;
    if !(1..=240).contains(&n) {
        return Err(Error::invalid("harus antara 1 dan 240 menit."));
    }
    Ok(n)
}

/// Parses a poli list: a JSON array `[{"kode":"ANA","nama":"Anak"}]` or the short form
/// `ANA=Anak, INT=Penyakit Dalam`. Codes are upper-cased, unique, 1–10 letters or digits.
pub fn parse_polis(raw: &str) -> Result<Vec<Poli>> {
    let raw = raw.trim();
    let polis: Vec<Poli> = if raw.starts_with('[') {
        serde_json::from_str(raw).map_err(|_| {
            Error::invalid("Daftar poli harus berupa JSON [{\"kode\":\"ANA\",\"nama\":\"Anak\"}] atau ANA=Anak, INT=Penyakit Dalam.")
        })?
    } else if raw.is_empty() {
        Vec::new()
    } else {
        raw.split([',', ';', '\n'])
            .filter(|p| !p.trim().is_empty())
            .map(|p| {
                let (k, n) = p.split_once('=').ok_or_else(|| {
                    Error::invalid(format!(
                        "Poli \"{}\" harus ditulis KODE=Nama, misalnya ANA=Anak.",
                        p.trim()
                    ))
                })?;
                Ok(Poli {
                    kode: k.to_string(),
                    nama: n.to_string(),
                })
            })
            .collect::<Result<_>>()?
    };
    let mut seen = std::collections::BTreeSet::new();
    polis
        .into_iter()
        .map(|p| {
            let kode = p.kode.trim().to_uppercase();
            if kode.is_empty() || kode.len() > 10 || !kode.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(Error::invalid(format!(
                    "Kode poli \"{}\" tidak valid: 1–10 huruf atau angka, misalnya ANA.",
                    p.kode.trim()
                )));
            }
            let nama = text("polis", &p.nama, 80, true)
                .map_err(|_| Error::invalid(format!("Nama poli {kode} wajib diisi (paling panjang 80 karakter).")))?;
            if !seen.insert(kode.clone()) {
                return Err(Error::invalid(format!("Kode poli {kode} tercantum dua kali.")));
            }
            Ok(Poli { kode, nama })
        })
        .collect()
}

/// The error for a key that is not a setting, naming the keys that are.
pub fn unknown_key(key: &str) -> Error {
    Error::invalid(format!(
        "Pengaturan \"{key}\" tidak dikenal. Yang tersedia: {}.",
        KEYS.join(", ")
    ))
}

/// Validates one value and returns its normalised stored form. Unknown keys are refused.
pub fn normalize(key: &str, raw: &str) -> Result<String> {
    Ok(match key {
        "hospital_name" => text(key, raw, 120, true)?,
        "kode_ppk" => {
            let v = raw.trim().to_uppercase();
            if !v.is_empty() && (v.len() > 12 || !v.chars().all(|c| c.is_ascii_alphanumeric())) {
                return Err(Error::invalid(
                    "Kode PPK hanya huruf dan angka, paling panjang 12 karakter.",
                ));
            }
            v
        }
        "desk_id" => {
            let v = text(key, raw, 32, true)?;
            if !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                return Err(Error::invalid("ID loket hanya huruf, angka, tanda - dan _."));
            }
            v
        }
        "clerk" => text(key, raw, 80, false)?,
        "polis" => serde_json::to_string(&parse_polis(raw)?).map_err(|e| Error::internal(e.to_string()))?,
        "nonjkn_ratio" => format_ratio_bp(parse_ratio_bp(raw)?),
        "minutes_per_patient" => int_in(key, raw, 1, 240)?.to_string(),
        "weight_emergency" | "weight_paid" | "weight_follow_up" | "weight_walk_in" | "weight_online" => {
            int_in(key, raw, 0, 100_000)?.to_string()
        }
        "schedule_refresh_time" => parse_hhmm(raw)
            .map_err(|_| {
                Error::invalid(format!(
                    "Jam pembaruan jadwal \"{}\" tidak valid; gunakan JJ:MM, misalnya 05:00.",
                    raw.trim()
                ))
            })?
            .format("%H:%M")
            .to_string(),
        "printer_device" => {
            let v = text(key, raw, 255, false)?;
            if !v.is_empty() && !v.starts_with('/') {
                return Err(Error::invalid(
                    "Printer karcis harus path absolut, misalnya /dev/usb/lp0, atau dikosongkan.",
                ));
            }
            v
        }
        "printer_paper" => crate::ticket::Paper::parse(raw)?.as_str().to_string(),
        "poli_nonjkn_ratio" => format_poli_map(&parse_poli_map(key, raw, parse_ratio_bp)?, format_ratio_bp),
        "poli_minutes_per_patient" => format_poli_map(&parse_poli_map(key, raw, minutes)?, |m| m.to_string()),
        "quota_alert_threshold" => format_ratio_bp(parse_ratio_bp(raw).map_err(|_| {
            Error::invalid("Peringatan kuota hampir penuh: isi 0 sampai 1, misalnya 0.90 (atau 90%); 0 mematikan.")
        })?),
        "spm_dm_codes" => crate::spm::ProgramCodes::parse(crate::spm::Program::Dm, raw)?.to_string(),
        "spm_ht_codes" => crate::spm::ProgramCodes::parse(crate::spm::Program::Ht, raw)?.to_string(),
        "spm_targets" => format_poli_map(&parse_spm_targets(raw)?, |t| t.to_string()),
        _ => return Err(unknown_key(key)),
    })
}

impl Settings {
    /// Builds the effective settings from stored, already-normalised values; missing keys keep
    /// their defaults. A stored value that no longer validates is an error, never silently reset.
    pub fn from_stored(stored: &BTreeMap<String, String>) -> Result<Settings> {
        let mut s = Settings::default();
        for (k, v) in stored {
            s.apply(k, v)?;
        }
        Ok(s)
    }

    /// Validates `raw` for `key` and sets it. On error `self` is unchanged.
    pub fn apply(&mut self, key: &str, raw: &str) -> Result<String> {
        let v = normalize(key, raw)?;
        let num = || v.parse::<u32>().expect("normalised integer");
        match key {
            "hospital_name" => self.hospital_name = v.clone(),
            "kode_ppk" => self.kode_ppk = v.clone(),
            "desk_id" => self.desk_id = v.clone(),
            "clerk" => self.clerk = v.clone(),
            "polis" => self.polis = parse_polis(&v)?,
            "nonjkn_ratio" => self.nonjkn_ratio_bp = parse_ratio_bp(&v)?,
            "minutes_per_patient" => self.minutes_per_patient = num(),
            "weight_emergency" => self.weight_emergency = num(),
            "weight_paid" => self.weight_paid = num(),
            "weight_follow_up" => self.weight_follow_up = num(),
            "weight_walk_in" => self.weight_walk_in = num(),
            "weight_online" => self.weight_online = num(),
            "schedule_refresh_time" => self.schedule_refresh_time = v.clone(),
            "printer_device" => self.printer_device = v.clone(),
            "printer_paper" => self.printer_paper = crate::ticket::Paper::parse(&v)?,
            "poli_nonjkn_ratio" => self.poli_nonjkn_ratio_bp = parse_poli_map(key, &v, parse_ratio_bp)?,
            "poli_minutes_per_patient" => self.poli_minutes_per_patient = parse_poli_map(key, &v, minutes)?,
            "quota_alert_threshold" => self.quota_alert_threshold_bp = parse_ratio_bp(&v)?,
            "spm_dm_codes" => self.spm_dm_codes = v.clone(),
            "spm_ht_codes" => self.spm_ht_codes = v.clone(),
            "spm_targets" => self.spm_targets = parse_spm_targets(&v)?,
            _ => unreachable!("normalize refuses unknown keys"),
        }
        Ok(v)
    }

    /// The value of one key in its stored (normalised) form.
    pub fn get(&self, key: &str) -> Result<String> {
        Ok(match key {
            "hospital_name" => self.hospital_name.clone(),
            "kode_ppk" => self.kode_ppk.clone(),
            "desk_id" => self.desk_id.clone(),
            "clerk" => self.clerk.clone(),
            "polis" => serde_json::to_string(&self.polis).map_err(|e| Error::internal(e.to_string()))?,
            "nonjkn_ratio" => format_ratio_bp(self.nonjkn_ratio_bp),
            "minutes_per_patient" => self.minutes_per_patient.to_string(),
            "weight_emergency" => self.weight_emergency.to_string(),
            "weight_paid" => self.weight_paid.to_string(),
            "weight_follow_up" => self.weight_follow_up.to_string(),
            "weight_walk_in" => self.weight_walk_in.to_string(),
            "weight_online" => self.weight_online.to_string(),
            "schedule_refresh_time" => self.schedule_refresh_time.clone(),
            "printer_device" => self.printer_device.clone(),
            "printer_paper" => self.printer_paper.as_str().to_string(),
            "poli_nonjkn_ratio" => format_poli_map(&self.poli_nonjkn_ratio_bp, format_ratio_bp),
            "poli_minutes_per_patient" => format_poli_map(&self.poli_minutes_per_patient, |m| m.to_string()),
            "quota_alert_threshold" => format_ratio_bp(self.quota_alert_threshold_bp),
            "spm_dm_codes" => self.spm_dm_codes.clone(),
            "spm_ht_codes" => self.spm_ht_codes.clone(),
            "spm_targets" => format_poli_map(&self.spm_targets, |t| t.to_string()),
            _ => return Err(unknown_key(key)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_seed() {
        let s = Settings::default();
        assert_eq!(s.nonjkn_ratio_bp, 3000);
        assert_eq!(s.minutes_per_patient, 6);
        assert_eq!(
            (
                s.weight_emergency,
                s.weight_paid,
                s.weight_follow_up,
                s.weight_walk_in,
                s.weight_online
            ),
            (1000, 300, 200, 100, 50)
        );
        assert_eq!(s.schedule_refresh_time, "05:00");
    }

    #[test]
    fn per_poli_overrides_thresholds_and_spm_settings() {
        let mut s = Settings::default();
        assert_eq!(
            s.apply("poli_nonjkn_ratio", "ana=0.25; BED = 40%").unwrap(),
            "ANA=0.25, BED=0.40"
        );
        assert_eq!((s.nonjkn_ratio_bp_of("ana"), s.nonjkn_ratio_bp_of("INT")), (2500, 3000));
        s.apply("poli_minutes_per_patient", "ANA=8").unwrap();
        assert_eq!(
            (s.minutes_per_patient_of("ANA"), s.minutes_per_patient_of("BED")),
            (8, 6)
        );
        assert_eq!(s.apply("quota_alert_threshold", "80%").unwrap(), "0.80");
        assert_eq!(s.quota_alert_threshold_bp, 8000);
        assert_eq!(
            s.apply("spm_targets", "dm:2026=1200, HT:2026=3400").unwrap(),
            "dm:2026=1200, ht:2026=3400"
        );
        assert_eq!((s.spm_target("dm", 2026), s.spm_target("dm", 2025)), (Some(1200), None));
        assert!(s.apply("spm_dm_codes", "E10-E14, E16").is_ok());
        let before = s.clone();
        for (k, bad) in [
            ("poli_nonjkn_ratio", "ANA"),
            ("poli_nonjkn_ratio", "ANA=2"),
            ("poli_nonjkn_ratio", "ANA=0.2, ana=0.3"),
            ("poli_minutes_per_patient", "ANA=0"),
            ("quota_alert_threshold", "120%"),
            ("spm_targets", "dm:2026=0"),
            ("spm_targets", "xx:2026=5"),
            ("spm_targets", "dm=5"),
            ("spm_ht_codes", "I1"),
        ] {
            let mut t = s.clone();
            assert!(t.apply(k, bad).is_err(), "{k}={bad}");
            assert_eq!(t, before, "{k}: a refused value changes nothing");
        }
        let stored: BTreeMap<String, String> = KEYS.iter().map(|k| (k.to_string(), s.get(k).unwrap())).collect();
        assert_eq!(Settings::from_stored(&stored).unwrap(), s, "every key round-trips");
    }

    #[test]
    fn ratio_is_parsed_exactly() {
        assert_eq!(parse_ratio_bp("0.30").unwrap(), 3000);
        assert_eq!(parse_ratio_bp("0,3").unwrap(), 3000);
        assert_eq!(parse_ratio_bp("30%").unwrap(), 3000);
        assert_eq!(parse_ratio_bp("0.29").unwrap(), 2900);
        assert_eq!(parse_ratio_bp("1").unwrap(), 10_000);
        assert_eq!(parse_ratio_bp(".5").unwrap(), 5000);
        for bad in ["", "abc", "-0.1", "1.5", "0.00001", "1e-1", "."] {
            assert!(parse_ratio_bp(bad).is_err(), "{bad}");
        }
        assert_eq!(format_ratio_bp(3000), "0.30");
        assert_eq!(format_ratio_bp(2950), "0.295");
        assert_eq!(format_ratio_bp(10_000), "1.00");
        assert_eq!(format_ratio_bp(0), "0.00");
        assert_eq!(format_ratio_bp(1), "0.0001");
        for bp in [0, 1, 5, 50, 500, 2900, 3000, 3333, 9999, 10_000] {
            assert_eq!(parse_ratio_bp(&format_ratio_bp(bp)).unwrap(), bp, "round trip {bp}");
        }
    }

    #[test]
    fn polis_in_both_forms() {
        let p = parse_polis("ana=Anak, INT=Penyakit Dalam").unwrap();
        assert_eq!(
            p,
            vec![
                Poli {
                    kode: "ANA".into(),
                    nama: "Anak".into()
                },
                Poli {
                    kode: "INT".into(),
                    nama: "Penyakit Dalam".into()
                }
            ]
        );
        let j = parse_polis(r#"[{"kode":"bed","nama":"Bedah"}]"#).unwrap();
        assert_eq!(j[0].kode, "BED");
        assert!(parse_polis("ANA=Anak,ANA=Lagi")
            .unwrap_err()
            .message
            .contains("dua kali"));
        assert!(parse_polis("ANA").is_err());
        assert!(parse_polis("A B=x").is_err());
        assert!(parse_polis("ANA=").is_err());
    }

    #[test]
    fn invalid_values_change_nothing() {
        let mut s = Settings::default();
        let before = s.clone();
        for (k, v) in [
            ("minutes_per_patient", "0"),
            ("minutes_per_patient", "enam"),
            ("weight_paid", "-1"),
            ("schedule_refresh_time", "25:00"),
            ("hospital_name", "   "),
            ("desk_id", "loket satu"),
            ("nonjkn_ratio", "2"),
            ("unknown_key", "x"),
        ] {
            let e = s.apply(k, v).unwrap_err();
            assert_eq!(e.code, crate::ErrorCode::InvalidInput, "{k}={v}");
            assert!(!e.message.is_empty());
        }
        assert_eq!(s, before);
    }

    #[test]
    fn stored_values_round_trip() {
        let mut s = Settings::default();
        s.apply("hospital_name", "  RSUD Sehat ").unwrap();
        s.apply("polis", "ANA=Anak").unwrap();
        s.apply("nonjkn_ratio", "25%").unwrap();
        s.apply("schedule_refresh_time", "04:30").unwrap();
        let stored: BTreeMap<String, String> = KEYS.iter().map(|k| (k.to_string(), s.get(k).unwrap())).collect();
        assert_eq!(Settings::from_stored(&stored).unwrap(), s);
        assert_eq!(s.get("nonjkn_ratio").unwrap(), "0.25");
        assert_eq!(s.hospital_name, "RSUD Sehat");
    }
}
