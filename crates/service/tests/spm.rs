//! Laporan SPM over visits stored the way a KUNJUNGAN sync page stores them: the seed's three
//! scenarios, targets and rounding, Batal, a visit in both programmes, year boundaries, a changed
//! past visit, drill-downs, CSV, and random histories against a reference written here.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use loket_core::spm::{MonthStatus, Program};
use loket_service::{Desk, FixedClock};
use serde_json::{json, Value};

fn desk() -> Desk {
    let now: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-11-22T08:00:00+07:00")
        .unwrap()
        .to_utc();
    Desk::in_memory(Arc::new(FixedClock(now))).unwrap()
}

/// Writes visit rows exactly as a sync page does.
fn store_visits(desk: &mut Desk, rows: &[Value]) {
    let counts = desk.sync_apply_rows("KUNJUNGAN", rows).unwrap();
    assert_eq!(counts.skipped, 0, "{counts:?}");
}

fn visit(id: i64, norm: &str, sex: &str, date: &str, icd: &str) -> Value {
    json!({"id_kunjungan": id, "no_rm": norm, "nama_rm": "Pasien Uji", "jenis_kelamin": sex,
           "tanggal_kunjungan": date, "kode_icd10": icd, "poliklinik": "Penyakit Dalam", "status": "Selesai"})
}

fn monthly(desk: &mut Desk, p: Program, year: i32) -> Vec<(u32, u32, u32)> {
    desk.spm_report(p, year)
        .unwrap()
        .months
        .iter()
        .map(|m| (m.visited, m.standard, m.non_standard))
        .collect()
}

#[test]
fn the_seed_scenarios_targets_and_drill_downs() {
    let mut d = desk();
    let mut rows = Vec::new();
    let mut id = 0;
    let mut add = |norm: &str, sex: &str, months: &[u32], icd: &str| {
        for m in months {
            id += 1;
            rows.push(visit(id, norm, sex, &format!("2026-{m:02}-10"), icd));
        }
    };
    add("A-CONSISTENT", "L", &[1, 2, 3], "E11.9");
    add("B-GAP", "P", &[1, 3, 4], "e119, I10");
    add("C-MIDYEAR", "P", &[6, 7, 9], "E10");
    add("D-HT-ONLY", "L", &[1], "I15.0");
    store_visits(&mut d, &rows);

    let r = d.spm_report(Program::Dm, 2026).unwrap();
    assert!(r.target.is_none() && r.note.as_deref().unwrap().contains("belum diisi"));
    assert!(r.months.iter().all(|m| m.percentage.is_none()));
    let m = |n: u32| &r.months[n as usize - 1];
    // Scenario 1 (A) and 2 (B): Jan both standard; Feb A; Mar A standard, B not; Apr B not.
    assert_eq!((m(1).visited, m(1).standard, m(1).non_standard), (2, 2, 0));
    assert_eq!((m(2).visited, m(2).standard), (1, 1));
    assert_eq!((m(3).visited, m(3).standard, m(3).non_standard), (2, 1, 1));
    assert_eq!((m(4).standard, m(4).non_standard), (0, 1));
    // Scenario 3 (C): Jun, Jul standard; Aug nothing; Sep non-standard.
    assert_eq!(
        (m(6).standard, m(7).standard, m(8).visited, m(9).non_standard),
        (1, 1, 0, 1)
    );
    assert_eq!((m(1).standard_l, m(1).standard_p), (1, 1));
    assert_eq!(r.distinct_patients, 3);

    // Target 3: Jan 2/3 = 66.67 %, Feb 1/3 = 33.33 %.
    d.spm_set_target(Program::Dm, 2026, 3).unwrap();
    let r = d.spm_report(Program::Dm, 2026).unwrap();
    assert_eq!(r.target, Some(3));
    assert_eq!(r.months[0].percentage_text.as_deref(), Some("66,67"));
    assert_eq!(r.months[1].percentage, Some(33.33));
    assert_eq!(r.months[4].percentage_text.as_deref(), Some("0,00"));
    let csv = r.to_csv();
    assert!(csv.lines().nth(1).unwrap().ends_with(";3;66,67"), "{csv}");
    assert_eq!(csv.lines().count(), 13);

    // HT: B (I10 with E11.9) and D count; the DM-and-HT visit counts in both.
    let ht = monthly(&mut d, Program::Ht, 2026);
    assert_eq!(ht[0], (2, 2, 0));
    assert_eq!(ht[2], (1, 0, 1));

    // Drill-down: March's patients, the gap named.
    let march = d.spm_month(Program::Dm, 2026, 3).unwrap();
    let b = march.iter().find(|p| p.no_rm == "B-GAP").unwrap();
    assert!(!b.standard && b.break_month == Some(2));
    assert!(march.iter().find(|p| p.no_rm == "A-CONSISTENT").unwrap().standard);
    let c = d.spm_patient(Program::Dm, "C-MIDYEAR", 2026).unwrap();
    assert_eq!(c.months[5].status, MonthStatus::Standard);
    assert_eq!(c.months[7].status, MonthStatus::NoVisit);
    assert_eq!(
        (c.months[8].status, c.months[8].break_month),
        (MonthStatus::NonStandard, Some(8))
    );
}

