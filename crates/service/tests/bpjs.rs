//! BPJS use cases against real files and a real `loket-sim` on 127.0.0.1: the credential file
//! backend (mode, atomicity, isolation between databases, secrets never shown), and every
//! outcome of "Tes koneksi".

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use loket_core::ErrorCode;
use loket_service::bpjs::{BpjsConnection, TestKind};
use loket_service::credentials::{
    BpjsEnv, BpjsProfile, CredentialsInput, SecretStore, StorageKind, DEV_URL, PRODUCTION_URL,
};
use loket_service::Desk;
use loket_sim::{Fault, FaultKind, Sim, SimConfig, SimHandle, DEMO_CONS_ID, DEMO_SECRET, DEMO_USER_KEY};

const SECRET: &str = "rahasia-Konsumen-7F3k9Q";
const USER_KEY: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

fn input(cons_id: &str, secret: &str, user_key: &str) -> CredentialsInput {
    CredentialsInput {
        cons_id: cons_id.into(),
        secret: Some(secret.into()),
        user_key: Some(user_key.into()),
        env: None,
        base_url: None,
    }
}

fn open(path: &Path) -> Desk {
    Desk::open(path).unwrap().0
}

fn profile(db: &Path, secrets: &Path) -> BpjsProfile {
    open(db).bpjs_profile_with(SecretStore::file_in(secrets)).unwrap()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

// ---- credentials --------------------------------------------------------------------------

#[test]
fn file_backend_round_trip_is_owner_only_and_masked() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = dir.path().join("config/id.loket.desk/credentials");
    let db = dir.path().join("loket.db");
    let p = profile(&db, &secrets);

    let view = p.set_credentials(&input(" 12345 ", SECRET, USER_KEY)).unwrap();
    assert!(view.configured);
    assert_eq!(view.cons_id, "12345");
    assert_eq!(view.env, BpjsEnv::Dev);
    assert_eq!(view.base_url, DEV_URL);
    assert_eq!(view.secret_masked, "••••3k9Q", "at most the last 4 characters");
    assert_eq!(view.user_key_masked, "••••e1f0");
    assert_eq!(view.storage, StorageKind::File);

    let file = secrets.join(format!("{}.json", p.id()));
    assert_eq!(view.storage_detail, file.display().to_string());
    assert_eq!(mode(&file), 0o600, "file readable only by its owner");
    assert_eq!(mode(&secrets), 0o700, "folder private");
    assert_eq!(mode(secrets.parent().unwrap()), 0o700, "created parents private too");
    let names: Vec<_> = std::fs::read_dir(&secrets)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, vec![format!("{}.json", p.id())], "no temporary file left behind");

    // Read back through a fresh desk on the same file: same profile, same values.
    let again = profile(&db, &secrets);
    assert_eq!(again.id(), p.id());
    let loaded = again.load().unwrap().unwrap();
    assert_eq!(loaded.storage, StorageKind::File);
    assert_eq!(loaded.credentials.cons_id, "12345");
    assert_eq!(loaded.credentials.secret.expose(), SECRET);
    assert_eq!(loaded.credentials.user_key.expose(), USER_KEY);
    assert_eq!(again.view().unwrap(), view);

    // Nothing of the secret in the database file either.
    let db_bytes = std::fs::read(&db).unwrap();
    let hay = String::from_utf8_lossy(&db_bytes);
    assert!(!hay.contains(SECRET) && !hay.contains(USER_KEY));
}

#[test]
fn two_databases_never_see_each_others_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = dir.path().join("secrets");
    let a = profile(&dir.path().join("a.db"), &secrets);
    let b = profile(&dir.path().join("b.db"), &secrets);
    assert_ne!(a.id(), b.id());

    a.set_credentials(&input("11111", "secret-of-a-123", "key-of-a-123456"))
        .unwrap();
    assert!(!b.view().unwrap().configured, "b sees nothing of a");
    b.set_credentials(&input("22222", "secret-of-b-456", "key-of-b-654321"))
        .unwrap();
    assert_eq!(
        a.load().unwrap().unwrap().credentials.cons_id,
        "11111",
        "b did not overwrite a"
    );
    assert_eq!(
        b.load().unwrap().unwrap().credentials.secret.expose(),
        "secret-of-b-456"
    );

    // A file copied under another profile's name is refused, not used.
    std::fs::copy(
        secrets.join(format!("{}.json", a.id())),
        secrets.join(format!("{}.json", b.id())),
    )
    .unwrap();
    let err = b.load().unwrap_err();
    assert_eq!(err.code, ErrorCode::Integrity);
    assert!(err.message.contains("milik profil lain"), "{}", err.message);
}

