//! BPJS credentials of one desk profile, kept **outside** the SQLite file.
//!
//! * What: Cons ID, consumer secret, Antrean `user_key`, environment (dev/production) and the
//!   base URL.
//! * Where: the OS secret store (Secret Service over D-Bus, through `keyring`); where none runs
//!   (CI, headless servers, a desktop without a keyring daemon) an owner-only JSON file
//!   `$XDG_CONFIG_HOME/id.loket.desk/credentials/<profile_id>.json` (file 0600, folder 0700,
//!   written atomically). `LOKET_SECRETS=auto|keyring|file` chooses (default `auto`: the
//!   secret store when reachable within [`KEYRING_TIMEOUT`], else the file).
//! * Whose: one database is one profile. Its `profile_id` is a random UUID kept in the database
//!   itself (table `desk_profile`, migration V3), never derived from the file's path, so
//!   a moved file keeps its credentials and two database files never see each other's.
//!
//! The secret and the user key are [`Secret`]s: `Debug` hides them, they have no `Display` and
//! no `Serialize`; views show them masked (`••••abcd`). Nothing here logs a credential value.
//!
//! Why a table of its own and not the `settings` table: `loket_core::settings` validates every
//! stored key against its list of clerk-editable settings, and the profile id is not one.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use loket_core::{Error, ErrorCode, Result};
use loket_store::Store;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// Base URL of the BPJS development (trial) service.
pub const DEV_URL: &str = "https://apijkn-dev.bpjs-kesehatan.go.id/antreanrs_dev";
/// Base URL of the BPJS production service.
pub const PRODUCTION_URL: &str = "https://apijkn.bpjs-kesehatan.go.id/antreanrs";
/// Service name of the secret-store entries (`user` is `bpjs-antrean:<profile_id>`).
pub const KEYRING_SERVICE: &str = "id.loket.desk";
/// How long a secret-store call may take before Loket falls back to the file.
pub const KEYRING_TIMEOUT: Duration = Duration::from_secs(4);
/// Environment variable choosing the backend: `auto` (default), `keyring` or `file`.
pub const SECRETS_ENV: &str = "LOKET_SECRETS";

const FILE_FORMAT: u32 = 1;
const MASK: &str = "••••";

// ---- values ------------------------------------------------------------------------------

/// Which BPJS service the credentials are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum BpjsEnv {
    /// The development (trial) service.
    Dev,
    /// The production service.
    Production,
}

impl BpjsEnv {
    /// `dev`/`development` or `production`/`prod` (any case).
    pub fn parse(raw: &str) -> Result<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "dev" | "development" => Ok(BpjsEnv::Dev),
            "production" | "prod" => Ok(BpjsEnv::Production),
            _ => Err(Error::invalid("Lingkungan BPJS harus dev atau production.")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            BpjsEnv::Dev => "dev",
            BpjsEnv::Production => "production",
        }
    }

    /// The service's published base URL.
    pub fn default_url(self) -> &'static str {
        match self {
            BpjsEnv::Dev => DEV_URL,
            BpjsEnv::Production => PRODUCTION_URL,
        }
    }

    /// Indonesian label for the clerk.
    pub fn label(self) -> &'static str {
        match self {
            BpjsEnv::Dev => "dev (uji coba)",
            BpjsEnv::Production => "production",
        }
    }
}

/// A credential value that must never be shown, logged or serialised by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value itself: for signing requests and for the secret store only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `••••abcd`: at most the last 4 characters, and only of a value long enough (≥ 8) that
    /// they give little away; shorter values are shown as `••••` alone.
    pub fn masked(&self) -> String {
        mask(&self.0)
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(••••)")
    }
}

fn mask(value: &str) -> String {
    let n = value.chars().count();
    if n == 0 {
        return String::new();
    }
    let shown = if n < 8 { 0 } else { (n / 4).min(4) };
    let tail: String = value.chars().skip(n - shown).collect();
    format!("{MASK}{tail}")
}

/// The stable id of one database (desk profile): a random UUID, lower-case hex.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ProfileId(String);

