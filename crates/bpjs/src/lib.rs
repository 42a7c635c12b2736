//! BPJS Kesehatan **Antrean RS** protocol for Loket: request signing, the response envelope
//! (AES-256-CBC + LZ-string), typed endpoints and an async client with rate limit, timeouts
//! and retries. No Tauri, no database: the service layer calls [`Client`]; the simulator
//! (`loket-sim`) reuses [`signature`], [`crypto`], [`lz`] and [`model`] to play the server.
//!
//! ```no_run
//! # async fn demo() -> Result<(), loket_bpjs::Error> {
//! use loket_bpjs::{Client, Config};
//! let client = Client::new(Config::new("12345", "secret", "user-key", "https://host/antreanrs"))?;
//! let polis = client.ref_poli().await?;
//! # let _ = polis; Ok(()) }
//! ```
//!
//! Layout: [`signature`] (headers), [`crypto`] (key, AES), [`lz`] (LZ-string),
//! [`envelope`] (parse, decrypt, type), [`model`] (bodies and payloads), `client/`
//! (transport and policy), `endpoints/` (one file per endpoint family), [`error`].
//!
//! # Adding the next endpoint
//! 1. Put its request body and payload types in `model/<family>.rs` (BPJS field names,
//!    lenient number/string decoding via `model::flex`, a hand-written `Debug` that hides
//!    patient data when the type carries any).
//! 2. Add a method in `endpoints/<family>.rs`: build the path with `segment()` for every
//!    path parameter, call `self.get(label, path)` or `self.post(label, path, &body)`, and
//!    finish with `.into_list(OK)` (`OK_REF` for `ref/*`) or `.into_outcome()` for commands.
//! 3. Teach `loket-sim` the route (`crates/sim/src/routes/`) and add a client-vs-sim test.

//!
//! # Tests, bench, fuzzing
//! * `tests/vectors.rs`: the published vectors (`tests/vectors.json`, a copy of
//!   `shared/specs/bpjs-vectors.json`).
//! * `tests/node_oracle.rs`: random round trips against npm `lz-string` and Node's crypto;
//!   needs `npm install --prefix crates/bpjs/tests/node` (done by `make test`).
//! * `tests/decoder_props.rs`: proptest, no panics on arbitrary or truncated input.
//! * Client against simulator: `crates/sim/tests/client/`.
//! * `cargo bench -p loket-bpjs --bench decode`: 1 MB and 10 MB decodes vs `lz-str` and Node.
//! * Fuzzing: `cd crates/bpjs/fuzz && cargo fuzz run envelope_decode` (nightly, or
//!   `RUSTC_BOOTSTRAP=1` on stable).

pub mod clock;
pub mod config;
pub mod crypto;
pub mod envelope;
pub mod error;
pub mod lz;
pub mod model;
pub mod outcome;
pub mod redact;
pub mod signature;

mod client;
mod endpoints;

pub use client::{Client, RateLimitStats};
pub use clock::{Clock, ManualClock, SystemClock};
pub use config::{Config, RetryPolicy};
pub use crypto::{DecryptError, ResponseKey};
pub use envelope::{DecodeError, Envelope, ResponseField};
pub use error::{Error, NetworkKind, Result};
pub use outcome::Outcome;
pub use signature::SignedHeaders;
