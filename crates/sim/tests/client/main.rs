//! `loket-bpjs` against `loket-sim` over real HTTP on 127.0.0.1 (one test binary).

mod auth;
mod endpoints;
mod faults;
mod rate_limit;
mod support;
mod tasks;