impl ProfileId {
    /// Accepts only the UUID shape, so the id is always safe inside a file name.
    pub fn parse(raw: &str) -> Result<Self> {
        let ok = raw.len() == 36
            && raw.chars().enumerate().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => c == '-',
                _ => c.is_ascii_hexdigit() && !c.is_ascii_uppercase(),
            });
        if ok {
            Ok(ProfileId(raw.to_string()))
        } else {
            Err(Error::new(
                ErrorCode::Integrity,
                "ID profil BPJS di database rusak; hubungi IT.",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A UUID v4 from 16 random bytes given as 32 hex digits.
    fn from_random_hex(hex: &str) -> Self {
        let mut h: Vec<char> = hex.to_ascii_lowercase().chars().collect();
        h[12] = '4';
        let variant = h[16].to_digit(16).unwrap_or(0);
        h[16] = char::from_digit(8 + (variant & 3), 16).unwrap_or('8');
        let s: String = h.into_iter().collect();
        ProfileId(format!(
            "{}-{}-{}-{}-{}",
            &s[0..8],
            &s[8..12],
            &s[12..16],
            &s[16..20],
            &s[20..32]
        ))
    }
}

impl std::fmt::Display for ProfileId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Stored credentials of one profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub cons_id: String,
    pub secret: Secret,
    pub user_key: Secret,
    pub env: BpjsEnv,
    /// Validated `http(s)://host/path`, without a trailing `/`.
    pub base_url: String,
    pub saved_at: Option<DateTime<Utc>>,
}

/// What the clerk (Pengaturan) or IT (`loket bpjs credentials set`) submits.
///
/// `secret`/`user_key` absent or empty: keep the stored one (a password field is never
/// prefilled). `env` absent: keep the stored one, else `dev`. `base_url` absent: keep the stored
/// URL when the environment is unchanged, else the environment's default; empty: the default.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CredentialsInput {
    pub cons_id: String,
    pub secret: Option<String>,
    pub user_key: Option<String>,
    pub env: Option<BpjsEnv>,
    pub base_url: Option<String>,
}

impl std::fmt::Debug for CredentialsInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialsInput")
            .field("cons_id", &self.cons_id)
            .field("secret", &self.secret.as_ref().map(|_| "[hidden]"))
            .field("user_key", &self.user_key.as_ref().map(|_| "[hidden]"))
            .field("env", &self.env)
            .field("base_url", &self.base_url)
            .finish()
    }
}

/// Where the credentials of a profile are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum StorageKind {
    /// Nothing stored yet.
    None,
    /// The OS secret store (Secret Service).
    Keyring,
    /// The owner-only fallback file.
    File,
}

/// The credentials as they may be shown: never the secret or the user key in full.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CredentialsView {
    pub configured: bool,
    pub cons_id: String,
    pub env: BpjsEnv,
    pub base_url: String,
    /// `••••abcd`, or empty when not configured.
    pub secret_masked: String,
    pub user_key_masked: String,
    pub storage: StorageKind,
    /// Where exactly, in words: the secret store's name or the file's path.
    pub storage_detail: String,
    /// RFC 3339 UTC instant of the last save.
    pub saved_at: Option<String>,
}

impl CredentialsView {
    /// Nothing configured yet: the dev defaults.
    pub fn unconfigured() -> Self {
        CredentialsView {
            configured: false,
            cons_id: String::new(),
            env: BpjsEnv::Dev,
            base_url: DEV_URL.to_string(),
            secret_masked: String::new(),
            user_key_masked: String::new(),
            storage: StorageKind::None,
            storage_detail: String::new(),
            saved_at: None,
        }
    }

    fn of(c: &Credentials, storage: StorageKind, storage_detail: String) -> Self {
        CredentialsView {
            configured: true,
            cons_id: c.cons_id.clone(),
            env: c.env,
            base_url: c.base_url.clone(),
            secret_masked: c.secret.masked(),
            user_key_masked: c.user_key.masked(),
            storage,
            storage_detail,
            saved_at: c.saved_at.map(|t| t.to_rfc3339()),
        }
    }
}

// ---- validation --------------------------------------------------------------------------

fn validate_cons_id(raw: &str) -> Result<String> {
    let v = raw.trim();
    if v.is_empty() {
        return Err(Error::invalid("Cons ID wajib diisi."));
    }
    if v.len() > 20 || !v.chars().all(|c| c.is_ascii_digit()) {
        return Err(Error::invalid(
            "Cons ID hanya berisi angka (paling panjang 20), seperti yang tertera di surat BPJS.",
        ));
    }
    Ok(v.to_string())
}

fn validate_key(label: &str, raw: &str) -> Result<Secret> {
    if raw.is_empty() {
        return Err(Error::invalid(format!("{label} wajib diisi.")));
    }
    if raw.trim() != raw {
        return Err(Error::invalid(format!(
            "{label} tidak boleh diawali atau diakhiri spasi; periksa hasil salin-tempel."
        )));
    }
    if raw.chars().count() > 256 {
        return Err(Error::invalid(format!("{label} paling panjang 256 karakter.")));
    }
    if raw.chars().any(char::is_control) {
        return Err(Error::invalid(format!("{label} tidak boleh berisi karakter kontrol.")));
    }
    Ok(Secret::new(raw))
}

