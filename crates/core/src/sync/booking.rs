//! Bookings become tokens: what a synced BOOKING_PASIEN row means for the desk's OPD tokens.
//!
//! - [`Booking::from_row`] and [`Jadwal::from_row`] read the converted rows of the BOOKING_PASIEN
//!   and JADWAL_DOKTER jobs by column name (the jobs are editable; a missing column is a skip).
//! - A booking names its schedule by `id_jadwal_dokter` (or only `id_dokter`); [`find_jadwal`]
//!   finds that schedule among the day's synced schedules and [`Jadwal::session_key`] gives the
//!   OPD session it belongs to: BPJS doctor code, date and shift start (WIB).
//! - [`booking_action`] compares the booking with the token already issued for it, if any.
//!
//! The caller only asks about bookings for today or later: past bookings are history.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use super::convert::{Cell, ConvertedRow, SkipCode, SkipReason};
use super::job::JobConfig;
use crate::opd::{Jenis, Status};

/// The reason written on a token cancelled because its booking was cancelled upstream. Fixed
/// text: the hospital's own `alasan_batal` is free text and may name the patient.
pub const BOOKING_CANCEL_REASON: &str = "Booking dibatalkan di sistem rumah sakit.";

/// The OPD session a booking belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SessionKey {
    /// BPJS (HFIS) doctor code.
    pub kode_dokter: String,
    pub tanggal: NaiveDate,
    /// The shift's start, WIB wall clock.
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub jam_mulai: NaiveTime,
}

/// `status_booking`, as far as the desk cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    /// `Aktif`: the patient is expected.
    Aktif,
    /// `Batal`: cancelled upstream.
    Batal,
    /// Anything else (e.g. already registered at the hospital): no token action.
    Lain,
}

impl BookingStatus {
    pub fn parse(s: &str) -> BookingStatus {
        match s.trim().to_lowercase().as_str() {
            "aktif" | "active" => BookingStatus::Aktif,
            "batal" | "dibatalkan" | "cancel" | "canceled" | "cancelled" => BookingStatus::Batal,
            _ => BookingStatus::Lain,
        }
    }
}

/// A booking, as the token logic sees it. Carries the medical record number, not the name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Booking {
    pub booking_id: i64,
    pub status: BookingStatus,
    /// `tanggal_antrian`: the day of the visit (WIB).
    pub tanggal: NaiveDate,
    /// `mulai`: the patient's time within the shift, if given.
    pub jam: Option<NaiveTime>,
    pub id_jadwal_dokter: Option<i64>,
    pub id_dokter: Option<i64>,
    pub no_rm: Option<String>,
    /// From `asuransi`: JKN when it names BPJS or JKN, else non-JKN.
    pub jenis: Jenis,
}

/// A doctor's shift on a date, from JADWAL_DOKTER.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jadwal {
    pub id_jadwal_dokter: i64,
    pub id_dokter: Option<i64>,
    pub kode_dokter_bpjs: Option<String>,
    pub kode_poli_bpjs: Option<String>,
    pub tanggal: NaiveDate,
    pub mulai: Option<NaiveTime>,
    pub selesai: Option<NaiveTime>,
}

fn cell<'a>(job: &JobConfig, row: &'a ConvertedRow, column: &str) -> Result<&'a Cell, SkipReason> {
    row.get(job, column).ok_or_else(|| SkipReason {
        column: Some(column.into()),
        code: SkipCode::Missing,
        message: format!("Tugas {} tidak memetakan kolom {column}.", job.name),
    })
}

fn required<T>(v: Option<T>, column: &str) -> Result<T, SkipReason> {
    v.ok_or_else(|| SkipReason {
        column: Some(column.into()),
        code: SkipCode::Missing,
        message: format!("Field \"{column}\" wajib diisi tetapi kosong."),
    })
}

