//! 239 BOOKING_PASIEN: bookings filtered by their registration instant
//! (`tanggal_registrasi_filter`, = `inserted_date`).
//!
//! Day `d` holds `bookings_per_day` bookings, registered between 05:00 and 22:00 WIB with times
//! that increase with the index, so a window that cuts a day is two binary searches. Bookings
//! added by a mutation come after them. Each booking is for a session 0–14 days after its
//! registration ([`World::sessions`], so it matches a JADWAL_DOKTER row and the BPJS schedule);
//! some are cancelled (always those whose doctor is libur) and some moved, and a mutation can
//! cancel or move more: the row keeps its `booking_id` and registration, and gets a new
//! `versi`, `updated_user` and `update_date`.

use super::{Cx, Seg};
use crate::hospital::catalogue::{
    ALASAN_BATAL, ALASAN_DOKTER_LIBUR, ASAL_BOOKING, ASURANSI_LAIN, CATATAN, CATATAN_PINDAH, HARI,
};
use crate::hospital::row::{opt, Row};
use crate::hospital::window::Window;
use crate::hospital::world::{
    day_no, day_word, hash, hms, iso_utc, rng, salt, stride, wib_midnight, ymd, Session, SessionCache, World,
};
use chrono::{Datelike, Days, NaiveDate};
use serde_json::Value;

pub(super) const FIELDS: &[&str] = &[
    "booking_id",
    "id_tagihan",
    "no_rm",
    "nama_rm",
    "nik_rm",
    "telepon",
    "no_hp",
    "status_booking",
    "status_registrasi",
    "tanggal_registrasi_filter",
    "status_rekam_medis",
    "tanggal_antrian",
    "antrian",
    "asal_booking",
    "no_asuransi",
    "no_rujukan",
    "no_kontrol",
    "asuransi",
    "code",
    "id_spesialis",
    "spesialis",
    "id_jadwal_dokter",
    "id_dokter",
    "dokter",
    "poliklinik",
    "hari",
    "mulai",
    "selesai",
    "kuota",
    "kuota_jkn",
    "kuota_vip",
    "catatan",
    "alasan_batal",
    "versi",
    "inserted_user",
    "inserted_date",
    "updated_user",
    "update_date",
    "nama_dokter",
    "nama_pasien",
];

/// First registration of a day: 05:00 WIB; the last before 22:00.
const OPEN: i64 = 5 * 3600;
const SPAN: i64 = 17 * 3600;

/// Id stride of one day: room for the regular bookings and added ones.
fn id_stride(n: u64) -> i64 {
    stride(n, n / 10 + 100)
}

/// How many bookings a mutation may add to one day.
pub(crate) fn extra_capacity(world: &World) -> usize {
    (id_stride(world.bookings_per_day) as u64 - world.bookings_per_day) as usize
}

/// `booking_id` of booking `idx` of `day`.
pub(crate) fn booking_id(world: &World, day: NaiveDate, idx: u64) -> i64 {
    1_000_000 + day_no(day) * id_stride(world.bookings_per_day) + idx as i64
}

/// Registration instant (unix seconds) of regular booking `idx` of `day`: non-decreasing in `idx`.
fn regular_time(world: &World, day: NaiveDate, idx: u64) -> i64 {
    let n = world.bookings_per_day.max(1) as i64;
    let step = SPAN / n;
    let jitter = if step > 0 {
        (hash(&[world.seed, salt::BOOKING, day_word(day), idx, 1]) % step as u64) as i64
    } else {
        0
    };
    wib_midnight(day) + OPEN + idx as i64 * SPAN / n + jitter
}

/// Registration instant of booking `idx` of `day` (regular or added).
fn registered(cx: &Cx<'_, '_>, day: NaiveDate, idx: u64) -> i64 {
    let n = cx.world.bookings_per_day;
    if idx < n {
        return regular_time(cx.world, day, idx);
    }
    cx.muts
        .extras
        .get(&day)
        .and_then(|v| v.get((idx - n) as usize))
        .copied()
        .unwrap_or_else(|| wib_midnight(day) + OPEN + SPAN)
}

