//! BPJS Antrean RS use cases: credentials, the clerk's "Tes koneksi", reference data and
//! schedules, and decoding a captured response for IT.
//!
//! The API is synchronous, for the CLI and for the app's blocking threads: each network call
//! runs on a small current-thread tokio runtime of its own. The app keeps the desk's lock only
//! for the database part ([`Desk::bpjs_profile`]) and does the rest through [`BpjsProfile`] and
//! [`BpjsConnection`], which hold no database handle.
//!
//! Errors of `loket-bpjs` reach the clerk as their `penjelasan()` (Bahasa Indonesia, no patient
//! data); the log gets only their stable code.

use std::future::Future;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use loket_bpjs::model::{Dokter, JadwalDokter, Poli};
use loket_bpjs::{Envelope, NetworkKind, ResponseField, ResponseKey};
use loket_core::{Error, ErrorCode, Result};
use serde::{Deserialize, Serialize};

use crate::credentials::{
    ensure_profile_id, existing_profile_id, not_configured, validate_base_url, BpjsEnv, BpjsProfile, Credentials,
    CredentialsInput, CredentialsView, SecretStore,
};
use crate::Desk;

/// The whole-request timeout of "Tes koneksi" (no retries: the clerk is waiting).
pub const TEST_TIMEOUT: Duration = Duration::from_secs(10);

// ---- Desk: the database part and the CLI's one-call use cases -----------------------------

impl Desk {
    /// This database's BPJS profile (its id assigned on first use), with the process's secret
    /// store (`LOKET_SECRETS`). Quick: touches only the database.
    pub fn bpjs_profile(&mut self) -> Result<BpjsProfile> {
        let secrets = self.secret_store()?;
        self.bpjs_profile_with(secrets)
    }

    pub fn bpjs_profile_with(&mut self, secrets: SecretStore) -> Result<BpjsProfile> {
        let id = ensure_profile_id(&mut self.store)?;
        Ok(BpjsProfile::new(id, secrets, self.now()))
    }

    /// The profile if this database ever had one; reads only.
    pub fn bpjs_existing_profile(&self) -> Result<Option<BpjsProfile>> {
        self.bpjs_existing_profile_with(self.secret_store()?)
    }

    /// Whether BPJS credentials are stored for this database (not only a profile id).
    pub fn bpjs_configured(&self) -> Result<bool> {
        Ok(match self.bpjs_existing_profile()? {
            Some(p) => p.load()?.is_some(),
            None => false,
        })
    }

    pub fn bpjs_existing_profile_with(&self, secrets: SecretStore) -> Result<Option<BpjsProfile>> {
        Ok(existing_profile_id(self.store.conn())?.map(|id| BpjsProfile::new(id, secrets, self.now())))
    }

    /// Validates and stores the credentials outside the database; returns them masked.
    pub fn bpjs_set_credentials(&mut self, input: &CredentialsInput) -> Result<CredentialsView> {
        self.bpjs_profile()?.set_credentials(input)
    }

    /// The stored credentials, masked (cons id, environment, URL; never the secret or key).
    pub fn bpjs_credentials_view(&self) -> Result<CredentialsView> {
        match self.bpjs_existing_profile()? {
            Some(p) => p.view(),
            None => Ok(CredentialsView::unconfigured()),
        }
    }

    /// A connection with the stored credentials; `url_override` replaces the stored base URL.
    pub fn bpjs_connection(&self, url_override: Option<&str>) -> Result<BpjsConnection> {
        let profile = self.bpjs_existing_profile()?.ok_or_else(not_configured)?;
        profile.connection(url_override)
    }

    /// "Tes koneksi": calls `ref/poli` and says in plain words what happened.
    pub fn bpjs_test_connection(&self, url_override: Option<&str>) -> Result<TestOutcome> {
        Ok(self.bpjs_connection(url_override)?.test())
    }

    pub fn bpjs_ref_poli(&self, url_override: Option<&str>) -> Result<Vec<Poli>> {
        self.bpjs_connection(url_override)?.ref_poli()
    }

