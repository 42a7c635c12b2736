//! Booking state: what `antrean/add`, `updatewaktu` and `batal` change, and what
//! `getlisttask` and `pendaftaran` read back.

mod rules;

pub use rules::{decide_task, TaskVerdict};

use crate::hfis::{Hfis, SlotCheck};
use crate::time::wib_text;
use chrono::NaiveDate;
use loket_bpjs::model::{AntreanAdd, Pendaftaran, TaskRecord};
use std::collections::{BTreeMap, HashSet};

/// Human names of the tasks as `getlisttask` reports them.
pub fn task_name(taskid: i64) -> &'static str {
    match taskid {
        1 => "mulai waktu tunggu admisi",
        2 => "akhir waktu tunggu admisi/mulai waktu layan admisi",
        3 => "akhir waktu layan admisi/mulai waktu tunggu poli",
        4 => "akhir waktu tunggu poli/mulai waktu layan poli",
        5 => "akhir waktu layan poli/mulai waktu tunggu farmasi",
        6 => "akhir waktu tunggu farmasi/mulai waktu layan farmasi membuat obat",
        7 => "akhir waktu obat selesai dibuat",
        99 => "tidak hadir/batal",
        _ => "",
    }
}

/// A recorded task: the hospital's time and the server's receipt time (epoch ms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskTimes {
    /// `waktu` as sent.
    pub rs_ms: i64,
    /// When the simulator received it.
    pub server_ms: i64,
}

/// One booking.
#[derive(Clone)]
pub struct Booking {
    /// The registration as sent.
    pub add: AntreanAdd,
    /// Receipt time, epoch ms.
    pub created_ms: i64,
    /// Recorded tasks by id.
    pub tasks: BTreeMap<i64, TaskTimes>,
    /// Cancelled through `antrean/batal`.
    pub cancelled: bool,
}

impl Booking {
    /// `Belum dilayani`, `Sedang dilayani`, `Selesai dilayani` or `Batal` (spec §7 mapping).
    pub fn status(&self) -> &'static str {
        if self.cancelled || self.tasks.contains_key(&99) {
            "Batal"
        } else if self.tasks.keys().any(|t| *t >= 5) {
            "Selesai dilayani"
        } else if self.tasks.contains_key(&4) {
            "Sedang dilayani"
        } else {
            "Belum dilayani"
        }
    }

    fn pendaftaran(&self) -> Pendaftaran {
        let a = &self.add;
        Pendaftaran {
            kodebooking: a.kodebooking.clone(),
            tanggal: a.tanggalperiksa,
            kodepoli: a.kodepoli.clone(),
            kodedokter: a.kodedokter,
            jampraktek: a.jampraktek.clone(),
            nik: a.nik.clone(),
            nokapst: a.nomorkartu.clone(),
            nohp: a.nohp.clone(),
            norekammedis: a.norm.clone(),
            jeniskunjungan: a.jeniskunjungan,
            nomorreferensi: a.nomorreferensi.clone(),
            sumberdata: "Bridging Antrean".into(),
            ispeserta: i64::from(a.jenispasien.eq_ignore_ascii_case("JKN")),
            noantrean: a.nomorantrean.clone(),
            estimasidilayani: a.estimasidilayani,
            createdtime: self.created_ms,
            status: self.status().into(),
        }
    }
}

/// A refusal: the metadata code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// 201, 208, …
    pub code: i64,
    /// The message BPJS would give.
    pub message: String,
}

fn refuse(code: i64, message: impl Into<String>) -> Refusal {
    Refusal {
        code,
        message: message.into(),
    }
}

/// Message for an unknown booking code.
pub const UNKNOWN_BOOKING: &str = "Kode booking tidak ditemukan";

/// All bookings, in arrival order.
#[derive(Default)]
pub struct Bookings {
    by_code: BTreeMap<String, Booking>,
    order: Vec<String>,
    /// Referral numbers that `antrean/add` refuses for `jeniskunjungan` 1.
    pub invalid_rujukan: HashSet<String>,
}

