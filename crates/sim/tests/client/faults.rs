//! Every fault kind: the error the client reports and how often it asked (counted at the sim).

use crate::support::{booking, world};
use loket_bpjs::model::UpdateWaktu;
use loket_bpjs::{DecryptError, Error, NetworkKind, Outcome};
use loket_sim::{Fault, FaultKind};

#[tokio::test]
async fn http_500_is_retried_then_reported() {
    let w = world().await;
    w.sim.add_fault(Fault::always("ref/poli", FaultKind::Http500));
    let err = w.client().ref_poli().await.unwrap_err();
    assert!(matches!(err, Error::Http { status: 500, .. }), "{err:?}");
    assert!(err.is_transient());
    assert!(err.penjelasan().contains("HTTP 500"));
    assert_eq!(w.sim.request_count("ref/poli"), 3, "1 attempt + 2 retries");
}

#[tokio::test]
async fn a_passing_500_is_absorbed_by_one_retry() {
    let w = world().await;
    w.sim.add_fault(Fault::times("ref/dokter", FaultKind::Http500, 1));
    assert!(!w.client().ref_dokter().await.unwrap().is_empty());
    assert_eq!(w.sim.request_count("ref/dokter"), 2);
}

#[tokio::test]
async fn http_429_is_retried() {
    let w = world().await;
    w.sim
        .add_fault(Fault::times("antrean/pendaftaran", FaultKind::Http429, 2));
    assert!(w.client().pendaftaran_aktif().await.unwrap().is_empty());
    assert_eq!(w.sim.request_count("antrean/pendaftaran/aktif"), 3);

    w.sim
        .add_fault(Fault::always("antrean/pendaftaran", FaultKind::Http429));
    let err = w.client().pendaftaran_aktif().await.unwrap_err();
    assert!(matches!(err, Error::Http { status: 429, .. }), "{err:?}");
    assert!(err.penjelasan().contains("terlalu banyak permintaan"));
}

#[tokio::test]
async fn delay_beyond_timeout_retries_and_the_duplicate_counts_as_done() {
    let w = world().await;
    let client = w.client();
    let slot = w.open_slot();
    assert!(matches!(
        client.antrean_add(&booking(&slot, "F-1")).await.unwrap(),
        Outcome::Done { .. }
    ));
    // The sim records the task, then holds the answer past the client's 400 ms timeout.
    w.sim.add_fault(Fault::times(
        "antrean/updatewaktu",
        FaultKind::Delay { millis: 3_000 },
        1,
    ));
    let body = UpdateWaktu {
        kodebooking: "F-1".into(),
        taskid: 3,
        waktu: 1_700_100_000_000,
        jenisresep: None,
    };
    let outcome = client.update_waktu(&body).await.unwrap();
    assert_eq!(
        outcome,
        Outcome::AlreadyDone {
            code: 208,
            message: "TaskId=3 sudah ada".into()
        }
    );
    assert_eq!(w.sim.request_count("antrean/updatewaktu"), 2);
    w.sim.shutdown().await;
}

#[tokio::test]
async fn delay_every_time_ends_in_a_timeout() {
    let w = world().await;
    w.sim
        .add_fault(Fault::always("jadwaldokter", FaultKind::Delay { millis: 3_000 }));
    let mut config = w.config();
    config.retry.max_retries = 1;
    let slot = w.open_slot();
    let err = w
        .client_with(config)
        .jadwal_dokter(&slot.kodepoli, slot.date)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Network {
                kind: NetworkKind::Timeout,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_transient());
    assert_eq!(err.code(), "bpjs.timeout");
    assert_eq!(w.sim.request_count("jadwaldokter"), 2);
    w.sim.shutdown().await;
}