    pub fn bpjs_ref_dokter(&self, url_override: Option<&str>) -> Result<Vec<Dokter>> {
        self.bpjs_connection(url_override)?.ref_dokter()
    }

    /// The practice slots of a poli (sub-speciality code) on a date `YYYY-MM-DD`.
    pub fn bpjs_jadwal(&self, url_override: Option<&str>, poli: &str, date: &str) -> Result<Vec<JadwalDokter>> {
        self.bpjs_connection(url_override)?.jadwal(poli, date)
    }
}

impl BpjsProfile {
    /// A connection with this profile's credentials.
    pub fn connection(&self, url_override: Option<&str>) -> Result<BpjsConnection> {
        BpjsConnection::new(&self.require()?, url_override)
    }

    /// "Tes koneksi" with the stored credentials.
    pub fn test_connection(&self, url_override: Option<&str>) -> Result<TestOutcome> {
        Ok(self.connection(url_override)?.test())
    }
}

// ---- the connection -----------------------------------------------------------------------

/// A configured BPJS client, without a database handle. `Debug` hides the secret and the key.
#[derive(Debug, Clone)]
pub struct BpjsConnection {
    config: loket_bpjs::Config,
    env: BpjsEnv,
}

impl BpjsConnection {
    /// The default policy of `loket-bpjs` (15 s timeout, 5 requests/s, 3 retries).
    pub fn new(c: &Credentials, url_override: Option<&str>) -> Result<Self> {
        let base_url = match url_override {
            Some(url) => validate_base_url(url)?,
            None => c.base_url.clone(),
        };
        Ok(BpjsConnection {
            config: loket_bpjs::Config::new(&c.cons_id, c.secret.expose(), c.user_key.expose(), base_url),
            env: c.env,
        })
    }

    pub fn base_url(&self) -> &str {
        &self.config.base_url
    }

    pub fn env(&self) -> BpjsEnv {
        self.env
    }

    /// Whole-request timeout (the connect timeout is capped by it).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.config.timeout = timeout;
        self.config.connect_timeout = self.config.connect_timeout.min(timeout);
        self
    }

    /// Retries after the first attempt, for transient failures only.
    pub fn with_retries(mut self, retries: u32) -> Self {
        self.config.retry.max_retries = retries;
        self
    }

    pub(crate) fn client(&self) -> std::result::Result<loket_bpjs::Client, loket_bpjs::Error> {
        loket_bpjs::Client::new(self.config.clone())
    }

    fn call<T, F, Fut>(&self, f: F) -> std::result::Result<T, loket_bpjs::Error>
    where
        T: Send,
        F: FnOnce(loket_bpjs::Client) -> Fut + Send,
        Fut: Future<Output = std::result::Result<T, loket_bpjs::Error>> + Send,
    {
        let client = self.client()?;
        block_on(f(client)).unwrap_or_else(|e| Err(loket_bpjs::Error::Config(e)))
    }

    pub fn ref_poli(&self) -> Result<Vec<Poli>> {
        self.call(|c| async move { c.ref_poli().await }).map_err(to_error)
    }

    pub fn ref_dokter(&self) -> Result<Vec<Dokter>> {
        self.call(|c| async move { c.ref_dokter().await }).map_err(to_error)
    }

    pub fn jadwal(&self, poli: &str, date: &str) -> Result<Vec<JadwalDokter>> {
        let poli = poli.trim().to_uppercase();
        if poli.is_empty() || poli.len() > 10 || !poli.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(Error::invalid(
                "Kode poli harus 1–10 huruf atau angka, misalnya ANA atau 027.",
            ));
        }
        let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| {
            Error::invalid(format!(
                "Tanggal \"{}\" tidak valid; gunakan TTTT-BB-HH, misalnya 2026-01-19.",
                date.trim()
            ))
        })?;
        self.call(|c| async move { c.jadwal_dokter(&poli, date).await })
            .map_err(to_error)
    }

    /// Calls `ref/poli` once (no retries, at most [`TEST_TIMEOUT`]) and describes the outcome.
    pub fn test(&self) -> TestOutcome {
        let mut quick = self.clone().with_retries(0);
        if quick.config.timeout > TEST_TIMEOUT {
            quick = quick.with_timeout(TEST_TIMEOUT);
        }
        quick.config.rate_limit_per_second = None;
        let started = Instant::now();
        let result = quick.call(|c| async move { c.ref_poli().await });
        let elapsed_ms = u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX);
        let outcome = TestOutcome::from_result(&result, self.base_url(), self.env, elapsed_ms);
        tracing::info!(kind = ?outcome.kind, elapsed_ms, "BPJS connection test");
        outcome
    }
}

