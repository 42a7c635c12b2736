//! `loket bpjs …` as a process: credentials with the secret on stdin, calls against a
//! `loket-sim` on 127.0.0.1 (`--bpjs-url`), and `decode` with its exit codes.

mod common;

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use loket_bpjs::envelope::encrypt_payload;
use loket_bpjs::ResponseKey;
use loket_sim::{Fault, FaultKind, Sim, SimConfig, SimHandle, DEMO_CONS_ID, DEMO_SECRET, DEMO_USER_KEY};
use serde_json::{json, Value};

use common::loket;

/// A database and a private config folder; the file backend forced.
struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("loket.db")
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(loket());
        c.arg("--db")
            .arg(self.db())
            .args(args)
            .env("XDG_DATA_HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.config())
            .env("LOKET_SECRETS", "file")
            .env_remove("LOKET_DB")
            .env_remove("LOKET_LOG");
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).stdin(Stdio::null()).output().unwrap()
    }

    fn run_stdin(&self, args: &[&str], stdin: &[u8]) -> Output {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin).unwrap();
        child.wait_with_output().unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        parse(&self.run(args), args)
    }

    fn set(&self, cons_id: &str, secret: &str, user_key: &str, extra: &[&str]) -> Output {
        let mut args = vec![
            "--json",
            "bpjs",
            "credentials",
            "set",
            "--cons-id",
            cons_id,
            "--user-key",
            user_key,
            "--secret-stdin",
        ];
        args.extend_from_slice(extra);
        self.run_stdin(&args, format!("{secret}\n").as_bytes())
    }
}