#[test]
fn a_moved_database_keeps_its_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = dir.path().join("secrets");
    let old = dir.path().join("old.db");
    let id = {
        let p = profile(&old, &secrets);
        p.set_credentials(&input("12345", SECRET, USER_KEY)).unwrap();
        p.id().clone()
    };
    let moved = dir.path().join("elsewhere/loket.db");
    std::fs::create_dir_all(moved.parent().unwrap()).unwrap();
    std::fs::rename(&old, &moved).unwrap();
    for ext in ["-wal", "-shm"] {
        let side = dir.path().join(format!("old.db{ext}"));
        if side.exists() {
            std::fs::rename(side, dir.path().join(format!("elsewhere/loket.db{ext}"))).unwrap();
        }
    }
    let desk = open(&moved);
    let p = desk
        .bpjs_existing_profile_with(SecretStore::file_in(&secrets))
        .unwrap()
        .unwrap();
    assert_eq!(p.id(), &id);
    assert_eq!(p.load().unwrap().unwrap().credentials.secret.expose(), SECRET);

    // A database that never had credentials has no profile until one is needed.
    let fresh = open(&dir.path().join("fresh.db"));
    assert!(fresh
        .bpjs_existing_profile_with(SecretStore::file_in(&secrets))
        .unwrap()
        .is_none());
    assert!(!fresh.bpjs_credentials_view().unwrap().configured);
}

#[test]
fn validation_in_indonesian_and_keeping_what_is_not_retyped() {
    let dir = tempfile::tempdir().unwrap();
    let p = profile(&dir.path().join("a.db"), &dir.path().join("s"));

    let first = |i: CredentialsInput| p.set_credentials(&i).unwrap_err();
    let cases = [
        (input("", SECRET, USER_KEY), "Cons ID wajib diisi."),
        (input("12a45", SECRET, USER_KEY), "Cons ID hanya berisi angka"),
        (
            CredentialsInput {
                secret: None,
                ..input("12345", "", USER_KEY)
            },
            "Secret wajib diisi.",
        ),
        (input("12345", SECRET, ""), "User key Antrean wajib diisi."),
        (
            input("12345", " spasi ", USER_KEY),
            "tidak boleh diawali atau diakhiri spasi",
        ),
        (
            CredentialsInput {
                base_url: Some("apijkn.bpjs-kesehatan.go.id".into()),
                ..input("12345", SECRET, USER_KEY)
            },
            "Alamat server BPJS tidak valid",
        ),
    ];
    for (i, want) in cases {
        let e = first(i);
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert!(e.message.contains(want), "{} / {want}", e.message);
    }
    assert!(!p.view().unwrap().configured, "nothing stored after refusals");

    p.set_credentials(&CredentialsInput {
        env: Some(BpjsEnv::Production),
        ..input("12345", SECRET, USER_KEY)
    })
    .unwrap();
    assert_eq!(
        p.view().unwrap().base_url,
        PRODUCTION_URL,
        "the environment's default URL"
    );

    // Pengaturan sends empty password fields: the stored secret and key stay.
    let v = p
        .set_credentials(&CredentialsInput {
            cons_id: "54321".into(),
            secret: Some(String::new()),
            user_key: None,
            env: None,
            base_url: Some("http://127.0.0.1:8080/antreanrs/".into()),
        })
        .unwrap();
    assert_eq!((v.cons_id.as_str(), v.env), ("54321", BpjsEnv::Production));
    assert_eq!(v.base_url, "http://127.0.0.1:8080/antreanrs");
    let c = p.load().unwrap().unwrap().credentials;
    assert_eq!((c.secret.expose(), c.user_key.expose()), (SECRET, USER_KEY));

    // Switching the environment without a URL takes that environment's default.
    let v = p
        .set_credentials(&CredentialsInput {
            env: Some(BpjsEnv::Dev),
            ..CredentialsInput {
                cons_id: "54321".into(),
                ..Default::default()
            }
        })
        .unwrap();
    assert_eq!(v.base_url, DEV_URL);
}

