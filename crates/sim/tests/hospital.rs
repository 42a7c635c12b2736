//! The hospital dashboard simulator over real HTTP on 127.0.0.1: authentication, paging, date
//! filters, every view's fields, consistency with the BPJS schedule, mutations and faults.

use loket_bpjs::ManualClock;
use loket_sim::hospital::{
    HospitalConfig, HospitalFault, HospitalFaultKind, HospitalHandle, HospitalSim, Malformation, Mutation,
    MutationReport, LIST_PATH,
};
use loket_sim::{Sim, SimConfig, DEMO_DASHBOARD_API_KEY, DEMO_DASHBOARD_TOKEN};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// 2023-11-15 05:13:20 WIB (a Wednesday).
const NOW: u64 = 1_700_000_000;
/// Fourteen whole days before today.
const FROM: &str = "2023-11-01";
const TO: &str = "2023-11-14";

struct Dash {
    sim: HospitalHandle,
    http: reqwest::Client,
}

fn config(seed: u64) -> HospitalConfig {
    HospitalConfig {
        seed,
        clock: Arc::new(ManualClock::at(NOW)),
        ..HospitalConfig::default()
    }
}

async fn dash() -> Dash {
    dash_with(config(7)).await
}

async fn dash_with(config: HospitalConfig) -> Dash {
    Dash {
        sim: HospitalSim::start(config).await.expect("dashboard sim starts"),
        http: reqwest::Client::new(),
    }
}

fn date_fields(view: u32) -> (&'static str, &'static str) {
    if view == 239 {
        ("waktu_registrasi_awal", "waktu_registrasi_akhir")
    } else {
        ("tanggal_awal", "tanggal_akhir")
    }
}

fn body(view: u32, from: &str, to: &str, page: u64, limit: u64) -> Value {
    let (a, b) = date_fields(view);
    json!({ "id_laporan_view": view, "pages": page, "limit": limit, a: from, b: to })
}

fn key(view: u32, row: &Value) -> String {
    match view {
        123 => row["id_jadwal_dokter"].to_string(),
        239 => row["booking_id"].to_string(),
        301 => row["id_deposit"].to_string(),
        302 => row["id_tagihan_item"].to_string(),
        303 => format!("{}@{}", row["berlaku_mulai"], row["kode_item"]),
        310 => row["id_kunjungan"].to_string(),
        _ => unreachable!(),
    }
}

impl Dash {
    async fn send(&self, body: &Value, token: Option<&str>, api_key: Option<&str>) -> reqwest::Response {
        let mut req = self.http.post(self.sim.list_url()).json(body);
        if let Some(t) = token {
            req = req.header("token", t);
        }
        if let Some(k) = api_key {
            req = req.header("x-api-key", k);
        }
        req.send().await.expect("request")
    }

    async fn post(&self, body: &Value) -> reqwest::Response {
        self.send(body, Some(DEMO_DASHBOARD_TOKEN), Some(DEMO_DASHBOARD_API_KEY))
            .await
    }

    async fn page(&self, view: u32, from: &str, to: &str, page: u64, limit: u64) -> Value {
        let r = self.post(&body(view, from, to, page, limit)).await;
        assert_eq!(r.status(), 200, "view {view} page {page}");
        r.json().await.expect("JSON page")
    }

    /// Pages until a short page; returns the first page's count and every row.
    async fn all(&self, view: u32, from: &str, to: &str, limit: u64) -> (u64, Vec<Value>) {
        let mut rows = Vec::new();
        let mut count = None;
        for p in 1.. {
            let page = self.page(view, from, to, p, limit).await;
            assert_eq!(page["page"], p);
            assert_eq!(page["limit"], limit);
            count.get_or_insert(page["count"].as_u64().expect("count"));
            let list = page["list"].as_array().expect("list").clone();
            let short = (list.len() as u64) < limit;
            rows.extend(list);
            if short {
                break;
            }
        }
        (count.unwrap_or(0), rows)
    }

    async fn admin(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> reqwest::Response {
        let mut req = self
            .http
            .request(method, format!("{}/__admin/hospital/{path}", self.sim.base_url()));
        if let Some(b) = body {
            req = req.json(&b);
        }
        req.send().await.expect("admin request")
    }
}

// ---- authentication and errors ---------------------------------------------------------------

#[tokio::test]
async fn both_headers_are_checked() {
    let d = dash().await;
    let b = body(123, FROM, TO, 1, 10);
    for (token, key) in [
        (None, Some(DEMO_DASHBOARD_API_KEY)),
        (Some("wrong"), Some(DEMO_DASHBOARD_API_KEY)),
        (Some(DEMO_DASHBOARD_TOKEN), None),
        (Some(DEMO_DASHBOARD_TOKEN), Some("wrong")),
    ] {
        let r = d.send(&b, token, key).await;
        assert_eq!(r.status(), 401, "{token:?} {key:?}");
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"));
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["statusCode"], 401);
        assert!(e["message"].as_str().unwrap().len() > 5);
    }
    assert_eq!(d.post(&b).await.status(), 200);
    let log = d.sim.requests();
    assert_eq!(log.len(), 5);
    assert_eq!(
        log.iter().map(|r| r.headers_ok).collect::<Vec<_>>(),
        [false, false, false, false, true]
    );
    assert_eq!(
        (log[4].view, log[4].page, log[4].limit, log[4].status),
        (Some(123), Some(1), Some(10), 200)
    );