/// Validates and normalises a base URL: `http(s)://host[:port][/path]`, no user name or
/// password, query or fragment; the trailing `/` dropped.
pub fn validate_base_url(raw: &str) -> Result<String> {
    let bad = || {
        Error::invalid(format!(
            "Alamat server BPJS tidak valid; isi URL http:// atau https://, misalnya {PRODUCTION_URL}."
        ))
    };
    let v = raw.trim();
    if v.is_empty() || v.chars().any(|c| c.is_whitespace() || c.is_control()) || v.len() > 300 {
        return Err(bad());
    }
    let url = url::Url::parse(v).map_err(|_| bad())?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(bad());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid(
            "Alamat server BPJS tidak boleh memuat nama pengguna atau kata sandi.",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::invalid(
            "Alamat server BPJS tidak boleh memuat ? atau #; isi alamat dasar layanan saja.",
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// Merges `input` over what is stored and validates the result.
pub fn merge(input: &CredentialsInput, stored: Option<&Credentials>, now: DateTime<Utc>) -> Result<Credentials> {
    let cons_id = validate_cons_id(&input.cons_id)?;
    let secret = match input.secret.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => validate_key("Secret", s)?,
        None => stored
            .map(|c| c.secret.clone())
            .ok_or_else(|| Error::invalid("Secret wajib diisi."))?,
    };
    let user_key = match input.user_key.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => validate_key("User key Antrean", s)?,
        None => stored
            .map(|c| c.user_key.clone())
            .ok_or_else(|| Error::invalid("User key Antrean wajib diisi."))?,
    };
    let env = input.env.or(stored.map(|c| c.env)).unwrap_or(BpjsEnv::Dev);
    let base_url = match input.base_url.as_deref().map(str::trim) {
        Some("") => env.default_url().to_string(),
        Some(url) => validate_base_url(url)?,
        None => match stored {
            Some(c) if c.env == env => c.base_url.clone(),
            _ => env.default_url().to_string(),
        },
    };
    Ok(Credentials {
        cons_id,
        secret,
        user_key,
        env,
        base_url,
        saved_at: Some(now),
    })
}

// ---- the profile id in the database -------------------------------------------------------

/// The database's profile id, if one was ever assigned. Reads only.
pub fn existing_profile_id(conn: &Connection) -> Result<Option<ProfileId>> {
    let raw: Option<String> = conn
        .query_row("SELECT value FROM desk_profile WHERE key = 'profile_id'", [], |r| {
            r.get(0)
        })
        .optional()
        .map_err(storage)?;
    raw.as_deref().map(ProfileId::parse).transpose()
}

/// The database's profile id, assigned (random) on first use in one write transaction, so two
/// processes opening a fresh database agree on it.
pub fn ensure_profile_id(store: &mut Store) -> Result<ProfileId> {
    if let Some(id) = existing_profile_id(store.conn())? {
        return Ok(id);
    }
    let id = store.write(|tx| {
        let hex: String = tx
            .query_row("SELECT hex(randomblob(16))", [], |r| r.get(0))
            .map_err(storage)?;
        let fresh = ProfileId::from_random_hex(&hex);
        tx.execute(
            "INSERT OR IGNORE INTO desk_profile (key, value) VALUES ('profile_id', ?1)",
            [fresh.as_str()],
        )
        .map_err(storage)?;
        let id: String = tx
            .query_row("SELECT value FROM desk_profile WHERE key = 'profile_id'", [], |r| {
                r.get(0)
            })
            .map_err(storage)?;
        ProfileId::parse(&id)
    })?;
    tracing::info!(profile_id = %id, "BPJS profile id assigned");
    Ok(id)
}

fn storage(e: rusqlite::Error) -> Error {
    Error::storage(format!("Database tidak dapat dibaca atau ditulis: {e}"))
}

// ---- the stores ---------------------------------------------------------------------------

/// How [`SecretStore`] chooses between the OS secret store and the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The secret store when reachable, else the file.
    Auto,
    /// Only the OS secret store; an error when it is not available.
    Keyring,
    /// Only the owner-only file.
    File,
}

/// Credentials loaded from a store, and which one held them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    pub credentials: Credentials,
    pub storage: StorageKind,
}