/// The first regular index registered at or after `t`.
fn first_at_or_after(world: &World, day: NaiveDate, t: i64) -> usize {
    let (mut lo, mut hi) = (0u64, world.bookings_per_day);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if regular_time(world, day, mid) < t {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo as usize
}

pub(super) fn segments(cx: &Cx<'_, '_>, window: &Window) -> Vec<Seg> {
    let Some((from, to)) = window.dates() else {
        return Vec::new();
    };
    let from = from.max(cx.world.history_start);
    let to = to.min(cx.today);
    let n = cx.world.bookings_per_day as usize;
    let mut out: Vec<Seg> = Vec::new();
    for day in from.iter_days().take_while(|d| *d <= to) {
        let whole = window.start <= wib_midnight(day) && wib_midnight(day + Days::new(1)) <= window.end;
        let (a, b) = if whole {
            (0, n)
        } else {
            (
                first_at_or_after(cx.world, day, window.start),
                first_at_or_after(cx.world, day, window.end),
            )
        };
        if a < b {
            out.push(Seg { date: day, range: a..b });
        }
        for (j, t) in cx.muts.extras.get(&day).into_iter().flatten().enumerate() {
            if !window.contains(*t) {
                continue;
            }
            let idx = n + j;
            match out.last_mut() {
                Some(s) if s.date == day && s.range.end == idx => s.range.end += 1,
                _ => out.push(Seg {
                    date: day,
                    range: idx..idx + 1,
                }),
            }
        }
    }
    out
}

/// What a mutation can change about a booking, and what the row is built from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Core<'w> {
    pub(crate) id: i64,
    pub(crate) reg: i64,
    pub(crate) patient: u64,
    pub(crate) session: Session<'w>,
    pub(crate) batal: Option<&'static str>,
    pub(crate) versi: u32,
    pub(crate) updated: Option<(i64, &'static str)>,
    pub(crate) moved: bool,
}

/// Booking `idx` of registration day `day`, mutations applied.
pub(crate) fn core<'w>(cx: &Cx<'w, '_>, cache: &mut SessionCache<'w>, day: NaiveDate, idx: u64) -> Core<'w> {
    let world = cx.world;
    let id = booking_id(world, day, idx);
    let reg = registered(cx, day, idx);
    let mut r = rng(&[world.seed, salt::BOOKING, day_word(day), idx]);
    let lead = match r.below(100) {
        0..=9 => 0,
        10..=59 => r.range(1, 3),
        60..=89 => r.range(4, 7),
        _ => r.range(8, 14),
    };
    let patient = r.below(world.patient_count);
    let first = day + Days::new(lead);
    let mut session = None;
    for date in first.iter_days().take(14) {
        let sessions = cache.get(world, date);
        if !sessions.is_empty() {
            session = Some(sessions[r.below(sessions.len() as u64) as usize]);
            break;
        }
    }
    let mut session = session.unwrap_or(Session {
        doctor: 0,
        slot: 0,
        date: first,
        buka: "08:00",
        tutup: "12:00",
        kuota: 0,
        libur: true,
    });
    let (mut batal, mut versi, mut updated, mut moved) = (None, 1, None, false);
    let fate = r.below(100);
    let later = reg + 600 + r.below(3 * 3600) as i64;
    if session.libur {
        batal = Some(ALASAN_DOKTER_LIBUR);
        versi = 2;
        updated = Some((later, "system"));
    } else if fate < 6 {
        batal = Some(*r.pick(ALASAN_BATAL));
        versi = 2;
        updated = Some((later, "mobilejkn"));
    } else if fate < 10 {
        versi = 2;
        updated = Some((later, "loket.02"));
        moved = true;
    }
    if let Some(o) = cx.muts.overrides.get(&id) {
        versi += o.versi_add;
        if let Some((date, doctor, slot)) = o.moved {
            if let Some(s) = cache
                .get(world, date)
                .iter()
                .find(|s| s.doctor == doctor && s.slot == slot)
            {
                session = *s;
                moved = true;
            }
        }
        if o.batal.is_some() {
            batal = o.batal;
        }
        updated = Some(o.updated);
    }
    Core {
        id,
        reg,
        patient,
        session,
        batal,
        versi,
        updated,
        moved,
    }
}

/// Faskes codes that refer patients (synthetic).
const FASKES: &[&str] = &["0301U054", "0301U012", "1371P002", "0301B006", "1371U017"];

