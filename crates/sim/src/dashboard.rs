//! Waiting-time dashboards aggregated from recorded tasks: one row per date and poli.
//! `waktu_taskN` is the total of (task N+1 − task N) in seconds over the bookings that have
//! both, `avg_waktu_taskN` its integer mean.

use crate::bookings::{Booking, Bookings};
use chrono::NaiveDate;
use loket_bpjs::model::{SumberWaktu, WaktuTunggu};
use std::collections::BTreeMap;

/// The hospital as the dashboard names it.
pub struct Ppk<'a> {
    /// PPK code.
    pub kdppk: &'a str,
    /// Hospital name.
    pub nmppk: &'a str,
}

/// Rows for the bookings whose date passes `keep`.
pub fn waktu_tunggu(
    bookings: &Bookings,
    keep: impl Fn(NaiveDate) -> bool,
    sumber: SumberWaktu,
    ppk: &Ppk<'_>,
    now_ms: i64,
) -> Vec<WaktuTunggu> {
    let mut groups: BTreeMap<(NaiveDate, String), Vec<&Booking>> = BTreeMap::new();
    for b in bookings.iter().filter(|b| !b.cancelled && keep(b.add.tanggalperiksa)) {
        groups
            .entry((b.add.tanggalperiksa, b.add.kodepoli.clone()))
            .or_default()
            .push(b);
    }
    groups
        .into_iter()
        .map(|((tanggal, kodepoli), list)| {
            let mut total = [0i64; 6];
            let mut count = [0i64; 6];
            for b in &list {
                for k in 0..6 {
                    let (from, to) = (k as i64 + 1, k as i64 + 2);
                    if let (Some(a), Some(z)) = (b.tasks.get(&from), b.tasks.get(&to)) {
                        let (a, z) = match sumber {
                            SumberWaktu::Rs => (a.rs_ms, z.rs_ms),
                            SumberWaktu::Server => (a.server_ms, z.server_ms),
                        };
                        total[k] += ((z - a) / 1000).max(0);
                        count[k] += 1;
                    }
                }
            }
            let avg = |k: usize| if count[k] == 0 { 0 } else { total[k] / count[k] };
            WaktuTunggu {
                kdppk: ppk.kdppk.into(),
                nmppk: ppk.nmppk.into(),
                namapoli: list[0].add.namapoli.clone(),
                kodepoli,
                tanggal,
                jumlah_antrean: list.len() as i64,
                waktu_task1: total[0],
                waktu_task2: total[1],
                waktu_task3: total[2],
                waktu_task4: total[3],
                waktu_task5: total[4],
                waktu_task6: total[5],
                avg_waktu_task1: avg(0),
                avg_waktu_task2: avg(1),
                avg_waktu_task3: avg(2),
                avg_waktu_task4: avg(3),
                avg_waktu_task5: avg(4),
                avg_waktu_task6: avg(5),
                insertdate: now_ms,
            }
        })
        .collect()
}