/// Reads and writes the credentials of profiles.
#[derive(Debug, Clone)]
pub struct SecretStore {
    mode: Mode,
    dir: PathBuf,
}

/// The file (and secret-store) format. Not `Debug`: it holds the values.
#[derive(Serialize, Deserialize)]
struct Blob {
    format: u32,
    profile_id: String,
    cons_id: String,
    secret: String,
    user_key: String,
    env: BpjsEnv,
    base_url: String,
    saved_at: Option<DateTime<Utc>>,
}

impl Blob {
    fn of(id: &ProfileId, c: &Credentials) -> Self {
        Blob {
            format: FILE_FORMAT,
            profile_id: id.as_str().to_string(),
            cons_id: c.cons_id.clone(),
            secret: c.secret.expose().to_string(),
            user_key: c.user_key.expose().to_string(),
            env: c.env,
            base_url: c.base_url.clone(),
            saved_at: c.saved_at,
        }
    }

    /// Parses and checks that the blob belongs to `id`. `where_` names the place for messages.
    fn parse(text: &str, id: &ProfileId, where_: &str) -> Result<Credentials> {
        // serde's messages may quote values: never pass them on.
        let blob: Blob = serde_json::from_str(text).map_err(|_| {
            Error::new(
                ErrorCode::Integrity,
                format!("Kredensial BPJS di {where_} rusak; simpan ulang kredensial di Pengaturan."),
            )
        })?;
        if blob.profile_id != id.as_str() {
            return Err(Error::new(
                ErrorCode::Integrity,
                format!("Kredensial BPJS di {where_} milik profil lain; simpan ulang kredensial untuk database ini."),
            ));
        }
        Ok(Credentials {
            cons_id: blob.cons_id,
            secret: Secret(blob.secret),
            user_key: Secret(blob.user_key),
            env: blob.env,
            base_url: blob.base_url,
            saved_at: blob.saved_at,
        })
    }

    fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("plain strings serialise")
    }
}

impl SecretStore {
    /// The store this process should use: `LOKET_SECRETS` (`auto`, `keyring`, `file`) and the
    /// default folder.
    pub fn from_env() -> Result<Self> {
        let mode = match std::env::var(SECRETS_ENV).unwrap_or_default().trim() {
            "" | "auto" => Mode::Auto,
            "keyring" => Mode::Keyring,
            "file" => Mode::File,
            _ => return Err(Error::invalid(format!("{SECRETS_ENV} harus auto, keyring atau file."))),
        };
        Ok(SecretStore {
            mode,
            dir: default_dir(),
        })
    }

    /// Only the file backend, in `dir` (tests, and `LOKET_SECRETS=file`).
    pub fn file_in(dir: impl Into<PathBuf>) -> Self {
        SecretStore {
            mode: Mode::File,
            dir: dir.into(),
        }
    }

    pub fn with_mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The fallback file of a profile's BPJS credentials.
    pub fn file_path(&self, id: &ProfileId) -> PathBuf {
        self.slot_path(Slot::Bpjs, id)
    }

    fn slot_path(&self, slot: Slot, id: &ProfileId) -> PathBuf {
        self.dir.join(slot.file_name(id))
    }

    /// Where `storage` is, in words.
    pub fn describe(&self, id: &ProfileId, storage: StorageKind) -> String {
        match storage {
            StorageKind::None => String::new(),
            StorageKind::Keyring => "Secret Service (penyimpanan rahasia sistem)".to_string(),
            StorageKind::File => self.file_path(id).display().to_string(),
        }
    }

    /// The credentials of `id`, if stored. When both backends hold a copy (saved to the file
    /// while the secret store was away), the newer one wins.
    pub fn load(&self, id: &ProfileId) -> Result<Option<Loaded>> {
        let (keyring, file) = self.load_texts(Slot::Bpjs, id)?;
        let from_keyring = keyring
            .map(|t| Blob::parse(&t, id, "penyimpanan rahasia sistem"))
            .transpose()?;
        let path = self.file_path(id);
        let from_file = file
            .map(|t| Blob::parse(&t, id, &path.display().to_string()))
            .transpose()?;
        let pick = |c: Credentials, storage| {
            Some(Loaded {
                credentials: c,
                storage,
            })
        };
        Ok(match (from_keyring, from_file) {
            (Some(k), Some(f)) if f.saved_at > k.saved_at => pick(f, StorageKind::File),
            (Some(k), _) => pick(k, StorageKind::Keyring),
            (None, Some(f)) => pick(f, StorageKind::File),
            (None, None) => None,
        })
    }