/// The row of booking `idx` of `day`.
pub(super) fn row<'w>(cx: &Cx<'w, '_>, cache: &mut SessionCache<'w>, day: NaiveDate, idx: u64) -> Row {
    let world = cx.world;
    let c = core(cx, cache, day, idx);
    let s = c.session;
    let p = world.patient(c.patient);
    let d = &world.doctors[s.doctor];
    let mut look = rng(&[world.seed, salt::BOOKING_LOOK, c.id as u64]);
    let bpjs = look.below(100) < 75;
    let (asal, user) = if bpjs {
        *look.pick(ASAL_BOOKING)
    } else {
        *look.pick(&ASAL_BOOKING[3..])
    };
    let asuransi = if bpjs {
        "BPJS Kesehatan"
    } else {
        *look.pick(ASURANSI_LAIN)
    };
    let no_asuransi = match asuransi {
        "BPJS Kesehatan" => Some(p.no_kartu.clone()),
        "Umum" => None,
        _ => Some(format!("POL-{:07}", look.below(10_000_000))),
    };
    let kontrol = bpjs && look.below(100) < 45;
    let (mm, yy) = (s.date.month(), s.date.year() % 100);
    let no_rujukan = bpjs.then(|| format!("{}{:02}{:02}P{:06}", look.pick(FASKES), mm, yy, look.below(1_000_000)));
    let no_kontrol = kontrol.then(|| format!("{}{:02}{:02}K{:06}", world.kdppk, mm, yy, look.below(1_000_000)));
    let status_registrasi = if c.batal.is_some() {
        "Batal"
    } else if s.date < cx.today {
        if look.below(100) < 88 {
            "Sudah Registrasi"
        } else {
            "Tidak Hadir"
        }
    } else if s.date == cx.today && look.below(2) == 0 {
        "Sudah Registrasi"
    } else {
        "Belum Registrasi"
    };
    let id_tagihan = if status_registrasi == "Sudah Registrasi" {
        Value::from(4_000_000 + day_no(s.date) * 1000 + look.below(1000) as i64)
    } else {
        Value::Null
    };
    let catatan = if c.moved {
        Some(CATATAN_PINDAH)
    } else if look.below(100) < 15 {
        Some(*look.pick(CATATAN))
    } else {
        None
    };
    let mut r = Row::with_capacity(FIELDS.len());
    r.put("booking_id", c.id)
        .put("id_tagihan", id_tagihan)
        .put("no_rm", p.no_rm.as_str())
        .put("nama_rm", p.nama.as_str())
        .put("nik_rm", p.nik.as_str())
        .put("telepon", opt(p.telepon.as_deref()))
        .put("no_hp", p.no_hp.as_str())
        .put("status_booking", if c.batal.is_some() { "Batal" } else { "Aktif" })
        .put("status_registrasi", status_registrasi)
        .put("tanggal_registrasi_filter", iso_utc(c.reg))
        .put("status_rekam_medis", if look.below(100) < 85 { "Lama" } else { "Baru" })
        .put("tanggal_antrian", ymd(s.date))
        .put(
            "antrian",
            format!("{}-{:03}", d.kodesub, 1 + look.below(s.kuota.max(1) as u64)),
        )
        .put("asal_booking", asal)
        .put("no_asuransi", opt(no_asuransi))
        .put("no_rujukan", opt(no_rujukan))
        .put("no_kontrol", opt(no_kontrol))
        .put("asuransi", asuransi)
        .put("code", d.kodesub.as_str())
        .put("id_spesialis", d.id_spesialis)
        .put("spesialis", d.spesialis.as_str())
        .put("id_jadwal_dokter", s.id_jadwal_dokter())
        .put("id_dokter", d.id_dokter)
        .put("dokter", d.nama.as_str())
        .put("poliklinik", d.poliklinik)
        .put("hari", HARI[s.date.weekday().number_from_monday() as usize])
        .put("mulai", hms(s.buka))
        .put("selesai", hms(s.tutup))
        .put("kuota", s.kuota)
        .put("kuota_jkn", s.kuota_jkn())
        .put("kuota_vip", s.kuota_vip())
        .put("catatan", opt(catatan))
        .put("alasan_batal", opt(c.batal))
        .put("versi", c.versi.to_string())
        .put("inserted_user", user)
        .put("inserted_date", iso_utc(c.reg))
        .put("updated_user", opt(c.updated.map(|u| u.1)))
        .put("update_date", opt(c.updated.map(|u| iso_utc(u.0))))
        .put("nama_dokter", d.nama.as_str())
        .put("nama_pasien", p.nama.as_str());
    r
}