#[tokio::test]
async fn html_gateway_page_is_not_json_and_not_retried() {
    let w = world().await;
    w.sim.add_fault(Fault::always("ref/poli", FaultKind::Html));
    let err = w.client().ref_poli().await.unwrap_err();
    match &err {
        Error::NotJson { status: 200, excerpt } => {
            assert!(
                excerpt.starts_with("Request Rejected The requested URL was rejected."),
                "{excerpt}"
            );
            assert!(excerpt.len() <= 200 && !excerpt.contains('<'), "{excerpt}");
            assert!(
                !excerpt.contains("9876543210123456789"),
                "digit runs are redacted: {excerpt}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(!err.is_transient());
    assert_eq!(w.sim.request_count("ref/poli"), 1);
}

#[tokio::test]
async fn malformed_json_is_not_json() {
    let w = world().await;
    w.sim.add_fault(Fault::always("ref/dokter", FaultKind::Malformed));
    let err = w.client().ref_dokter().await.unwrap_err();
    assert!(matches!(err, Error::NotJson { status: 200, .. }), "{err:?}");
    assert_eq!(w.sim.request_count("ref/dokter"), 1);
}

#[tokio::test]
async fn wrong_key_is_a_decrypt_failure() {
    let w = world().await;
    w.sim.add_fault(Fault::always("ref/poli", FaultKind::WrongKey));
    let err = w.client().ref_poli().await.unwrap_err();
    assert!(
        matches!(err, Error::Decrypt(DecryptError::Padding) | Error::Decompress(_)),
        "{err:?}"
    );
    assert!(err.penjelasan().contains("Cons ID dan secret"));
    assert_eq!(w.sim.request_count("ref/poli"), 1);
}

#[tokio::test]
async fn configured_201_message_is_a_business_error() {
    let w = world().await;
    let message = "Rujukan tidak valid";
    w.sim.add_fault(Fault::always(
        "antrean/add",
        FaultKind::Message {
            message: message.into(),
        },
    ));
    let slot = w.open_slot();
    let err = w.client().antrean_add(&booking(&slot, "F-2")).await.unwrap_err();
    assert_eq!(
        err,
        Error::Business {
            code: 201,
            message: message.into()
        }
    );
    assert!(!err.is_transient());
    assert_eq!(w.sim.request_count("antrean/add"), 1);
    // The booking was not recorded: the fault replaced the processing.
    w.sim.clear_faults();
    assert!(matches!(
        w.client().antrean_add(&booking(&slot, "F-2")).await.unwrap(),
        Outcome::Done { .. }
    ));
}

#[tokio::test]
async fn faults_from_config_and_admin_endpoint() {
    let w = crate::support::world_with(loket_sim::SimConfig {
        faults: vec![Fault::parse("ref@1=http500").unwrap()],
        ..Default::default()
    })
    .await;
    assert!(!w.client().ref_dokter().await.unwrap().is_empty());
    assert_eq!(w.sim.request_count("ref/dokter"), 2);

    let admin = format!("http://{}/__admin", w.sim.addr());
    let http = reqwest::Client::new();
    let r = http
        .post(format!("{admin}/fault"))
        .body(r#"{"spec":"antrean@1=html"}"#)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    let r = http
        .post(format!("{admin}/fault"))
        .body(r#"{"endpoint":"ref/poli","kind":"message","message":"Sedang pemeliharaan","times":1}"#)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    assert!(matches!(
        w.client().pendaftaran_aktif().await,
        Err(Error::NotJson { .. })
    ));
    assert_eq!(
        w.client().ref_poli().await.unwrap_err(),
        Error::Business {
            code: 201,
            message: "Sedang pemeliharaan".into()
        }
    );
    let log: serde_json::Value = http
        .get(format!("{admin}/requests"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(log.as_array().unwrap().len(), 4);
    assert_eq!(log[0]["timestamp"], crate::support::NOW.to_string());
    let r = http.post(format!("{admin}/fault")).body("{}").send().await.unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn connection_refused_is_a_transient_network_error() {
    let w = world().await;
    let client = w.client();
    w.sim.shutdown().await;
    let err = client.ref_poli().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Network {
                kind: NetworkKind::Connect,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_transient());
    assert!(err.penjelasan().starts_with("Jaringan tidak tersedia"));
}