/// Runs `fut` to completion on a fresh current-thread runtime. Inside another runtime's thread
/// (where `block_on` would panic) it runs on a scoped thread of its own.
fn block_on<F>(fut: F) -> std::result::Result<F::Output, String>
where
    F: Future + Send,
    F::Output: Send,
{
    let run = move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map(|rt| rt.block_on(fut))
            .map_err(|e| format!("runtime: {e}"))
    };
    if tokio::runtime::Handle::try_current().is_ok() {
        std::thread::scope(|s| s.spawn(run).join()).unwrap_or_else(|_| Err("BPJS call panicked".into()))
    } else {
        run()
    }
}

/// A `loket-bpjs` error as the `{code, message}` that crosses IPC and the CLI.
pub fn to_error(e: loket_bpjs::Error) -> Error {
    tracing::warn!(code = e.code(), "BPJS call failed");
    let code = match e {
        loket_bpjs::Error::Config(_) => ErrorCode::InvalidInput,
        _ => ErrorCode::Network,
    };
    Error::new(code, e.penjelasan())
}

// ---- "Tes koneksi" ------------------------------------------------------------------------

/// What "Tes koneksi" found, in categories the clerk can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum TestKind {
    /// `ref/poli` answered and decrypted.
    Ok,
    /// Signature refused: wrong secret or cons id (or a clock far off).
    Signature,
    /// Cons id or user key not registered for Antrean RS.
    UserKey,
    /// `X-timestamp` refused: the computer's clock is off.
    Clock,
    /// No connection (DNS, refused, no route, broken).
    Network,
    /// No answer in time.
    Timeout,
    /// An HTML page or other non-JSON answer (a gateway in between).
    NotJson,
    /// An HTTP error status (5xx, 429, 401/403, …).
    Http,
    /// BPJS refused with a message of its own.
    Business,
    /// The answer could not be decrypted or decompressed: wrong secret/cons id.
    Decrypt,
    /// The answer did not have the expected shape.
    Schema,
    /// The configuration is unusable (e.g. the URL).
    Config,
}

/// The result of "Tes koneksi", ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TestOutcome {
    pub ok: bool,
    pub kind: TestKind,
    /// What happened and what to do, in Bahasa Indonesia.
    pub message: String,
    /// Number of polis `ref/poli` returned, when it did.
    pub poli_count: Option<u32>,
    pub base_url: String,
    pub env: BpjsEnv,
    pub elapsed_ms: u32,
    /// The stable code of the failure (`bpjs.timeout`, `bpjs.business`, …).
    pub error_code: Option<String>,
}

impl TestOutcome {
    fn from_result(
        result: &std::result::Result<Vec<Poli>, loket_bpjs::Error>,
        base_url: &str,
        env: BpjsEnv,
        elapsed_ms: u32,
    ) -> Self {
        let (ok, kind, message, poli_count, error_code) = match result {
            Ok(polis) => {
                let n = u32::try_from(polis.len()).unwrap_or(u32::MAX);
                (
                    true,
                    TestKind::Ok,
                    format!(
                        "Koneksi ke BPJS berhasil: {n} poli diterima dari server {}.",
                        env.label()
                    ),
                    Some(n),
                    None,
                )
            }
            Err(e) => {
                let kind = classify(e);
                (false, kind, explain(kind, e), None, Some(e.code().to_string()))
            }
        };
        TestOutcome {
            ok,
            kind,
            message,
            poli_count,
            base_url: base_url.to_string(),
            env,
            elapsed_ms,
            error_code,
        }
    }
}

