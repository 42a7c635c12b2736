//! The published vectors (spec §10, copied from shared/specs/bpjs-vectors.json).

use loket_bpjs::envelope::{decrypt_payload, encrypt_payload, Envelope};
use loket_bpjs::lz;
use loket_bpjs::signature::signature;
use loket_bpjs::ResponseKey;
use serde::Deserialize;

#[derive(Deserialize)]
struct Vector {
    consid: String,
    secret: String,
    timestamp: String,
    signature_b64: String,
    key_hex: String,
    iv_hex: String,
    plaintext_json: String,
    lz_encoded_uri: String,
    response_ciphertext_b64: String,
}

fn vectors() -> Vec<Vector> {
    serde_json::from_str(include_str!("vectors.json")).expect("vectors.json")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn signatures() {
    for v in vectors() {
        assert_eq!(
            signature(&v.consid, &v.secret, &v.timestamp),
            v.signature_b64,
            "ts {}",
            v.timestamp
        );
    }
}

#[test]
fn keys_and_ivs() {
    for v in vectors() {
        let key = ResponseKey::derive(&v.consid, &v.secret, &v.timestamp);
        assert_eq!(hex(key.key()), v.key_hex);
        assert_eq!(hex(&key.iv()), v.iv_hex);
    }
}

#[test]
fn lz_both_directions() {
    for v in vectors() {
        assert_eq!(
            lz::compress_to_encoded_uri_component(&v.plaintext_json),
            v.lz_encoded_uri
        );
        assert_eq!(
            lz::decompress_from_encoded_uri_component(&v.lz_encoded_uri).as_deref(),
            Some(v.plaintext_json.as_str())
        );
    }
}

#[test]
fn ciphertexts_both_directions() {
    for v in vectors() {
        let key = ResponseKey::derive(&v.consid, &v.secret, &v.timestamp);
        assert_eq!(
            decrypt_payload(&v.response_ciphertext_b64, &key).unwrap(),
            v.plaintext_json
        );
        assert_eq!(encrypt_payload(&v.plaintext_json, &key), v.response_ciphertext_b64);
    }
}

#[test]
fn spec_example_envelope_with_escaped_slashes() {
    let v = &vectors()[0];
    let body = format!(
        r#"{{"response":"{}","metadata":{{"code":200,"message":"Ok"}}}}"#,
        v.response_ciphertext_b64.replace('/', "\\/")
    );
    let env = Envelope::parse(body.as_bytes()).unwrap();
    let key = ResponseKey::derive(&v.consid, &v.secret, &v.timestamp);
    let jadwal: Vec<loket_bpjs::model::JadwalDokter> = env.list(&key).unwrap();
    assert_eq!(jadwal.len(), 1);
    assert_eq!(
        (jadwal[0].kodedokter, jadwal[0].jampraktek().as_str()),
        (12345, "08:00-12:00")
    );
}

#[test]
fn wrong_timestamp_fails() {
    let v = &vectors()[0];
    let key = ResponseKey::derive(&v.consid, &v.secret, "1700000009");
    assert!(decrypt_payload(&v.response_ciphertext_b64, &key).is_err());
}

#[test]
fn lz_string_reference_checks() {
    assert_eq!(
        lz::compress_to_encoded_uri_component("hello, i am a 猫"),
        "BYUwNmD2A0AECWsCGBbZtDUzkA"
    );
    assert_eq!(lz::compress_to_encoded_uri_component(""), "Q");
    assert_eq!(lz::decompress_from_encoded_uri_component(""), None);
    assert_eq!(lz::decompress_from_encoded_uri_component("Q").as_deref(), Some(""));
    let with_space = "BYUwNmD2A0AECWsCGBbZtDUzkA".replace('+', " ");
    assert_eq!(
        lz::decompress_from_encoded_uri_component(&with_space).as_deref(),
        Some("hello, i am a 猫")
    );
    // Trailing characters outside the alphabet are ignored.
    assert_eq!(
        lz::decompress_from_encoded_uri_component("BYUwNmD2A0AECWsCGBbZtDUzkA\u{0}\u{0}!").as_deref(),
        Some("hello, i am a 猫")
    );
}
