//! Decoding BPJS responses of about 1 MB and 10 MB of JSON (Base64 + AES-256-CBC +
//! LZ-string + typed JSON), against two baselines measured in the same run:
//! (a) the same pipeline with the `lz-str` crate doing the LZ-string step, and
//! (b) Node with npm `lz-string` (bench/node_decode.mjs; needs
//!     `npm install --prefix crates/bpjs/tests/node`, skipped with a note otherwise).
//!
//! Run: `cargo bench -p loket-bpjs --bench decode`. Criterion reports each variant; the
//! summary at the end prints medians and ratios (`-- summary-only`, a filter matching no
//! Criterion benchmark, prints just the summary).

use criterion::{black_box, Criterion};
use loket_bpjs::envelope::{encrypt_payload, parse_list, Envelope};
use loket_bpjs::model::Pendaftaran;
use loket_bpjs::ResponseKey;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

const CONS_ID: &str = "12345";
const SECRET: &str = "Test#Secret1";
const TIMESTAMP: &str = "1700000000";

struct Payload {
    label: &'static str,
    json_len: usize,
    body: String,
    lz_input: String,
}

fn key() -> ResponseKey {
    ResponseKey::derive(CONS_ID, SECRET, TIMESTAMP)
}

/// Bookings with varied, synthetic values, serialized to about `target` bytes.
fn make_payload(label: &'static str, target: usize) -> Payload {
    let mut rng = 0x5EED_u64;
    let mut next = move |n: u64| {
        rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (rng >> 33) % n
    };
    let polis = ["ANA", "INT", "OBG", "MAT", "BED", "SAR", "JAN", "THT", "027", "GIG"];
    let statuses = ["Belum dilayani", "Sedang dilayani", "Selesai dilayani", "Batal"];
    let mut items = Vec::new();
    let mut len = 2;
    while len < target {
        let i = items.len() as u64;
        let p = Pendaftaran {
            kodebooking: format!("{:04}/{:02}/{:02}/{:06}", 2024, 1 + next(12), 1 + next(28), i),
            tanggal: chrono::NaiveDate::from_ymd_opt(2024, 1 + next(12) as u32, 1 + next(28) as u32).unwrap(),
            kodepoli: polis[next(10) as usize].into(),
            kodedokter: 10_000 + next(90_000) as i64,
            jampraktek: ["08:00-12:00", "13:00-16:00", "16:45-19:00"][next(3) as usize].into(),
            nik: format!("32{:014}", next(100_000_000_000_000)),
            nokapst: format!("000{:010}", next(10_000_000_000)),
            nohp: format!("08{:010}", next(10_000_000_000)),
            norekammedis: format!("RM-{:06}", next(1_000_000)),
            jeniskunjungan: 1 + next(4) as i64,
            nomorreferensi: format!("0101R001{:02}{:02}B{:06}", next(13), next(25), next(1_000_000)),
            sumberdata: ["Mobile JKN", "Bridging Antrean"][next(2) as usize].into(),
            ispeserta: next(2) as i64,
            noantrean: format!("{}-{}", ["A", "B", "C"][next(3) as usize], 1 + next(80)),
            estimasidilayani: 1_700_000_000_000 + next(1_000_000_000) as i64,
            createdtime: 1_700_000_000_000 + next(1_000_000_000) as i64,
            status: statuses[next(4) as usize].into(),
        };
        len += serde_json::to_string(&p).unwrap().len() + 1;
        items.push(p);
    }
    let json = serde_json::to_string(&items).unwrap();
    let body = format!(
        r#"{{"response":"{}","metadata":{{"code":200,"message":"Ok"}}}}"#,
        encrypt_payload(&json, &key())
    );
    let lz_input = loket_bpjs::lz::compress_to_encoded_uri_component(&json);
    Payload {
        label,
        json_len: json.len(),
        body,
        lz_input,
    }
}

/// This crate's full pipeline, as the client runs it.
fn decode_loket(body: &str) -> usize {
    let env = Envelope::parse(body.as_bytes()).unwrap();
    env.list::<Pendaftaran>(&key()).unwrap().len()
}

/// The same pipeline with `lz-str` doing the LZ-string step.
fn decode_lz_str(body: &str) -> usize {
    let env = Envelope::parse(body.as_bytes()).unwrap();
    let loket_bpjs::ResponseField::Cipher(b64) = &env.response else {
        panic!("cipher")
    };
    let plain = key().decrypt_base64(b64).unwrap();
    let text = std::str::from_utf8(&plain).unwrap();
    let units = lz_str::decompress_from_encoded_uri_component(text).unwrap();
    let json = String::from_utf16(&units).unwrap();
    parse_list::<Pendaftaran>(&json).unwrap().len()
}