/// Sorts a `loket-bpjs` error into what the clerk can act on.
pub fn classify(e: &loket_bpjs::Error) -> TestKind {
    use loket_bpjs::Error as E;
    match e {
        E::Network {
            kind: NetworkKind::Timeout,
            ..
        } => TestKind::Timeout,
        E::Network { .. } => TestKind::Network,
        E::Http { .. } => TestKind::Http,
        E::NotJson { .. } => TestKind::NotJson,
        E::Business { message, .. } => {
            let m = message.to_lowercase();
            if m.contains("signature") {
                TestKind::Signature
            } else if m.contains("timestamp") || m.contains("expired") || m.contains("kedaluwarsa") {
                TestKind::Clock
            } else if m.contains("user_key") || m.contains("user key") || m.contains("not registered") {
                TestKind::UserKey
            } else {
                TestKind::Business
            }
        }
        E::Decrypt(_) | E::Decompress(_) => TestKind::Decrypt,
        E::Schema { .. } => TestKind::Schema,
        E::Config(_) => TestKind::Config,
    }
}

fn explain(kind: TestKind, e: &loket_bpjs::Error) -> String {
    let base = e.penjelasan();
    match kind {
        // Integrators report "invalid signature" for clock drift too (spec §9.1).
        TestKind::Signature => format!(
            "{base} Bila keduanya sudah benar, periksa jam komputer: selisih jam juga membuat signature ditolak."
        ),
        _ => base,
    }
}

// ---- decoding a captured response ---------------------------------------------------------

/// Why a captured body could not be decoded. The CLI maps each to its own exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum DecodeReason {
    /// Cons id, secret or timestamp missing or malformed.
    Input,
    /// Not a JSON envelope with `metadata` (an HTML page, truncated JSON, …).
    NotEnvelope,
    /// `response` is not valid Base64, or not whole AES blocks.
    Ciphertext,
    /// The padding did not check: another cons id, secret or timestamp was used.
    WrongKey,
    /// The decrypted bytes are not an LZ-string stream.
    Decompress,
    /// The decoded payload is not JSON.
    NotJson,
}

/// A decode failure: its reason and a precise message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeFailure {
    pub reason: DecodeReason,
    pub message: String,
}

