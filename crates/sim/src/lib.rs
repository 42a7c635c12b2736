//! A local simulator of BPJS Kesehatan **Antrean RS**, for tests and the app's demo mode.
//!
//! It speaks the real protocol on 127.0.0.1: the same paths under `/antreanrs` and
//! `/antreanrs_dev`, signature and `user_key` checks, responses encrypted with the request's
//! own timestamp (`ref/*` with code 1, dashboards plain), HFIS reference data generated from a
//! seed, booking state with the task-order rules of spec §7, waiting-time dashboards built
//! from the recorded tasks, and per-endpoint fault injection.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use loket_sim::{Sim, SimConfig};
//! let sim = Sim::start(SimConfig { seed: 42, port: 0, ..SimConfig::default() }).await?;
//! println!("{}", sim.base_url()); // http://127.0.0.1:PORT/antreanrs_dev
//! sim.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! # Adding the next endpoint
//! 1. Model its state in `bookings/` or `hfis/` as plain functions over `&mut` state,
//!    returning a [`bookings::Refusal`] with BPJS's code and message on failure.
//! 2. Add a handler in `routes/<family>.rs` that calls `reply::serve(&state, "<endpoint
//!    name>", &headers, |st, ctx| …)` and returns `Reply::encrypted`, `Reply::list`,
//!    `Reply::plain` or `Reply::meta`: recording, faults, authentication and encryption
//!    come for free.
//! 3. Register the route in `routes/mod.rs`; the endpoint name is what `--fault` matches.
//!
//! # The hospital dashboard API
//! [`hospital`] simulates the hospital's own reporting API (`list-filter-access`, views 123,
//! 239, 301, 302, 303, 310) on a port of its own, with per-page faults; its doctors and sessions
//! are the HFIS ones above for the same seed.

pub mod bookings;
pub mod config;
pub mod dashboard;
pub mod faults;
pub mod hfis;
pub mod hospital;
pub mod rng;
pub mod time;

mod auth;
mod reply;
mod routes;
mod server;
mod state;

pub use config::{SimConfig, DEMO_CONS_ID, DEMO_SECRET, DEMO_USER_KEY};
pub use faults::{Fault, FaultKind};
pub use hospital::{
    BlockingHospital, HospitalConfig, HospitalFault, HospitalFaultKind, HospitalHandle, HospitalSim,
    DEMO_DASHBOARD_API_KEY, DEMO_DASHBOARD_TOKEN,
};
pub use server::{Sim, SimHandle};
pub use state::RecordedRequest;

/// The rejection texts of the authentication checks.
pub mod auth_messages {
    pub use crate::auth::{AUTH_CODE, BAD_SIGNATURE, BAD_TIMESTAMP, NOT_REGISTERED};
}