impl Bookings {
    /// `antrean/add`.
    pub fn add(&mut self, hfis: &Hfis, add: AntreanAdd, now_ms: i64) -> Result<(), Refusal> {
        if self.by_code.contains_key(&add.kodebooking) {
            return Err(refuse(208, "Terdapat duplikasi Kode Booking"));
        }
        if add.kodebooking.trim().is_empty() {
            return Err(refuse(201, "Kode booking tidak boleh kosong"));
        }
        if !(1..=4).contains(&add.jeniskunjungan) {
            return Err(refuse(201, "Jenis kunjungan tidak valid"));
        }
        let jkn = add.jenispasien.eq_ignore_ascii_case("JKN");
        if jkn && (add.nomorkartu.len() != 13 || !add.nomorkartu.bytes().all(|b| b.is_ascii_digit())) {
            return Err(refuse(201, "Nomor kartu tidak valid"));
        }
        match hfis.check_slot(add.kodedokter, &add.kodepoli, add.tanggalperiksa, &add.jampraktek) {
            SlotCheck::Open => {}
            SlotCheck::UnknownDoctor => return Err(refuse(201, "Data dokter tidak ditemukan.")),
            SlotCheck::NoSlot => return Err(refuse(201, "Jadwal dokter tidak ditemukan")),
            SlotCheck::Libur => return Err(refuse(201, "Jadwal dokter libur pada tanggal tersebut")),
        }
        if jkn && add.jeniskunjungan == 1 && self.invalid_rujukan.contains(&add.nomorreferensi) {
            return Err(refuse(201, "Rujukan tidak valid"));
        }
        let code = add.kodebooking.clone();
        self.by_code.insert(
            code.clone(),
            Booking {
                add,
                created_ms: now_ms,
                tasks: BTreeMap::new(),
                cancelled: false,
            },
        );
        self.order.push(code);
        Ok(())
    }

    /// `antrean/updatewaktu`.
    pub fn update_waktu(&mut self, kodebooking: &str, taskid: i64, waktu_ms: i64, now_ms: i64) -> Result<(), Refusal> {
        let booking = self
            .by_code
            .get_mut(kodebooking)
            .ok_or_else(|| refuse(201, UNKNOWN_BOOKING))?;
        if waktu_ms <= 0 {
            return Err(refuse(201, "Waktu tidak valid"));
        }
        match decide_task(&booking.tasks, booking.cancelled, taskid) {
            TaskVerdict::Accept => {
                booking.tasks.insert(
                    taskid,
                    TaskTimes {
                        rs_ms: waktu_ms,
                        server_ms: now_ms,
                    },
                );
                Ok(())
            }
            TaskVerdict::Duplicate(message) => Err(refuse(208, message)),
            TaskVerdict::Reject(message) => Err(refuse(201, message)),
        }
    }

    /// `antrean/batal`.
    pub fn batal(&mut self, kodebooking: &str) -> Result<(), Refusal> {
        let booking = self
            .by_code
            .get_mut(kodebooking)
            .ok_or_else(|| refuse(201, UNKNOWN_BOOKING))?;
        if booking.cancelled || booking.tasks.contains_key(&99) {
            return Err(refuse(201, "Antrean sudah dibatalkan sebelumnya"));
        }
        if booking.tasks.keys().any(|t| (5..=7).contains(t)) {
            return Err(refuse(
                201,
                "Antrean tidak dapat dibatalkan karena sudah selesai dilayani",
            ));
        }
        booking.cancelled = true;
        Ok(())
    }

    /// `antrean/getlisttask`.
    pub fn list_task(&self, kodebooking: &str) -> Result<Vec<TaskRecord>, Refusal> {
        let booking = self
            .by_code
            .get(kodebooking)
            .ok_or_else(|| refuse(201, UNKNOWN_BOOKING))?;
        Ok(booking
            .tasks
            .iter()
            .map(|(taskid, t)| TaskRecord {
                wakturs: wib_text(t.rs_ms),
                waktu: wib_text(t.server_ms),
                taskname: task_name(*taskid).into(),
                taskid: *taskid,
                kodebooking: kodebooking.into(),
            })
            .collect())
    }

    /// `antrean/pendaftaran/tanggal/{date}`.
    pub fn by_tanggal(&self, date: NaiveDate) -> Vec<Pendaftaran> {
        self.iter()
            .filter(|b| b.add.tanggalperiksa == date)
            .map(Booking::pendaftaran)
            .collect()
    }

    /// `antrean/pendaftaran/kodebooking/{code}`.
    pub fn by_kodebooking(&self, code: &str) -> Vec<Pendaftaran> {
        self.by_code.get(code).map(Booking::pendaftaran).into_iter().collect()
    }

    /// `antrean/pendaftaran/aktif`: neither finished nor cancelled.
    pub fn aktif(&self) -> Vec<Pendaftaran> {
        self.iter()
            .filter(|b| matches!(b.status(), "Belum dilayani" | "Sedang dilayani"))
            .map(Booking::pendaftaran)
            .collect()
    }

    /// All bookings in arrival order.
    pub fn iter(&self) -> impl Iterator<Item = &Booking> {
        self.order.iter().filter_map(|code| self.by_code.get(code))
    }
}