fn lz_loket(input: &str) -> usize {
    loket_bpjs::lz::decompress_utf16_from_encoded_uri_component(input)
        .unwrap()
        .len()
}

fn lz_lz_str(input: &str) -> usize {
    lz_str::decompress_from_encoded_uri_component(input).unwrap().len()
}

fn median_ms(runs: usize, mut f: impl FnMut() -> usize) -> f64 {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2].as_secs_f64() * 1000.0
}

/// (full_ms, lz_ms) from Node, or why it could not run.
fn node_baseline(p: &Payload, runs: usize) -> Result<(f64, f64), String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if !dir.join("tests/node/node_modules/lz-string").is_dir() {
        return Err("npm lz-string missing: run `npm install --prefix crates/bpjs/tests/node`".into());
    }
    let file = std::env::temp_dir().join(format!("loket-bench-{}-{}.json", std::process::id(), p.json_len));
    std::fs::write(&file, &p.body).map_err(|e| e.to_string())?;
    let out = Command::new("node")
        .arg(dir.join("bench/node_decode.mjs"))
        .args([
            file.to_str().unwrap_or_default(),
            CONS_ID,
            SECRET,
            TIMESTAMP,
            &runs.to_string(),
        ])
        .output();
    let _ = std::fs::remove_file(&file);
    let out = out.map_err(|e| format!("cannot run node: {e}"))?;
    if !out.status.success() {
        return Err(format!("node failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())?;
    Ok((
        v["full_ms"].as_f64().unwrap_or(f64::NAN),
        v["lz_ms"].as_f64().unwrap_or(f64::NAN),
    ))
}

fn criterion_runs(c: &mut Criterion, payloads: &[Payload]) {
    for p in payloads {
        let mut g = c.benchmark_group(format!("decode {}", p.label));
        g.sample_size(10)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(2));
        g.throughput(criterion::Throughput::Bytes(p.json_len as u64));
        g.bench_function("loket full pipeline", |b| b.iter(|| decode_loket(black_box(&p.body))));
        g.bench_function("lz-str full pipeline", |b| b.iter(|| decode_lz_str(black_box(&p.body))));
        g.bench_function("loket lz only", |b| b.iter(|| lz_loket(black_box(&p.lz_input))));
        g.bench_function("lz-str lz only", |b| b.iter(|| lz_lz_str(black_box(&p.lz_input))));
        g.finish();
    }
}

fn summary(payloads: &[Payload]) {
    println!("\n==== BPJS response decode: medians and ratios (higher ratio = loket faster) ====");
    for p in payloads {
        let runs = if p.json_len > 4 << 20 { 7 } else { 21 };
        assert_eq!(decode_loket(&p.body), decode_lz_str(&p.body), "same items");
        let full = median_ms(runs, || decode_loket(&p.body));
        let full_lz_str = median_ms(runs, || decode_lz_str(&p.body));
        let lz = median_ms(runs, || lz_loket(&p.lz_input));
        let lz_lz_str = median_ms(runs, || lz_lz_str(&p.lz_input));
        println!(
            "\n{} ({} bytes of JSON, {} bytes of body)",
            p.label,
            p.json_len,
            p.body.len()
        );
        println!(
            "  full pipeline: loket {full:8.2} ms | lz-str {full_lz_str:8.2} ms -> {:.2}x vs lz-str",
            full_lz_str / full
        );
        println!(
            "  LZ step only:  loket {lz:8.2} ms | lz-str {lz_lz_str:8.2} ms -> {:.2}x vs lz-str",
            lz_lz_str / lz
        );
        match node_baseline(p, runs) {
            Ok((node_full, node_lz)) => {
                println!(
                    "  node full:     {node_full:8.2} ms -> loket is {:.2}x faster than Node (goal >= 3x)",
                    node_full / full
                );
                println!(
                    "  node LZ only:  {node_lz:8.2} ms -> loket LZ is {:.2}x faster than Node",
                    node_lz / lz
                );
            }
            Err(why) => println!("  node baseline skipped: {why}"),
        }
    }
}

fn main() {
    let payloads = [make_payload("~1 MB", 1 << 20), make_payload("~10 MB", 10 << 20)];
    let mut c = Criterion::default().configure_from_args();
    criterion_runs(&mut c, &payloads);
    c.final_summary();
    summary(&payloads);
}