fn parse(out: &Output, args: &[&str]) -> Value {
    assert!(
        out.status.success(),
        "loket {args:?} failed ({:?}): {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not one JSON document ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

const SECRET: &str = "Rahasia#Konsumen-2026";
const USER_KEY: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

#[test]
fn credentials_set_and_show_through_the_binary() {
    let env = Env::new();
    let none = env.json(&["--json", "bpjs", "credentials", "show"]);
    assert_eq!(none["configured"], false);

    let out = env.set("12345", SECRET, USER_KEY, &["--env", "production"]);
    let set = parse(&out, &["credentials", "set"]);
    assert_eq!(set["configured"], true);
    assert_eq!(set["cons_id"], "12345");
    assert_eq!(set["env"], "production");
    assert_eq!(set["base_url"], "https://apijkn.bpjs-kesehatan.go.id/antreanrs");
    assert_eq!(set["secret_masked"], "••••2026");
    assert_eq!(set["user_key_masked"], "••••8f90");
    assert_eq!(set["storage"], "file");
    assert!(!text(&out).contains(SECRET) && !text(&out).contains(USER_KEY));

    // The file: next to app config, one per profile, owner-only.
    let folder = env.config().join("id.loket.desk/credentials");
    let files: Vec<_> = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1);
    assert_eq!(
        std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(std::fs::metadata(&folder).unwrap().permissions().mode() & 0o777, 0o700);
    assert_eq!(set["storage_detail"], files[0].display().to_string());

    for args in [
        &["--json", "bpjs", "credentials", "show"][..],
        &["bpjs", "credentials", "show"][..],
    ] {
        let out = env.run(args);
        assert!(out.status.success());
        let shown = text(&out);
        assert!(shown.contains("12345") && shown.contains("production"), "{shown}");
        assert!(
            shown.contains("https://apijkn.bpjs-kesehatan.go.id/antreanrs"),
            "{shown}"
        );
        assert!(!shown.contains(SECRET) && !shown.contains(USER_KEY), "{shown}");
        assert!(
            !shown.contains("Konsumen"),
            "no fragment beyond the last 4 characters: {shown}"
        );
    }
    // No secret in the database.
    let db = String::from_utf8_lossy(&std::fs::read(env.db()).unwrap()).into_owned();
    assert!(!db.contains(SECRET) && !db.contains(USER_KEY));

    // Without --secret-stdin the stored secret is kept; a custom URL replaces the default.
    let out = env.run(&[
        "--json",
        "bpjs",
        "credentials",
        "set",
        "--cons-id",
        "12345",
        "--user-key",
        USER_KEY,
        "--url",
        "http://127.0.0.1:8080/antreanrs/",
    ]);
    let kept = parse(&out, &["set without secret"]);
    assert_eq!(kept["secret_masked"], "••••2026");
    assert_eq!(kept["base_url"], "http://127.0.0.1:8080/antreanrs");
    assert_eq!(kept["env"], "production", "the stored environment stays");
}

#[test]
fn credentials_refusals_exit_2_with_indonesian_reasons() {
    let env = Env::new();
    let cases: [(&[&str], &[u8], &str); 5] = [
        (
            &[
                "bpjs",
                "credentials",
                "set",
                "--cons-id",
                "12x",
                "--user-key",
                "k",
                "--secret-stdin",
            ],
            b"s\n",
            "Cons ID hanya berisi angka",
        ),
        (
            &[
                "bpjs",
                "credentials",
                "set",
                "--cons-id",
                "1",
                "--user-key",
                "k",
                "--secret-stdin",
            ],
            b"\n",
            "Secret wajib diisi",
        ),
        (
            &["bpjs", "credentials", "set", "--cons-id", "1", "--user-key", "k"],
            b"",
            "Secret wajib diisi",
        ),
        (
            &[
                "bpjs",
                "credentials",
                "set",
                "--cons-id",
                "1",
                "--user-key",
                "k",
                "--secret-stdin",
                "--env",
                "staging",
            ],
            b"s\n",
            "Lingkungan BPJS harus dev atau production",
        ),
        (
            &[
                "bpjs",
                "credentials",
                "set",
                "--cons-id",
                "1",
                "--user-key",
                "k",
                "--secret-stdin",
                "--url",
                "bpjs.go.id",
            ],
            b"s\n",
            "Alamat server BPJS tidak valid",
        ),
    ];
    for (args, stdin, want) in cases {
        let out = env.run_stdin(args, stdin);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(want),
            "{args:?}: {}",
            text(&out)
        );
    }
    assert_eq!(
        env.json(&["--json", "bpjs", "credentials", "show"])["configured"],
        false
    );

    // Calling BPJS before credentials exist: not found (3), with the way out.
    let out = env.run(&["bpjs", "ping"]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("loket bpjs credentials set"));
}

// ---- against the simulator ----------------------------------------------------------------

struct World {
    rt: tokio::runtime::Runtime,
    sim: Option<SimHandle>,
}

impl World {
    fn start(config: SimConfig) -> World {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let sim = rt.block_on(Sim::start(SimConfig { port: 0, ..config })).unwrap();
        World { rt, sim: Some(sim) }
    }

    fn sim(&self) -> &SimHandle {
        self.sim.as_ref().unwrap()
    }

    fn url(&self) -> String {
        self.sim().base_url()
    }
}

impl Drop for World {
    fn drop(&mut self) {
        if let Some(sim) = self.sim.take() {
            self.rt.block_on(sim.shutdown());
        }
    }
}

/// Credentials of the simulator, stored with the production URL: every call below reaches the
/// simulator only through `--bpjs-url`.
fn sim_env() -> Env {
    let env = Env::new();
    let out = env.set(DEMO_CONS_ID, DEMO_SECRET, DEMO_USER_KEY, &["--env", "production"]);
    parse(&out, &["set"]);
    env
}

#[test]
fn ping_ref_and_jadwal_against_loket_sim() {
    let w = World::start(SimConfig::default());
    let env = sim_env();
    let url = w.url();

    let ping = env.json(&["--json", "bpjs", "ping", "--bpjs-url", &url]);
    let polis = w.sim().with_hfis(|h| h.ref_poli());
    assert_eq!(ping["ok"], true, "{ping}");
    assert_eq!(ping["kind"], "ok");
    assert_eq!(ping["poli_count"], polis.len());
    assert_eq!(ping["base_url"], url);
    let human = env.run(&["bpjs", "ping", "--bpjs-url", &url]);
    assert!(human.status.success());
    assert!(
        String::from_utf8_lossy(&human.stdout).contains(&format!("{} poli diterima", polis.len())),
        "{}",
        text(&human)
    );

    let got = env.json(&["--json", "bpjs", "ref", "poli", "--bpjs-url", &url]);
    assert_eq!(got, serde_json::to_value(&polis).unwrap());
    let table = env.run(&["bpjs", "--bpjs-url", &url, "ref", "poli"]);
    let table = String::from_utf8_lossy(&table.stdout).into_owned();
    assert!(table.starts_with("KDPOLI"), "{table}");
    assert_eq!(table.lines().count(), polis.len() + 1);

    let dokter = env.json(&["--json", "bpjs", "ref", "dokter", "--bpjs-url", &url]);
    assert_eq!(
        dokter,
        serde_json::to_value(w.sim().with_hfis(|h| h.ref_dokter())).unwrap()
    );

    let (poli, date, want) = w.sim().with_hfis(|h| {
        let first = h.doctors()[0].clone();
        let now = loket_bpjs::Clock::unix_seconds(&loket_bpjs::SystemClock) as i64;
        let today = chrono::DateTime::from_timestamp(now, 0).unwrap().date_naive();
        (1..60)
            .map(|i| today + chrono::Days::new(i))
            .find_map(|d| {
                let j = h.jadwal(&first.kodesubspesialis, d);
                (!j.is_empty()).then(|| (first.kodesubspesialis.clone(), d.format("%Y-%m-%d").to_string(), j))
            })
            .expect("a practice day within 60 days")
    });
    let jadwal = env.json(&[
        "--json",
        "bpjs",
        "jadwal",
        "--poli",
        &poli,
        "--date",
        &date,
        "--bpjs-url",
        &url,
    ]);
    assert_eq!(jadwal, serde_json::to_value(&want).unwrap());
    assert_eq!(w.sim().request_count("jadwaldokter"), 1);

    let bad = env.run(&[
        "bpjs",
        "jadwal",
        "--poli",
        &poli,
        "--date",
        "2026-13-01",
        "--bpjs-url",
        &url,
    ]);
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad));

    // Every call carried its own X-timestamp.
    assert!(w.sim().requests().iter().all(|r| r.timestamp.is_some()));
}

