//! What BPJS needs to know about a patient for `antrean/add`: card number, NIK, phone, visit type,
//! referral or control-letter number, new or existing patient, medical-record number.
//!
//! A token is issued even when some of it is missing (the desk never stops): the outbox item
//! then waits, marked incomplete with [`PatientDetails::missing_for_bpjs`], until the clerk
//! completes the details. Messages name the field, never its value, and `Debug` hides the
//! identifying numbers so they cannot reach a log.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::opd::Jenis;
use crate::{Error, Result};

/// Field names as BPJS spells them (and as [`PatientDetails::missing_for_bpjs`] reports them).
pub mod field {
    pub const NOMORKARTU: &str = "nomorkartu";
    pub const NIK: &str = "nik";
    pub const NOHP: &str = "nohp";
    pub const JENISKUNJUNGAN: &str = "jeniskunjungan";
    pub const NOMORREFERENSI: &str = "nomorreferensi";
    pub const NORM: &str = "norm";
}

/// Length of a BPJS card number (`nomorkartu`).
pub const NOMORKARTU_LEN: usize = 13;
/// Length of a NIK.
pub const NIK_LEN: usize = 16;
/// Digits of a phone number, prefix included.
pub const NOHP_DIGITS: std::ops::RangeInclusive<usize> = 9..=15;
/// Longest referral / control-letter number accepted.
pub const NOMORREFERENSI_MAX: usize = 40;
/// Longest medical-record number accepted.
pub const NORM_MAX: usize = 30;

/// `jeniskunjungan`: 1 rujukan FKTP, 2 rujukan internal, 3 kontrol, 4 rujukan antar RS.
pub const JENISKUNJUNGAN: std::ops::RangeInclusive<u8> = 1..=4;

/// The clerk's word for a `jeniskunjungan` value.
pub fn jeniskunjungan_label(v: u8) -> Option<&'static str> {
    match v {
        1 => Some("Rujukan FKTP"),
        2 => Some("Rujukan internal"),
        3 => Some("Kontrol"),
        4 => Some("Rujukan antar RS"),
        _ => None,
    }
}

/// The clerk's name of a BPJS field.
pub fn field_label(field: &str) -> &'static str {
    match field {
        field::NOMORKARTU => "Nomor kartu BPJS",
        field::NIK => "NIK",
        field::NOHP => "Nomor HP",
        field::JENISKUNJUNGAN => "Jenis kunjungan",
        field::NOMORREFERENSI => "Nomor rujukan/surat kontrol",
        field::NORM => "Nomor rekam medis",
        "kodedokter" => "Kode dokter HFIS",
        _ => "Data pasien",
    }
}

/// `Data untuk BPJS belum lengkap: NIK, Nomor HP.` for the outbox screen; empty when nothing
/// is missing.
pub fn describe_missing<S: AsRef<str>>(missing: &[S]) -> String {
    if missing.is_empty() {
        return String::new();
    }
    let labels: Vec<&str> = missing.iter().map(|f| field_label(f.as_ref())).collect();
    format!("Data untuk BPJS belum lengkap: {}.", labels.join(", "))
}

/// The patient details a token carries for BPJS. Every field may be absent.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct PatientDetails {
    /// BPJS card number, 13 digits.
    pub nomorkartu: Option<String>,
    /// NIK, 16 digits.
    pub nik: Option<String>,
    /// Indonesian phone: digits, optionally `+62`, `62` or `0` first; 9–15 digits.
    pub nohp: Option<String>,
    /// 1 rujukan FKTP, 2 rujukan internal, 3 kontrol, 4 rujukan antar RS.
    pub jeniskunjungan: Option<u8>,
    /// Referral or control-letter number.
    pub nomorreferensi: Option<String>,
    /// New patient at this hospital (BPJS `pasienbaru` 1).
    pub pasien_baru: bool,
    /// Medical-record number.
    pub norm: Option<String>,
}

