//! A local simulator of the hospital's reporting ("dashboard") API, the source of the sync jobs.
//!
//! `POST {base}/v3/view/view-table/list-filter-access` with headers `token` and `x-api-key` and a
//! JSON body `{"id_laporan_view", "pages", "limit", <start field>, <end field>}` answers
//! `{"count", "limit", "page", "list": [...]}`: `count` rows in the window, page `p` (1-based)
//! holding rows `[(p-1)·limit, p·limit)` in key order. Views:
//!
//! | id  | name           | date fields                                        | key                     |
//! |-----|----------------|----------------------------------------------------|-------------------------|
//! | 123 | JADWAL_DOKTER  | `tanggal_awal`, `tanggal_akhir` (on `tanggal`)     | `id_jadwal_dokter`      |
//! | 239 | BOOKING_PASIEN | `waktu_registrasi_awal`, `waktu_registrasi_akhir`  | `booking_id`            |
//! | 301 | DEPOSIT_PASIEN | `tanggal_awal`, `tanggal_akhir`                    | `id_deposit`            |
//! | 302 | TAGIHAN_PASIEN | `tanggal_awal`, `tanggal_akhir`                    | `id_tagihan_item`       |
//! | 303 | TARIF          | `tanggal_awal`, `tanggal_akhir` (on `berlaku_mulai`) | `kode_item`, `berlaku_mulai` |
//! | 310 | KUNJUNGAN      | `tanggal_awal`, `tanggal_akhir`                    | `id_kunjungan`          |
//!
//! Doctors and sessions come from the same seeded HFIS as the BPJS simulator, so with the same
//! seed ([`HospitalConfig::matching`]) a JADWAL_DOKTER row and a booking's `kode_poli_bpjs` /
//! `kode_dokter_bpjs`, date and `mulai`–`selesai` match a `jadwaldokter` answer. Rows are derived
//! from (seed, date, index) on demand, so a window of 100 000 bookings costs no memory.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use loket_sim::hospital::{HospitalConfig, HospitalSim};
//! let sim = HospitalSim::start(HospitalConfig { seed: 42, ..HospitalConfig::default() }).await?;
//! println!("{}", sim.base_url()); // http://127.0.0.1:PORT
//! sim.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! # Adding the next view
//! 1. A file in `views/` with its `FIELDS` and `rows(cx, date, range)` (plus `day_len` when a
//!    day's row count is not fixed); derive every value from `world::rng(&[seed, salt, day, idx])`.
//! 2. A `views::View` variant with its id, name, date fields, key and wrong-type field, and its
//!    arms in `views::segments` and `views::rows`.
//! 3. A test in `tests/hospital.rs` that pages through it and checks its fields.

mod admin;
mod catalogue;
mod config;
mod faults;
mod mutate;
mod routes;
mod row;
mod server;
pub(crate) mod views;
mod window;
mod world;

pub use config::{HospitalConfig, DEMO_DASHBOARD_API_KEY, DEMO_DASHBOARD_TOKEN};
pub use faults::{HospitalFault, HospitalFaultKind, Malformation, DEFAULT_DELAY_MS};
pub use mutate::{MovedBooking, Mutation, MutationReport};
pub use routes::MAX_LIMIT;
pub use server::{BlockingHospital, HospitalHandle, HospitalRequest, HospitalSim, LIST_PATH};

/// The views served: (`id_laporan_view`, name, start field, end field, fields in order).
pub fn views() -> Vec<(u32, &'static str, &'static str, &'static str, &'static [&'static str])> {
    views::View::ALL
        .iter()
        .map(|v| {
            let (start, end) = v.date_fields();
            (v.id(), v.name(), start, end, v.fields())
        })
        .collect()
}