#[test]
fn ping_failures_exit_1_with_the_reason() {
    let w = World::start(SimConfig {
        faults: vec![Fault::always("ref/poli", FaultKind::Delay { millis: 4000 })],
        ..SimConfig::default()
    });
    let env = sim_env();

    let slow = env.run(&["--json", "bpjs", "ping", "--bpjs-url", &w.url(), "--bpjs-timeout", "1"]);
    assert_eq!(slow.status.code(), Some(1), "{}", text(&slow));
    let v: Value = serde_json::from_slice(&slow.stdout).unwrap();
    assert_eq!(
        (v["ok"].as_bool(), v["kind"].as_str()),
        (Some(false), Some("timeout")),
        "{v}"
    );
    assert!(v["elapsed_ms"].as_u64().unwrap() < 3500, "{v}");

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let closed = format!("http://127.0.0.1:{port}/antreanrs");
    let down = env.run(&["--json", "bpjs", "ping", "--bpjs-url", &closed]);
    assert_eq!(down.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&down.stdout).unwrap();
    assert_eq!(v["kind"], "network", "{v}");
    assert!(
        v["message"].as_str().unwrap().starts_with("Jaringan tidak tersedia"),
        "{v}"
    );

    // ref/* report a failure as an error on stderr with exit 1, nothing on stdout.
    w.sim().clear_faults();
    w.sim().add_fault(Fault::always("ref/dokter", FaultKind::Html));
    let html = env.run(&[
        "--json",
        "bpjs",
        "ref",
        "dokter",
        "--bpjs-url",
        &w.url(),
        "--bpjs-timeout",
        "2",
    ]);
    assert_eq!(html.status.code(), Some(1), "{}", text(&html));
    assert!(html.stdout.is_empty());
    let err_line = String::from_utf8_lossy(&html.stderr)
        .lines()
        .find(|l| l.starts_with("{\"error\""))
        .map(str::to_owned)
        .expect("a JSON error on stderr");
    let e: Value = serde_json::from_str(&err_line).unwrap();
    assert_eq!(e["error"]["code"], "network");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("halaman yang tidak dikenali"),
        "{e}"
    );

    // A wrong secret is a refused signature.
    let wrong = Env::new();
    parse(
        &wrong.set(DEMO_CONS_ID, "bukan-secret-ini", DEMO_USER_KEY, &[]),
        &["set"],
    );
    let out = wrong.run(&["--json", "bpjs", "ping", "--bpjs-url", &w.url()]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["kind"], "signature", "{v}");
}

