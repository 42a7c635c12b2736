//! 123 JADWAL_DOKTER: one row per practice session, the same sessions (doctor, sub-speciality,
//! window, capacity, libur) as the BPJS simulator's `jadwaldokter` for the same seed.

use super::Cx;
use crate::hospital::catalogue::HARI;
use crate::hospital::row::Row;
use crate::hospital::world::{hms, ymd, Session, SessionCache, World};
use chrono::{Datelike, NaiveDate};
use std::ops::Range;

pub(super) const FIELDS: &[&str] = &[
    "id_jadwal_dokter",
    "id_dokter",
    "nama_dokter",
    "id_spesialis",
    "spesialis",
    "kode_poli_bpjs",
    "kode_dokter_bpjs",
    "tanggal",
    "hari",
    "mulai",
    "selesai",
    "kuota",
    "kuota_jkn",
    "kuota_vip",
    "status",
];

pub(super) fn rows<'w>(
    cx: &Cx<'w, '_>,
    cache: &mut SessionCache<'w>,
    date: NaiveDate,
    range: Range<usize>,
) -> Vec<Row> {
    let sessions = cache.get(cx.world, date);
    sessions
        .get(range)
        .unwrap_or_default()
        .iter()
        .map(|s| row(cx.world, s))
        .collect()
}

fn row(world: &World, s: &Session<'_>) -> Row {
    let d = &world.doctors[s.doctor];
    let mut r = Row::with_capacity(FIELDS.len());
    r.put("id_jadwal_dokter", s.id_jadwal_dokter())
        .put("id_dokter", d.id_dokter)
        .put("nama_dokter", d.nama.as_str())
        .put("id_spesialis", d.id_spesialis)
        .put("spesialis", d.spesialis.as_str())
        .put("kode_poli_bpjs", d.kodesub.as_str())
        .put("kode_dokter_bpjs", d.kodedokter)
        .put("tanggal", ymd(s.date))
        .put("hari", HARI[s.date.weekday().number_from_monday() as usize])
        .put("mulai", hms(s.buka))
        .put("selesai", hms(s.tutup))
        .put("kuota", s.kuota)
        .put("kuota_jkn", s.kuota_jkn())
        .put("kuota_vip", s.kuota_vip())
        .put("status", if s.libur { "Libur" } else { "Aktif" });
    r
}
