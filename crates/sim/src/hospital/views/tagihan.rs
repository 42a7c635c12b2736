//! 302 TAGIHAN_PASIEN: bill items, `bill_items_per_day` a day (fewer at the weekend), grouped into
//! bills of 1–7 items: administration first, then the consultation, then labs, drugs and
//! procedures. Prices are not in the rows: they come from TARIF on the bill's date.
//!
//! `jumlah` is a quantity: `1`, `30`, sometimes `1.5` or a string (`"1.5"`, `"30"`). `faktor` is
//! mostly `1`, sometimes `1.25`, `1.0` or `"1.5"`, and absent from about one row in five.

use super::Cx;
use crate::hospital::catalogue::{consult_item, ItemKind};
use crate::hospital::row::Row;
use crate::hospital::world::{day_no, day_word, rng, salt, stride, weekday_volume, ymd, World};
use crate::rng::Rng;
use chrono::NaiveDate;
use serde_json::{json, Value};
use std::ops::Range;

pub(super) const FIELDS: &[&str] = &[
    "id_tagihan_item",
    "id_tagihan",
    "no_rm",
    "tanggal",
    "kode_item",
    "nama_item",
    "jumlah",
    "faktor",
    "status",
];

pub(super) fn day_len(cx: &Cx<'_, '_>, date: NaiveDate) -> usize {
    weekday_volume(cx.world.bill_items_per_day, date) as usize
}

struct Bill {
    id: i64,
    no_rm: String,
    kodepoli: String,
    status: &'static str,
}

fn bill(cx: &Cx<'_, '_>, date: NaiveDate, b: u64, id_stride: i64) -> Bill {
    let world = cx.world;
    let mut r = rng(&[world.seed, salt::BILL, day_word(date), b, 1]);
    let p = world.patient(r.below(world.patient_count));
    let kodepoli = world.doctors[r.below(world.doctors.len() as u64) as usize]
        .kodepoli
        .clone();
    let status = match (date < cx.today, r.below(100)) {
        (_, 0..=4) => "Batal",
        (true, 5..=9) => "Belum Lunas",
        (true, _) => "Lunas",
        (false, 5..=59) => "Belum Lunas",
        (false, _) => "Lunas",
    };
    Bill {
        id: 5_000_000 + day_no(date) * id_stride + b as i64,
        no_rm: p.no_rm,
        kodepoli,
        status,
    }
}

pub(super) fn rows(cx: &Cx<'_, '_>, date: NaiveDate, range: Range<usize>) -> Vec<Row> {
    let world = cx.world;
    let n = day_len(cx, date);
    let id_stride = stride(world.bill_items_per_day, 0);
    let mut sizes = rng(&[world.seed, salt::BILL, day_word(date)]);
    let mut out = Vec::with_capacity(range.len());
    let (mut start, mut b) = (0usize, 0u64);
    while start < range.end.min(n) {
        let size = (1 + sizes.below(7) as usize).min(n - start);
        let end = start + size;
        if end > range.start {
            let bill = bill(cx, date, b, id_stride);
            for idx in start.max(range.start)..end.min(range.end) {
                out.push(item(world, date, &bill, idx, idx - start, id_stride));
            }
        }
        start = end;
        b += 1;
    }
    out
}

fn item(world: &World, date: NaiveDate, bill: &Bill, idx: usize, pos: usize, id_stride: i64) -> Row {
    let mut r = rng(&[world.seed, salt::BILL_ITEM, day_word(date), idx as u64]);
    let kode = match pos {
        0 => "ADM001",
        1 => consult_item(&bill.kodepoli),
        _ => {
            let kind = match r.below(100) {
                0..=29 => ItemKind::Lab,
                30..=79 => ItemKind::Drug,
                80..=89 => ItemKind::Procedure,
                _ => ItemKind::Radiology,
            };
            *r.pick(&world.items_on(date, kind))
        }
    };
    let tariff = world.tariff_on(kode, date);
    let drug = tariff.is_some_and(|t| t.kind == ItemKind::Drug);
    let jumlah = if drug { drug_quantity(&mut r, kode) } else { json!(1) };
    let mut row = Row::with_capacity(FIELDS.len());
    row.put("id_tagihan_item", 100_000_000 + day_no(date) * id_stride + idx as i64)
        .put("id_tagihan", bill.id)
        .put("no_rm", bill.no_rm.as_str())
        .put("tanggal", ymd(date))
        .put("kode_item", kode)
        .put("nama_item", tariff.map_or("", |t| t.nama))
        .put("jumlah", jumlah);
    match r.below(100) {
        0..=19 => {}
        20..=79 => {
            row.put("faktor", 1);
        }
        80..=84 => {
            row.put("faktor", 1.0);
        }
        85..=94 => {
            row.put("faktor", 1.25);
        }
        _ => {
            row.put("faktor", "1.5");
        }
    }
    row.put("status", bill.status);
    row
}

fn drug_quantity(r: &mut Rng, kode: &str) -> Value {
    if matches!(kode, "OBT006" | "OBT011") {
        return json!(r.range(1, 2));
    }
    match r.below(100) {
        0..=69 => json!(*r.pick(&[10, 14, 15, 20, 30, 60, 90])),
        70..=84 => json!(r.pick(&["10", "30", "60"])),
        85..=92 => json!(*r.pick(&[0.5, 1.5, 2.5])),
        _ => json!(r.pick(&["1.5", "0.5", "2.5"])),
    }
}