// ---- decode -------------------------------------------------------------------------------

fn vectors() -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../bpjs/tests/vectors.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn envelope(code: i64, response: Option<&str>) -> Vec<u8> {
    let mut v = json!({ "metadata": { "code": code, "message": "OK" } });
    if let Some(r) = response {
        v["response"] = json!(r);
    }
    serde_json::to_vec(&v).unwrap()
}

fn decode(env: &Env, cons_id: &str, secret: &str, ts: &str, file: Option<&Path>, stdin: &[u8]) -> Output {
    let mut args = vec![
        "bpjs",
        "decode",
        "--cons-id",
        cons_id,
        "--secret",
        secret,
        "--timestamp",
        ts,
    ];
    let path;
    if let Some(f) = file {
        path = f.to_str().unwrap().to_owned();
        args.push(&path);
    }
    env.run_stdin(&args, stdin)
}

#[test]
fn decode_prints_the_response_of_a_captured_body() {
    let env = Env::new();
    let v = &vectors()[0];
    let (cons, secret, ts) = (
        v["consid"].as_str().unwrap(),
        v["secret"].as_str().unwrap(),
        v["timestamp"].as_str().unwrap(),
    );
    let body = envelope(1, v["response_ciphertext_b64"].as_str());
    let file = env.dir.path().join("captured.json");
    std::fs::write(&file, &body).unwrap();

    let want: Value = serde_json::from_str(v["plaintext_json"].as_str().unwrap()).unwrap();
    let out = decode(&env, cons, secret, ts, Some(&file), b"");
    let got: Value = parse(&out, &["decode FILE"]);
    assert_eq!(got, want);

    // From stdin (`-` or nothing), with the encoder's own output: non-BMP text survives.
    let payload =
        json!([{ "nmpoli": "ANAK 👶 ÄÖÜ", "kdpoli": "ANA", "kdsubspesialis": "ANA", "nmsubspesialis": "ANAK" }]);
    let cipher = encrypt_payload(&payload.to_string(), &ResponseKey::derive(cons, secret, ts));
    let body = envelope(1, Some(&cipher));
    for file in [Some(Path::new("-")), None] {
        let out = decode(&env, cons, secret, ts, file, &body);
        assert_eq!(parse(&out, &["decode -"]), payload);
    }

    // --json: the whole envelope, decoded.
    let out = env.run_stdin(
        &[
            "--json",
            "bpjs",
            "decode",
            "--cons-id",
            cons,
            "--secret",
            secret,
            "--timestamp",
            ts,
        ],
        &body,
    );
    assert_eq!(
        parse(&out, &["decode --json"]),
        json!({ "metadata": { "code": 1, "message": "OK" }, "response": payload })
    );

    // No response: the metadata.
    let body = br#"{"metadata":{"code":201,"message":"Data tidak ditemukan"},"response":null}"#;
    let out = decode(&env, cons, secret, ts, None, body);
    assert_eq!(
        parse(&out, &["decode meta"]),
        json!({ "code": 201, "message": "Data tidak ditemukan" })
    );

    // A plain (dashboard) response passes through.
    let plain = br#"{"metadata":{"code":200,"message":"OK"},"response":{"list":[]}}"#;
    assert_eq!(
        parse(&decode(&env, cons, secret, ts, None, plain), &["plain"]),
        json!({ "list": [] })
    );
}

