//! 303 TARIF: tariff versions, filtered by `berlaku_mulai`. Every item starts on 1 January of the
//! year before history; about 40 % change in the middle of history (when a new drug appears too)
//! and a few again a month or two before the start date.

use super::Cx;
use crate::hospital::row::Row;
use crate::hospital::world::ymd;
use chrono::NaiveDate;
use std::ops::Range;

pub(super) const FIELDS: &[&str] = &["kode_item", "nama_item", "harga", "berlaku_mulai"];

pub(super) fn rows(cx: &Cx<'_, '_>, date: NaiveDate, range: Range<usize>) -> Vec<Row> {
    let Some(on_date) = cx.world.tariff_dates.get(&date) else {
        return Vec::new();
    };
    let versions = &cx.world.tariffs[on_date.clone()];
    versions
        .get(range)
        .unwrap_or_default()
        .iter()
        .map(|t| {
            let mut r = Row::with_capacity(FIELDS.len());
            r.put("kode_item", t.kode)
                .put("nama_item", t.nama)
                .put("harga", t.harga)
                .put("berlaku_mulai", ymd(t.berlaku_mulai));
            r
        })
        .collect()
}