    /// The stored text of `slot` in the secret store and in the file, as the mode allows.
    fn load_texts(&self, slot: Slot, id: &ProfileId) -> Result<(Option<String>, Option<String>)> {
        let from_keyring = match self.mode {
            Mode::File => None,
            Mode::Keyring => keyring_get(slot, id)?.map_err(unavailable)?,
            Mode::Auto => match keyring_get(slot, id)? {
                Ok(found) => found,
                Err(reason) => {
                    tracing::debug!(reason = %reason, "secret service unavailable; reading the credentials file");
                    None
                }
            },
        };
        let from_file = match self.mode {
            Mode::Keyring => None,
            Mode::File | Mode::Auto => read_file(&self.slot_path(slot, id))?,
        };
        Ok((from_keyring, from_file))
    }

    /// Stores the credentials of `id`; returns where. In `auto` mode a successful save to the
    /// secret store removes an older fallback file, so no stale copy stays on disk.
    pub fn save(&self, id: &ProfileId, c: &Credentials) -> Result<StorageKind> {
        self.save_text(Slot::Bpjs, id, Blob::of(id, c).to_json())
    }

    fn save_text(&self, slot: Slot, id: &ProfileId, json: String) -> Result<StorageKind> {
        let path = self.slot_path(slot, id);
        match self.mode {
            Mode::File => {
                write_file(&self.dir, &path, &json)?;
                Ok(StorageKind::File)
            }
            Mode::Keyring => {
                keyring_set(slot, id, json)?.map_err(unavailable)?;
                Ok(StorageKind::Keyring)
            }
            Mode::Auto => match keyring_set(slot, id, json.clone())? {
                Ok(()) => {
                    remove_file(&path)?;
                    Ok(StorageKind::Keyring)
                }
                Err(reason) => {
                    tracing::info!(reason = %reason, "secret service unavailable; using the owner-only credentials file");
                    write_file(&self.dir, &path, &json)?;
                    Ok(StorageKind::File)
                }
            },
        }
    }

    /// Forgets the credentials of `id` everywhere this store looks.
    pub fn delete(&self, id: &ProfileId) -> Result<()> {
        self.delete_slot(Slot::Bpjs, id)
    }

    fn delete_slot(&self, slot: Slot, id: &ProfileId) -> Result<()> {
        if self.mode != Mode::File {
            match keyring_delete(slot, id)? {
                Ok(()) => {}
                Err(reason) if self.mode == Mode::Keyring => return Err(unavailable(reason)),
                Err(_) => {}
            }
        }
        if self.mode != Mode::Keyring {
            remove_file(&self.slot_path(slot, id))?;
        }
        Ok(())
    }

    /// The hospital dashboard API credentials of `id`, if stored (the newer copy wins).
    pub fn load_dashboard(&self, id: &ProfileId) -> Result<Option<DashboardCredentials>> {
        let (keyring, file) = self.load_texts(Slot::Dashboard, id)?;
        let parse = |t: String| DashboardCredentials::parse(&t, id);
        let k = keyring.map(parse).transpose()?;
        let f = file.map(parse).transpose()?;
        Ok(match (k, f) {
            (Some(k), Some(f)) if f.saved_at > k.saved_at => Some(f),
            (Some(k), _) => Some(k),
            (None, f) => f,
        })
    }

    pub fn save_dashboard(&self, id: &ProfileId, c: &DashboardCredentials) -> Result<StorageKind> {
        self.save_text(Slot::Dashboard, id, c.to_json(id))
    }

    pub fn delete_dashboard(&self, id: &ProfileId) -> Result<()> {
        self.delete_slot(Slot::Dashboard, id)
    }
}

/// `$XDG_CONFIG_HOME/id.loket.desk/credentials`, i.e. `~/.config/id.loket.desk/credentials`.
pub fn default_dir() -> PathBuf {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join(loket_store::paths::APP_IDENTIFIER).join("credentials")
}

fn unavailable(reason: String) -> Error {
    Error::new(
        ErrorCode::Storage,
        format!("Penyimpanan rahasia sistem (Secret Service) tidak tersedia: {reason}. Jalankan tanpa {SECRETS_ENV}=keyring untuk memakai berkas khusus pemilik."),
    )
}

// ---- the fallback file --------------------------------------------------------------------

fn io_error(what: &str, path: &Path, e: &std::io::Error) -> Error {
    Error::storage(format!("{what} {}: {e}", path.display()))
}

