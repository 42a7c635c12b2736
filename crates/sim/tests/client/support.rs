//! Shared set-up: a simulator on a fixed clock and a fast client.

use chrono::NaiveDate;
use loket_bpjs::model::AntreanAdd;
use loket_bpjs::{Client, Config, ManualClock, RetryPolicy};
use loket_sim::hfis::Hfis;
use loket_sim::{Sim, SimConfig, SimHandle};
use std::sync::Arc;
use std::time::Duration;

/// 2023-11-15 05:13:20 WIB (a Wednesday).
pub const NOW: u64 = 1_700_000_000;

pub struct World {
    pub sim: SimHandle,
    pub clock: ManualClock,
}

pub async fn world() -> World {
    world_with(SimConfig::default()).await
}

pub async fn world_with(config: SimConfig) -> World {
    let clock = ManualClock::at(NOW);
    let sim = Sim::start(SimConfig {
        seed: 7,
        clock: Arc::new(clock.clone()),
        ..config
    })
    .await
    .expect("sim starts");
    World { sim, clock }
}

impl World {
    /// Fast policy: 400 ms timeout, 2 retries from 10 ms, no rate limit.
    pub fn config(&self) -> Config {
        let c = self.sim.config();
        let mut config = Config::new(&c.cons_id, &c.secret, &c.user_key, self.sim.base_url());
        config.timeout = Duration::from_millis(400);
        config.rate_limit_per_second = None;
        config.retry = RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(40),
        };
        config
    }

    pub fn client(&self) -> Client {
        self.client_with(self.config())
    }

    pub fn client_with(&self, config: Config) -> Client {
        Client::with_clock(config, Arc::new(self.clock.clone())).expect("client")
    }

    /// A practising (doctor, sub-speciality, date, window) at least one day ahead.
    pub fn open_slot(&self) -> Slot {
        self.sim.with_hfis(|h| open_slot(h, today() + chrono::Days::new(1)))
    }
}

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 11, 15).expect("date")
}

#[derive(Debug, Clone)]
pub struct Slot {
    pub kodedokter: i64,
    pub namadokter: String,
    pub kodepoli: String,
    pub namapoli: String,
    pub date: NaiveDate,
    pub jampraktek: String,
}

fn open_slot(h: &Hfis, from: NaiveDate) -> Slot {
    for i in 0..60 {
        let date = from + chrono::Days::new(i);
        for d in h.doctors() {
            if let Some(j) = h.jadwal(&d.kodesubspesialis, date).into_iter().find(|j| !j.is_libur()) {
                return Slot {
                    kodedokter: j.kodedokter,
                    namadokter: j.namadokter.clone(),
                    kodepoli: j.kodesubspesialis.clone(),
                    namapoli: j.namapoli.clone(),
                    date,
                    jampraktek: j.jampraktek(),
                };
            }
        }
    }
    panic!("no open slot in 60 days");
}

/// A synthetic JKN booking (no real person).
pub fn booking(slot: &Slot, kodebooking: &str) -> AntreanAdd {
    AntreanAdd {
        kodebooking: kodebooking.into(),
        jenispasien: "JKN".into(),
        nomorkartu: "0000000000031".into(),
        nik: "3200000000000001".into(),
        nohp: "080000000000".into(),
        kodepoli: slot.kodepoli.clone(),
        namapoli: slot.namapoli.clone(),
        pasienbaru: 0,
        norm: "RM-000001".into(),
        tanggalperiksa: slot.date,
        kodedokter: slot.kodedokter,
        namadokter: slot.namadokter.clone(),
        jampraktek: slot.jampraktek.clone(),
        jeniskunjungan: 1,
        nomorreferensi: "0001R0011123B000001".into(),
        nomorantrean: "A-1".into(),
        angkaantrean: 1,
        estimasidilayani: 1_700_100_000_000,
        sisakuotajkn: 29,
        kuotajkn: 30,
        sisakuotanonjkn: 29,
        kuotanonjkn: 30,
        keterangan: "Datang 30 menit lebih awal".into(),
    }
}