    let over_http: Value = d
        .admin(reqwest::Method::GET, "requests", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(over_http.as_array().unwrap().len(), 5);
    assert_eq!(over_http[0]["headers_ok"], false);
    assert_eq!(over_http[0]["status"], 401);
    assert_eq!(over_http[4]["view"], 123);
}

#[tokio::test]
async fn bad_requests_get_json_errors() {
    let d = dash().await;
    let check = |status: u16| {
        move |r: reqwest::Response| async move {
            assert_eq!(r.status(), status);
            let e: Value = r.json().await.expect("JSON error");
            assert_eq!(e["statusCode"], status);
            e["message"].as_str().unwrap().to_string()
        }
    };
    let m = check(404)(d.post(&body(999, FROM, TO, 1, 10)).await).await;
    assert!(m.contains("999"), "{m}");
    let m = check(400)(
        d.post(&json!({"id_laporan_view": 239, "pages": 1, "limit": 10, "tanggal_awal": FROM, "tanggal_akhir": TO}))
            .await,
    )
    .await;
    assert!(m.contains("waktu_registrasi_awal"), "{m}");
    let m = check(400)(
        d.post(&json!({"id_laporan_view": 123, "pages": 1, "limit": 10, "tanggal_awal": FROM}))
            .await,
    )
    .await;
    assert!(m.contains("tanggal_akhir"), "{m}");
    check(400)(d.post(&body(123, "kemarin", TO, 1, 10)).await).await;
    check(400)(d.post(&body(123, FROM, TO, 0, 10)).await).await;
    check(400)(d.post(&json!({"pages": 1})).await).await;
    let raw = d
        .http
        .post(d.sim.list_url())
        .header("token", DEMO_DASHBOARD_TOKEN)
        .header("x-api-key", DEMO_DASHBOARD_API_KEY)
        .body("not json")
        .send()
        .await
        .unwrap();
    check(400)(raw).await;
    // Numbers as strings are accepted, like the real back end.
    let r = d
        .post(&json!({"id_laporan_view": "123", "pages": "2", "limit": "5", "tanggal_awal": FROM, "tanggal_akhir": TO}))
        .await;
    assert_eq!(r.status(), 200);
    let page: Value = r.json().await.unwrap();
    assert_eq!((page["page"].as_u64(), page["limit"].as_u64()), (Some(2), Some(5)));
}

// ---- paging, fields, filters, determinism ----------------------------------------------------

#[tokio::test]
async fn every_view_pages_exactly_count_rows_in_key_order_without_duplicates() {
    let d = dash().await;
    for (view, from, to, limit) in [
        (123, "2023-11-13", "2023-11-18", 37),
        (239, FROM, TO, 250),
        (301, "2023-10-01", TO, 40),
        (302, "2023-11-10", TO, 100),
        (303, "2015-01-01", "2023-11-15", 7),
        (310, "2023-11-01", TO, 150),
    ] {
        let (count, rows) = d.all(view, from, to, limit).await;
        assert!(count > 0, "view {view} empty");
        assert_eq!(rows.len() as u64, count, "view {view}");
        let keys: Vec<String> = rows.iter().map(|r| key(view, r)).collect();
        assert_eq!(
            keys.iter().collect::<HashSet<_>>().len(),
            keys.len(),
            "view {view} duplicates"
        );
        if view != 303 {
            let ids: Vec<i64> = keys.iter().map(|k| k.parse().unwrap()).collect();
            assert!(ids.windows(2).all(|w| w[0] < w[1]), "view {view} not in key order");
        }
        // Past the end: the count, no rows.
        let beyond = d.page(view, from, to, count / limit + 2, limit).await;
        assert_eq!(beyond["count"].as_u64(), Some(count));
        assert!(beyond["list"].as_array().unwrap().is_empty());
    }
}

#[tokio::test]
async fn every_view_has_its_fields_in_order_with_their_types() {
    let d = dash().await;
    let expect: BTreeMap<u32, &[&str]> = loket_sim::hospital::views()
        .into_iter()
        .map(|(id, _, _, _, fields)| (id, fields))
        .collect();
    assert_eq!(
        expect.keys().copied().collect::<Vec<_>>(),
        [123, 239, 301, 302, 303, 310]
    );
    assert_eq!(expect[&239].len(), 40);
    for (view, fields) in &expect {
        let (from, to) = if *view == 303 { ("2015-01-01", TO) } else { (FROM, TO) };
        let (_, rows) = d.all(*view, from, to, 1000).await;
        let all: BTreeSet<&str> = fields.iter().copied().collect();
        let mut saw_without_faktor = false;
        for row in &rows {
            let keys: BTreeSet<&str> = row.as_object().unwrap().keys().map(String::as_str).collect();
            if *view == 302 && !keys.contains("faktor") {
                saw_without_faktor = true;
                assert_eq!(keys, all.iter().copied().filter(|f| *f != "faktor").collect());
            } else {
                assert_eq!(keys, all, "view {view}");
            }
        }
        assert!(*view != 302 || saw_without_faktor, "302 always has faktor");
        // The first row on the wire has its fields in the API's order.
        let text = d.post(&body(*view, from, to, 1, 1)).await.text().await.unwrap();
        let at: Vec<usize> = fields.iter().filter_map(|f| text.find(&format!("\"{f}\":"))).collect();
        assert!(
            at.len() >= fields.len() - 1 && at.windows(2).all(|w| w[0] < w[1]),
            "view {view}: {text}"
        );
    }

    let (_, jadwal) = d.all(123, FROM, TO, 1000).await;
    for j in &jadwal {
        for f in [
            "id_jadwal_dokter",
            "id_dokter",
            "id_spesialis",
            "kode_dokter_bpjs",
            "kuota",
            "kuota_jkn",
            "kuota_vip",
        ] {
            assert!(j[f].is_i64(), "123 {f}: {}", j[f]);
        }
        assert!(["Aktif", "Libur"].contains(&j["status"].as_str().unwrap()));
        assert_eq!(j["mulai"].as_str().unwrap().len(), 8, "HH:MM:SS");
    }
    let (_, bookings) = d.all(239, FROM, TO, 1000).await;
    let statuses: BTreeSet<&str> = bookings.iter().map(|b| b["status_booking"].as_str().unwrap()).collect();
    assert_eq!(statuses, BTreeSet::from(["Aktif", "Batal"]));
    for b in &bookings {
        assert!(b["booking_id"].is_i64());
        let rm = b["no_rm"].as_str().unwrap();
        assert!(rm.len() == 8 && rm.bytes().all(|c| c.is_ascii_digit()), "{rm}");
        assert!(b["versi"].is_string());
        assert_eq!(b["nik_rm"].as_str().unwrap().len(), 16);
        assert_eq!(b["tanggal_antrian"].as_str().unwrap().len(), 10);
        assert!(b["tanggal_registrasi_filter"].as_str().unwrap().ends_with('Z'));
        assert_eq!(b["status_booking"] == "Batal", b["alasan_batal"].is_string());
    }
    let (_, deposits) = d.all(301, FROM, TO, 1000).await;
    assert!(deposits
        .iter()
        .all(|r| r["jumlah"].is_i64() && r["jumlah"].as_i64().unwrap() % 50_000 == 0));
    let (_, tariffs) = d.all(303, "2015-01-01", TO, 1000).await;
    assert!(tariffs.iter().all(|r| r["harga"].is_i64()));
    let (_, visits) = d.all(310, FROM, TO, 1000).await;
    assert!(visits
        .iter()
        .all(|r| ["L", "P"].contains(&r["jenis_kelamin"].as_str().unwrap())));
    assert!(visits.iter().any(|r| r["status"] == "Batal"));
}

#[tokio::test]
async fn same_seed_same_rows_other_seed_other_rows() {
    let (a, b, c) = (
        dash_with(config(5)).await,
        dash_with(config(5)).await,
        dash_with(config(6)).await,
    );
    for view in [123, 239, 301, 302, 303, 310] {
        let (from, to) = if view == 303 { ("2015-01-01", TO) } else { (FROM, TO) };
        let pa = a.page(view, from, to, 2, 50).await;
        assert_eq!(pa, b.page(view, from, to, 2, 50).await, "view {view}");
        if view != 303 {
            assert_ne!(pa, c.page(view, from, to, 2, 50).await, "view {view}");
        }
    }
}

#[tokio::test]
async fn booking_windows_count_whole_days_and_cut_by_registration_time() {
    let d = dash().await;
    let per_day = d.sim.config().bookings_per_day as u64;
    let count = |p: Value| p["count"].as_u64().unwrap();
    // The same 14 days written in the three forms a client may use.
    for (from, to) in [
        (FROM, TO),
        ("2023-10-31T17:00:00+00:00", "2023-11-14T17:00:00+00:00"),
        ("2023-11-01 00:00:00", "2023-11-14 23:59:59"),
    ] {
        assert_eq!(count(d.page(239, from, to, 1, 1).await), 14 * per_day, "{from} {to}");
    }
    // Days after today have no registrations yet; days before history neither.
    assert_eq!(count(d.page(239, "2023-11-16", "2023-12-31", 1, 1).await), 0);
    assert_eq!(count(d.page(239, "2020-01-01", "2020-12-31", 1, 1).await), 0);
    // Part of a day: 10:00–12:00 WIB holds some of the day's bookings, all registered then.
    let (from, to) = ("2023-11-10 10:00:00", "2023-11-10 11:59:59");
    let (n, rows) = d.all(239, from, to, 100).await;
    assert!(n > 0 && n < per_day / 2, "{n}");
    for r in &rows {
        let t = r["tanggal_registrasi_filter"].as_str().unwrap();
        // 10:00–11:59:59 WIB is 03:00–04:59:59 UTC.
        assert!(
            ("2023-11-10T03:00:00.000Z".."2023-11-10T05:00:00.000Z").contains(&t),
            "{t}"
        );
        assert_eq!(r["inserted_date"], r["tanggal_registrasi_filter"]);
    }
    // Bookings are for a session 0–14 days after registration.
    let (_, rows) = d.all(239, "2023-11-10", "2023-11-10", 1000).await;
    assert!(rows.iter().all(|r| {
        let t = r["tanggal_antrian"].as_str().unwrap();
        ("2023-11-10"..="2023-11-30").contains(&t)
    }));
}

#[tokio::test]
async fn date_views_filter_inclusive_dates() {
    let d = dash().await;
    for (view, field) in [
        (123, "tanggal"),
        (301, "tanggal"),
        (302, "tanggal"),
        (310, "tanggal_kunjungan"),
    ] {
        let (_, one_day) = d.all(view, "2023-11-14", "2023-11-14", 1000).await;
        assert!(!one_day.is_empty(), "view {view}");
        assert!(one_day.iter().all(|r| r[field] == "2023-11-14"), "view {view}");
        let (_, two_days) = d
            .all(view, "2023-11-13T17:00:00Z", "2023-11-15T17:00:00+00:00", 1000)
            .await;
        let dates: BTreeSet<&str> = two_days.iter().map(|r| r[field].as_str().unwrap()).collect();
        assert_eq!(dates, BTreeSet::from(["2023-11-14", "2023-11-15"]), "view {view}");
    }
    // Schedules reach ahead; visits, bills and deposits stop at today.
    assert!(
        d.page(123, "2023-12-01", "2023-12-07", 1, 1).await["count"]
            .as_u64()
            .unwrap()
            > 0
    );
    assert_eq!(d.page(310, "2023-12-01", "2023-12-07", 1, 1).await["count"], 0);
    // Sunday: no polyclinic visits.
    assert_eq!(d.page(310, "2023-11-12", "2023-11-12", 1, 1).await["count"], 0);
}

// ---- consistency with the BPJS simulator and between views -----------------------------------

#[tokio::test]
async fn schedules_and_bookings_match_the_bpjs_schedule() {
    let sim_config = SimConfig {
        seed: 11,
        clock: Arc::new(ManualClock::at(NOW)),
        ..SimConfig::default()
    };
    let bpjs = Sim::start(sim_config.clone()).await.unwrap();
    let d = dash_with(HospitalConfig::matching(&sim_config)).await;
    for date in ["2023-11-15", "2023-11-16", "2023-11-18", "2023-11-20"] {
        let (_, rows) = d.all(123, date, date, 1000).await;
        let served: BTreeSet<(String, i64, String, i64, bool)> = rows
            .iter()
            .map(|r| {
                (
                    r["kode_poli_bpjs"].as_str().unwrap().to_string(),
                    r["kode_dokter_bpjs"].as_i64().unwrap(),
                    format!(
                        "{}-{}",
                        &r["mulai"].as_str().unwrap()[..5],
                        &r["selesai"].as_str().unwrap()[..5]
                    ),
                    r["kuota"].as_i64().unwrap(),
                    r["status"] == "Libur",
                )
            })
            .collect();
        let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
        let expected: BTreeSet<(String, i64, String, i64, bool)> = bpjs.with_hfis(|h| {
            h.doctors()
                .iter()
                .flat_map(|doc| {
                    h.jadwal(&doc.kodesubspesialis, day)
                        .into_iter()
                        .filter(|j| j.kodedokter == doc.kodedokter && j.kodesubspesialis == doc.kodesubspesialis)
                        .map(|j| {
                            (
                                j.kodesubspesialis.clone(),
                                j.kodedokter,
                                j.jadwal.clone(),
                                j.kapasitaspasien,
                                j.is_libur(),
                            )
                        })
                })
                .collect()
        });
        assert!(!expected.is_empty());
        assert_eq!(served, expected, "{date}");
    }

    // Every booking points at a JADWAL_DOKTER row with the same doctor, date and window;
    // bookings of a libur session are cancelled.
    let (_, jadwal) = d.all(123, "2023-10-01", "2023-12-31", 1000).await;
    let by_id: BTreeMap<i64, &Value> = jadwal
        .iter()
        .map(|j| (j["id_jadwal_dokter"].as_i64().unwrap(), j))
        .collect();
    let (_, bookings) = d.all(239, FROM, TO, 1000).await;
    for b in &bookings {
        let j = by_id[&b["id_jadwal_dokter"].as_i64().unwrap()];
        for (bf, jf) in [
            ("id_dokter", "id_dokter"),
            ("tanggal_antrian", "tanggal"),
            ("mulai", "mulai"),
            ("selesai", "selesai"),
            ("code", "kode_poli_bpjs"),
            ("id_spesialis", "id_spesialis"),
            ("hari", "hari"),
            ("kuota", "kuota"),
            ("dokter", "nama_dokter"),
        ] {
            assert_eq!(b[bf], j[jf], "{bf}");
        }
        if j["status"] == "Libur" {
            assert_eq!(b["status_booking"], "Batal");
        }
    }
    bpjs.shutdown().await;
}

#[tokio::test]
async fn chronic_patients_come_monthly_with_gaps_and_dm_ht_codes() {
    let d = dash().await;
    let (_, visits) = d.all(310, "2022-11-01", "2023-10-31", 5000).await;
    let mut months: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut codes = BTreeSet::new();
    for v in visits.iter().filter(|v| v["status"] == "Selesai") {
        let icd = v["kode_icd10"].as_str().unwrap();
        for c in icd.split(',').map(str::trim) {
            codes.insert(c.to_string());
        }
        if icd.contains("E1") || icd.contains("I1") {
            months
                .entry(v["no_rm"].as_str().unwrap().to_string())
                .or_default()
                .insert(v["tanggal_kunjungan"].as_str().unwrap()[..7].to_string());
        }
    }
    let regular = months.values().filter(|m| m.len() >= 10).count();
    let with_gap = months.values().filter(|m| (6..12).contains(&m.len())).count();
    assert!(regular > 100, "{regular} patients with 10+ control months");
    assert!(with_gap > 20, "{with_gap} patients with gaps");
    for family in ["E10", "E11", "E12", "E13", "E14", "I10", "I11", "I12", "I13", "I15"] {
        assert!(codes.iter().any(|c| c.starts_with(family)), "{family} missing");
    }
    assert!(codes.contains("E11.9") && codes.contains("J06.9"));
    assert!(visits
        .iter()
        .any(|v| v["kode_icd10"].as_str().is_some_and(|c| c.contains(", "))));
}

#[tokio::test]
async fn tariffs_change_mid_history_and_bills_use_tariff_items() {
    let d = dash().await;
    let (_, tariffs) = d.all(303, "2000-01-01", "2023-11-15", 1000).await;
    let mut versions: BTreeMap<&str, Vec<(&str, i64)>> = BTreeMap::new();
    for t in &tariffs {
        versions
            .entry(t["kode_item"].as_str().unwrap())
            .or_default()
            .push((t["berlaku_mulai"].as_str().unwrap(), t["harga"].as_i64().unwrap()));
    }
    let changed = versions.values().filter(|v| v.len() >= 2).count();
    assert!(changed >= 5, "{changed} items changed price");
    assert!(versions
        .values()
        .filter(|v| v.len() >= 2)
        .all(|v| v[0].1 != v[1].1 && v[0].0 < v[1].0));
    // Only the changes since a date.
    let (recent, _) = d.all(303, "2023-01-01", "2023-11-15", 1000).await;
    assert!(recent > 0 && recent < tariffs.len() as u64);

    let (_, items) = d.all(302, "2023-11-01", TO, 1000).await;
    assert!(items
        .iter()
        .all(|i| versions.contains_key(i["kode_item"].as_str().unwrap())));
    assert!(items.iter().any(|i| i["jumlah"].is_string()));
    assert!(items
        .iter()
        .any(|i| i["jumlah"].as_f64().is_some_and(|q| q.fract() != 0.0)));
    assert!(items.iter().any(|i| i["faktor"] == 1.25));
    let bills: BTreeSet<i64> = items.iter().map(|i| i["id_tagihan"].as_i64().unwrap()).collect();
    assert!(bills.len() * 2 < items.len(), "items are grouped into bills");
}

// ---- mutations -------------------------------------------------------------------------------

#[tokio::test]
async fn mutations_cancel_move_and_add_bookings_between_two_syncs() {
    let d = dash().await;
    let (window_from, window_to) = (FROM, "2023-11-15");
    let (n0, before) = d.all(239, window_from, window_to, 1000).await;
    let report: MutationReport = d
        .admin(
            reqwest::Method::POST,
            "mutate",
            Some(json!({"cancel": 4, "move": 3, "add": 5})),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report.generation, 1);
    assert_eq!(
        (report.cancelled.len(), report.moved.len(), report.added.len()),
        (4, 3, 5)
    );
    assert_eq!(d.sim.generation(), 1);
    let (n1, after) = d.all(239, window_from, window_to, 1000).await;
    assert_eq!(n1, n0 + 5);
    let old: BTreeMap<i64, &Value> = before.iter().map(|r| (r["booking_id"].as_i64().unwrap(), r)).collect();
    let new: BTreeMap<i64, &Value> = after.iter().map(|r| (r["booking_id"].as_i64().unwrap(), r)).collect();
    let versi = |r: &Value| r["versi"].as_str().unwrap().parse::<u32>().unwrap();
    for id in &report.cancelled {
        let (o, n) = (old[id], new[id]);
        assert_eq!(
            (o["status_booking"].as_str(), n["status_booking"].as_str()),
            (Some("Aktif"), Some("Batal"))
        );
        assert_eq!(versi(n), versi(o) + 1);
        assert!(n["alasan_batal"].is_string() && n["update_date"].is_string());
        assert!(n["tanggal_antrian"].as_str().unwrap() >= "2023-11-15");
    }
    for m in &report.moved {
        let (o, n) = (old[&m.booking_id], new[&m.booking_id]);
        assert_eq!(o["id_jadwal_dokter"], m.from_id_jadwal_dokter);
        assert_eq!(n["id_jadwal_dokter"], m.to_id_jadwal_dokter);
        assert_eq!(n["tanggal_antrian"], m.to_tanggal.to_string());
        assert_eq!(n["id_dokter"], m.to_id_dokter);
        assert_ne!(o["id_jadwal_dokter"], n["id_jadwal_dokter"]);
        assert_eq!(n["status_booking"], "Aktif");
        assert_eq!(versi(n), versi(o) + 1);
        assert_eq!(n["tanggal_registrasi_filter"], o["tanggal_registrasi_filter"]);
    }
    for id in &report.added {
        assert!(!old.contains_key(id));
        assert_eq!(new[id]["tanggal_registrasi_filter"], "2023-11-14T22:13:20.000Z");
    }
    let touched: BTreeSet<i64> = report
        .cancelled
        .iter()
        .copied()
        .chain(report.moved.iter().map(|m| m.booking_id))
        .collect();
    for (id, o) in &old {
        if !touched.contains(id) {
            assert_eq!(*o, new[id], "untouched booking {id} changed");
        }
    }
    // The same mutations on the same seed give the same report; a reset restores generation 0.
    let twin = dash().await;
    assert_eq!(
        twin.sim.mutate(&Mutation {
            cancel: 4,
            moves: 3,
            add: 5,
            ..Mutation::default()
        }),
        report
    );
    d.admin(reqwest::Method::DELETE, "mutate", None).await;
    assert_eq!(d.all(239, window_from, window_to, 1000).await, (n0, before));
}

// ---- faults ----------------------------------------------------------------------------------

#[tokio::test]
async fn http500_on_one_page_for_a_limited_number_of_times() {
    let d = dash().await;
    d.sim.add_fault(HospitalFault::parse("239:3@2=http500").unwrap());
    assert_eq!(d.post(&body(239, FROM, TO, 1, 100)).await.status(), 200);
    for _ in 0..2 {
        let r = d.post(&body(239, FROM, TO, 3, 100)).await;
        assert_eq!(r.status(), 500);
        assert_eq!(r.json::<Value>().await.unwrap()["statusCode"], 500);
    }
    assert_eq!(d.post(&body(239, FROM, TO, 3, 100)).await.status(), 200);
    assert!(d.sim.faults().is_empty());
    let log = d.sim.requests();
    assert_eq!(log.iter().filter(|r| r.fault.as_deref() == Some("http500")).count(), 2);
}

#[tokio::test]
async fn slow_page() {
    let d = dash().await;
    d.sim.add_fault(HospitalFault::times(
        Some(301),
        Some(2),
        HospitalFaultKind::Delay { millis: 400 },
        1,
    ));
    let t = Instant::now();
    d.page(301, FROM, TO, 1, 10).await;
    let fast = t.elapsed();
    let t = Instant::now();
    let page = d.page(301, FROM, TO, 2, 10).await;
    assert!(
        t.elapsed() >= Duration::from_millis(400),
        "{:?} (page 1 took {fast:?})",
        t.elapsed()
    );
    assert_eq!(page["list"].as_array().unwrap().len(), 10);
}

#[tokio::test]
async fn count_drifts_on_later_pages_until_page_one_again() {
    let d = dash().await;
    let add = |spec: &str| d.sim.add_fault(HospitalFault::parse(spec).unwrap());
    add("239:2@1=count-drift:+7");
    let n = d.page(239, FROM, TO, 1, 1).await["count"].as_u64().unwrap();
    assert_eq!(counts(&d).await, [n, n + 7, n + 7, n + 7]);
    assert_eq!(counts(&d).await, [n, n, n, n], "a new listing starts clean");
    add("239:3=count-drift:-5");
    assert_eq!(counts(&d).await, [n, n, n - 5, n - 5]);
}

/// The counts reported by pages 1–4 of one listing.
async fn counts(d: &Dash) -> Vec<u64> {
    let mut out = Vec::new();
    for p in 1..=4 {
        out.push(d.page(239, FROM, TO, p, 100).await["count"].as_u64().unwrap());
    }
    out
}

#[tokio::test]
async fn duplicated_rows_shift_the_window_without_losing_any() {
    let d = dash().await;
    let (count, clean) = d.all(302, "2023-11-13", TO, 50).await;
    d.sim.add_fault(HospitalFault::parse("302:3@1=duplicate:4").unwrap());
    let p2 = d.page(302, "2023-11-13", TO, 2, 50).await;
    let p3 = d.page(302, "2023-11-13", TO, 3, 50).await;
    assert_eq!(p3["count"].as_u64(), Some(count));
    let (p2, p3) = (p2["list"].as_array().unwrap(), p3["list"].as_array().unwrap());
    assert_eq!(p3[..4], p2[46..], "page 3 repeats the last 4 rows of page 2");
    // A whole listing with the fault: every row arrives, 4 of them twice.
    d.sim.add_fault(HospitalFault::parse("302:3@1=duplicate:4").unwrap());
    let (_, rows) = d.all(302, "2023-11-13", TO, 50).await;
    assert_eq!(rows.len() as u64, count + 4);
    let unique: BTreeMap<String, &Value> = rows.iter().map(|r| (key(302, r), r)).collect();
    assert_eq!(unique.len() as u64, count);
    let clean: BTreeMap<String, &Value> = clean.iter().map(|r| (key(302, r), r)).collect();
    assert_eq!(unique, clean);
}

#[tokio::test]
async fn malformed_rows() {
    let d = dash().await;
    d.sim.add_fault(HospitalFault::times(
        Some(301),
        Some(1),
        HospitalFaultKind::MalformedRow {
            how: Malformation::WrongType,
        },
        1,
    ));
    let list = d.page(301, FROM, TO, 1, 20).await["list"].as_array().unwrap().clone();
    let bad: Vec<&Value> = list.iter().filter(|r| !r["jumlah"].is_i64()).collect();
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0]["jumlah"], "abc");

    d.sim
        .add_fault(HospitalFault::parse("239:2@1=malformed-row:missing-key").unwrap());
    let list = d.page(239, FROM, TO, 2, 20).await["list"].as_array().unwrap().clone();
    assert_eq!(list.iter().filter(|r| r.get("booking_id").is_none()).count(), 1);
    assert_eq!(list.len(), 20);

    d.sim
        .add_fault(HospitalFault::parse("310@1=malformed-row:null-key").unwrap());
    let list = d.page(310, FROM, TO, 5, 20).await["list"].as_array().unwrap().clone();
    assert_eq!(list.iter().filter(|r| r["id_kunjungan"].is_null()).count(), 1);
}