/// Creates `dir` (and missing parents) as 0700 and tightens `dir` itself if it is wider.
fn private_dir(dir: &Path) -> Result<()> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| io_error("Folder kredensial tidak dapat dibuat:", dir, &e))?;
    let meta = fs::metadata(dir).map_err(|e| io_error("Folder kredensial tidak dapat dibaca:", dir, &e))?;
    if meta.permissions().mode() & 0o077 != 0 {
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
            .map_err(|e| io_error("Izin folder kredensial tidak dapat diperketat:", dir, &e))?;
    }
    Ok(())
}

/// Writes `text` to `path` atomically: a 0600 temporary file in the same folder, fsync, rename,
/// fsync of the folder. A crash leaves either the old file or the new one, never half of one.
fn write_file(dir: &Path, path: &Path, text: &str) -> Result<()> {
    private_dir(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("credentials");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let _ = fs::remove_file(&tmp);
        let mut f = OpenOptions::new().write(true).create_new(true).mode(0o600).open(&tmp)?;
        // The mode above is filtered by the umask, which can only remove bits; make it exact.
        f.set_permissions(fs::Permissions::from_mode(0o600))?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)?;
        if let Ok(d) = fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        io_error("Berkas kredensial tidak dapat ditulis:", path, &e)
    })
}

fn read_file(path: &Path) -> Result<Option<String>> {
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error("Berkas kredensial tidak dapat dibaca:", path, &e)),
    };
    if !meta.file_type().is_file() {
        return Err(Error::new(
            ErrorCode::Integrity,
            format!("{} bukan berkas biasa (mungkin symlink); ditolak.", path.display()),
        ));
    }
    if meta.permissions().mode() & 0o077 != 0 {
        tracing::warn!(path = %path.display(), "credentials file was readable by others; permissions tightened to 0600");
        fs::set_permissions(path, fs::Permissions::from_mode(0o600))
            .map_err(|e| io_error("Izin berkas kredensial tidak dapat diperketat:", path, &e))?;
    }
    fs::read_to_string(path)
        .map(Some)
        .map_err(|e| io_error("Berkas kredensial tidak dapat dibaca:", path, &e))
}

fn remove_file(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error("Berkas kredensial lama tidak dapat dihapus:", path, &e)),
    }
}

// ---- the OS secret store ------------------------------------------------------------------

/// `Ok(Ok(v))`: answered; `Ok(Err(reason))`: the secret store is not available (no session
/// bus, no Secret Service, locked, too slow); `Err`: it answered with something unusable.
type KeyringAnswer<T> = Result<std::result::Result<T, String>>;

/// Whether a D-Bus session bus can be reached without side effects. Without one libdbus would
/// try X11 autolaunch, which can start a stray daemon or hang.
fn session_bus_present() -> bool {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.is_empty()) {
        return true;
    }
    std::env::var_os("XDG_RUNTIME_DIR")
        .filter(|v| !v.is_empty())
        .is_some_and(|d| Path::new(&d).join("bus").exists())
}

/// What a stored secret is for: the BPJS Antrean credentials or the hospital dashboard API's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Bpjs,
    Dashboard,
}

impl Slot {
    fn file_name(self, id: &ProfileId) -> String {
        match self {
            Slot::Bpjs => format!("{}.json", id.as_str()),
            Slot::Dashboard => format!("{}.dashboard.json", id.as_str()),
        }
    }

    fn entry_user(self, id: &ProfileId) -> String {
        match self {
            Slot::Bpjs => format!("bpjs-antrean:{}", id.as_str()),
            Slot::Dashboard => format!("dashboard-api:{}", id.as_str()),
        }
    }
}

/// Runs one secret-store call on its own thread, giving up after [`KEYRING_TIMEOUT`] (a bus
/// that never answers, an unlock prompt nobody sees). A call given up on finishes or dies with
/// its thread; nothing waits for it.
fn keyring_call<T: Send + 'static>(
    f: impl FnOnce() -> keyring::Result<T> + Send + 'static,
) -> std::result::Result<keyring::Result<T>, String> {
    if !session_bus_present() {
        return Err("tidak ada sesi D-Bus".to_string());
    }
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("loket-keyring".into())
        .spawn(move || {
            let _ = tx.send(f());
        })
        .map_err(|e| format!("thread: {e}"))?;
    rx.recv_timeout(KEYRING_TIMEOUT)
        .map_err(|_| format!("tidak menjawab dalam {} detik", KEYRING_TIMEOUT.as_secs()))
}