/// JKN when the payer names BPJS or JKN (`BPJS Kesehatan`, `JKN-KIS`), else non-JKN (`UMUM`,
/// private insurers, empty).
pub fn jenis_of_asuransi(asuransi: Option<&str>) -> Jenis {
    let a = asuransi.unwrap_or_default().to_lowercase();
    if a.contains("bpjs") || a.contains("jkn") {
        Jenis::Jkn
    } else {
        Jenis::NonJkn
    }
}

impl Booking {
    /// Reads a converted BOOKING_PASIEN row. Needs `booking_id` and `tanggal_antrian`.
    pub fn from_row(job: &JobConfig, row: &ConvertedRow) -> Result<Booking, SkipReason> {
        let text = |c: &str| cell(job, row, c).map(|v| v.as_text().map(str::to_string));
        Ok(Booking {
            booking_id: required(cell(job, row, "booking_id")?.as_int(), "booking_id")?,
            status: BookingStatus::parse(&text("status_booking")?.unwrap_or_default()),
            tanggal: required(cell(job, row, "tanggal_antrian")?.as_date(), "tanggal_antrian")?,
            jam: cell(job, row, "mulai")?.as_time(),
            id_jadwal_dokter: cell(job, row, "id_jadwal_dokter")?.as_int(),
            id_dokter: cell(job, row, "id_dokter")?.as_int(),
            no_rm: text("no_rm")?,
            jenis: jenis_of_asuransi(text("asuransi")?.as_deref()),
        })
    }
}

impl Jadwal {
    /// Reads a converted JADWAL_DOKTER row. Needs `id_jadwal_dokter` and `tanggal`.
    pub fn from_row(job: &JobConfig, row: &ConvertedRow) -> Result<Jadwal, SkipReason> {
        let text = |c: &str| cell(job, row, c).map(|v| v.as_text().map(str::to_string));
        Ok(Jadwal {
            id_jadwal_dokter: required(cell(job, row, "id_jadwal_dokter")?.as_int(), "id_jadwal_dokter")?,
            id_dokter: cell(job, row, "id_dokter")?.as_int(),
            kode_dokter_bpjs: text("kode_dokter_bpjs")?,
            kode_poli_bpjs: text("kode_poli_bpjs")?,
            tanggal: required(cell(job, row, "tanggal")?.as_date(), "tanggal")?,
            mulai: cell(job, row, "mulai")?.as_time(),
            selesai: cell(job, row, "selesai")?.as_time(),
        })
    }

    /// The OPD session of this shift, when its BPJS doctor code and start are known.
    pub fn session_key(&self) -> Option<SessionKey> {
        Some(SessionKey {
            kode_dokter: self.kode_dokter_bpjs.clone().filter(|k| !k.is_empty())?,
            tanggal: self.tanggal,
            jam_mulai: self.mulai?,
        })
    }

    fn covers(&self, jam: NaiveTime) -> bool {
        self.mulai.is_some_and(|m| m <= jam) && self.selesai.is_none_or(|s| jam < s)
    }
}

/// The shift a booking belongs to: by `id_jadwal_dokter` on the booking's date; else the
/// doctor's only shift that day, or the one whose hours contain the booking's time.
pub fn find_jadwal<'a>(booking: &Booking, jadwal: &'a [Jadwal]) -> Option<&'a Jadwal> {
    let same_day = || jadwal.iter().filter(|j| j.tanggal == booking.tanggal);
    if let Some(id) = booking.id_jadwal_dokter {
        if let Some(j) = same_day().find(|j| j.id_jadwal_dokter == id) {
            return Some(j);
        }
    }
    let dokter = booking.id_dokter?;
    let mine: Vec<&Jadwal> = same_day().filter(|j| j.id_dokter == Some(dokter)).collect();
    if let [only] = mine.as_slice() {
        return Some(only);
    }
    let jam = booking.jam?;
    let covering: Vec<&Jadwal> = mine.into_iter().filter(|j| j.covers(jam)).collect();
    match covering.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

