//! Fuzzes the response decoder: arbitrary bodies, arbitrary ciphertexts behind a valid
//! envelope, and arbitrary plaintexts behind valid AES (so the LZ-string and JSON stages see
//! garbage too). Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loket_bpjs::envelope::{decrypt_payload, Envelope};
use loket_bpjs::model::{JadwalDokter, Pendaftaran, WaktuTunggu};
use loket_bpjs::{lz, ResponseKey};

fuzz_target!(|data: &[u8]| {
    let key = ResponseKey::derive("12345", "Test#Secret1", "1700000000");
    let Some((&mode, rest)) = data.split_first() else { return };
    match mode % 4 {
        0 => {
            if let Ok(env) = Envelope::parse(rest) {
                let _ = env.list::<JadwalDokter>(&key);
                let _ = env.list::<Pendaftaran>(&key);
                let _ = env.list::<WaktuTunggu>(&key);
            }
        }
        1 => {
            let text = String::from_utf8_lossy(rest);
            let _ = decrypt_payload(&text, &key);
        }
        2 => {
            let b64 = key.encrypt_base64(rest);
            let _ = decrypt_payload(&b64, &key);
        }
        _ => {
            let text = String::from_utf8_lossy(rest);
            let _ = lz::decompress_utf16_from_encoded_uri_component(&text);
        }
    }
});
