//! The views (`id_laporan_view`) the simulator serves, and paging over them.
//!
//! Every view orders its rows by day, then by an index within the day, which is also the order
//! of its key; a day's rows are a pure function of (seed, day, index) plus, for bookings, the
//! recorded mutations. A window becomes a list of [`Seg`]ments (a day and an index range), so the
//! count is a sum and a page touches only its own rows.

pub(crate) mod booking;
mod deposit;
mod jadwal;
pub(crate) mod kunjungan;
mod tagihan;
mod tarif;

use super::mutate::Mutations;
use super::row::Row;
use super::window::Window;
use super::world::{SessionCache, World};
use chrono::{Days, NaiveDate};
use std::ops::Range;

/// A view of the dashboard API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum View {
    /// 123 JADWAL_DOKTER.
    Jadwal,
    /// 239 BOOKING_PASIEN.
    Booking,
    /// 301 DEPOSIT_PASIEN.
    Deposit,
    /// 302 TAGIHAN_PASIEN.
    Tagihan,
    /// 303 TARIF.
    Tarif,
    /// 310 KUNJUNGAN.
    Kunjungan,
}

impl View {
    pub(crate) const ALL: [View; 6] = [
        View::Jadwal,
        View::Booking,
        View::Deposit,
        View::Tagihan,
        View::Tarif,
        View::Kunjungan,
    ];

    pub(crate) fn from_id(id: u32) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.id() == id)
    }

    pub(crate) fn id(self) -> u32 {
        match self {
            View::Jadwal => 123,
            View::Booking => 239,
            View::Deposit => 301,
            View::Tagihan => 302,
            View::Tarif => 303,
            View::Kunjungan => 310,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            View::Jadwal => "JADWAL_DOKTER",
            View::Booking => "BOOKING_PASIEN",
            View::Deposit => "DEPOSIT_PASIEN",
            View::Tagihan => "TAGIHAN_PASIEN",
            View::Tarif => "TARIF",
            View::Kunjungan => "KUNJUNGAN",
        }
    }

    /// The request body keys of the range.
    pub(crate) fn date_fields(self) -> (&'static str, &'static str) {
        match self {
            View::Booking => ("waktu_registrasi_awal", "waktu_registrasi_akhir"),
            _ => ("tanggal_awal", "tanggal_akhir"),
        }
    }

    /// The field that identifies a row (303: with `berlaku_mulai`).
    pub(crate) fn key_field(self) -> &'static str {
        match self {
            View::Jadwal => "id_jadwal_dokter",
            View::Booking => "booking_id",
            View::Deposit => "id_deposit",
            View::Tagihan => "id_tagihan_item",
            View::Tarif => "kode_item",
            View::Kunjungan => "id_kunjungan",
        }
    }

    /// The typed field a `malformed-row:wrong-type` fault sets to `"abc"`.
    pub(crate) fn wrong_type_field(self) -> &'static str {
        match self {
            View::Jadwal => "kuota",
            View::Booking => "id_dokter",
            View::Deposit | View::Tagihan => "jumlah",
            View::Tarif => "harga",
            View::Kunjungan => "tanggal_kunjungan",
        }
    }

    /// The fields of a row, in order (302 leaves `faktor` out of some rows).
    pub(crate) fn fields(self) -> &'static [&'static str] {
        match self {
            View::Jadwal => jadwal::FIELDS,
            View::Booking => booking::FIELDS,
            View::Deposit => deposit::FIELDS,
            View::Tagihan => tagihan::FIELDS,
            View::Tarif => tarif::FIELDS,
            View::Kunjungan => kunjungan::FIELDS,
        }
    }
}

/// What a request sees: the world, today's date, and the bookings' mutations.
pub(crate) struct Cx<'w, 'm> {
    pub(crate) world: &'w World,
    pub(crate) today: NaiveDate,
    pub(crate) muts: &'m Mutations,
}

/// Rows `range` of day `date`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Seg {
    pub(crate) date: NaiveDate,
    pub(crate) range: Range<usize>,
}

/// The days of `window` that `view` has data for.
fn days(view: View, cx: &Cx<'_, '_>, window: &Window) -> Option<(NaiveDate, NaiveDate)> {
    let (from, to) = window.dates()?;
    let last = match view {
        View::Jadwal => cx.today + Days::new(cx.world.schedule_days_ahead),
        _ => cx.today,
    };
    let from = from.max(cx.world.history_start);
    let to = to.min(last);
    (from <= to).then_some((from, to))
}

/// The segments of `window`, in row order.
pub(crate) fn segments(view: View, cx: &Cx<'_, '_>, window: &Window) -> Vec<Seg> {
    if view == View::Tarif {
        let Some((from, to)) = window.dates() else {
            return Vec::new();
        };
        return cx
            .world
            .tariff_dates
            .range(from..=to)
            .map(|(d, r)| Seg {
                date: *d,
                range: 0..r.len(),
            })
            .collect();
    }
    if view == View::Booking {
        return booking::segments(cx, window);
    }
    let Some((from, to)) = days(view, cx, window) else {
        return Vec::new();
    };
    from.iter_days()
        .take_while(|d| *d <= to)
        .filter_map(|date| {
            let n = match view {
                View::Jadwal => cx.world.sessions(date).len(),
                View::Deposit => deposit::day_len(cx, date),
                View::Tagihan => tagihan::day_len(cx, date),
                View::Kunjungan => kunjungan::day_len(cx, date),
                View::Booking | View::Tarif => 0,
            };
            (n > 0).then_some(Seg { date, range: 0..n })
        })
        .collect()
}

/// Rows `range` of `date`.
fn rows<'w>(
    view: View,
    cx: &Cx<'w, '_>,
    cache: &mut SessionCache<'w>,
    date: NaiveDate,
    range: Range<usize>,
) -> Vec<Row> {
    match view {
        View::Jadwal => jadwal::rows(cx, cache, date, range),
        View::Booking => range.map(|i| booking::row(cx, cache, date, i as u64)).collect(),
        View::Deposit => deposit::rows(cx, date, range),
        View::Tagihan => tagihan::rows(cx, date, range),
        View::Tarif => tarif::rows(cx, date, range),
        View::Kunjungan => kunjungan::rows(cx, date, range),
    }
}

/// The total count of `window` and rows `[offset, offset + limit)`.
pub(crate) fn page(view: View, cx: &Cx<'_, '_>, window: &Window, offset: u64, limit: u64) -> (u64, Vec<Row>) {
    let segs = segments(view, cx, window);
    let count = segs.iter().map(|s| s.range.len() as u64).sum();
    let mut out = Vec::new();
    let mut skip = offset;
    let mut want = limit;
    let mut cache = SessionCache::default();
    for s in &segs {
        if want == 0 {
            break;
        }
        let len = s.range.len() as u64;
        if skip >= len {
            skip -= len;
            continue;
        }
        let a = s.range.start + skip as usize;
        let b = s.range.end.min(a + want as usize);
        out.extend(rows(view, cx, &mut cache, s.date, a..b));
        want -= (b - a) as u64;
        skip = 0;
    }
    (count, out)
}