#[test]
fn a_widened_file_is_tightened_and_a_broken_one_is_reported_without_its_content() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = dir.path().join("s");
    let p = profile(&dir.path().join("a.db"), &secrets);
    p.set_credentials(&input("12345", SECRET, USER_KEY)).unwrap();
    let file = secrets.join(format!("{}.json", p.id()));
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(p.load().unwrap().is_some());
    assert_eq!(mode(&file), 0o600);

    std::fs::write(&file, format!("{{\"secret\": \"{SECRET}\", \"format\": \"x\"")).unwrap();
    let e = p.load().unwrap_err();
    assert_eq!(e.code, ErrorCode::Integrity);
    assert!(
        e.message.contains("rusak") && !e.message.contains(SECRET),
        "{}",
        e.message
    );

    p.clear().unwrap();
    assert!(!file.exists());
    assert!(!p.view().unwrap().configured);
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

    /// A profile holding the simulator's demo credentials (possibly altered).
    fn profile(&self, dir: &Path, secret: &str, user_key: &str) -> BpjsProfile {
        let p = profile(&dir.join("loket.db"), &dir.join("secrets"));
        p.set_credentials(&CredentialsInput {
            base_url: Some(self.sim().base_url()),
            ..input(DEMO_CONS_ID, secret, user_key)
        })
        .unwrap();
        p
    }

    fn connection(&self, dir: &Path) -> BpjsConnection {
        self.profile(dir, DEMO_SECRET, DEMO_USER_KEY)
            .connection(None)
            .unwrap()
            .with_timeout(Duration::from_millis(800))
    }
}

impl Drop for World {
    fn drop(&mut self) {
        if let Some(sim) = self.sim.take() {
            self.rt.block_on(sim.shutdown());
        }
    }
}

#[test]
fn test_connection_ok_counts_the_polis() {
    let w = World::start(SimConfig::default());
    let dir = tempfile::tempdir().unwrap();
    let out = w.connection(dir.path()).test();
    let expected = w.sim().with_hfis(|h| h.ref_poli().len()) as u32;
    assert!(out.ok, "{out:?}");
    assert_eq!(out.kind, TestKind::Ok);
    assert_eq!(out.poli_count, Some(expected));
    assert!(out.message.contains(&format!("{expected} poli")), "{}", out.message);
    assert_eq!(out.base_url, w.sim().base_url());
    assert_eq!(w.sim().request_count("ref/poli"), 1);
}

#[test]
fn test_connection_wrong_secret_is_a_refused_signature() {
    let w = World::start(SimConfig::default());
    let dir = tempfile::tempdir().unwrap();
    let out = w
        .profile(dir.path(), "not-the-secret", DEMO_USER_KEY)
        .test_connection(None)
        .unwrap();
    assert!(!out.ok);
    assert_eq!(out.kind, TestKind::Signature);
    assert!(
        out.message.starts_with("Tanda tangan (signature) ditolak BPJS"),
        "{}",
        out.message
    );
    assert_eq!(out.error_code.as_deref(), Some("bpjs.business"));
}

#[test]
fn test_connection_wrong_user_key() {
    let w = World::start(SimConfig::default());
    let dir = tempfile::tempdir().unwrap();
    let out = w
        .profile(dir.path(), DEMO_SECRET, "wrong-user-key")
        .test_connection(None)
        .unwrap();
    assert_eq!(out.kind, TestKind::UserKey);
    assert!(out.message.contains("user_key"), "{}", out.message);
}

