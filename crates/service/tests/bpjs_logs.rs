//! Secrets never shown: not in `Debug`, JSON views, outcomes, error messages or the log.
//! Its own test binary: the log subscriber is process-global here, so no other test races it.

use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use loket_service::credentials::{BpjsProfile, CredentialsInput, SecretStore};
use loket_service::Desk;

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

fn profile(db: &Path, secrets: &Path) -> BpjsProfile {
    Desk::open(db)
        .unwrap()
        .0
        .bpjs_profile_with(SecretStore::file_in(secrets))
        .unwrap()
}

#[test]
fn secret_never_in_debug_json_errors_or_logs() {
    let dir = tempfile::tempdir().unwrap();
    let logs = Arc::new(Mutex::new(Vec::<u8>::new()));
    let writer = {
        let logs = logs.clone();
        move || Capture(logs.clone())
    };
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(writer)
        .with_ansi(false)
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();
    {
        let p = profile(&dir.path().join("a.db"), &dir.path().join("secrets"));
        let typed = input("12345", SECRET, USER_KEY);
        let view = p.set_credentials(&typed).unwrap();
        let loaded = p.load().unwrap().unwrap();
        let conn = p.connection(Some("http://127.0.0.1:9/antreanrs")).unwrap();
        let outcome = conn.clone().with_timeout(Duration::from_millis(300)).test();
        assert!(!outcome.ok);
        // A refused change says why without echoing the secret.
        let err = p
            .set_credentials(&CredentialsInput {
                base_url: Some(format!("https://x:{SECRET}@host/antreanrs")),
                ..typed.clone()
            })
            .unwrap_err();

        let shown = [
            format!("{typed:?}"),
            format!("{loaded:?}"),
            format!("{:?}", loaded.credentials.secret),
            format!("{p:?}"),
            format!("{conn:?}"),
            format!("{view:?}"),
            serde_json::to_string(&view).unwrap(),
            serde_json::to_string(&outcome).unwrap(),
            format!("{err:?} {err}"),
        ];
        for text in &shown {
            assert!(!text.contains(SECRET), "secret leaked: {text}");
            assert!(!text.contains(USER_KEY), "user key leaked: {text}");
        }
    }
    let logs = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("BPJS credentials saved"),
        "the logs were captured: {logs}"
    );
    assert!(!logs.contains(SECRET) && !logs.contains(USER_KEY), "{logs}");
}

struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