/// Shows which fields are present, never their values.
impl fmt::Debug for PatientDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |v: &Option<String>| if v.is_some() { "Some(<hidden>)" } else { "None" };
        f.debug_struct("PatientDetails")
            .field("nomorkartu", &format_args!("{}", shown(&self.nomorkartu)))
            .field("nik", &format_args!("{}", shown(&self.nik)))
            .field("nohp", &format_args!("{}", shown(&self.nohp)))
            .field("jeniskunjungan", &self.jeniskunjungan)
            .field("nomorreferensi", &format_args!("{}", shown(&self.nomorreferensi)))
            .field("pasien_baru", &self.pasien_baru)
            .field("norm", &format_args!("{}", shown(&self.norm)))
            .finish()
    }
}

fn digits(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit())
}

fn nomorkartu_ok(s: &str) -> bool {
    digits(s, NOMORKARTU_LEN)
}

fn nik_ok(s: &str) -> bool {
    digits(s, NIK_LEN)
}

fn nohp_ok(s: &str) -> bool {
    let rest = match s.strip_prefix('+') {
        Some(r) if r.starts_with("62") => r,
        Some(_) => return false,
        None => s,
    };
    rest.bytes().all(|b| b.is_ascii_digit()) && NOHP_DIGITS.contains(&rest.len())
}

fn code_ok(s: &str, max: usize) -> bool {
    !s.is_empty()
        && s.chars().count() <= max
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '/' | '_'))
}

fn nomorreferensi_ok(s: &str) -> bool {
    code_ok(s, NOMORREFERENSI_MAX)
}

fn norm_ok(s: &str) -> bool {
    code_ok(s, NORM_MAX)
}

fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn clean(v: &Option<String>, drop: &[char]) -> Option<String> {
    present(v)
        .map(|s| s.chars().filter(|c| !drop.contains(c)).collect::<String>())
        .filter(|s| !s.is_empty())
}

impl PatientDetails {
    /// Details as a clerk typed them, tidied: surrounding blanks trimmed, blank fields absent,
    /// the separators people type inside numbers (spaces, `-`, `.`, brackets in phones) removed,
    /// referral numbers upper-cased. Never fails; [`PatientDetails::validate`] judges the result.
    pub fn normalized(&self) -> PatientDetails {
        PatientDetails {
            nomorkartu: clean(&self.nomorkartu, &[' ', '-', '.']),
            nik: clean(&self.nik, &[' ', '-', '.']),
            nohp: clean(&self.nohp, &[' ', '-', '.', '(', ')']),
            jeniskunjungan: self.jeniskunjungan,
            nomorreferensi: present(&self.nomorreferensi).map(str::to_ascii_uppercase),
            pasien_baru: self.pasien_baru,
            norm: present(&self.norm).map(str::to_string),
        }
    }

    /// Whether anything besides the medical-record number is given (the token row already
    /// holds that, so a token with no more than it needs no stored details).
    pub fn beyond_norm(&self) -> bool {
        self.nomorkartu.is_some()
            || self.nik.is_some()
            || self.nohp.is_some()
            || self.jeniskunjungan.is_some()
            || self.nomorreferensi.is_some()
            || self.pasien_baru
    }

