//! `LOKET_SECRETS=auto` without a session bus (CI, headless): the owner-only file, at once.
//! Its own test binary with one test, because it changes the process environment.

use std::time::Instant;

use loket_core::ErrorCode;
use loket_service::credentials::{
    BpjsProfile, CredentialsInput, Mode, ProfileId, SecretStore, StorageKind, SECRETS_ENV,
};

#[test]
fn auto_falls_back_to_the_file_quickly_and_keyring_mode_says_why_it_cannot() {
    // No D-Bus session: what CI and a headless server have.
    std::env::remove_var("DBUS_SESSION_BUS_ADDRESS");
    std::env::remove_var("XDG_RUNTIME_DIR");
    let dir = tempfile::tempdir().unwrap();
    let id = ProfileId::parse("6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b").unwrap();
    let now = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap();
    let input = CredentialsInput {
        cons_id: "12345".into(),
        secret: Some("rahasia-123456".into()),
        user_key: Some("kunci-pengguna-123456".into()),
        ..Default::default()
    };

    let auto = BpjsProfile::new(id.clone(), SecretStore::file_in(dir.path()).with_mode(Mode::Auto), now);
    let started = Instant::now();
    let view = auto.set_credentials(&input).unwrap();
    assert_eq!(view.storage, StorageKind::File);
    assert_eq!(auto.load().unwrap().unwrap().storage, StorageKind::File);
    assert!(
        started.elapsed().as_millis() < 1000,
        "no waiting for a secret store: {:?}",
        started.elapsed()
    );
    assert!(dir.path().join(format!("{id}.json")).exists());

    let forced = BpjsProfile::new(
        id.clone(),
        SecretStore::file_in(dir.path()).with_mode(Mode::Keyring),
        now,
    );
    let e = forced.set_credentials(&input).unwrap_err();
    assert_eq!(e.code, ErrorCode::Storage);
    assert!(
        e.message.contains("Secret Service") && e.message.contains("tidak tersedia"),
        "{}",
        e.message
    );

    // The environment variable chooses the backend; a typo is refused, not ignored.
    std::env::set_var(SECRETS_ENV, "file");
    assert_eq!(SecretStore::from_env().unwrap().mode(), Mode::File);
    std::env::set_var(SECRETS_ENV, "keyring");
    assert_eq!(SecretStore::from_env().unwrap().mode(), Mode::Keyring);
    std::env::set_var(SECRETS_ENV, "berkas");
    assert_eq!(SecretStore::from_env().unwrap_err().code, ErrorCode::InvalidInput);
    std::env::remove_var(SECRETS_ENV);
    assert_eq!(SecretStore::from_env().unwrap().mode(), Mode::Auto);
    std::env::set_var("XDG_CONFIG_HOME", dir.path());
    assert_eq!(
        SecretStore::from_env().unwrap().dir(),
        dir.path().join("id.loket.desk/credentials")
    );
}
