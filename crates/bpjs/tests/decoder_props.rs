//! Property tests: the decoder never panics on arbitrary or truncated input, and LZ-string
//! round-trips any UTF-16, lone surrogates included.

use loket_bpjs::envelope::{decrypt_payload, encrypt_payload, parse_list, Envelope};
use loket_bpjs::lz;
use loket_bpjs::model::{JadwalDokter, Pendaftaran};
use loket_bpjs::ResponseKey;
use proptest::prelude::*;

fn key() -> ResponseKey {
    ResponseKey::derive("12345", "Test#Secret1", "1700000000")
}

/// Runs the whole client-side pipeline on a body; only the absence of panics matters.
fn decode_everything(body: &[u8]) {
    if let Ok(env) = Envelope::parse(body) {
        let _ = env.list::<JadwalDokter>(&key());
        let _ = env.list::<Pendaftaran>(&key());
        let _ = env.object::<serde_json::Value>(&key());
    }
}

fn valid_body() -> String {
    let json = r#"[{"kodesubspesialis":"ANA","hari":4,"kapasitaspasien":30,"libur":0,"namahari":"KAMIS","jadwal":"08:00-12:00","namasubspesialis":"ANAK","namadokter":"dr. Contoh, Sp.A ✓ 😀","kodepoli":"ANA","namapoli":"ANAK","kodedokter":12345}]"#;
    format!(
        r#"{{"response":"{}","metadata":{{"code":200,"message":"Ok"}}}}"#,
        encrypt_payload(json, &key())
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..2048)) {
        decode_everything(&body);
    }

    #[test]
    fn truncated_bodies_never_panic(cut in 0usize..2000) {
        let body = valid_body();
        decode_everything(&body.as_bytes()[..cut.min(body.len())]);
    }

    #[test]
    fn arbitrary_ciphertext_strings_never_panic(b64 in "[A-Za-z0-9+/=]{0,400}") {
        let body = format!(r#"{{"metadata":{{"code":200,"message":"Ok"}},"response":"{b64}"}}"#);
        decode_everything(body.as_bytes());
    }

    #[test]
    fn arbitrary_plaintext_behind_valid_crypto_never_panics(plain in proptest::collection::vec(any::<u8>(), 0..1024)) {
        // The AES layer passes, so the LZ-string decoder and the JSON parser see garbage.
        let b64 = key().encrypt_base64(&plain);
        let _ = decrypt_payload(&b64, &key());
        let body = format!(r#"{{"metadata":{{"code":200,"message":"Ok"}},"response":"{b64}"}}"#);
        decode_everything(body.as_bytes());
    }

    #[test]
    fn lz_decompress_of_any_string_never_panics(s in any::<String>()) {
        let _ = lz::decompress_from_encoded_uri_component(&s);
    }

    #[test]
    fn lz_decompress_of_alphabet_strings_never_panics(s in "[A-Za-z0-9+\\-$ ]{0,600}") {
        let _ = lz::decompress_utf16_from_encoded_uri_component(&s);
    }

    #[test]
    fn truncated_lz_never_panics(text in any::<String>(), cut in 0usize..2000) {
        let full = lz::compress_to_encoded_uri_component(&text);
        let _ = lz::decompress_from_encoded_uri_component(&full[..cut.min(full.len())]);
    }

    #[test]
    fn lz_round_trips_strings(text in any::<String>()) {
        let compressed = lz::compress_to_encoded_uri_component(&text);
        prop_assert_eq!(lz::decompress_from_encoded_uri_component(&compressed), Some(text));
    }

    #[test]
    fn lz_round_trips_any_utf16(units in proptest::collection::vec(any::<u16>(), 0..3000)) {
        let compressed = lz::compress_utf16_to_encoded_uri_component(&units);
        prop_assert_eq!(lz::decompress_utf16_from_encoded_uri_component(&compressed), Some(units));
    }

    #[test]
    fn lz_round_trips_repetitive_text(unit in "[a-c😀_]{1,4}", reps in 1usize..2000) {
        let text = unit.repeat(reps);
        let compressed = lz::compress_to_encoded_uri_component(&text);
        prop_assert_eq!(lz::decompress_from_encoded_uri_component(&compressed), Some(text));
    }

    #[test]
    fn lists_never_panic(json in "[\\[\\]{}:,\"a-z0-9 ]{0,200}") {
        let _ = parse_list::<JadwalDokter>(&json);
    }
}

#[test]
fn valid_body_decodes() {
    let env = Envelope::parse(valid_body().as_bytes()).unwrap();
    let list: Vec<JadwalDokter> = env.list(&key()).unwrap();
    assert_eq!(list[0].namadokter, "dr. Contoh, Sp.A ✓ 😀");
}