    /// Checks the format of every present field; absent fields are fine here (see
    /// [`PatientDetails::missing_for_bpjs`]). The message names the field, never its value.
    pub fn validate(&self) -> Result<()> {
        let check = |v: &Option<String>, ok: fn(&str) -> bool, message: &str| match v {
            Some(s) if !ok(s) => Err(Error::invalid(message)),
            _ => Ok(()),
        };
        check(
            &self.nomorkartu,
            nomorkartu_ok,
            "Nomor kartu BPJS harus 13 angka, tanpa huruf atau spasi.",
        )?;
        check(&self.nik, nik_ok, "NIK harus 16 angka, tanpa huruf atau spasi.")?;
        check(
            &self.nohp,
            nohp_ok,
            "Nomor HP tidak valid: isi 9–15 angka, boleh diawali 0, 62 atau +62, tanpa spasi.",
        )?;
        if let Some(j) = self.jeniskunjungan {
            if !JENISKUNJUNGAN.contains(&j) {
                return Err(Error::invalid(
                    "Jenis kunjungan harus 1 (rujukan FKTP), 2 (rujukan internal), 3 (kontrol) atau 4 (rujukan antar RS).",
                ));
            }
        }
        check(
            &self.nomorreferensi,
            nomorreferensi_ok,
            "Nomor rujukan/surat kontrol tidak valid: huruf, angka, '-', '.', '/' atau '_', paling panjang 40 karakter.",
        )?;
        check(
            &self.norm,
            norm_ok,
            "Nomor rekam medis tidak valid: huruf, angka, '-', '.', '/' atau '_', paling panjang 30 karakter.",
        )?;
        Ok(())
    }

    /// These details with every malformed field dropped (absent), so that data from elsewhere (a
    /// synced booking) never stops a token; [`PatientDetails::missing_for_bpjs`] then names
    /// what is still needed.
    pub fn keep_valid(&self) -> PatientDetails {
        let keep = |v: &Option<String>, ok: fn(&str) -> bool| v.clone().filter(|s| ok(s));
        PatientDetails {
            nomorkartu: keep(&self.nomorkartu, nomorkartu_ok),
            nik: keep(&self.nik, nik_ok),
            nohp: keep(&self.nohp, nohp_ok),
            jeniskunjungan: self.jeniskunjungan.filter(|j| JENISKUNJUNGAN.contains(j)),
            nomorreferensi: keep(&self.nomorreferensi, nomorreferensi_ok),
            pasien_baru: self.pasien_baru,
            norm: keep(&self.norm, norm_ok),
        }
    }

    /// The BPJS fields (as BPJS names them, see [`field`]) that `antrean/add` still lacks for a
    /// patient of this jenis: JKN needs card, NIK, phone, visit type and referral number; non-JKN
    /// needs NIK and phone. A field that is present but malformed counts as missing.
    pub fn missing_for_bpjs(&self, jenis: Jenis) -> Vec<&'static str> {
        let kunjungan_ok = self.jeniskunjungan.is_some_and(|j| JENISKUNJUNGAN.contains(&j));
        let text_ok = |v: &Option<String>, ok: fn(&str) -> bool| v.as_deref().is_some_and(ok);
        let checks: Vec<(&'static str, bool)> = match jenis {
            Jenis::Jkn => vec![
                (field::NOMORKARTU, text_ok(&self.nomorkartu, nomorkartu_ok)),
                (field::NIK, text_ok(&self.nik, nik_ok)),
                (field::NOHP, text_ok(&self.nohp, nohp_ok)),
                (field::JENISKUNJUNGAN, kunjungan_ok),
                (field::NOMORREFERENSI, text_ok(&self.nomorreferensi, nomorreferensi_ok)),
            ],
            Jenis::NonJkn => vec![
                (field::NIK, text_ok(&self.nik, nik_ok)),
                (field::NOHP, text_ok(&self.nohp, nohp_ok)),
            ],
        };
        checks.into_iter().filter(|(_, ok)| !ok).map(|(f, _)| f).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    const KARTU: &str = "0001234567890";
    const NIK: &str = "3174012345678901";

    fn complete() -> PatientDetails {
        PatientDetails {
            nomorkartu: Some(KARTU.into()),
            nik: Some(NIK.into()),
            nohp: Some("081234567890".into()),
            jeniskunjungan: Some(1),
            nomorreferensi: Some("0301R0011117B000003".into()),
            pasien_baru: false,
            norm: Some("000123".into()),
        }
    }