fn platform_reason(e: &keyring::Error) -> Option<String> {
    match e {
        keyring::Error::PlatformFailure(_) | keyring::Error::NoStorageAccess(_) => Some(e.to_string()),
        _ => None,
    }
}

fn keyring_get(slot: Slot, id: &ProfileId) -> KeyringAnswer<Option<String>> {
    let user = slot.entry_user(id);
    let answer = keyring_call(move || keyring::Entry::new(KEYRING_SERVICE, &user)?.get_password());
    match answer {
        Err(reason) => Ok(Err(reason)),
        Ok(Ok(text)) => Ok(Ok(Some(text))),
        Ok(Err(keyring::Error::NoEntry)) => Ok(Ok(None)),
        Ok(Err(e)) => match platform_reason(&e) {
            Some(reason) => Ok(Err(reason)),
            None => Err(Error::storage(format!(
                "Penyimpanan rahasia sistem menjawab galat: {e}"
            ))),
        },
    }
}

fn keyring_set(slot: Slot, id: &ProfileId, json: String) -> KeyringAnswer<()> {
    let user = slot.entry_user(id);
    let answer = keyring_call(move || keyring::Entry::new(KEYRING_SERVICE, &user)?.set_password(&json));
    match answer {
        Err(reason) => Ok(Err(reason)),
        Ok(Ok(())) => Ok(Ok(())),
        Ok(Err(e)) => match platform_reason(&e) {
            Some(reason) => Ok(Err(reason)),
            None => Err(Error::storage(format!(
                "Penyimpanan rahasia sistem menolak menyimpan: {e}"
            ))),
        },
    }
}

fn keyring_delete(slot: Slot, id: &ProfileId) -> KeyringAnswer<()> {
    let user = slot.entry_user(id);
    let answer = keyring_call(move || keyring::Entry::new(KEYRING_SERVICE, &user)?.delete_credential());
    match answer {
        Err(reason) => Ok(Err(reason)),
        Ok(Ok(())) | Ok(Err(keyring::Error::NoEntry)) => Ok(Ok(())),
        Ok(Err(e)) => match platform_reason(&e) {
            Some(reason) => Ok(Err(reason)),
            None => Err(Error::storage(format!(
                "Penyimpanan rahasia sistem menolak menghapus: {e}"
            ))),
        },
    }
}

// ---- the hospital dashboard API ----------------------------------------------------------

/// The hospital reporting ("dashboard") API: base URL, `token` and `x-api-key` headers. `Debug`
/// hides the token and the key.
#[derive(Clone, PartialEq, Eq)]
pub struct DashboardCredentials {
    /// Validated `http(s)://host/path`, without a trailing `/`.
    pub base_url: String,
    pub token: Secret,
    pub api_key: Secret,
    pub saved_at: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for DashboardCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DashboardCredentials")
            .field("base_url", &self.base_url)
            .field("token", &"[hidden]")
            .field("api_key", &"[hidden]")
            .finish()
    }
}

#[derive(Serialize, Deserialize)]
struct DashboardBlob {
    format: u32,
    profile_id: String,
    base_url: String,
    token: String,
    api_key: String,
    saved_at: Option<DateTime<Utc>>,
}

impl DashboardCredentials {
    /// Validates what IT enters; empty token or key is refused.
    pub fn new(base_url: &str, token: &str, api_key: &str, now: DateTime<Utc>) -> Result<Self> {
        let base_url = validate_base_url(base_url)?;
        if token.trim().is_empty() || api_key.trim().is_empty() {
            return Err(Error::invalid("Token dan API key dashboard wajib diisi."));
        }
        Ok(DashboardCredentials {
            base_url,
            token: Secret::new(token.trim()),
            api_key: Secret::new(api_key.trim()),
            saved_at: Some(now),
        })
    }

    fn to_json(&self, id: &ProfileId) -> String {
        let blob = DashboardBlob {
            format: FILE_FORMAT,
            profile_id: id.as_str().to_string(),
            base_url: self.base_url.clone(),
            token: self.token.expose().to_string(),
            api_key: self.api_key.expose().to_string(),
            saved_at: self.saved_at,
        };
        serde_json::to_string_pretty(&blob).expect("plain strings serialise")
    }