#[test]
fn batal_year_boundaries_and_a_changed_past_visit() {
    let mut d = desk();
    let mut batal = visit(3, "P1", "L", "2026-02-05", "E11");
    batal["status"] = json!("Batal");
    store_visits(
        &mut d,
        &[
            visit(1, "P1", "L", "2025-12-20", "E11"),
            visit(2, "P1", "L", "2026-01-05", "E11"),
            batal,
            visit(4, "P1", "L", "2026-03-05", "E11"),
            visit(5, "P1", "L", "2026-03-25", "E11"),
        ],
    );
    // December 2025 does not start 2026's run; the Batal February visit leaves a gap.
    assert_eq!(
        monthly(&mut d, Program::Dm, 2026)[2],
        (1, 0, 1),
        "two March visits count once"
    );
    assert_eq!(monthly(&mut d, Program::Dm, 2025)[11], (1, 1, 0));
    // The past visit is corrected (no longer Batal): the next report says so, nothing cached.
    store_visits(&mut d, &[visit(3, "P1", "L", "2026-02-05", "E11")]);
    assert_eq!(monthly(&mut d, Program::Dm, 2026)[2], (1, 1, 0));
    // Edited code lists apply at once.
    d.set_setting("spm_dm_codes", "E10").unwrap();
    assert_eq!(monthly(&mut d, Program::Dm, 2026)[0], (0, 0, 0));
    assert!(d.spm_report(Program::Dm, 1999).is_err());
}

/// A small deterministic generator (no extra dependency).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

#[test]
fn random_histories_match_a_reference_written_here() {
    for seed in 1..=8u64 {
        let mut rng = Lcg(seed);
        let mut d = desk();
        let codes = ["E11.9", "E14", "I10", "I12.0", "J06", "E11, I10", "K29"];
        let mut rows = Vec::new();
        // Reference: programme → patient → months with a counted visit.
        let mut seen: BTreeMap<(&str, String), BTreeSet<u32>> = BTreeMap::new();
        for id in 0..(150 + rng.next(150)) as i64 {
            let norm = format!("RM{:03}", rng.next(25));
            let month = 1 + rng.next(12) as u32;
            let icd = codes[rng.next(codes.len() as u64) as usize];
            let cancelled = rng.next(10) == 0;
            let mut row = visit(
                id,
                &norm,
                if rng.next(2) == 0 { "L" } else { "P" },
                &format!("2026-{month:02}-{:02}", 1 + rng.next(28)),
                icd,
            );
            if cancelled {
                row["status"] = json!("Batal");
            }
            rows.push(row);
            if !cancelled {
                if icd.contains("E1") {
                    seen.entry(("dm", norm.clone())).or_default().insert(month);
                }
                if icd.contains("I1") {
                    seen.entry(("ht", norm.clone())).or_default().insert(month);
                }
            }
        }
        store_visits(&mut d, &rows);
        for (program, name) in [(Program::Dm, "dm"), (Program::Ht, "ht")] {
            let mut want = vec![(0u32, 0u32, 0u32); 12];
            for ((p, _), months) in &seen {
                if *p != name {
                    continue;
                }
                let first = *months.iter().next().unwrap();
                for m in months {
                    let run = (first..=*m).all(|x| months.contains(&x));
                    let w = &mut want[*m as usize - 1];
                    w.0 += 1;
                    if run {
                        w.1 += 1;
                    } else {
                        w.2 += 1;
                    }
                }
            }
            assert_eq!(monthly(&mut d, program, 2026), want, "seed {seed} {name}");
        }
    }
}

#[test]
fn the_csv_export_writes_the_report_into_the_folder() {
    let mut d = desk();
    store_visits(&mut d, &[visit(1, "P1", "L", "2026-01-05", "E11")]);
    d.spm_set_target(Program::Dm, 2026, 4).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = d
        .spm_export_csv(Program::Dm, 2026, &dir.path().join("Downloads"))
        .unwrap();
    assert!(path.ends_with("Downloads/spm-dm-2026.csv"));
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text, d.spm_report(Program::Dm, 2026).unwrap().to_csv());
    assert!(text.lines().nth(1).unwrap().ends_with(";4;25,00"), "{text}");
}
