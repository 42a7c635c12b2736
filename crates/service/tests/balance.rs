//! Saldo pasien: synced rows written through the sync page path (`Desk::sync_apply_rows`: the
//! page planned and applied with `apply_page` in one transaction, as `sync_run` does for every
//! page) and the balances kept in real time: the seed's semantics, a tariff change in the middle
//! of history, a cancelled deposit, a charge that changes patient, random histories against an
//! independent recomputation written here, dry runs that write nothing, `--force` equal to the
//! incremental result, the append-only ledger, the V6 fixture and a real sync against the
//! dashboard simulator.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use loket_core::balance::YearMonth;
use loket_core::ErrorCode;
use loket_service::balance::BalanceTarget;
use loket_service::{Desk, FixedClock};
use loket_store::rusqlite::types::Value;
use serde_json::{json, Value as Json};

// ---- helpers -------------------------------------------------------------------------------------

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

fn ym(s: &str) -> YearMonth {
    YearMonth::parse(s).unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

struct Db {
    dir: tempfile::TempDir,
}

impl Db {
    fn new() -> Db {
        Db {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn path(&self) -> PathBuf {
        self.dir.path().join("loket.db")
    }
    fn desk(&self, now: &str) -> Desk {
        Desk::open_with_clock(&self.path(), Arc::new(FixedClock(at(now))))
            .unwrap()
            .0
    }
}

fn deposit(id: i64, no_rm: &str, tanggal: &str, jumlah: i64, status: &str) -> Json {
    json!({
        "id_deposit": id, "no_rm": no_rm, "nama_rm": format!("Pasien {no_rm}"), "tanggal": tanggal,
        "jumlah": jumlah, "metode": "Tunai", "keterangan": null, "status": status
    })
}

fn charge(id: i64, no_rm: &str, tanggal: &str, kode: &str, jumlah: &str, faktor: &str, status: &str) -> Json {
    json!({
        "id_tagihan_item": id, "id_tagihan": id / 10, "no_rm": no_rm, "tanggal": tanggal, "kode_item": kode,
        "nama_item": format!("Item {kode}"), "jumlah": jumlah, "faktor": faktor, "status": status
    })
}

fn tariff(kode: &str, from: &str, harga: i64) -> Json {
    json!({ "kode_item": kode, "nama_item": format!("Item {kode}"), "harga": harga, "berlaku_mulai": from })
}

fn apply(desk: &mut Desk, job: &str, rows: Vec<Json>) {
    desk.sync_apply_rows(job, &rows).unwrap();
}

/// (year_month, opening, deposits, purchases, closing, volume) of each month of a patient.
type MonthTuple = (String, i64, i64, i64, i64, String);

fn months(desk: &Desk, no_rm: &str) -> Vec<MonthTuple> {
    desk.balance_show(no_rm, None)
        .unwrap()
        .months
        .into_iter()
        .map(|m| {
            (
                m.year_month.to_string(),
                m.opening_balance.0,
                m.total_deposits.0,
                m.total_purchases.0,
                m.closing_balance.0,
                m.total_volume.to_string(),
            )
        })
        .collect()
}

fn m(ym: &str, o: i64, d: i64, p: i64, c: i64, v: &str) -> MonthTuple {
    (ym.into(), o, d, p, c, v.into())
}

fn query(desk: &Desk, sql: &str) -> Vec<Vec<Value>> {
    let conn = desk.store().conn();
    let mut stmt = conn.prepare(sql).unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
        .unwrap()
        .collect::<Result<Vec<Vec<Value>>, _>>()
        .unwrap()
}

fn count(desk: &Desk, table: &str) -> i64 {
    desk.store()
        .conn()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

/// Every projection row without its calculation time.
fn projections(desk: &Desk) -> Vec<Vec<Vec<Value>>> {
    vec![
        query(
            desk,
            "SELECT no_rm, year_month, opening_balance, total_deposits, total_purchases, closing_balance, total_volume,
               calculation_details FROM balance_months ORDER BY 1, 2",
        ),
        query(
            desk,
            "SELECT id_tagihan_item, id_tagihan, no_rm, year_month, tanggal, kode_item, jumlah, faktor, volume, harga,
               amount, pricing_used FROM balance_transactions ORDER BY 1",
        ),
        query(desk, "SELECT * FROM balance_unpriced ORDER BY 1"),
    ]
}

/// The ledger's sum per (patient, month) equals each month's deposits − purchases.
fn assert_ledger_matches_months(desk: &Desk) {
    let ledger = query(
        desk,
        "SELECT no_rm, year_month, sum(amount) FROM balance_ledger GROUP BY 1, 2 HAVING sum(amount) <> 0 ORDER BY 1, 2",
    );
    let months = query(
        desk,
        "SELECT no_rm, year_month, total_deposits - total_purchases FROM balance_months
          WHERE total_deposits - total_purchases <> 0 ORDER BY 1, 2",
    );
    assert_eq!(ledger, months, "ledger sums per month vs balance_months");
}

/// `balance sync --all --force` gives the same rows and appends nothing; a plain sync finds
/// nothing to change.
fn assert_force_equals_incremental(desk: &mut Desk) {
    let incremental = projections(desk);
    let ledger = count(desk, "balance_ledger");
    let repair = desk.balance_sync(&BalanceTarget::All, None, false, None).unwrap();
    assert_eq!(
        (repair.patients_changed, repair.months_changed, repair.ledger_appended),
        (0, 0, 0),
        "a plain sync after real-time updates finds nothing to change: {repair:?}"
    );
    let forced = desk.balance_sync(&BalanceTarget::All, None, true, None).unwrap();
    assert_eq!(forced.ledger_appended, 0, "{forced:?}");
    assert_eq!(projections(desk), incremental, "force equals incremental");
    assert_eq!(count(desk, "balance_ledger"), ledger);
}

// ---- the seed's semantics ----------------------------------------------------------------------

#[test]
fn seed_semantics_monthly_rows_transactions_and_unpriced_items() {
    let db = Db::new();
    // 2024-04-10 WIB: "current month" is April.
    let mut desk = db.desk("2024-04-10T03:00:00Z");
    apply(
        &mut desk,
        "TARIF",
        vec![
            tariff("LAB01", "2024-01-01", 75_000),
            tariff("OBAT7", "2023-06-01", 333),
        ],
    );
    apply(
        &mut desk,
        "DEPOSIT_PASIEN",
        vec![deposit(1, "00-12-34", "2024-01-03", 500_000, "Aktif")],
    );
    apply(
        &mut desk,
        "TAGIHAN_PASIEN",
        vec![
            charge(11, "00-12-34", "2024-01-04", "LAB01", "2", "1", "Lunas"),
            // 2,5 × 333 = 832,5 → 833 (half away from zero).
            charge(12, "00-12-34", "2024-01-05", "OBAT7", "2.5", "1", "Lunas"),
            charge(13, "00-12-34", "2024-03-10", "LAB01", "1", "1.5", ""),
            // No tariff for this code: reported, never counted as zero.
            charge(14, "00-12-34", "2024-03-11", "RAD99", "1", "1", ""),
            // Cancelled: does not count.
            charge(15, "00-12-34", "2024-03-12", "LAB01", "9", "1", "Batal"),
        ],
    );
    assert_eq!(
        months(&desk, "00-12-34"),
        vec![
            m("2024-01", 0, 500_000, 150_833, 349_167, "4.5"),
            m("2024-02", 349_167, 0, 0, 349_167, "0"),
            m("2024-03", 349_167, 0, 112_500, 236_667, "1.5"),
            m("2024-04", 236_667, 0, 0, 236_667, "0"),
        ]
    );
    let t = desk.balance_transactions("00-12-34", Some(ym("2024-01"))).unwrap();
    let got: Vec<_> = t
        .transactions
        .iter()
        .map(|t| (t.id_tagihan_item, t.volume.to_string(), t.harga.0, t.amount.0))
        .collect();
    assert_eq!(
        got,
        vec![(11, "2".into(), 75_000, 150_000), (12, "2.5".into(), 333, 833)]
    );
    let obat = &t.transactions[1];
    assert_eq!(
        (
            obat.pricing_used.kode_item.as_str(),
            obat.pricing_used.berlaku_mulai,
            obat.nama_item.as_deref()
        ),
        ("OBAT7", day("2023-06-01"), Some("Item OBAT7"))
    );
    let unpriced = desk.balance_unpriced().unwrap();
    assert_eq!(
        unpriced
            .iter()
            .map(|u| (u.id_tagihan_item, u.kode_item.as_str()))
            .collect::<Vec<_>>(),
        [(14, "RAD99")]
    );
    let current = desk.balance_current("00-12-34").unwrap().unwrap();
    assert_eq!(
        (current.year_month, current.closing_balance.0, current.unpriced),
        (ym("2024-04"), 236_667, 1)
    );

    // The price arrives: the item is priced in real time and leaves the unpriced list.
    apply(&mut desk, "TARIF", vec![tariff("RAD99", "2024-03-01", 200_000)]);
    assert!(desk.balance_unpriced().unwrap().is_empty());
    assert_eq!(
        months(&desk, "00-12-34")[2],
        m("2024-03", 349_167, 0, 312_500, 36_667, "2.5")
    );
    assert_eq!(
        desk.balance_current("00-12-34").unwrap().unwrap().closing_balance.0,
        36_667
    );
    assert_ledger_matches_months(&desk);
    assert_force_equals_incremental(&mut desk);
}

#[test]
fn months_run_through_as_of_or_the_last_row_and_show_filters_a_month() {
    let db = Db::new();
    let mut desk = db.desk("2024-06-10T03:00:00Z");
    apply(
        &mut desk,
        "DEPOSIT_PASIEN",
        vec![deposit(1, "A1", "2024-02-03", 1_000, "")],
    );
    let all = months(&desk, "A1");
    assert_eq!(all.first().unwrap().0, "2024-02");
    assert_eq!(all.last().unwrap().0, "2024-06", "through the current month (WIB)");
    // As of an earlier month: the months stop there, unless a row is later.
    let r = desk
        .balance_sync(&BalanceTarget::Patient("A1".into()), None, true, Some(ym("2024-03")))
        .unwrap();
    assert_eq!((r.patients, r.months_written), (1, 2));
    assert_eq!(months(&desk, "A1").last().unwrap().0, "2024-03");
    apply(
        &mut desk,
        "DEPOSIT_PASIEN",
        vec![deposit(2, "A1", "2024-09-01", 500, "")],
    );
    assert_eq!(
        months(&desk, "A1").last().unwrap(),
        &m("2024-09", 1_000, 500, 0, 1_500, "0")
    );
    let one = desk.balance_show("A1", Some(ym("2024-04"))).unwrap();
    assert_eq!(one.months.len(), 1);
    assert_eq!(one.months[0].closing_balance.0, 1_000);
    // Errors name the no RM (not patient data) and say what to do.
    let e = desk.balance_show("ZZ9", None).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    assert!(
        e.message.contains("ZZ9") && e.message.contains("balance init"),
        "{}",
        e.message
    );
    assert_eq!(desk.balance_show("  ", None).unwrap_err().code, ErrorCode::InvalidInput);
    assert_eq!(
        desk.balance_show("A1", Some(ym("2020-01"))).unwrap_err().code,
        ErrorCode::NotFound
    );
    assert!(desk.balance_current("ZZ9").unwrap().is_none());
}

// ---- real time -----------------------------------------------------------------------------------

#[test]
fn a_tariff_change_in_the_middle_of_history_reprices_in_real_time_with_reversals() {
    let db = Db::new();
    let mut desk = db.desk("2024-06-20T03:00:00Z");
    apply(
        &mut desk,
        "TARIF",
        vec![
            tariff("KON01", "2024-01-01", 100_000),
            tariff("LAB02", "2024-01-01", 50_000),
        ],
    );
    apply(
        &mut desk,
        "DEPOSIT_PASIEN",
        vec![
            deposit(1, "P1", "2024-01-02", 1_000_000, ""),
            deposit(2, "P2", "2024-01-02", 1_000_000, ""),
        ],
    );
    let mut rows = Vec::new();
    for (i, mon) in (1..=6).enumerate() {
        let d = format!("2024-{mon:02}-15");
        rows.push(charge(100 + i as i64, "P1", &d, "KON01", "1", "1", ""));
        rows.push(charge(200 + i as i64, "P2", &d, "LAB02", "1", "1", ""));
    }
    apply(&mut desk, "TAGIHAN_PASIEN", rows);
    let before_p1 = desk.balance_show("P1", None).unwrap().months;
    let before_p2 = desk.balance_show("P2", None).unwrap().months;
    let ledger_before = count(&desk, "balance_ledger");
    assert_eq!(ledger_before, 2 + 12, "one entry per deposit and priced charge");

    // A day later a new KON01 price from 2024-03-15 arrives.
    desk.set_clock(Arc::new(FixedClock(at("2024-06-21T03:00:00Z"))));
    apply(&mut desk, "TARIF", vec![tariff("KON01", "2024-03-15", 120_000)]);
    let after_p1 = desk.balance_show("P1", None).unwrap().months;
    // January and February untouched (not even recalculated), March on repriced.
    assert_eq!(after_p1[..2], before_p1[..2]);
    assert!(after_p1[2..]
        .iter()
        .all(|m| m.last_calculated_at.starts_with("2024-06-21")));
    let purchases: Vec<i64> = after_p1.iter().map(|m| m.total_purchases.0).collect();
    assert_eq!(purchases, [100_000, 100_000, 120_000, 120_000, 120_000, 120_000]);
    assert_eq!(after_p1.last().unwrap().closing_balance.0, 1_000_000 - 680_000);
    // The other patient's charges of another code: not touched at all.
    assert_eq!(desk.balance_show("P2", None).unwrap().months, before_p2);

    // The ledger: 4 reversals of the old entries, then 4 new entries with the new pricing.
    let ledger = desk.balance_ledger("P1").unwrap();
    assert_eq!(count(&desk, "balance_ledger"), ledger_before + 8);
    let reversals: Vec<_> = ledger.iter().filter(|e| e.is_reversal()).collect();
    assert_eq!(reversals.len(), 4);
    for r in &reversals {
        let original = ledger.iter().find(|e| Some(e.seq) == r.reverses).unwrap();
        assert_eq!(r.entry.amount.0, -original.entry.amount.0);
        assert_eq!(r.entry.source_id, original.entry.source_id);
        assert_eq!(original.entry.amount.0, -100_000);
        assert!(original.entry.tanggal >= day("2024-03-15"));
    }
    let repriced: Vec<_> = ledger
        .iter()
        .filter(|e| !e.is_reversal() && e.entry.pricing.as_deref().unwrap_or("").contains("120000"))
        .collect();
    assert_eq!(repriced.len(), 4);
    let t = desk.balance_transactions("P1", Some(ym("2024-04"))).unwrap();
    assert_eq!(t.transactions[0].pricing_used.berlaku_mulai, day("2024-03-15"));
    assert_eq!(t.transactions[0].amount.0, 120_000);

    // A tariff row whose name alone changes reprices nothing.
    let mut renamed = tariff("KON01", "2024-03-15", 120_000);
    renamed["nama_item"] = json!("Konsultasi (baru)");
    let n = count(&desk, "balance_ledger");
    apply(&mut desk, "TARIF", vec![renamed]);
    assert_eq!(count(&desk, "balance_ledger"), n);
    assert_ledger_matches_months(&desk);
    assert_force_equals_incremental(&mut desk);
}

#[test]
fn a_cancelled_deposit_stops_counting_and_is_reversed_in_the_ledger() {
    let db = Db::new();
    let mut desk = db.desk("2024-03-20T03:00:00Z");
    apply(
        &mut desk,
        "DEPOSIT_PASIEN",
        vec![
            deposit(1, "K7", "2024-01-10", 300_000, "Aktif"),
            deposit(2, "K7", "2024-02-10", 200_000, "Aktif"),
        ],
    );
    assert_eq!(desk.balance_current("K7").unwrap().unwrap().closing_balance.0, 500_000);
    apply(
        &mut desk,
        "DEPOSIT_PASIEN",
        vec![deposit(1, "K7", "2024-01-10", 300_000, "Batal")],
    );
    // The first month had only the cancelled deposit: the history now starts in February.
    assert_eq!(
        months(&desk, "K7"),
        vec![
            m("2024-02", 0, 200_000, 0, 200_000, "0"),
            m("2024-03", 200_000, 0, 0, 200_000, "0")
        ]
    );
    let ledger = desk.balance_ledger("K7").unwrap();
    let last = ledger.last().unwrap();
    assert_eq!((last.entry.source_id, last.entry.amount.0), (1, -300_000));
    assert_eq!(last.reverses, Some(ledger[0].seq));
    // Un-cancelled: recognized again (a new entry, the old ones stay).
    apply(
        &mut desk,
        "DEPOSIT_PASIEN",
        vec![deposit(1, "K7", "2024-01-10", 300_000, "Aktif")],
    );
    assert_eq!(desk.balance_ledger("K7").unwrap().len(), 4);
    assert_eq!(desk.balance_current("K7").unwrap().unwrap().closing_balance.0, 500_000);
    assert_ledger_matches_months(&desk);
    assert_force_equals_incremental(&mut desk);
}

#[test]
fn a_charge_that_changes_patient_date_or_quantity_moves_with_reversals() {
    let db = Db::new();
    let mut desk = db.desk("2024-05-20T03:00:00Z");
    apply(&mut desk, "TARIF", vec![tariff("X", "2024-01-01", 1_000)]);
    apply(
        &mut desk,
        "DEPOSIT_PASIEN",
        vec![
            deposit(1, "A", "2024-01-01", 10_000, ""),
            deposit(2, "B", "2024-01-01", 10_000, ""),
        ],
    );
    apply(
        &mut desk,
        "TAGIHAN_PASIEN",
        vec![charge(5, "A", "2024-03-03", "X", "2", "1", "")],
    );
    assert_eq!(desk.balance_current("A").unwrap().unwrap().closing_balance.0, 8_000);
    // Entered for the wrong patient: the dashboard corrects the no RM.
    apply(
        &mut desk,
        "TAGIHAN_PASIEN",
        vec![charge(5, "B", "2024-03-03", "X", "2", "1", "")],
    );
    assert_eq!(desk.balance_current("A").unwrap().unwrap().closing_balance.0, 10_000);
    assert_eq!(desk.balance_current("B").unwrap().unwrap().closing_balance.0, 8_000);
    let a = desk.balance_ledger("A").unwrap();
    assert!(a.last().unwrap().is_reversal() && a.last().unwrap().entry.source_id == 5);
    // Then its date moves to an earlier month and its quantity changes.
    apply(
        &mut desk,
        "TAGIHAN_PASIEN",
        vec![charge(5, "B", "2024-01-20", "X", "3", "1", "")],
    );
    let b = months(&desk, "B");
    assert_eq!(b[0], m("2024-01", 0, 10_000, 3_000, 7_000, "3"));
    assert_eq!(b[2], m("2024-03", 7_000, 0, 0, 7_000, "0"));
    assert_eq!(desk.balance_transactions("B", None).unwrap().transactions.len(), 1);
    assert!(desk.balance_transactions("A", None).unwrap().transactions.is_empty());
    assert_ledger_matches_months(&desk);
    assert_force_equals_incremental(&mut desk);
}

#[test]
fn a_quantity_that_cannot_be_calculated_is_reported_and_does_not_stop_the_sync() {
    let db = Db::new();
    let mut desk = db.desk("2024-05-20T03:00:00Z");
    apply(&mut desk, "TARIF", vec![tariff("X", "2024-01-01", 1_000)]);
    apply(
        &mut desk,
        "TAGIHAN_PASIEN",
        vec![
            charge(1, "Q", "2024-02-01", "X", "0.33333", "1", ""),
            charge(2, "Q", "2024-02-02", "X", "1", "1", ""),
        ],
    );
    let u = desk.balance_unpriced().unwrap();
    assert_eq!(u.len(), 1);
    assert_eq!(
        (u[0].id_tagihan_item, serde_json::to_value(u[0].reason).unwrap()),
        (1, json!("jumlah_tidak_valid"))
    );
    assert_eq!(desk.balance_current("Q").unwrap().unwrap().closing_balance.0, -1_000);
    assert_force_equals_incremental(&mut desk);
}

// ---- init, sync, dry run, force ----------------------------------------------------------------

fn v6_fixture(dir: &Path) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../store/tests/fixtures/v6.sqlite");
    let dest = dir.join("loket.db");
    std::fs::copy(src, &dest).unwrap();
    dest
}

fn file_bytes(path: &Path) -> (Vec<u8>, Option<Vec<u8>>) {
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    (std::fs::read(path).unwrap(), std::fs::read(wal).ok())
}

#[test]
fn dry_run_writes_nothing_and_init_then_writes_what_it_said() {
    // The V6 fixture: synced deposits, charges and tariffs from before Saldo existed.
    let dir = tempfile::tempdir().unwrap();
    let path = v6_fixture(dir.path());
    let (mut desk, report) = Desk::open_with_clock(&path, Arc::new(FixedClock(at("2026-11-22T03:00:00Z")))).unwrap();
    assert!(report.applied.iter().any(|m| m == "V7__balance"));
    drop(desk);
    desk = Desk::open_with_clock(&path, Arc::new(FixedClock(at("2026-11-22T03:00:00Z"))))
        .unwrap()
        .0;
    let before = file_bytes(&path);
    let tables = [
        "balance_ledger",
        "balance_months",
        "balance_transactions",
        "balance_unpriced",
    ];
    let dry = desk.balance_init(&BalanceTarget::All, true, None).unwrap();
    assert!(dry.dry_run);
    assert_eq!(file_bytes(&path), before, "the database file is byte for byte the same");
    for t in tables {
        assert_eq!(count(&desk, t), 0, "{t}");
    }
    // Patients whose every row is cancelled have nothing to calculate.
    assert!(dry.patients > 30 && dry.patients_changed > 30, "{dry:?}");
    assert!(
        dry.ledger_appended > 100 && dry.months_written >= dry.patients_changed,
        "{dry:?}"
    );

    let done = desk.balance_init(&BalanceTarget::All, false, None).unwrap();
    assert_eq!(
        BalanceReportCounts::of(&done),
        BalanceReportCounts::of(&dry),
        "init does what the dry run said"
    );
    assert_eq!(count(&desk, "balance_months"), i64::from(done.months_written));
    assert_eq!(count(&desk, "balance_ledger"), i64::from(done.ledger_appended));
    assert_eq!(
        count(&desk, "balance_transactions"),
        i64::from(done.transactions_written)
    );
    assert_ledger_matches_months(&desk);

    // Initialised patients are left to `sync`; a second init does nothing.
    let again = desk.balance_init(&BalanceTarget::All, true, None).unwrap();
    assert_eq!(
        (again.patients_changed, again.ledger_appended, again.already_initialized),
        (0, 0, done.patients_changed),
        "{again:?}"
    );

    // The fixture's rows, recalculated independently here.
    let model = Model::from_db(&desk);
    model.assert_matches(&desk, (2026, 11));
    assert_force_equals_incremental(&mut desk);
}

#[derive(Debug, PartialEq, Eq)]
struct BalanceReportCounts([u32; 6]);

impl BalanceReportCounts {
    fn of(r: &loket_service::balance::BalanceReport) -> Self {
        BalanceReportCounts([
            r.patients,
            r.patients_changed,
            r.months_written,
            r.transactions_written,
            r.unpriced,
            r.ledger_appended,
        ])
    }
}

#[test]
fn sync_repairs_a_tampered_projection_from_the_month_that_differs() {
    let db = Db::new();
    let mut desk = db.desk("2024-06-20T03:00:00Z");
    apply(&mut desk, "TARIF", vec![tariff("X", "2024-01-01", 1_000)]);
    apply(
        &mut desk,
        "TAGIHAN_PASIEN",
        (1..=6)
            .map(|i| charge(i, "R1", &format!("2024-{i:02}-05"), "X", "1", "1", ""))
            .collect(),
    );
    apply(&mut desk, "DEPOSIT_PASIEN", vec![deposit(1, "R2", "2024-01-01", 5, "")]);
    let good = projections(&desk);
    desk.store()
        .conn()
        .execute(
            "UPDATE balance_months SET total_purchases = 0, closing_balance = 0 WHERE no_rm = 'R1' AND year_month = '2024-04'",
            [],
        )
        .unwrap();
    let r = desk
        .balance_sync(&BalanceTarget::Patient("R1".into()), None, false, None)
        .unwrap();
    assert_eq!(
        (r.patients, r.patients_changed, r.months_changed, r.ledger_appended),
        (1, 1, 1, 0)
    );
    assert_eq!(r.changed[0].from_month, Some(ym("2024-04")));
    assert_eq!(r.months_written, 3, "April to June rewritten");
    assert_eq!(projections(&desk), good);
    // --from-month rewrites from there even when nothing differs.
    let r = desk
        .balance_sync(&BalanceTarget::All, Some(ym("2024-05")), false, None)
        .unwrap();
    assert_eq!((r.patients_changed, r.months_written), (0, 2 + 2));
    assert_eq!(projections(&desk), good);
    // An unknown patient is an error, not an empty success.
    let e = desk
        .balance_sync(&BalanceTarget::Patient("NOPE".into()), None, false, None)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
}

#[test]
fn the_ledger_refuses_update_and_delete() {
    let db = Db::new();
    let mut desk = db.desk("2024-06-20T03:00:00Z");
    apply(&mut desk, "DEPOSIT_PASIEN", vec![deposit(1, "L1", "2024-01-01", 5, "")]);
    for sql in ["UPDATE balance_ledger SET amount = 0", "DELETE FROM balance_ledger"] {
        let err = desk.store().conn().execute(sql, []).unwrap_err().to_string();
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(count(&desk, "balance_ledger"), 1);
    // Projections are rebuildable and may be rewritten.
    desk.store().conn().execute("DELETE FROM balance_months", []).unwrap();
    desk.balance_sync(&BalanceTarget::All, None, false, None).unwrap();
    assert_eq!(count(&desk, "balance_months"), 6);
}

#[test]
fn search_by_no_rm_prefix_or_name() {
    let db = Db::new();
    let mut desk = db.desk("2024-06-20T03:00:00Z");
    apply(
        &mut desk,
        "DEPOSIT_PASIEN",
        vec![
            deposit(1, "00123", "2024-01-01", 5, ""),
            deposit(2, "00456", "2024-01-01", 5, ""),
        ],
    );
    apply(
        &mut desk,
        "TAGIHAN_PASIEN",
        vec![charge(1, "00999", "2024-01-01", "X", "1", "1", "")],
    );
    let hits = |q: &str| -> Vec<(String, Option<String>)> {
        desk.balance_search(q)
            .unwrap()
            .into_iter()
            .map(|h| (h.no_rm, h.nama))
            .collect()
    };
    assert_eq!(hits("001"), [("00123".to_string(), Some("Pasien 00123".to_string()))]);
    assert_eq!(
        hits("pasien 004"),
        [("00456".to_string(), Some("Pasien 00456".to_string()))]
    );
    assert_eq!(hits("009"), [("00999".to_string(), None)], "charges only: no name");
    assert_eq!(hits("00").len(), 3);
    assert!(hits("%").is_empty(), "LIKE wildcards are literal");
    assert!(hits(" ").is_empty());
}

// ---- random histories against an independent recomputation ------------------------------------

use loket_core::rng::SplitMix64 as Rng;

fn pick<'a, T>(rng: &mut Rng, xs: &'a [T]) -> &'a T {
    &xs[rng.below(xs.len() as u64) as usize]
}

#[derive(Clone, Debug)]
struct MDeposit {
    no_rm: String,
    tanggal: NaiveDate,
    jumlah: i64,
    status: String,
}

#[derive(Clone, Debug)]
struct MCharge {
    no_rm: String,
    tanggal: NaiveDate,
    kode: String,
    /// Ten-thousandths.
    jumlah: i64,
    faktor: i64,
    status: String,
}

/// The synced rows as the test knows them, and an independent calculation.
#[derive(Default)]
struct Model {
    deposits: BTreeMap<i64, MDeposit>,
    charges: BTreeMap<i64, MCharge>,
    tariffs: BTreeMap<(String, NaiveDate), i64>,
}

/// `raw` / 10^places as the shortest decimal: 25000 (4 places) → "2.5".
fn decimal(raw: i128, places: u32) -> String {
    let scale = 10i128.pow(places);
    let (sign, a) = if raw < 0 { ("-", -raw) } else { ("", raw) };
    let frac = format!("{:0width$}", a % scale, width = places as usize);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{sign}{}", a / scale)
    } else {
        format!("{sign}{}.{frac}", a / scale)
    }
}

/// "2.5" → 25000 (4 places); `None` for more decimals.
fn parse_qty(s: &str) -> Option<i64> {
    let (neg, s) = s.strip_prefix('-').map_or((false, s), |r| (true, r));
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if frac.len() > 4 {
        return None;
    }
    let v = int.parse::<i64>().ok()? * 10_000 + format!("{frac:0<4}").parse::<i64>().ok()?;
    Some(if neg { -v } else { v })
}

fn txt(v: &Value) -> String {
    match v {
        Value::Text(s) => s.clone(),
        _ => String::new(),
    }
}

fn batal(s: &str) -> bool {
    s.trim().to_lowercase() == "batal"
}

impl Model {
    fn from_db(desk: &Desk) -> Model {
        let mut model = Model::default();
        for r in query(
            desk,
            "SELECT id_deposit, no_rm, tanggal, jumlah, status FROM sync_deposit_pasien",
        ) {
            let [Value::Integer(id), Value::Text(no_rm), Value::Text(t), Value::Integer(j), status] = &r[..] else {
                panic!("{r:?}")
            };
            let status = txt(status);
            model.deposits.insert(
                *id,
                MDeposit {
                    no_rm: no_rm.clone(),
                    tanggal: day(t),
                    jumlah: *j,
                    status,
                },
            );
        }
        for r in query(
            desk,
            "SELECT id_tagihan_item, no_rm, tanggal, kode_item, jumlah, faktor, status FROM sync_tagihan_pasien",
        ) {
            let [Value::Integer(id), Value::Text(no_rm), Value::Text(t), kode, Value::Text(j), f, status] = &r[..]
            else {
                panic!("{r:?}")
            };
            model.charges.insert(
                *id,
                MCharge {
                    no_rm: no_rm.clone(),
                    tanggal: day(t),
                    kode: txt(kode),
                    jumlah: parse_qty(j).unwrap(),
                    faktor: parse_qty(&txt(f)).unwrap_or(10_000),
                    status: txt(status),
                },
            );
        }
        for r in query(desk, "SELECT kode_item, berlaku_mulai, harga FROM sync_tarif") {
            let [Value::Text(k), Value::Text(d), Value::Integer(h)] = &r[..] else {
                panic!("{r:?}")
            };
            model.tariffs.insert((k.clone(), day(d)), *h);
        }
        model
    }

    fn price(&self, kode: &str, on: NaiveDate) -> Option<i64> {
        self.tariffs
            .iter()
            .filter(|((k, from), _)| k == kode && *from <= on)
            .max_by_key(|((_, from), _)| *from)
            .map(|(_, h)| *h)
    }

    /// Month tuples per patient, as of `as_of` (year, month).
    fn months(&self, as_of: (i32, u32)) -> BTreeMap<String, Vec<MonthTuple>> {
        type Acc = BTreeMap<(i32, u32), (i64, i64, i128)>;
        let mut per: BTreeMap<String, Acc> = BTreeMap::new();
        let key = |d: NaiveDate| (d.year(), d.month());
        for d in self.deposits.values().filter(|d| !batal(&d.status)) {
            per.entry(d.no_rm.clone())
                .or_default()
                .entry(key(d.tanggal))
                .or_default()
                .0 += d.jumlah;
        }
        for c in self.charges.values().filter(|c| !batal(&c.status)) {
            let acc = per
                .entry(c.no_rm.clone())
                .or_default()
                .entry(key(c.tanggal))
                .or_default();
            if let Some(h) = self.price(&c.kode, c.tanggal) {
                let v = i128::from(c.jumlah) * i128::from(c.faktor);
                // Round half away from zero: |x| + ½ floored, sign put back.
                let p = v * i128::from(h);
                let mag = (2 * p.abs() + 100_000_000) / 200_000_000;
                acc.1 += (if p < 0 { -mag } else { mag }) as i64;
                acc.2 += v;
            }
        }
        let mut out = BTreeMap::new();
        for (no_rm, acc) in per {
            let first = *acc.keys().next().unwrap();
            let last = (*acc.keys().last().unwrap()).max(as_of);
            let (mut y, mut mo) = first;
            let mut opening = 0;
            let mut rows = Vec::new();
            loop {
                let (d, p, v) = acc.get(&(y, mo)).copied().unwrap_or_default();
                let closing = opening + d - p;
                rows.push((format!("{y:04}-{mo:02}"), opening, d, p, closing, decimal(v, 8)));
                opening = closing;
                if (y, mo) == last {
                    break;
                }
                (y, mo) = if mo == 12 { (y + 1, 1) } else { (y, mo + 1) };
            }
            out.insert(no_rm, rows);
        }
        out
    }

    fn assert_matches(&self, desk: &Desk, as_of: (i32, u32)) {
        let want = self.months(as_of);
        let stored = query(
            desk,
            "SELECT no_rm, year_month, opening_balance, total_deposits, total_purchases, closing_balance, total_volume
               FROM balance_months ORDER BY 1, 2",
        );
        let mut got: BTreeMap<String, Vec<MonthTuple>> = BTreeMap::new();
        for r in stored {
            let [Value::Text(no_rm), Value::Text(ym), Value::Integer(o), Value::Integer(d), Value::Integer(p), Value::Integer(c), Value::Text(v)] =
                &r[..]
            else {
                panic!("{r:?}")
            };
            got.entry(no_rm.clone())
                .or_default()
                .push((ym.clone(), *o, *d, *p, *c, v.clone()));
        }
        assert_eq!(got.len(), want.len(), "patients");
        for (no_rm, rows) in &want {
            assert_eq!(got.get(no_rm), Some(rows), "patient {no_rm}");
        }
        // Unpriced: counted charges without a tariff in force.
        let mut unpriced: Vec<i64> = self
            .charges
            .iter()
            .filter(|(_, c)| !batal(&c.status) && self.price(&c.kode, c.tanggal).is_none())
            .map(|(id, _)| *id)
            .collect();
        unpriced.sort();
        let mut stored: Vec<i64> = desk
            .balance_unpriced()
            .unwrap()
            .iter()
            .map(|u| u.id_tagihan_item)
            .collect();
        stored.sort();
        assert_eq!(stored, unpriced, "unpriced items");
    }
}

fn random_day(rng: &mut Rng) -> NaiveDate {
    // 2023-01-01 .. 2025-02-28: some rows after the current month (2024-12).
    day("2023-01-01") + chrono::TimeDelta::days(rng.below(790) as i64)
}

#[test]
fn random_histories_match_an_independent_recomputation() {
    const PATIENTS: [&str; 6] = ["RM01", "RM02", "RM03", "RM04", "RM05", "RM06"];
    const CODES: [&str; 4] = ["A", "B", "C", "D"];
    const STATUSES: [&str; 5] = ["", "Lunas", "Batal", "BATAL ", "Aktif"];
    for seed in 1..=6u64 {
        let db = Db::new();
        let mut desk = db.desk("2024-12-15T03:00:00Z");
        let mut rng = Rng(seed);
        let mut model = Model::default();
        let mut next_id = 1i64;
        for round in 0..25 {
            match rng.below(10) {
                // Tariffs: a new version or a new price for an existing one (codes D never priced).
                0..=1 => {
                    let mut rows = Vec::new();
                    for _ in 0..1 + rng.below(3) {
                        let kode = *pick(&mut rng, &CODES[..3]);
                        let from = if rng.below(2) == 0 {
                            day("2023-01-01")
                        } else {
                            random_day(&mut rng)
                        };
                        let harga = rng.below(20) as i64 * 2_500 + 333;
                        model.tariffs.insert((kode.to_string(), from), harga);
                        rows.push(tariff(kode, &from.to_string(), harga));
                    }
                    apply(&mut desk, "TARIF", rows);
                }
                // Deposits: new ones, or an existing one changed (status, date, patient, amount).
                2..=4 => {
                    let mut rows = Vec::new();
                    for _ in 0..1 + rng.below(4) {
                        let id = if !model.deposits.is_empty() && rng.below(3) == 0 {
                            *model
                                .deposits
                                .keys()
                                .nth(rng.below(model.deposits.len() as u64) as usize)
                                .unwrap()
                        } else {
                            next_id += 1;
                            next_id
                        };
                        let d = MDeposit {
                            no_rm: pick(&mut rng, &PATIENTS).to_string(),
                            tanggal: random_day(&mut rng),
                            jumlah: rng.below(400) as i64 * 1_000 - 20_000,
                            status: pick(&mut rng, &STATUSES).to_string(),
                        };
                        rows.push(deposit(id, &d.no_rm, &d.tanggal.to_string(), d.jumlah, &d.status));
                        model.deposits.insert(id, d);
                    }
                    apply(&mut desk, "DEPOSIT_PASIEN", rows);
                }
                // Charges: new ones or changed ones, halves and quarters make rounding ties.
                _ => {
                    let mut rows = Vec::new();
                    for _ in 0..1 + rng.below(8) {
                        let id = if !model.charges.is_empty() && rng.below(4) == 0 {
                            *model
                                .charges
                                .keys()
                                .nth(rng.below(model.charges.len() as u64) as usize)
                                .unwrap()
                        } else {
                            next_id += 1;
                            next_id
                        };
                        let c = MCharge {
                            no_rm: pick(&mut rng, &PATIENTS).to_string(),
                            tanggal: random_day(&mut rng),
                            kode: pick(&mut rng, &CODES).to_string(),
                            jumlah: rng.below(40) as i64 * 2_500 - 10_000,
                            faktor: *pick(&mut rng, &[10_000, 10_000, 15_000, 12_500, 5_000]),
                            status: pick(&mut rng, &STATUSES).to_string(),
                        };
                        rows.push(charge(
                            id,
                            &c.no_rm,
                            &c.tanggal.to_string(),
                            &c.kode,
                            &decimal(i128::from(c.jumlah), 4),
                            &decimal(i128::from(c.faktor), 4),
                            &c.status,
                        ));
                        model.charges.insert(id, c);
                    }
                    apply(&mut desk, "TAGIHAN_PASIEN", rows);
                }
            }
            if round % 5 == 4 {
                model.assert_matches(&desk, (2024, 12));
            }
        }
        model.assert_matches(&desk, (2024, 12));
        // The test's model read back from the synced tables is the same model.
        assert_eq!(Model::from_db(&desk).months((2024, 12)), model.months((2024, 12)));
        assert_ledger_matches_months(&desk);
        assert_force_equals_incremental(&mut desk);
        // Every reversal cancels the entry in force before it, of the same source.
        let orphans = query(
            &desk,
            "SELECT r.seq FROM balance_ledger r LEFT JOIN balance_ledger o ON o.seq = r.reverses
              WHERE r.action = 'reverse' AND (o.seq IS NULL OR o.amount <> -r.amount OR o.source_id <> r.source_id
                OR o.kind <> r.kind OR o.action <> 'recognize' OR o.seq > r.seq)",
        );
        assert!(orphans.is_empty(), "seed {seed}: {orphans:?}");
    }
}

// ---- a real sync against the dashboard simulator ------------------------------------------------

#[test]
fn a_real_sync_run_keeps_the_balances_in_real_time() {
    use loket_service::credentials::DashboardCredentials;
    use loket_service::sync::{sync_run, ClientPolicy, DashboardClient};
    use loket_sim::hospital::{HospitalConfig, HospitalSim};

    // 2026-01-19 07:00 WIB.
    const NOW_SECS: u64 = 1_768_780_800;
    let now = DateTime::from_timestamp(NOW_SECS as i64, 0).unwrap();
    let sim = HospitalSim::start_blocking(HospitalConfig {
        seed: 7,
        port: 0,
        clock: Arc::new(loket_bpjs::ManualClock::at(NOW_SECS)),
        ..HospitalConfig::default()
    })
    .unwrap();
    let db = Db::new();
    let mut desk = Desk::open_with_clock(&db.path(), Arc::new(FixedClock(now))).unwrap().0;
    let creds = DashboardCredentials::new(
        &sim.base_url(),
        loket_sim::DEMO_DASHBOARD_TOKEN,
        loket_sim::DEMO_DASHBOARD_API_KEY,
        now,
    )
    .unwrap();
    let client = DashboardClient::new(
        &creds,
        ClientPolicy {
            timeout: Duration::from_secs(5),
            retries: 1,
            backoff: Duration::from_millis(20),
            min_interval: Duration::ZERO,
        },
    )
    .unwrap();
    let run = |desk: &mut Desk, job: &str, from: &str, to: &str| {
        sync_run(
            desk,
            &client,
            job,
            loket_core::sync::RunWindow::Dates {
                from: day(from),
                to: day(to),
            },
            &|_| {},
            &AtomicBool::new(false),
        )
        .unwrap()
        .run
    };
    // Charges first (all unpriced), then deposits, then the tariffs price them in real time.
    let r = run(&mut desk, "TAGIHAN_PASIEN", "2026-01-05", "2026-01-16");
    assert_eq!(r.status, "ok", "{r:?}");
    assert!(desk.balance_unpriced().unwrap().len() as u32 >= r.counts.inserted / 2);
    run(&mut desk, "DEPOSIT_PASIEN", "2026-01-01", "2026-01-16");
    let t = run(&mut desk, "TARIF", "2020-01-01", "2026-12-31");
    assert!(t.counts.inserted > 10, "{t:?}");
    assert!(count(&desk, "balance_transactions") > 0);
    let model = Model::from_db(&desk);
    model.assert_matches(&desk, (2026, 1));
    assert_ledger_matches_months(&desk);
    // A rerun changes nothing, not even the ledger.
    let ledger = count(&desk, "balance_ledger");
    run(&mut desk, "TAGIHAN_PASIEN", "2026-01-05", "2026-01-16");
    assert_eq!(count(&desk, "balance_ledger"), ledger);
    assert_force_equals_incremental(&mut desk);
}
