//! Randomized round trips against an independent implementation: npm `lz-string` and Node's
//! crypto (tests/node/encrypt.mjs). Node produces signatures, LZ strings and ciphertexts; this
//! crate must decode them to the original text and produce the very same bytes itself.

use loket_bpjs::envelope::{decrypt_payload, encrypt_payload};
use loket_bpjs::{lz, signature, ResponseKey};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

#[derive(Serialize)]
struct Case {
    consid: String,
    secret: String,
    timestamp: String,
    plaintext: String,
}

#[derive(Deserialize)]
struct NodeOut {
    signature: String,
    lz: String,
    ciphertext: String,
}

/// SplitMix64: reproducible cases without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "ANAK",
    "PENYAKIT DALAM",
    "dr. Contoh, Sp.A",
    "Pasién",
    "café",
    "✓",
    "😀",
    "👩‍⚕️",
    "🏥",
    "猫",
    "日本語",
    "__proto__",
    "__proto_",
    "constructor",
    "toString",
    "\"quoted\"",
    "back\\slash",
    "tab\t",
    "line\nbreak",
    "08:00-12:00",
    "Belum dilayani",
    "Mobile JKN",
    "Rp 10.000",
    "ÆØÅ",
    "ğüşıöç",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "\u{7f}",
    "\u{1}",
    "a",
    "aa",
    "aaaa",
    "abababab",
    "",
    " ",
    "$",
    "+",
    "-",
];

fn random_text(rng: &mut Rng, max_words: u64) -> String {
    let n = rng.below(max_words + 1);
    let mut s = String::new();
    for _ in 0..n {
        match rng.below(4) {
            0 => s.push_str(rng.pick(WORDS)),
            1 => s.push_str(&rng.below(10_000_000_000_000).to_string()),
            2 => {
                // any Unicode scalar, BMP or not
                let c = loop {
                    if let Some(c) = char::from_u32(rng.below(0x11_0000) as u32) {
                        break c;
                    }
                };
                s.push(c);
            }
            _ => s.push((b'a' + rng.below(26) as u8) as char),
        }
    }
    s
}

fn random_json(rng: &mut Rng, items: u64) -> String {
    let rows: Vec<serde_json::Value> = (0..items)
        .map(|i| {
            serde_json::json!({
                "kodebooking": format!("{}-{}", random_text(rng, 2), i),
                "kodedokter": rng.below(100_000),
                "namadokter": random_text(rng, 6),
                "jadwal": rng.pick(&["08:00-12:00", "13:00-16:00", "16:45-19:00"]),
                "libur": rng.below(2),
                "keterangan": random_text(rng, 12),
                "list": [],
            })
        })
        .collect();
    serde_json::to_string(&rows).expect("json")
}

fn cases() -> Vec<Case> {
    let mut rng = Rng(0x10_4B_E7);
    let mut plaintexts: Vec<String> = vec![
        "[]".into(),
        "{}".into(),
        String::new(),
        "a".into(),
        "{\"list\":[]}".into(),
        "[{\"keterangan\":\"Pasién – café ✓ 😀\"}]".into(),
        "__proto____proto____proto____proto__".into(),
        "😀".repeat(5000),
        "ab".repeat(70_000),
    ];
    for _ in 0..150 {
        let words = rng.below(40);
        plaintexts.push(random_text(&mut rng, words));
    }
    for _ in 0..60 {
        let items = rng.below(30);
        plaintexts.push(random_json(&mut rng, items));
    }
    plaintexts.push(random_json(&mut rng, 6_000)); // roughly 1.5 MB
    plaintexts
        .into_iter()
        .enumerate()
        .map(|(i, plaintext)| Case {
            consid: (10_000 + i).to_string(),
            secret: format!("s3cret#{}{}", i, random_text(&mut rng, 2)),
            timestamp: (1_700_000_000 + rng.below(100_000_000)).to_string(),
            plaintext,
        })
        .collect()
}

fn run_node<C: Serialize, O: serde::de::DeserializeOwned>(cases: &[C]) -> Vec<O> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/node");
    assert!(
        dir.join("node_modules/lz-string").is_dir(),
        "npm lz-string is not installed in {}: run `make test` (it runs \
         `npm install --prefix crates/bpjs/tests/node`)",
        dir.display()
    );
    let mut child = Command::new("node")
        .arg(dir.join("encrypt.mjs"))
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("`node` must be on PATH for this test: run `make test` on a machine with Node.js");
    let input = serde_json::to_vec(cases).expect("cases");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().expect("node output");
    writer.join().expect("writer").expect("write stdin");
    assert!(output.status.success(), "encrypt.mjs failed");
    serde_json::from_slice(&output.stdout).expect("encrypt.mjs output")
}

