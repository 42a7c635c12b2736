//! Signature, user_key and clock checks, and the one-timestamp-per-request rule.

use crate::support::{world, NOW};
use loket_bpjs::{Client, Error};
use loket_sim::auth_messages::{BAD_SIGNATURE, BAD_TIMESTAMP, NOT_REGISTERED};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

#[tokio::test]
async fn wrong_secret_is_a_rejected_signature() {
    let w = world().await;
    let mut config = w.config();
    config.secret = "not-the-secret".into();
    let err = w.client_with(config).ref_poli().await.unwrap_err();
    assert_eq!(
        err,
        Error::Business {
            code: 401,
            message: BAD_SIGNATURE.into()
        }
    );
    assert_eq!(
        err.penjelasan(),
        "Tanda tangan (signature) ditolak BPJS: periksa Cons ID dan secret."
    );
    assert_eq!(w.sim.request_count("ref/poli"), 1, "auth failures are not retried");
}

#[tokio::test]
async fn wrong_user_key_and_cons_id() {
    let w = world().await;
    let mut config = w.config();
    config.user_key = "vclaim-user-key".into();
    let err = w.client_with(config).ref_dokter().await.unwrap_err();
    assert_eq!(
        err,
        Error::Business {
            code: 401,
            message: NOT_REGISTERED.into()
        }
    );
    assert!(err.penjelasan().contains("user_key Antrean"));
    let mut config = w.config();
    config.cons_id = "99999".into();
    assert_eq!(
        w.client_with(config).ref_dokter().await.unwrap_err(),
        Error::Business {
            code: 401,
            message: NOT_REGISTERED.into()
        }
    );
}

#[tokio::test]
async fn a_clock_seven_hours_ahead_is_refused() {
    let w = world().await;
    // The classic WIB-instead-of-UTC mistake: 25 200 s too large.
    let clock = Arc::new(|| NOW + 25_200);
    let err = Client::with_clock(w.config(), clock)
        .unwrap()
        .ref_poli()
        .await
        .unwrap_err();
    assert_eq!(
        err,
        Error::Business {
            code: 401,
            message: BAD_TIMESTAMP.into()
        }
    );
    assert!(err.penjelasan().starts_with("Jam komputer berbeda dengan server BPJS"));
}

#[tokio::test]
async fn each_request_signs_and_decrypts_with_its_own_timestamp() {
    let w = world().await;
    // A clock that moves on every reading: reading it twice for one request would break
    // decryption, since the sim encrypts with the timestamp it received.
    let ticks = Arc::new(AtomicU64::new(NOW));
    let t = ticks.clone();
    let client = Client::with_clock(w.config(), Arc::new(move || t.fetch_add(1, Ordering::SeqCst))).unwrap();
    for _ in 0..3 {
        assert!(!client.ref_poli().await.unwrap().is_empty());
    }
    let stamps: Vec<_> = w.sim.requests().into_iter().filter_map(|r| r.timestamp).collect();
    assert_eq!(
        stamps,
        vec![NOW.to_string(), (NOW + 1).to_string(), (NOW + 2).to_string()]
    );
    assert_eq!(ticks.load(Ordering::SeqCst), NOW + 3, "one clock reading per request");
}