impl DecodeFailure {
    fn new(reason: DecodeReason, message: impl Into<String>) -> Self {
        DecodeFailure {
            reason,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for DecodeFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// A decoded captured response.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decoded {
    pub code: i64,
    pub message: String,
    /// The decrypted (or plain) `response`; `None` when absent, `null` or empty.
    pub response: Option<serde_json::Value>,
}

/// Decodes a response body captured from BPJS, with the cons id and secret of the request and
/// the exact `X-timestamp` string it was sent with.
pub fn decode_captured(
    cons_id: &str,
    secret: &str,
    timestamp: &str,
    body: &[u8],
) -> std::result::Result<Decoded, DecodeFailure> {
    use DecodeReason as R;
    if cons_id.trim().is_empty() || secret.is_empty() {
        return Err(DecodeFailure::new(R::Input, "Cons ID dan secret wajib diisi."));
    }
    let ts = timestamp.trim();
    if ts.is_empty() || !ts.chars().all(|c| c.is_ascii_digit()) {
        return Err(DecodeFailure::new(
            R::Input,
            "Timestamp harus nilai X-timestamp permintaan itu: detik Unix (angka saja), misalnya 1700000000.",
        ));
    }
    let envelope = Envelope::parse(body).map_err(|e| match e {
        loket_bpjs::DecodeError::NotJson { excerpt } => DecodeFailure::new(
            R::NotEnvelope,
            format!("Isi bukan amplop JSON BPJS (tidak ada metadata, atau bukan JSON): «{excerpt}»"),
        ),
        other => DecodeFailure::new(R::NotEnvelope, format!("Amplop BPJS tidak sesuai: {other}")),
    })?;
    let key = ResponseKey::derive(cons_id.trim(), secret, ts);
    let text = match &envelope.response {
        ResponseField::Absent => None,
        ResponseField::Plain(text) => Some(text.clone()),
        ResponseField::Cipher(_) => envelope.payload_json(&key).map_err(|e| match e {
            loket_bpjs::DecodeError::Decrypt(loket_bpjs::DecryptError::Base64) => {
                DecodeFailure::new(R::Ciphertext, "Kolom response bukan Base64 yang sah.")
            }
            loket_bpjs::DecodeError::Decrypt(loket_bpjs::DecryptError::Length(n)) => DecodeFailure::new(
                R::Ciphertext,
                format!("Ciphertext {n} byte bukan kelipatan 16: response terpotong atau rusak."),
            ),
            loket_bpjs::DecodeError::Decrypt(loket_bpjs::DecryptError::Padding) => DecodeFailure::new(
                R::WrongKey,
                "Response tidak dapat didekripsi (padding PKCS#7 salah): cons ID, secret atau timestamp \
                 tidak sama dengan yang dipakai permintaan itu.",
            ),
            loket_bpjs::DecodeError::Decompress(why) => DecodeFailure::new(
                R::Decompress,
                format!("Hasil dekripsi bukan aliran LZ-string yang sah ({why})."),
            ),
            other => DecodeFailure::new(R::Decompress, other.to_string()),
        })?,
    };
    let response = match text {
        None => None,
        Some(t) => Some(serde_json::from_str::<serde_json::Value>(&t).map_err(|_| {
            DecodeFailure::new(
                R::NotJson,
                format!(
                    "Response terbuka ({} karakter) tetapi isinya bukan JSON.",
                    t.chars().count()
                ),
            )
        })?),
    };
    Ok(Decoded {
        code: envelope.code,
        message: envelope.message,
        response,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use loket_bpjs::crypto::DecryptError;

    #[test]
    fn classification() {
        let business = |m: &str| loket_bpjs::Error::Business {
            code: 401,
            message: m.into(),
        };
        assert_eq!(
            classify(&business("Authentication failed! Invalid signature")),
            TestKind::Signature
        );
        assert_eq!(
            classify(&business("Authentication failed! X-timestamp expired or invalid")),
            TestKind::Clock
        );
        assert_eq!(
            classify(&business("Unauthorized! You are not registered for this service!")),
            TestKind::UserKey
        );
        assert_eq!(classify(&business("Poli tidak ditemukan")), TestKind::Business);
        assert_eq!(
            classify(&loket_bpjs::Error::Decrypt(DecryptError::Padding)),
            TestKind::Decrypt
        );
    }

    #[test]
    fn decode_vector_and_failures() {
        let body = br#"{"metadata":{"code":1,"message":"OK"},"response":"HOYT0EaKwHpXDuSj339f1g=="}"#;
        let d = decode_captured("12345", "Test#Secret1", "1700000001", body).unwrap();
        assert_eq!(d.response, Some(serde_json::json!([])));
        let wrong = decode_captured("12345", "Test#Secret1", "1700000002", body).unwrap_err();
        assert_eq!(wrong.reason, DecodeReason::WrongKey);
        let html = decode_captured("1", "s", "0", b"<html>Request Rejected</html>").unwrap_err();
        assert_eq!(html.reason, DecodeReason::NotEnvelope);
        assert!(html.message.contains("Request Rejected"));
        let no_response = decode_captured("1", "s", "0", br#"{"metadata":{"code":201,"message":"x"}}"#).unwrap();
        assert_eq!((no_response.code, no_response.response), (201, None));
        assert_eq!(
            decode_captured("1", "s", "17e9", body).unwrap_err().reason,
            DecodeReason::Input
        );
    }
}
