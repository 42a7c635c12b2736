//! 301 DEPOSIT_PASIEN: patient deposits in whole rupiah, `deposits_per_day` a day (fewer at the
//! weekend).

use super::Cx;
use crate::hospital::catalogue::{JUMLAH_DEPOSIT, KETERANGAN_DEPOSIT, METODE_DEPOSIT};
use crate::hospital::row::{opt, Row};
use crate::hospital::world::{day_no, day_word, rng, salt, stride, weekday_volume, ymd};
use chrono::{Days, NaiveDate};
use std::ops::Range;

pub(super) const FIELDS: &[&str] = &[
    "id_deposit",
    "no_rm",
    "nama_rm",
    "tanggal",
    "jumlah",
    "metode",
    "keterangan",
    "status",
];

pub(super) fn day_len(cx: &Cx<'_, '_>, date: NaiveDate) -> usize {
    weekday_volume(cx.world.deposits_per_day, date) as usize
}

pub(super) fn rows(cx: &Cx<'_, '_>, date: NaiveDate, range: Range<usize>) -> Vec<Row> {
    let world = cx.world;
    let id_stride = stride(world.deposits_per_day, 0);
    range
        .map(|idx| {
            let mut r = rng(&[world.seed, salt::DEPOSIT, day_word(date), idx as u64]);
            let p = world.patient(r.below(world.patient_count));
            let settled = date + Days::new(30) < cx.today;
            let status = match (settled, r.below(100)) {
                (_, 0..=4) => "Batal",
                (true, 5..=24) => "Dikembalikan",
                (true, _) => "Terpakai",
                (false, 5..=39) => "Terpakai",
                (false, _) => "Aktif",
            };
            let keterangan = (r.below(100) >= 20).then(|| *r.pick(KETERANGAN_DEPOSIT));
            let mut row = Row::with_capacity(FIELDS.len());
            row.put("id_deposit", 3_000_000 + day_no(date) * id_stride + idx as i64)
                .put("no_rm", p.no_rm)
                .put("nama_rm", p.nama)
                .put("tanggal", ymd(date))
                .put("jumlah", *r.pick(JUMLAH_DEPOSIT))
                .put("metode", *r.pick(METODE_DEPOSIT))
                .put("keterangan", opt(keterangan))
                .put("status", status);
            row
        })
        .collect()
}