/// Equality with a short report: long strings would drown the failure.
#[track_caller]
fn same<T: PartialEq + std::fmt::Debug>(ours: &[T], theirs: &[T], what: &str) {
    if ours != theirs {
        let at = ours
            .iter()
            .zip(theirs)
            .position(|(a, b)| a != b)
            .unwrap_or(ours.len().min(theirs.len()));
        let end = |s: &[T]| (at + 8).min(s.len());
        panic!(
            "{what}: differ at {at} (lengths {} vs {}): ours {:?} / node {:?}",
            ours.len(),
            theirs.len(),
            &ours[at..end(ours)],
            &theirs[at..end(theirs)]
        );
    }
}

#[test]
fn node_ciphertexts_decode_and_match() {
    let cases = cases();
    let outs: Vec<NodeOut> = run_node(&cases);
    assert_eq!(outs.len(), cases.len());
    for (i, (case, out)) in cases.iter().zip(&outs).enumerate() {
        let what = format!("case {i} ({} bytes)", case.plaintext.len());
        assert_eq!(
            signature::signature(&case.consid, &case.secret, &case.timestamp),
            out.signature,
            "{what}"
        );
        let ours = lz::compress_to_encoded_uri_component(&case.plaintext);
        same(ours.as_bytes(), out.lz.as_bytes(), &format!("{what}: compress"));
        let units: Vec<u16> = case.plaintext.encode_utf16().collect();
        let decompressed = lz::decompress_utf16_from_encoded_uri_component(&out.lz).expect("not null");
        same(&decompressed, &units, &format!("{what}: decompress"));
        let key = ResponseKey::derive(&case.consid, &case.secret, &case.timestamp);
        if case.plaintext.is_empty() {
            // "" compresses to "Q", which decompresses to "": no payload, so decoding refuses it.
            assert!(decrypt_payload(&out.ciphertext, &key).is_err(), "{what}");
        } else {
            let plain = decrypt_payload(&out.ciphertext, &key).expect("decrypts");
            same(plain.as_bytes(), case.plaintext.as_bytes(), &format!("{what}: decrypt"));
        }
        let ct = encrypt_payload(&case.plaintext, &key);
        same(ct.as_bytes(), out.ciphertext.as_bytes(), &format!("{what}: encrypt"));
    }
}

#[derive(Serialize)]
struct DecompressCase {
    decompress: String,
}

#[derive(Deserialize)]
struct DecompressOut {
    units: Option<Vec<u16>>,
    threw: bool,
}

/// Stream value of the first character: JavaScript goes astray when its top two bits are set
/// (it keeps `undefined` as the first phrase); this crate answers `None` there instead.
fn starts_with_code_3(input: &str) -> bool {
    const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-";
    let first = input.chars().next().map(|c| if c == ' ' { '+' } else { c });
    first.and_then(|c| ALPHABET.find(c)).is_some_and(|v| v >= 48)
}

#[test]
fn garbage_and_truncated_streams_decompress_like_node() {
    let mut rng = Rng(0xBAD_5EED);
    let alphabet: Vec<char> = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$ !é😀"
        .chars()
        .collect();
    let mut inputs: Vec<String> = vec![
        String::new(),
        "Q".into(),
        "A".into(),
        "AAAA".into(),
        "IZA".into(),
        "NoXSA".into(),
    ];
    for _ in 0..300 {
        let len = rng.below(60) as usize;
        inputs.push(
            (0..len)
                .map(|_| alphabet[rng.below(alphabet.len() as u64) as usize])
                .collect(),
        );
    }
    for _ in 0..100 {
        let words = rng.below(30);
        let full = lz::compress_to_encoded_uri_component(&random_text(&mut rng, words));
        let cut = rng.below(full.len() as u64 + 1) as usize;
        inputs.push(full[..cut].to_owned());
    }
    let cases: Vec<DecompressCase> = inputs
        .iter()
        .map(|s| DecompressCase { decompress: s.clone() })
        .collect();
    let outs: Vec<DecompressOut> = run_node(&cases);
    let mut compared = 0;
    for (input, out) in inputs.iter().zip(outs) {
        let ours = lz::decompress_utf16_from_encoded_uri_component(input);
        if starts_with_code_3(input) {
            assert_eq!(ours, None, "{input:?}");
            continue;
        }
        assert!(!out.threw, "{input:?}");
        assert_eq!(ours, out.units, "{input:?}");
        compared += 1;
    }
    assert!(compared > 250, "only {compared} inputs compared");
}