    #[test]
    fn complete_details_validate_and_miss_nothing() {
        let p = complete();
        p.validate().unwrap();
        assert!(p.missing_for_bpjs(Jenis::Jkn).is_empty());
        assert!(p.missing_for_bpjs(Jenis::NonJkn).is_empty());
        PatientDetails::default().validate().unwrap();
    }

    #[test]
    fn keep_valid_drops_only_malformed_fields() {
        let d = PatientDetails {
            nomorkartu: Some("123".into()),
            nik: Some("3174012345678901".into()),
            nohp: Some("08x".into()),
            jeniskunjungan: Some(9),
            nomorreferensi: Some("0301R001".into()),
            pasien_baru: true,
            norm: Some("00012345".into()),
        }
        .keep_valid();
        assert!(d.validate().is_ok());
        assert_eq!((d.nomorkartu, d.nohp, d.jeniskunjungan), (None, None, None));
        assert_eq!(
            (d.nik.as_deref(), d.nomorreferensi.as_deref()),
            (Some("3174012345678901"), Some("0301R001"))
        );
        assert!(d.pasien_baru);
    }

    #[test]
    fn format_errors_name_the_field_not_the_value() {
        let cases: Vec<(PatientDetails, &str)> = vec![
            (
                PatientDetails {
                    nomorkartu: Some("000123456789".into()),
                    ..complete()
                },
                "Nomor kartu BPJS",
            ),
            (
                PatientDetails {
                    nomorkartu: Some("000123456789A".into()),
                    ..complete()
                },
                "Nomor kartu BPJS",
            ),
            (
                PatientDetails {
                    nik: Some("317401234567890".into()),
                    ..complete()
                },
                "NIK",
            ),
            (
                PatientDetails {
                    nik: Some("31740123456789012".into()),
                    ..complete()
                },
                "NIK",
            ),
            (
                PatientDetails {
                    nohp: Some("0812".into()),
                    ..complete()
                },
                "Nomor HP",
            ),
            (
                PatientDetails {
                    nohp: Some("+1 555 0100".into()),
                    ..complete()
                },
                "Nomor HP",
            ),
            (
                PatientDetails {
                    nohp: Some("0812-3456-7890".into()),
                    ..complete()
                },
                "Nomor HP",
            ),
            (
                PatientDetails {
                    jeniskunjungan: Some(5),
                    ..complete()
                },
                "Jenis kunjungan",
            ),
            (
                PatientDetails {
                    jeniskunjungan: Some(0),
                    ..complete()
                },
                "Jenis kunjungan",
            ),
            (
                PatientDetails {
                    nomorreferensi: Some("rujukan #1".into()),
                    ..complete()
                },
                "Nomor rujukan",
            ),
            (
                PatientDetails {
                    nomorreferensi: Some("A".repeat(41)),
                    ..complete()
                },
                "Nomor rujukan",
            ),
            (
                PatientDetails {
                    norm: Some("RM 12".into()),
                    ..complete()
                },
                "Nomor rekam medis",
            ),
        ];
        for (p, field) in cases {
            let e = p.validate().unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidInput);
            assert!(e.message.starts_with(field), "{field}: {}", e.message);
            for secret in [
                p.nomorkartu.clone(),
                p.nik.clone(),
                p.nohp.clone(),
                p.nomorreferensi.clone(),
                p.norm.clone(),
            ]
            .into_iter()
            .flatten()
            {
                assert!(!e.message.contains(&secret), "{field} message leaks its value");
            }
        }
    }

    #[test]
    fn phone_numbers() {
        let ok = [
            "081234567890",
            "6281234567890",
            "+6281234567890",
            "0211234567",
            "812345678",
            "081234567890123",
        ];
        for s in ok {
            assert!(nohp_ok(s), "{s}");
        }
        let bad = [
            "",
            "08123456",
            "0812345678901234",
            "+081234567890",
            "+1234567890",
            "0812 3456 789",
            "08123456789a",
            "++6281234567",
        ];
        for s in bad {
            assert!(!nohp_ok(s), "{s}");
        }
    }

    #[test]
    fn normalized_tidies_what_clerks_type() {
        let typed = PatientDetails {
            nomorkartu: Some(" 0001 2345 67890 ".into()),
            nik: Some("3174-0123-4567-8901".into()),
            nohp: Some("(0812) 3456-7890".into()),
            jeniskunjungan: Some(3),
            nomorreferensi: Some(" 0301r0011023k000001 ".into()),
            pasien_baru: true,
            norm: Some("   ".into()),
        };
        let n = typed.normalized();
        assert_eq!(n.nomorkartu.as_deref(), Some(KARTU));
        assert_eq!(n.nik.as_deref(), Some(NIK));
        assert_eq!(n.nohp.as_deref(), Some("081234567890"));
        assert_eq!(n.nomorreferensi.as_deref(), Some("0301R0011023K000001"));
        assert_eq!(n.norm, None);
        assert!(n.pasien_baru);
        n.validate().unwrap();
        assert_eq!(n.normalized(), n, "idempotent");
        let blank = PatientDetails {
            nik: Some(" - ".into()),
            ..PatientDetails::default()
        };
        assert_eq!(blank.normalized().nik, None);
    }

    #[test]
    fn missing_for_bpjs_per_jenis() {
        let empty = PatientDetails::default();
        assert_eq!(
            empty.missing_for_bpjs(Jenis::Jkn),
            vec!["nomorkartu", "nik", "nohp", "jeniskunjungan", "nomorreferensi"]
        );
        assert_eq!(empty.missing_for_bpjs(Jenis::NonJkn), vec!["nik", "nohp"]);
        let cases: Vec<(PatientDetails, Jenis, Vec<&str>)> = vec![
            (
                PatientDetails {
                    nomorreferensi: None,
                    ..complete()
                },
                Jenis::Jkn,
                vec!["nomorreferensi"],
            ),
            (
                PatientDetails {
                    nomorreferensi: None,
                    nomorkartu: None,
                    jeniskunjungan: None,
                    ..complete()
                },
                Jenis::NonJkn,
                vec![],
            ),
            (
                PatientDetails {
                    nik: Some("123".into()),
                    ..complete()
                },
                Jenis::NonJkn,
                vec!["nik"],
            ),
            (
                PatientDetails {
                    jeniskunjungan: Some(9),
                    nohp: None,
                    ..complete()
                },
                Jenis::Jkn,
                vec!["nohp", "jeniskunjungan"],
            ),
        ];
        for (p, jenis, want) in cases {
            assert_eq!(p.missing_for_bpjs(jenis), want, "{jenis}");
        }
        assert_eq!(
            describe_missing(&empty.missing_for_bpjs(Jenis::NonJkn)),
            "Data untuk BPJS belum lengkap: NIK, Nomor HP."
        );
        assert_eq!(describe_missing::<&str>(&[]), "");
        assert_eq!(jeniskunjungan_label(3), Some("Kontrol"));
        assert_eq!(jeniskunjungan_label(0), None);
    }

    #[test]
    fn debug_hides_identifying_numbers() {
        let s = format!("{:?}", complete());
        for secret in [KARTU, NIK, "081234567890", "0301R0011117B000003", "000123"] {
            assert!(!s.contains(secret), "{s}");
        }
        assert!(s.contains("nik: Some(<hidden>)"), "{s}");
        assert!(s.contains("jeniskunjungan: Some(1)"), "{s}");
    }

    #[test]
    fn serde_is_lenient_about_absent_fields() {
        let p: PatientDetails = serde_json::from_str(r#"{"nik":"3174012345678901"}"#).unwrap();
        assert_eq!(p.nik.as_deref(), Some(NIK));
        assert!(!p.pasien_baru);
        let back: PatientDetails = serde_json::from_value(serde_json::to_value(complete()).unwrap()).unwrap();
        assert_eq!(back, complete());
    }
}
