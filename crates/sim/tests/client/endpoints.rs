//! Every endpoint on the happy path, and the business answers around it.

use crate::support::{booking, today, world};
use chrono::Datelike;
use loket_bpjs::model::{JadwalHari, SumberWaktu, UpdateJadwalDokter};
use loket_bpjs::{Error, Outcome};

#[tokio::test]
async fn reference_data() {
    let w = world().await;
    let client = w.client();
    let polis = client.ref_poli().await.unwrap();
    assert!(polis.iter().any(|p| p.kdpoli == "ANA" && p.kdsubspesialis == "027"));
    let dokter = client.ref_dokter().await.unwrap();
    assert_eq!(dokter, w.sim.with_hfis(|h| h.ref_dokter()));
    w.sim.shutdown().await;
}

#[tokio::test]
async fn production_base_path_works_too() {
    let w = world().await;
    let mut config = w.config();
    config.base_url = w.sim.base_url_prod();
    assert!(!w.client_with(config).ref_dokter().await.unwrap().is_empty());
}

#[tokio::test]
async fn jadwal_dokter_by_poli_and_date() {
    let w = world().await;
    let client = w.client();
    let slot = w.open_slot();
    let jadwal = client.jadwal_dokter(&slot.kodepoli, slot.date).await.unwrap();
    assert!(jadwal
        .iter()
        .any(|j| j.kodedokter == slot.kodedokter && j.jampraktek() == slot.jampraktek));
    assert!(jadwal
        .iter()
        .all(|j| j.hari == i64::from(slot.date.weekday().number_from_monday())));
    // Nobody practises on Sundays in the generated hospital: an empty day, not an error.
    let sunday = today() + chrono::Days::new(4);
    assert_eq!(sunday.weekday(), chrono::Weekday::Sun);
    assert!(client.jadwal_dokter(&slot.kodepoli, sunday).await.unwrap().is_empty());
    match client.jadwal_dokter("XXX", slot.date).await {
        Err(Error::Business { code: 201, message }) => assert_eq!(message, "Poli tidak ditemukan"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn update_jadwal_takes_effect_next_day() {
    let w = world().await;
    let client = w.client();
    let slot = w.open_slot();
    let kamis = today() + chrono::Days::new(1);
    let update = UpdateJadwalDokter {
        kodepoli: slot.kodepoli.clone(),
        kodesubspesialis: slot.kodepoli.clone(),
        kodedokter: slot.kodedokter,
        jadwal: vec![JadwalHari {
            hari: "4".into(),
            buka: "10:00".into(),
            tutup: "11:00".into(),
        }],
    };
    assert!(matches!(
        client.update_jadwal_dokter(&update).await.unwrap(),
        Outcome::Done { .. }
    ));
    let jadwal = client.jadwal_dokter(&slot.kodepoli, kamis).await.unwrap();
    let mine: Vec<_> = jadwal
        .iter()
        .filter(|j| j.kodedokter == slot.kodedokter)
        .map(|j| j.jampraktek())
        .collect();
    assert_eq!(mine, vec!["10:00-11:00".to_string()]);
    let bad = UpdateJadwalDokter {
        kodedokter: 1,
        ..update
    };
    assert!(matches!(
        client.update_jadwal_dokter(&bad).await,
        Err(Error::Business { code: 201, .. })
    ));
}

#[tokio::test]
async fn add_duplicate_and_refusals() {
    let w = world().await;
    let client = w.client();
    let slot = w.open_slot();
    let add = booking(&slot, "16032021A001");
    assert_eq!(
        client.antrean_add(&add).await.unwrap(),
        Outcome::Done { message: "Ok".into() }
    );
    let again = client.antrean_add(&add).await.unwrap();
    assert_eq!(
        again,
        Outcome::AlreadyDone {
            code: 208,
            message: "Terdapat duplikasi Kode Booking".into()
        }
    );

    let mut unknown = booking(&slot, "B-2");
    unknown.kodedokter = 1;
    let err = client.antrean_add(&unknown).await.unwrap_err();
    assert_eq!(
        err,
        Error::Business {
            code: 201,
            message: "Data dokter tidak ditemukan.".into()
        }
    );

    let mut rujukan = booking(&slot, "B-3");
    rujukan.nomorreferensi = "RUJUKAN-KEDALUWARSA".into();
    let err = client.antrean_add(&rujukan).await.unwrap_err();
    assert_eq!(
        err,
        Error::Business {
            code: 201,
            message: "Rujukan tidak valid".into()
        }
    );
    assert!(err.penjelasan().contains("Rujukan tidak valid"));

    let mut slotless = booking(&slot, "B-4");
    slotless.jampraktek = "23:00-23:30".into();
    assert!(matches!(
        client.antrean_add(&slotless).await,
        Err(Error::Business { code: 201, .. })
    ));
}

#[tokio::test]
async fn pendaftaran_queries() {
    let w = world().await;
    let client = w.client();
    let slot = w.open_slot();
    let code = "2024/05/02/000012#1";
    assert!(matches!(
        client.antrean_add(&booking(&slot, code)).await.unwrap(),
        Outcome::Done { .. }
    ));
    assert!(matches!(
        client.antrean_add(&booking(&slot, "Y03-20#1617068533")).await.unwrap(),
        Outcome::Done { .. }
    ));

    let by_date = client.pendaftaran_by_tanggal(slot.date).await.unwrap();
    assert_eq!(by_date.len(), 2);
    let one = client.pendaftaran_by_kodebooking(code).await.unwrap();
    assert_eq!(one.len(), 1);
    let p = &one[0];
    assert_eq!(
        (p.kodebooking.as_str(), p.status.as_str(), p.nokapst.as_str()),
        (code, "Belum dilayani", "0000000000031")
    );
    assert!(p.is_peserta());
    let debug = format!("{p:?}");
    assert!(
        !debug.contains("3200000000000001") && !debug.contains("0000000000031"),
        "{debug}"
    );

    assert_eq!(client.pendaftaran_aktif().await.unwrap().len(), 2);
    assert!(client.pendaftaran_by_tanggal(today()).await.unwrap().is_empty()); // 204
    assert!(client.pendaftaran_by_kodebooking("nope").await.unwrap().is_empty());
}

#[tokio::test]
async fn dashboards_aggregate_recorded_tasks() {
    let w = world().await;
    let client = w.client();
    let slot = w.open_slot();
    let mut add = booking(&slot, "D-1");
    add.pasienbaru = 1;
    assert!(matches!(client.antrean_add(&add).await.unwrap(), Outcome::Done { .. }));
    let t0 = 1_700_100_000_000i64;
    for (taskid, offset_s) in [(1, 0), (2, 300), (3, 600), (4, 1500), (5, 2400)] {
        let body = loket_bpjs::model::UpdateWaktu {
            kodebooking: "D-1".into(),
            taskid,
            waktu: t0 + offset_s * 1000,
            jenisresep: None,
        };
        assert!(matches!(
            client.update_waktu(&body).await.unwrap(),
            Outcome::Done { .. }
        ));
        w.clock.advance_millis(60_000);
    }
    let rs = client
        .waktu_tunggu_by_tanggal(slot.date, SumberWaktu::Rs)
        .await
        .unwrap();
    assert_eq!(rs.len(), 1);
    let row = &rs[0];
    assert_eq!((row.kodepoli.as_str(), row.jumlah_antrean), (slot.kodepoli.as_str(), 1));
    assert_eq!(
        [row.waktu_task1, row.waktu_task2, row.waktu_task3, row.waktu_task4],
        [300, 300, 900, 900]
    );
    assert_eq!(
        [row.avg_waktu_task1, row.avg_waktu_task3, row.waktu_task5],
        [300, 900, 0]
    );
    let server = client
        .waktu_tunggu_by_tanggal(slot.date, SumberWaktu::Server)
        .await
        .unwrap();
    assert_eq!([server[0].waktu_task1, server[0].waktu_task4], [60, 60]);
    let month = client
        .waktu_tunggu_by_bulan(slot.date.year(), slot.date.month(), SumberWaktu::Rs)
        .await
        .unwrap();
    assert_eq!(
        month,
        rs.iter()
            .map(|r| loket_bpjs::model::WaktuTunggu {
                insertdate: month[0].insertdate,
                ..r.clone()
            })
            .collect::<Vec<_>>()
    );
    // A month without bookings: an empty plain list.
    assert!(client
        .waktu_tunggu_by_bulan(2020, 1, SumberWaktu::Rs)
        .await
        .unwrap()
        .is_empty());
}