    fn parse(text: &str, id: &ProfileId) -> Result<Self> {
        let broken = || {
            Error::new(
                ErrorCode::Integrity,
                "Kredensial dashboard rumah sakit rusak atau milik profil lain; simpan ulang (loket sync credentials set).",
            )
        };
        let blob: DashboardBlob = serde_json::from_str(text).map_err(|_| broken())?;
        if blob.profile_id != id.as_str() {
            return Err(broken());
        }
        Ok(DashboardCredentials {
            base_url: blob.base_url,
            token: Secret(blob.token),
            api_key: Secret(blob.api_key),
            saved_at: blob.saved_at,
        })
    }
}

// ---- the use cases' building block --------------------------------------------------------

/// One profile's credentials: its id, the store to use and the time to stamp saves with.
/// Holds no database handle, so the app can use it off the desk's lock.
#[derive(Debug, Clone)]
pub struct BpjsProfile {
    id: ProfileId,
    secrets: SecretStore,
    now: DateTime<Utc>,
}

impl BpjsProfile {
    pub fn new(id: ProfileId, secrets: SecretStore, now: DateTime<Utc>) -> Self {
        BpjsProfile { id, secrets, now }
    }

    pub fn id(&self) -> &ProfileId {
        &self.id
    }

    pub fn secrets(&self) -> &SecretStore {
        &self.secrets
    }

    /// The stored credentials, if any.
    pub fn load(&self) -> Result<Option<Loaded>> {
        self.secrets.load(&self.id)
    }

    /// The stored credentials, or a clerk-facing `not_found`.
    pub fn require(&self) -> Result<Credentials> {
        self.load()?.map(|l| l.credentials).ok_or_else(not_configured)
    }

    /// Validates `input` over what is stored, saves it and returns the masked view.
    pub fn set_credentials(&self, input: &CredentialsInput) -> Result<CredentialsView> {
        let stored = self.load()?.map(|l| l.credentials);
        let next = merge(input, stored.as_ref(), self.now)?;
        let storage = self.secrets.save(&self.id, &next)?;
        tracing::info!(profile_id = %self.id, storage = ?storage, env = next.env.as_str(), "BPJS credentials saved");
        Ok(CredentialsView::of(
            &next,
            storage,
            self.secrets.describe(&self.id, storage),
        ))
    }

    /// The masked view of what is stored.
    pub fn view(&self) -> Result<CredentialsView> {
        Ok(match self.load()? {
            Some(l) => CredentialsView::of(&l.credentials, l.storage, self.secrets.describe(&self.id, l.storage)),
            None => CredentialsView::unconfigured(),
        })
    }

    /// Forgets the credentials.
    pub fn clear(&self) -> Result<()> {
        self.secrets.delete(&self.id)?;
        tracing::info!(profile_id = %self.id, "BPJS credentials removed");
        Ok(())
    }
}

/// The error when a BPJS call is asked for before credentials were saved.
pub fn not_configured() -> Error {
    Error::not_found(
        "Kredensial BPJS belum diatur: isi Cons ID, secret dan user key Antrean di Pengaturan › BPJS \
         (atau `loket bpjs credentials set`).",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_reveal_little() {
        assert_eq!(mask(""), "");
        assert_eq!(mask("abc"), "••••");
        assert_eq!(mask("1234567"), "••••");
        assert_eq!(mask("12345678"), "••••78");
        assert_eq!(mask("0123456789abcdef0123456789abcdef"), "••••cdef");
    }

    #[test]
    fn profile_ids_are_uuid_v4_and_checked() {
        let id = ProfileId::from_random_hex("00112233445566778899AABBCCDDEEFF");
        assert_eq!(id.as_str(), "00112233-4455-4677-8899-aabbccddeeff");
        assert!(ProfileId::parse(id.as_str()).is_ok());
        for bad in [
            "",
            "../../etc/passwd",
            "00112233-4455-4677-8899-AABBCCDDEEFF",
            "0011223344556677889900aabbccddeeff",
        ] {
            assert!(ProfileId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn urls() {
        assert_eq!(
            validate_base_url(" http://127.0.0.1:8080/antreanrs_dev/ ").unwrap(),
            "http://127.0.0.1:8080/antreanrs_dev"
        );
        assert_eq!(validate_base_url(PRODUCTION_URL).unwrap(), PRODUCTION_URL);
        for bad in [
            "",
            "ftp://x/y",
            "apijkn.bpjs-kesehatan.go.id/antreanrs",
            "https://",
            "https://user:pw@host/antreanrs",
            "https://host/antreanrs?x=1",
            "https://host/ antreanrs",
        ] {
            let e = validate_base_url(bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidInput, "{bad}");
            assert!(!e.message.contains("pw"), "{}", e.message);
        }
    }
}