/// GET `path` from the simulator over a bare HTTP/1.1 connection, signed at `ts`: the raw body.
fn capture(sim: &SimHandle, path: &str, ts: u64) -> Vec<u8> {
    use std::io::Read;
    let signed = loket_bpjs::SignedHeaders::new(DEMO_CONS_ID, DEMO_SECRET, DEMO_USER_KEY, ts);
    let mut request = format!(
        "GET /antreanrs_dev/{path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
        sim.addr()
    );
    for (name, value) in signed.pairs() {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    let mut stream = std::net::TcpStream::connect(sim.addr()).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("HTTP head") + 4;
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(!head.contains("transfer-encoding: chunked"), "{head}");
    raw[split..].to_vec()
}

#[test]
fn decode_a_body_captured_from_loket_sim() {
    let w = World::start(SimConfig::default());
    let env = Env::new();
    let ts = loket_bpjs::Clock::unix_seconds(&loket_bpjs::SystemClock);
    let body = capture(w.sim(), "ref/poli", ts);
    assert!(
        !String::from_utf8_lossy(&body).contains("ANAK"),
        "encrypted on the wire"
    );
    let file = env.dir.path().join("ref-poli.json");
    std::fs::write(&file, &body).unwrap();

    let out = decode(&env, DEMO_CONS_ID, DEMO_SECRET, &ts.to_string(), Some(&file), b"");
    let polis = w.sim().with_hfis(|h| h.ref_poli());
    assert_eq!(parse(&out, &["decode captured"]), serde_json::to_value(&polis).unwrap());
    // One second off is another key.
    let out = decode(&env, DEMO_CONS_ID, DEMO_SECRET, &(ts + 1).to_string(), Some(&file), b"");
    assert_eq!(out.status.code(), Some(12), "{}", text(&out));
}

/// cons id, secret, timestamp, body, expected exit code, expected words.
type Case<'a> = (&'a str, &'a str, &'a str, Vec<u8>, i32, &'a str);

#[test]
fn decode_failures_have_precise_reasons_and_exit_codes() {
    let env = Env::new();
    let vs = vectors();
    let v = &vs[0];
    let (cons, secret, ts) = (
        v["consid"].as_str().unwrap(),
        v["secret"].as_str().unwrap(),
        v["timestamp"].as_str().unwrap(),
    );
    let good = envelope(1, v["response_ciphertext_b64"].as_str());
    let key = ResponseKey::derive(cons, secret, ts);
    let not_text = envelope(1, Some(&key.encrypt_base64(&[0xff, 0xfe, 0xfd])));
    // Vector 3 decrypts and decompresses to `a`: not JSON.
    let v3 = &vs[3];
    let not_json = envelope(1, v3["response_ciphertext_b64"].as_str());

    let cases: Vec<Case> = vec![
        (cons, secret, "1700000099", good.clone(), 12, "padding PKCS#7 salah"),
        (
            cons,
            "secret-lain",
            ts,
            good.clone(),
            12,
            "cons ID, secret atau timestamp",
        ),
        ("54321", secret, ts, good.clone(), 12, "tidak sama dengan yang dipakai"),
        (
            cons,
            secret,
            ts,
            b"<html><body><h1>Request Rejected</h1></body></html>".to_vec(),
            10,
            "Request Rejected",
        ),
        (
            cons,
            secret,
            ts,
            br#"{"metadata":{"code":1,"mess"#.to_vec(),
            10,
            "bukan amplop JSON BPJS",
        ),
        (cons, secret, ts, envelope(1, Some("bukan base64!")), 11, "bukan Base64"),
        (cons, secret, ts, envelope(1, Some("QUJD")), 11, "bukan kelipatan 16"),
        (cons, secret, ts, not_text, 13, "bukan aliran LZ-string"),
        (
            v3["consid"].as_str().unwrap(),
            v3["secret"].as_str().unwrap(),
            v3["timestamp"].as_str().unwrap(),
            not_json,
            14,
            "bukan JSON",
        ),
        (cons, secret, "17e8", good.clone(), 2, "detik Unix"),
    ];
    for (c, s, t, body, code, want) in cases {
        let out = decode(&env, c, s, t, None, &body);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(code), "{want}: {err}");
        assert!(out.stdout.is_empty(), "{want}: nothing on stdout");
        assert!(err.contains(want), "{want}: {err}");
    }

    // --json: the reason as data.
    let out = env.run_stdin(
        &[
            "--json",
            "bpjs",
            "decode",
            "--cons-id",
            cons,
            "--secret",
            secret,
            "--timestamp",
            "1",
        ],
        &good,
    );
    assert_eq!(out.status.code(), Some(12));
    let e: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(e["error"]["reason"], "wrong_key");

    // A file that is not there.
    let missing = env.dir.path().join("tidak-ada.json");
    let out = decode(&env, cons, secret, ts, Some(&missing), b"");
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    // decode needs no database and no credentials.
    assert!(!env.db().exists());
}