/// What the desk does with a booking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum BookingAction {
    /// An active booking without a token: issue one (source online) in this session.
    Issue { session: SessionKey },
    /// The booking was cancelled upstream and its token is still waiting: cancel it.
    Cancel { reason: String },
    /// The booking now points at another session: move the waiting token.
    Move { from: SessionKey, to: SessionKey },
    /// Nothing to do.
    Nothing,
    /// An active booking whose session cannot be found in the synced schedules (no schedule,
    /// or no BPJS doctor code or start time): show it to the clerk.
    UnknownSession,
}

/// Decides what to do with `booking`, given the token already issued for it (its session and
/// status) and the session the booking resolves to now ([`find_jadwal`], then
/// [`Jadwal::session_key`]).
///
/// | booking | token | action |
/// |---|---|---|
/// | Aktif | none | Issue, or UnknownSession without a session |
/// | Aktif | waiting, same session | Nothing |
/// | Aktif | waiting, other session | Move, or UnknownSession without a session |
/// | Aktif | cancelled, no-show, served | Nothing (the desk's decision stands) |
/// | Batal | waiting | Cancel |
/// | Batal | none or not waiting | Nothing |
/// | other status | any | Nothing |
///
/// "Waiting" is `confirmed` or `waitlisted`.
pub fn booking_action(
    existing_token: Option<(&SessionKey, Status)>,
    booking: &Booking,
    session: Option<&SessionKey>,
) -> BookingAction {
    let waiting = |s: Status| matches!(s, Status::Confirmed | Status::Waitlisted);
    match (booking.status, existing_token) {
        (BookingStatus::Lain, _) => BookingAction::Nothing,
        (BookingStatus::Batal, Some((_, s))) if waiting(s) => BookingAction::Cancel {
            reason: BOOKING_CANCEL_REASON.into(),
        },
        (BookingStatus::Batal, _) => BookingAction::Nothing,
        (BookingStatus::Aktif, None) => match session {
            Some(s) => BookingAction::Issue { session: s.clone() },
            None => BookingAction::UnknownSession,
        },
        (BookingStatus::Aktif, Some((from, s))) if waiting(s) => match session {
            Some(to) if to == from => BookingAction::Nothing,
            Some(to) => BookingAction::Move {
                from: from.clone(),
                to: to.clone(),
            },
            None => BookingAction::UnknownSession,
        },
        (BookingStatus::Aktif, Some(_)) => BookingAction::Nothing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::{builtin_jobs, convert_json_row};
    use serde_json::json;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn job(name: &str) -> JobConfig {
        builtin_jobs().into_iter().find(|j| j.name == name).unwrap()
    }

    fn booking_row() -> serde_json::Value {
        json!({
            "booking_id": 1435755, "id_dokter": 48, "dokter": "dr. Ahmad", "no_rm": "00123456",
            "nama_rm": "Budi Santoso", "status_booking": "Aktif", "tanggal_antrian": "2026-02-06",
            "mulai": "08:00:00", "selesai": "08:15:00", "asuransi": "BPJS Kesehatan", "id_jadwal_dokter": 901
        })
    }

    fn jadwal(id: i64, dokter: i64, kode: &str, mulai: NaiveTime, selesai: NaiveTime) -> Jadwal {
        Jadwal {
            id_jadwal_dokter: id,
            id_dokter: Some(dokter),
            kode_dokter_bpjs: Some(kode.into()),
            kode_poli_bpjs: Some("INT".into()),
            tanggal: d("2026-02-06"),
            mulai: Some(mulai),
            selesai: Some(selesai),
        }
    }

    fn key(kode: &str, jam: NaiveTime) -> SessionKey {
        SessionKey {
            kode_dokter: kode.into(),
            tanggal: d("2026-02-06"),
            jam_mulai: jam,
        }
    }

    #[test]
    fn a_booking_row_is_read_by_column() {
        let j = job("BOOKING_PASIEN");
        let r = convert_json_row(&j, &booking_row()).unwrap();
        let b = Booking::from_row(&j, &r).unwrap();
        assert_eq!(b.booking_id, 1435755);
        assert_eq!(b.status, BookingStatus::Aktif);
        assert_eq!(b.tanggal, d("2026-02-06"));
        assert_eq!(b.jam, Some(t(8, 0)));
        assert_eq!((b.id_jadwal_dokter, b.id_dokter), (Some(901), Some(48)));
        assert_eq!(b.no_rm.as_deref(), Some("00123456"));
        assert_eq!(b.jenis, Jenis::Jkn);

        let mut no_date = booking_row();
        no_date["tanggal_antrian"] = json!(null);
        let r = convert_json_row(&j, &no_date).unwrap();
        assert_eq!(Booking::from_row(&j, &r).unwrap_err().code, SkipCode::Missing);

        let mut edited = j.clone();
        edited.fields.retain(|f| f.column != "mulai");
        let r = convert_json_row(&edited, &booking_row()).unwrap();
        assert!(Booking::from_row(&edited, &r).unwrap_err().message.contains("mulai"));
    }

    #[test]
    fn a_jadwal_row_is_read_by_column() {
        let j = job("JADWAL_DOKTER");
        let row = json!({
            "id_jadwal_dokter": 901, "id_dokter": 48, "kode_dokter_bpjs": "33690", "kode_poli_bpjs": "INT",
            "tanggal": "2026-02-06", "mulai": "08:00", "selesai": "12:00", "kuota": 30
        });
        let jd = Jadwal::from_row(&j, &convert_json_row(&j, &row).unwrap()).unwrap();
        assert_eq!(jd, jadwal(901, 48, "33690", t(8, 0), t(12, 0)));
        assert_eq!(jd.session_key(), Some(key("33690", t(8, 0))));
        let no_code = Jadwal {
            kode_dokter_bpjs: None,
            ..jd.clone()
        };
        assert_eq!(no_code.session_key(), None);
        let no_start = Jadwal { mulai: None, ..jd };
        assert_eq!(no_start.session_key(), None);
    }

    #[test]
    fn jenis_and_status_words() {
        for (a, want) in [
            (Some("BPJS Kesehatan"), Jenis::Jkn),
            (Some("jkn-kis"), Jenis::Jkn),
            (Some("UMUM"), Jenis::NonJkn),
            (Some("Asuransi Swasta"), Jenis::NonJkn),
            (None, Jenis::NonJkn),
        ] {
            assert_eq!(jenis_of_asuransi(a), want, "{a:?}");
        }
        assert_eq!(BookingStatus::parse(" aktif "), BookingStatus::Aktif);
        assert_eq!(BookingStatus::parse("Batal"), BookingStatus::Batal);
        assert_eq!(BookingStatus::parse("Dibatalkan"), BookingStatus::Batal);
        assert_eq!(BookingStatus::parse("Sudah Registrasi"), BookingStatus::Lain);
        assert_eq!(BookingStatus::parse(""), BookingStatus::Lain);
    }

    #[test]
    fn finding_the_shift() {
        let j = job("BOOKING_PASIEN");
        let b = Booking::from_row(&j, &convert_json_row(&j, &booking_row()).unwrap()).unwrap();
        let pagi = jadwal(901, 48, "33690", t(8, 0), t(12, 0));
        let sore = jadwal(902, 48, "33690", t(16, 0), t(20, 0));
        let lain = jadwal(903, 50, "11111", t(8, 0), t(12, 0));
        let all = vec![lain.clone(), sore.clone(), pagi.clone()];
        assert_eq!(find_jadwal(&b, &all), Some(&pagi), "by id");

        let by_doctor = Booking {
            id_jadwal_dokter: None,
            jam: Some(t(17, 30)),
            ..b.clone()
        };
        assert_eq!(find_jadwal(&by_doctor, &all), Some(&sore), "by the booking's time");
        let no_time = Booking {
            jam: None,
            ..by_doctor.clone()
        };
        assert_eq!(find_jadwal(&no_time, &all), None, "two shifts, no time: ambiguous");
        assert_eq!(
            find_jadwal(&no_time, &[pagi.clone(), lain.clone()]),
            Some(&pagi),
            "the doctor's only shift"
        );
        let other_day = Booking {
            tanggal: d("2026-02-07"),
            ..b.clone()
        };
        assert_eq!(
            find_jadwal(&other_day, &all),
            None,
            "an id on another day does not count"
        );
        let stale_id = Booking {
            id_jadwal_dokter: Some(777),
            ..b
        };
        assert_eq!(find_jadwal(&stale_id, &all), Some(&pagi), "falls back to the doctor");
    }

    #[test]
    fn booking_action_table() {
        let j = job("BOOKING_PASIEN");
        let aktif = Booking::from_row(&j, &convert_json_row(&j, &booking_row()).unwrap()).unwrap();
        let batal = Booking {
            status: BookingStatus::Batal,
            ..aktif.clone()
        };
        let lain = Booking {
            status: BookingStatus::Lain,
            ..aktif.clone()
        };
        let pagi = key("33690", t(8, 0));
        let sore = key("33690", t(16, 0));
        let cancel = BookingAction::Cancel {
            reason: BOOKING_CANCEL_REASON.into(),
        };
        use BookingAction::{Nothing, UnknownSession};
        use Status::*;
        type Case<'a> = (
            &'a Booking,
            Option<(&'a SessionKey, Status)>,
            Option<&'a SessionKey>,
            BookingAction,
        );
        let cases: Vec<Case> = vec![
            (
                &aktif,
                None,
                Some(&pagi),
                BookingAction::Issue { session: pagi.clone() },
            ),
            (&aktif, None, None, UnknownSession),
            (&aktif, Some((&pagi, Confirmed)), Some(&pagi), Nothing),
            (&aktif, Some((&pagi, Waitlisted)), Some(&pagi), Nothing),
            (
                &aktif,
                Some((&pagi, Confirmed)),
                Some(&sore),
                BookingAction::Move {
                    from: pagi.clone(),
                    to: sore.clone(),
                },
            ),
            (&aktif, Some((&pagi, Confirmed)), None, UnknownSession),
            (&aktif, Some((&pagi, Cancelled)), Some(&pagi), Nothing),
            (&aktif, Some((&pagi, NoShow)), Some(&sore), Nothing),
            (&aktif, Some((&pagi, InProgress)), Some(&sore), Nothing),
            (&aktif, Some((&pagi, Completed)), Some(&pagi), Nothing),
            (&batal, Some((&pagi, Confirmed)), Some(&pagi), cancel.clone()),
            (&batal, Some((&pagi, Waitlisted)), None, cancel.clone()),
            (&batal, Some((&pagi, InProgress)), Some(&pagi), Nothing),
            (&batal, Some((&pagi, Cancelled)), Some(&pagi), Nothing),
            (&batal, None, Some(&pagi), Nothing),
            (&lain, None, Some(&pagi), Nothing),
            (&lain, Some((&pagi, Confirmed)), Some(&sore), Nothing),
        ];
        for (b, token, session, want) in cases {
            assert_eq!(
                booking_action(token, b, session),
                want,
                "{:?} {token:?} {session:?}",
                b.status
            );
        }
    }

    #[test]
    fn actions_serialise_with_a_tag() {
        let a = BookingAction::Issue {
            session: key("33690", t(8, 0)),
        };
        assert_eq!(
            serde_json::to_value(&a).unwrap(),
            json!({"action": "issue", "session": {"kode_dokter": "33690", "tanggal": "2026-02-06", "jam_mulai": "08:00:00"}})
        );
        assert_eq!(
            serde_json::to_value(BookingAction::Nothing).unwrap(),
            json!({"action": "nothing"})
        );
    }
}