#[tokio::test]
async fn html_pages_and_truncated_json() {
    let d = dash().await;
    for (spec, status) in [("*@1=html", 200), ("123:1@1=html:502", 502)] {
        d.sim.add_fault(HospitalFault::parse(spec).unwrap());
        let r = d.post(&body(123, FROM, TO, 1, 10)).await;
        assert_eq!(r.status(), status);
        assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        assert!(r.text().await.unwrap().contains("<html"));
    }
    d.sim.add_fault(HospitalFault::parse("123@1=truncated").unwrap());
    let r = d.post(&body(123, FROM, TO, 1, 10)).await;
    assert_eq!(r.status(), 200);
    assert!(serde_json::from_str::<Value>(&r.text().await.unwrap()).is_err());
    assert_eq!(d.post(&body(123, FROM, TO, 1, 10)).await.status(), 200);
}

#[tokio::test]
async fn faults_over_the_admin_endpoint() {
    let d = dash().await;
    let r = d
        .admin(
            reqwest::Method::POST,
            "fault",
            Some(json!({"view": 310, "page": 2, "kind": "http500", "times": 1})),
        )
        .await;
    assert_eq!(r.status(), 200);
    let r = d
        .admin(reqwest::Method::POST, "fault", Some(json!({"spec": "303=delay:10"})))
        .await;
    assert_eq!(r.status(), 200);
    let bad = d
        .admin(reqwest::Method::POST, "fault", Some(json!({"spec": "303=nope"})))
        .await;
    assert_eq!(bad.status(), 400);
    let listed: Vec<HospitalFault> = d.admin(reqwest::Method::GET, "fault", None).await.json().await.unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(d.post(&body(310, FROM, TO, 2, 10)).await.status(), 500);
    assert_eq!(d.post(&body(310, FROM, TO, 2, 10)).await.status(), 200);
    d.admin(reqwest::Method::DELETE, "fault", None).await;
    assert!(d.sim.faults().is_empty());
    let state: Value = d.admin(reqwest::Method::GET, "state", None).await.json().await.unwrap();
    assert_eq!(state["today"], "2023-11-15");
    assert_eq!(state["views"][1]["start_field"], "waktu_registrasi_awal");
}