#[test]
fn test_connection_clock_drift() {
    // The simulator's clock is an hour ahead of ours: our X-timestamp looks stale to it.
    let ahead = loket_bpjs::Clock::unix_seconds(&loket_bpjs::SystemClock) + 3600;
    let w = World::start(SimConfig {
        clock: Arc::new(loket_bpjs::ManualClock::at(ahead)),
        ..SimConfig::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let out = w.connection(dir.path()).test();
    assert_eq!(out.kind, TestKind::Clock, "{out:?}");
    assert!(out.message.starts_with("Jam komputer berbeda"), "{}", out.message);
}

#[test]
fn test_connection_network_down() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let p = profile(&dir.path().join("loket.db"), &dir.path().join("s"));
    p.set_credentials(&CredentialsInput {
        base_url: Some(format!("http://127.0.0.1:{port}/antreanrs_dev")),
        ..input(DEMO_CONS_ID, DEMO_SECRET, DEMO_USER_KEY)
    })
    .unwrap();
    let out = p.test_connection(None).unwrap();
    assert_eq!(out.kind, TestKind::Network, "{out:?}");
    assert!(out.message.starts_with("Jaringan tidak tersedia"), "{}", out.message);
    assert!(out.elapsed_ms < 5000, "no retries in a test: {}", out.elapsed_ms);
}

#[test]
fn test_connection_timeout() {
    let w = World::start(SimConfig {
        faults: vec![Fault::always("ref/poli", FaultKind::Delay { millis: 3000 })],
        ..SimConfig::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let out = w.connection(dir.path()).with_timeout(Duration::from_millis(300)).test();
    assert_eq!(out.kind, TestKind::Timeout, "{out:?}");
    assert_eq!(out.error_code.as_deref(), Some("bpjs.timeout"));
    assert!(
        out.message.contains("tidak menjawab dalam batas waktu"),
        "{}",
        out.message
    );
    assert!(
        out.elapsed_ms < 2500,
        "gave up at the timeout, no retry: {}",
        out.elapsed_ms
    );
    assert_eq!(w.sim().request_count("ref/poli"), 1, "the test never retries");
}

#[test]
fn test_connection_html_page_and_wrong_key() {
    let w = World::start(SimConfig {
        faults: vec![
            Fault::times("ref/poli", FaultKind::Html, 1),
            Fault::times("ref/poli", FaultKind::WrongKey, 1),
        ],
        ..SimConfig::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let conn = w.connection(dir.path());
    let kinds = [conn.test().kind, conn.test().kind, conn.test().kind];
    assert!(kinds.contains(&TestKind::NotJson), "{kinds:?}");
    assert!(kinds.contains(&TestKind::Decrypt), "{kinds:?}");
    assert_eq!(kinds[2], TestKind::Ok, "faults used up: {kinds:?}");
    let html = {
        w.sim().add_fault(Fault::times("ref/poli", FaultKind::Html, 1));
        conn.test()
    };
    assert!(html.message.contains("halaman yang tidak dikenali"), "{}", html.message);
}

#[test]
fn reference_data_and_schedules_through_the_service() {
    let w = World::start(SimConfig::default());
    let dir = tempfile::tempdir().unwrap();
    let conn = w.connection(dir.path());
    let polis = conn.ref_poli().unwrap();
    assert_eq!(polis, w.sim().with_hfis(|h| h.ref_poli()));
    let dokter = conn.ref_dokter().unwrap();
    assert_eq!(dokter.len(), w.sim().with_hfis(|h| h.ref_dokter().len()));

    let (poli, date, want) = w.sim().with_hfis(|h| {
        let now = loket_bpjs::Clock::unix_seconds(&loket_bpjs::SystemClock) as i64;
        let today = chrono::DateTime::from_timestamp(now, 0).unwrap().date_naive();
        (1..60)
            .flat_map(|i| {
                h.doctors()
                    .iter()
                    .map(move |d| (d.kodesubspesialis.clone(), today + chrono::Days::new(i)))
            })
            .map(|(p, d)| {
                let j = h.jadwal(&p, d);
                (p, d, j)
            })
            .find(|(_, _, j)| !j.is_empty())
            .expect("a day with schedules")
    });
    let got = conn.jadwal(&poli, &date.format("%Y-%m-%d").to_string()).unwrap();
    assert_eq!(got, want);

    let e = conn.jadwal(&poli, "19-01-2026").unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    assert!(e.message.contains("TTTT-BB-HH"), "{}", e.message);

    // A refusal crosses as a network error with the clerk's explanation.
    w.sim().add_fault(Fault::times(
        "ref/dokter",
        FaultKind::Message {
            message: "Gagal (simulasi)".into(),
        },
        1,
    ));
    let e = conn.ref_dokter().unwrap_err();
    assert_eq!(e.code, ErrorCode::Network);
    assert_eq!(e.message, "BPJS menolak permintaan: Gagal (simulasi)");
}

#[test]
fn url_override_is_validated() {
    let dir = tempfile::tempdir().unwrap();
    let p = profile(&dir.path().join("loket.db"), &dir.path().join("s"));
    assert_eq!(
        p.connection(None).unwrap_err().code,
        ErrorCode::NotFound,
        "not configured yet"
    );
    p.set_credentials(&input("12345", SECRET, USER_KEY)).unwrap();
    assert_eq!(p.connection(Some("ftp://x")).unwrap_err().code, ErrorCode::InvalidInput);
    assert_eq!(
        p.connection(Some("http://127.0.0.1:1/antreanrs/")).unwrap().base_url(),
        "http://127.0.0.1:1/antreanrs"
    );
}

#[test]
fn the_status_bar_knows_when_credentials_were_saved() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("loket.db");
    assert!(
        !open(&db).status().unwrap().bpjs_configured,
        "a new desk has no credentials"
    );
    let secrets = dir.path().join("secrets");
    profile(&db, &secrets)
        .set_credentials(&input("12345", SECRET, USER_KEY))
        .unwrap();
    let status = open(&db).status().unwrap();
    assert!(status.bpjs_configured);
    assert_eq!(status.bpjs_online, None, "no call made yet");
}