// ---- scale, start modes, the binary ----------------------------------------------------------

#[tokio::test]
async fn a_hundred_thousand_bookings_page_fast() {
    let d = dash_with(HospitalConfig {
        bookings_per_day: 7_143,
        ..config(3)
    })
    .await;
    let first = d.page(239, FROM, TO, 1, 1000).await;
    assert_eq!(first["count"], 100_002);
    let t = Instant::now();
    let last = d.page(239, FROM, TO, 101, 1000).await;
    assert_eq!(last["list"].as_array().unwrap().len(), 2);
    let mid = d.page(239, FROM, TO, 57, 1000).await;
    let ids: Vec<i64> = mid["list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["booking_id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 1000);
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    assert!(t.elapsed() < Duration::from_secs(20), "{:?}", t.elapsed());
}

#[test]
fn starts_without_a_runtime() {
    let sim = HospitalSim::start_blocking(config(9)).unwrap();
    assert!(sim.base_url().starts_with("http://127.0.0.1:"));
    let url = sim.list_url();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let status = rt.block_on(async {
        reqwest::Client::new()
            .post(url)
            .header("token", DEMO_DASHBOARD_TOKEN)
            .header("x-api-key", DEMO_DASHBOARD_API_KEY)
            .json(&body(123, FROM, TO, 1, 5))
            .send()
            .await
            .unwrap()
            .status()
    });
    assert_eq!(status, 200);
    assert_eq!(sim.requests().len(), 1);
    sim.shutdown();
}

struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn binary_serves_the_dashboard_with_flags() {
    use std::io::{BufRead, BufReader};
    let mut child = KillOnDrop(
        std::process::Command::new(env!("CARGO_BIN_EXE_loket-sim"))
            .args([
                "--port",
                "0",
                "--hospital-port",
                "0",
                "--hospital-bookings-per-day",
                "10",
                "--hospital-fault",
                "239:2@1=http500",
            ])
            .env_remove("LOKET_SIM_DASHBOARD_TOKEN")
            .env_remove("LOKET_SIM_DASHBOARD_API_KEY")
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("loket-sim starts"),
    );
    let mut printed = Vec::new();
    for line in BufReader::new(child.0.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        let done = line.starts_with("Ctrl-C");
        printed.push(line);
        if done {
            break;
        }
    }
    let value = |key: &str| {
        printed
            .iter()
            .find_map(|l| l.trim().strip_prefix(key).map(|v| v.trim().to_owned()))
            .unwrap_or_else(|| panic!("`{key}` not printed: {printed:?}"))
    };
    let base = value("dashboard base URL:");
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    assert_eq!(value("dashboard token:"), DEMO_DASHBOARD_TOKEN);
    assert_eq!(value("dashboard x-api-key:"), DEMO_DASHBOARD_API_KEY);
    // The binary runs on the real clock: the 14 whole days before today (WIB).
    let today = loket_sim::time::wib_date(loket_bpjs::Clock::unix_millis(&loket_bpjs::SystemClock) as i64);
    let (from, to) = (
        (today - chrono::Days::new(14)).to_string(),
        (today - chrono::Days::new(1)).to_string(),
    );
    let http = reqwest::Client::new();
    let post = |page: u64| {
        http.post(format!("{base}{LIST_PATH}"))
            .header("token", DEMO_DASHBOARD_TOKEN)
            .header("x-api-key", DEMO_DASHBOARD_API_KEY)
            .json(&body(239, &from, &to, page, 5))
            .send()
    };
    let first: Value = post(1).await.unwrap().json().await.unwrap();
    assert_eq!(first["count"], 140);
    assert_eq!(post(2).await.unwrap().status(), 500);
    assert_eq!(post(2).await.unwrap().status(), 200);
}
