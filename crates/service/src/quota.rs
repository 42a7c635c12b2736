//! Kuota use cases: refresh the HFIS schedule snapshot (`jadwaldokter`) for polis × dates and
//! turn every shift into its OPD session, compute a shift's real-time JKN/non-JKN quota, list
//! the snapshot, and the pool check that sessions from a snapshot run before issuing a token.
//!
//! - One write transaction per poli-date: the snapshot rows and the sessions they create or
//!   update commit together. A failed poli-date is reported and the others go on.
//! - Session capacity = `kuota_jkn` (HFIS `kapasitaspasien`) + `kuota_nonjkn` (floor of the
//!   Settings ratio). A change goes through `ChangeCapacity` on the session's slots, so tokens
//!   are never deleted. When the new capacity is below what is already issued (tokens not
//!   cancelled), or HFIS marks the day `libur` while tokens exist, the session is left as it is
//!   and the snapshot row is flagged with the reason, for the clerk.
//! - A session opened by hand for the same doctor, poli, date and jam before the first refresh
//!   is adopted (linked) rather than duplicated.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use loket_bpjs::model::JadwalDokter;
use loket_core::opd::{
    execute, plan_session, Command, Event, Jenis, SessionId, SessionSpec, SessionState, SlotId, Source,
    DEFAULT_SLOT_MINUTES, MAX_CAPACITY,
};
use loket_core::quota::{check_pool, estimasi_dilayani, kuota_nonjkn, Estimasi, PoolQuota, Quota, Usage};
use loket_core::settings::Settings;
use loket_core::time::{format_wib, parse_date, parse_hhmm, JamPraktek};
use loket_core::{Error, Result};
use loket_store::opd as repo;
use loket_store::quota::{self as snap, ShiftInput, SnapshotRow};
use serde::Serialize;

use crate::bpjs::BpjsConnection;
use crate::Desk;

/// A snapshot older than this is shown as stale.
pub const STALE_AFTER: Duration = Duration::days(1);

/// The non-JKN ratio (basis points) for a poli: its override in Settings, else the desk's.
pub fn nonjkn_ratio_bp(settings: &Settings, poli_code: &str) -> u32 {
    settings.nonjkn_ratio_bp_of(poli_code)
}

/// The pool check of `opd_request_token`, inside its transaction: only for a session that came
/// from a snapshot; a session opened by hand has no quota and passes.
pub(crate) fn check_snapshot_pool(
    shift: Option<&snap::SnapshotRow>,
    state: &SessionState,
    settings: &Settings,
    jenis: Jenis,
    source: Source,
) -> Result<()> {
    let Some(kuota_jkn) = shift.map(|s| s.kapasitas) else {
        return Ok(());
    };
    let ratio = nonjkn_ratio_bp(settings, &state.session.poli_code);
    let quota = Quota::new(kuota_jkn, ratio, Usage::of_tokens(&state.tokens));
    check_pool(&quota, jenis, source)
}

/// One shift in a refresh report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ShiftRef {
    pub poli_code: String,
    pub doctor_code: String,
    pub doctor_name: String,
    pub date: String,
    pub jam: String,
    pub libur: bool,
    pub kuota_jkn: u32,
    pub kuota_nonjkn: u32,
    pub session_id: Option<SessionId>,
    /// Why the clerk must look at this shift (flagged shifts only).
    pub reason: Option<String>,
}

/// A poli-date that could not be refreshed, or a shift that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RefreshError {
    pub poli: String,
    pub date: String,
    pub message: String,
}

/// What a refresh did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RefreshReport {
    /// Shifts received from HFIS (libur ones included).
    pub fetched_shifts: u32,
    pub created_sessions: Vec<ShiftRef>,
    /// Sessions whose capacity changed, or hand-made sessions adopted by a shift.
    pub updated_sessions: Vec<ShiftRef>,
    pub flagged: Vec<ShiftRef>,
    pub errors: Vec<RefreshError>,
}

impl RefreshReport {
    fn merge(&mut self, other: RefreshReport) {
        self.fetched_shifts += other.fetched_shifts;
        self.created_sessions.extend(other.created_sessions);
        self.updated_sessions.extend(other.updated_sessions);
        self.flagged.extend(other.flagged);
        self.errors.extend(other.errors);
    }
}

/// The quota of one shift, with the field names of `loket quota calculate --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShiftQuota {
    pub poli_id: String,
    pub poli_name: String,
    pub dokter_id: String,
    pub dokter_name: String,
    pub tanggal: String,
    pub jam_praktek: String,
    pub libur: bool,
    pub session_id: Option<SessionId>,
    pub kuota_jkn: u32,
    pub total_registrasi_jkn: u32,
    pub sisa_kuota_jkn: u32,
    pub excess_jkn: u32,
    pub kuota_nonjkn: u32,
    pub total_registrasi_nonjkn: u32,
    pub sisa_kuota_nonjkn: u32,
    pub excess_nonjkn: u32,
    /// Shift start + the next queue number × minutes per patient (the seed's formula).
    pub estimasi_dilayani_berikutnya: Estimasi,
    /// The same in WIB, for people.
    pub estimasi_dilayani_berikutnya_wib: String,
}

/// One snapshot row as `loket quota snapshots` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SnapshotEntry {
    #[serde(flatten)]
    pub row: SnapshotRow,
    pub jam_praktek: String,
    pub kuota_jkn: u32,
    pub kuota_nonjkn: u32,
    /// Fetched more than a day ago.
    pub stale: bool,
}

/// One shift of the day board (`Desk::quota_board`): the snapshot row with its live quota.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BoardShift {
    /// The snapshot row id: a stable key for a shift without a session (libur).
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub snapshot_id: i64,
    pub poli_code: String,
    pub poli_name: String,
    pub subspesialis_code: String,
    pub subspesialis_name: String,
    pub doctor_code: String,
    pub doctor_name: String,
    pub date: String,
    /// `HH:MM-HH:MM` (WIB).
    pub jam_praktek: String,
    pub libur: bool,
    pub session_id: Option<SessionId>,
    pub source: String,
    /// When HFIS was last asked (UTC, RFC 3339).
    pub fetched_at: String,
    /// The same in WIB, for people.
    pub fetched_at_wib: String,
    /// Fetched more than a day ago.
    pub stale: bool,
    /// Why the clerk must look at this shift.
    pub flag_reason: Option<String>,
    pub flagged_at: Option<String>,
    pub kuota_jkn: u32,
    pub used_jkn: u32,
    pub sisa_jkn: u32,
    pub excess_jkn: u32,
    /// No JKN token can be issued any more (emergencies excepted).
    pub full_jkn: bool,
    pub kuota_nonjkn: u32,
    pub used_nonjkn: u32,
    pub sisa_nonjkn: u32,
    pub excess_nonjkn: u32,
    pub full_nonjkn: bool,
}

fn shift_input(poli: &str, date: NaiveDate, j: &JadwalDokter) -> std::result::Result<ShiftInput, String> {
    let (start, end) = j
        .window()
        .filter(|(s, e)| s < e)
        .ok_or_else(|| format!("Jadwal dokter {} tidak terbaca: \"{}\".", j.kodedokter, j.jadwal))?;
    let kapasitas = u32::try_from(j.kapasitaspasien)
        .map_err(|_| format!("Kapasitas dokter {} tidak valid: {}.", j.kodedokter, j.kapasitaspasien))?;
    let poli_code = if j.kodepoli.trim().is_empty() {
        poli.to_string()
    } else {
        j.kodepoli.trim().to_uppercase()
    };
    Ok(ShiftInput {
        poli_name: if j.namapoli.trim().is_empty() {
            poli_code.clone()
        } else {
            j.namapoli.trim().to_string()
        },
        poli_code,
        subspesialis_code: j.kodesubspesialis.trim().to_uppercase(),
        subspesialis_name: j.namasubspesialis.trim().to_string(),
        doctor_code: j.kodedokter.to_string(),
        doctor_name: j.namadokter.trim().to_string(),
        date: date.to_string(),
        start_time: start.format("%H:%M").to_string(),
        end_time: end.format("%H:%M").to_string(),
        kapasitas,
        libur: j.is_libur(),
    })
}

fn jam_of(start: &str, end: &str) -> Result<JamPraktek> {
    Ok(JamPraktek {
        start: parse_hhmm(start)?,
        end: parse_hhmm(end)?,
    })
}

/// Per-slot capacities summing to `total`: an even split (remainder to the earliest slots),
/// never below what a slot already holds, so that no confirmed token is displaced. The caller
/// ensures `total` is at least what the session has issued.
fn distribute(state: &SessionState, total: u32) -> Vec<(SlotId, u32)> {
    let n = u32::try_from(state.slots.len()).unwrap_or(u32::MAX).max(1);
    let (base, extra) = (total / n, total % n);
    let mut target: Vec<(SlotId, u32, u32)> = state
        .slots
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let even = base + u32::from(u32::try_from(i).unwrap_or(u32::MAX) < extra);
            let held = state.occupied(s.slot_id);
            (s.slot_id, even.max(held), held)
        })
        .collect();
    let mut over = target.iter().map(|t| t.1).sum::<u32>().saturating_sub(total);
    for t in target.iter_mut().rev() {
        let cut = (t.1 - t.2).min(over);
        t.1 -= cut;
        over -= cut;
    }
    target.into_iter().map(|(id, cap, _)| (id, cap)).collect()
}

/// What happened to one shift inside the transaction.
enum Applied {
    Unchanged,
    Created,
    Updated,
}

/// What HFIS answered for one poli-date (or why it could not be asked).
#[derive(Debug)]
pub struct FetchedDay {
    pub poli: String,
    pub date: NaiveDate,
    pub rows: Result<Vec<JadwalDokter>>,
}

/// Calls `jadwaldokter` for every poli × date (the network part of a refresh; no database), so
/// that the caller may hold the desk only while [`Desk::quota_apply_fetched`] writes.
pub fn quota_fetch(conn: &BpjsConnection, polis: &[String], dates: &[NaiveDate]) -> Result<Vec<FetchedDay>> {
    let mut codes: Vec<String> = Vec::new();
    for p in polis.iter().map(|p| p.trim().to_uppercase()).filter(|p| !p.is_empty()) {
        if !codes.contains(&p) {
            codes.push(p);
        }
    }
    if codes.is_empty() || dates.is_empty() {
        return Err(Error::invalid(
            "Sebutkan paling sedikit satu poli dan satu tanggal untuk diperbarui.",
        ));
    }
    Ok(codes
        .iter()
        .flat_map(|poli| {
            dates.iter().map(move |date| FetchedDay {
                poli: poli.clone(),
                date: *date,
                rows: conn.jadwal(poli, &date.to_string()),
            })
        })
        .collect())
}

impl Desk {
    /// Fetches `jadwaldokter` for every poli × date with the stored credentials (`url_override`
    /// replaces the stored base URL) and applies each poli-date in its own transaction.
    pub fn quota_refresh(
        &mut self,
        polis: &[String],
        dates: &[NaiveDate],
        url_override: Option<&str>,
    ) -> Result<RefreshReport> {
        let conn = self.bpjs_connection(url_override)?;
        self.quota_refresh_with(&conn, polis, dates)
    }

    /// [`Desk::quota_refresh`] with a given connection.
    pub fn quota_refresh_with(
        &mut self,
        conn: &BpjsConnection,
        polis: &[String],
        dates: &[NaiveDate],
    ) -> Result<RefreshReport> {
        let fetched = quota_fetch(conn, polis, dates)?;
        Ok(self.quota_apply_fetched(fetched))
    }

    /// Applies what [`quota_fetch`] brought, each poli-date in its own transaction; a poli-date
    /// that failed (to fetch or to apply) is reported and the others go on.
    pub fn quota_apply_fetched(&mut self, fetched: Vec<FetchedDay>) -> RefreshReport {
        let mut report = RefreshReport::default();
        for day in fetched {
            let FetchedDay { poli, date, rows } = day;
            match rows.and_then(|rows| self.quota_apply(&poli, date, &rows)) {
                Ok(part) => report.merge(part),
                Err(e) => {
                    tracing::warn!(poli = %poli, date = %date, code = e.code.as_str(), "quota refresh failed");
                    report.errors.push(RefreshError {
                        poli,
                        date: date.to_string(),
                        message: e.message,
                    })
                }
            }
        }
        tracing::info!(
            fetched = report.fetched_shifts,
            created = report.created_sessions.len(),
            updated = report.updated_sessions.len(),
            flagged = report.flagged.len(),
            errors = report.errors.len(),
            "quota refresh done"
        );
        report
    }

    /// Applies the shifts HFIS returned for `poli` on `date` in one write transaction: snapshot
    /// rows, and the session of every shift created, resized or flagged.
    pub fn quota_apply(&mut self, poli: &str, date: NaiveDate, rows: &[JadwalDokter]) -> Result<RefreshReport> {
        let poli = poli.trim().to_uppercase();
        let now = self.now();
        let settings = self.settings()?;
        let actor = self.actor()?;
        let mut report = RefreshReport {
            fetched_shifts: u32::try_from(rows.len()).unwrap_or(u32::MAX),
            ..RefreshReport::default()
        };
        let mut shifts = Vec::new();
        for j in rows {
            match shift_input(&poli, date, j) {
                Ok(s) => shifts.push(s),
                Err(message) => report.errors.push(RefreshError {
                    poli: poli.clone(),
                    date: date.to_string(),
                    message,
                }),
            }
        }
        self.store.write(|tx| {
            for shift in &shifts {
                let row = snap::upsert(tx, shift, now)?;
                let jam = jam_of(&shift.start_time, &shift.end_time)?;
                let jam_text = jam.to_string();
                let ratio = nonjkn_ratio_bp(&settings, &shift.poli_code);
                let kuota_non = kuota_nonjkn(shift.kapasitas, ratio);
                let capacity = shift.kapasitas.saturating_add(kuota_non);
                let adopted = match row.session_id {
                    Some(_) => None,
                    None => snap::unclaimed_session(tx, &shift.doctor_code, &shift.poli_code, &shift.date, &jam_text)?,
                };
                let mut session_id = row.session_id.or(adopted);
                let state = match session_id {
                    Some(id) => repo::load_session(tx, id)?,
                    None => None,
                };
                let issued = state
                    .as_ref()
                    .map(|s| {
                        let u = Usage::of_tokens(&s.tokens);
                        u.jkn + u.nonjkn
                    })
                    .unwrap_or(0);
                let mut flag = None;
                let mut applied = Applied::Unchanged;
                if shift.libur {
                    if issued > 0 {
                        flag = Some(format!(
                            "HFIS menandai dokter libur pada {} jadwal {jam_text}, tetapi {issued} antrean sudah terbit. \
                             Antrean tidak dihapus; hubungi pasien atau pindahkan jadwalnya.",
                            shift.date
                        ));
                    }
                } else if capacity == 0 || capacity > MAX_CAPACITY {
                    flag = Some(format!(
                        "Kapasitas HFIS {} tidak bisa dipakai untuk sesi (harus 1–{MAX_CAPACITY}); sesi tidak diubah.",
                        shift.kapasitas
                    ));
                } else if let Some(mut state) = state {
                    let current: u32 = state.slots.iter().map(|s| s.capacity).sum();
                    if capacity < issued {
                        flag = Some(format!(
                            "Kapasitas HFIS turun menjadi {capacity} (JKN {} + non-JKN {kuota_non}), tetapi {issued} \
                             antrean sudah terbit. Kapasitas sesi tetap {current}; antrean tidak dihapus.",
                            shift.kapasitas
                        ));
                    } else if capacity != current {
                        let mut events: Vec<Event> = Vec::new();
                        for (slot_id, to) in distribute(&state, capacity) {
                            if state.slot(slot_id).map(|s| s.capacity) != Some(to) {
                                events.extend(execute(
                                    &mut state,
                                    &Command::ChangeCapacity { slot_id, capacity: to },
                                    now,
                                )?);
                            }
                        }
                        repo::record(tx, &state, &events, now, &actor)?;
                        applied = Applied::Updated;
                    } else if adopted.is_some() {
                        applied = Applied::Updated;
                    }
                } else {
                    let ids = repo::next_ids(tx)?;
                    let spec = SessionSpec {
                        session_id: ids.session_id,
                        first_slot_id: ids.slot_id,
                        doctor_code: shift.doctor_code.clone(),
                        doctor_name: shift.doctor_name.clone(),
                        poli_code: shift.poli_code.clone(),
                        date,
                        jam,
                        capacity,
                        slot_minutes: DEFAULT_SLOT_MINUTES,
                    };
                    let created = plan_session(&spec)?;
                    let state = SessionState::from_events(std::slice::from_ref(&created))?;
                    repo::record(tx, &state, std::slice::from_ref(&created), now, &actor)?;
                    session_id = Some(spec.session_id);
                    applied = Applied::Created;
                }
                snap::link(tx, row.id, session_id, flag.as_deref(), now)?;
                let r = ShiftRef {
                    poli_code: shift.poli_code.clone(),
                    doctor_code: shift.doctor_code.clone(),
                    doctor_name: shift.doctor_name.clone(),
                    date: shift.date.clone(),
                    jam: jam_text,
                    libur: shift.libur,
                    kuota_jkn: shift.kapasitas,
                    kuota_nonjkn: kuota_non,
                    session_id,
                    reason: flag,
                };
                match applied {
                    Applied::Created => report.created_sessions.push(r.clone()),
                    Applied::Updated => report.updated_sessions.push(r.clone()),
                    Applied::Unchanged => {}
                }
                if r.reason.is_some() {
                    tracing::warn!(session_id = ?r.session_id, doctor = %r.doctor_code, "schedule shift flagged");
                    report.flagged.push(r);
                }
            }
            // Shifts HFIS no longer reports for this poli-date (only judged when every row was
            // read): flagged, never deleted.
            if report.errors.is_empty() {
                let fetched: std::collections::HashSet<(&str, &str)> =
                    shifts.iter().map(|s| (s.doctor_code.as_str(), s.start_time.as_str())).collect();
                for old in snap::list(tx, &date.to_string(), Some(&poli))? {
                    if fetched.contains(&(old.doctor_code.as_str(), old.start_time.as_str())) || old.libur {
                        continue;
                    }
                    let jam_text = format!("{}-{}", old.start_time, old.end_time);
                    let issued = match old.session_id {
                        Some(id) => repo::load_session(tx, id)?
                            .map(|s| {
                                let u = Usage::of_tokens(&s.tokens);
                                u.jkn + u.nonjkn
                            })
                            .unwrap_or(0),
                        None => 0,
                    };
                    let reason = if issued > 0 {
                        format!(
                            "Jadwal {jam_text} tidak lagi ada di HFIS, tetapi {issued} antrean sudah terbit. \
                             Antrean tidak dihapus; hubungi pasien atau pindahkan jadwalnya."
                        )
                    } else {
                        format!("Jadwal {jam_text} tidak lagi ada di HFIS; tidak ada antrean yang terbit.")
                    };
                    snap::mark_vanished(tx, old.id, &reason, now)?;
                    tracing::warn!(session_id = ?old.session_id, doctor = %old.doctor_code, "schedule shift vanished from HFIS");
                    report.flagged.push(ShiftRef {
                        poli_code: old.poli_code.clone(),
                        doctor_code: old.doctor_code.clone(),
                        doctor_name: old.doctor_name.clone(),
                        date: old.date.clone(),
                        jam: jam_text,
                        libur: true,
                        kuota_jkn: old.kapasitas,
                        kuota_nonjkn: kuota_nonjkn(old.kapasitas, nonjkn_ratio_bp(&settings, &old.poli_code)),
                        session_id: old.session_id,
                        reason: Some(reason),
                    });
                }
            }
            Ok(())
        })?;
        Ok(report)
    }

    /// The real-time quota of one shift of the snapshot. `jam` (`HH:MM-HH:MM`) chooses among
    /// several shifts of the doctor that day; without it the doctor must have exactly one.
    pub fn quota_calculate(&self, poli: &str, dokter: &str, date: &str, jam: Option<&str>) -> Result<ShiftQuota> {
        let poli = poli.trim().to_uppercase();
        let dokter = dokter.trim();
        let date = parse_date(date)?;
        let jam = jam.map(JamPraktek::parse).transpose()?;
        let rows = snap::of_doctor(self.store.conn(), &poli, dokter, &date.to_string())?;
        let mut matching: Vec<&SnapshotRow> = rows
            .iter()
            .filter(|r| match &jam {
                Some(j) => jam_of(&r.start_time, &r.end_time).ok().as_ref() == Some(j),
                None => true,
            })
            .collect();
        let row = match matching.len() {
            0 => {
                return Err(Error::not_found(format!(
                    "Tidak ada jadwal HFIS dokter {dokter} di poli {poli} pada {date}{}. Perbarui jadwal dengan `loket quota refresh`.",
                    jam.map(|j| format!(" jam {j}")).unwrap_or_default()
                )))
            }
            1 => matching.remove(0),
            _ => {
                let jams: Vec<String> = matching
                    .iter()
                    .map(|r| format!("{}-{}", r.start_time, r.end_time))
                    .collect();
                return Err(Error::invalid(format!(
                    "Dokter {dokter} punya {} jadwal pada {date} ({}); pilih satu dengan --jam.",
                    jams.len(),
                    jams.join(", ")
                )));
            }
        };
        let settings = self.settings()?;
        let jam = jam_of(&row.start_time, &row.end_time)?;
        let state = match row.session_id {
            Some(id) => repo::load_session(self.store.conn(), id)?,
            None => None,
        };
        let used = state.as_ref().map(|s| Usage::of_tokens(&s.tokens)).unwrap_or_default();
        let q = Quota::new(row.kapasitas, nonjkn_ratio_bp(&settings, &row.poli_code), used);
        let next = snap::max_number(self.store.conn(), &row.doctor_code, &row.date)?.saturating_add(1);
        let est = estimasi_dilayani(date, jam.start, next, settings.minutes_per_patient_of(&row.poli_code))?;
        Ok(ShiftQuota {
            poli_id: row.poli_code.clone(),
            poli_name: row.poli_name.clone(),
            dokter_id: row.doctor_code.clone(),
            dokter_name: row.doctor_name.clone(),
            tanggal: row.date.clone(),
            jam_praktek: jam.to_string(),
            libur: row.libur,
            session_id: row.session_id,
            kuota_jkn: q.kuota_jkn,
            total_registrasi_jkn: q.total_registrasi_jkn,
            sisa_kuota_jkn: q.sisa_kuota_jkn,
            excess_jkn: q.excess_jkn,
            kuota_nonjkn: q.kuota_nonjkn,
            total_registrasi_nonjkn: q.total_registrasi_nonjkn,
            sisa_kuota_nonjkn: q.sisa_kuota_nonjkn,
            excess_nonjkn: q.excess_nonjkn,
            estimasi_dilayani_berikutnya_wib: format_wib(est.at),
            estimasi_dilayani_berikutnya: est,
        })
    }

    /// The snapshot of a date (optionally one poli): one entry per shift, with its session.
    pub fn quota_snapshots(&self, date: &str, poli: Option<&str>) -> Result<Vec<SnapshotEntry>> {
        let date = parse_date(date)?.to_string();
        let poli = poli.map(|p| p.trim().to_uppercase()).filter(|p| !p.is_empty());
        let settings = self.settings()?;
        let now = self.now();
        snap::list(self.store.conn(), &date, poli.as_deref())?
            .into_iter()
            .map(|row| {
                let fetched = DateTime::parse_from_rfc3339(&row.fetched_at)
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|_| Error::internal("Waktu pengambilan jadwal tidak terbaca."))?;
                Ok(SnapshotEntry {
                    jam_praktek: format!("{}-{}", row.start_time, row.end_time),
                    kuota_jkn: row.kapasitas,
                    kuota_nonjkn: kuota_nonjkn(row.kapasitas, nonjkn_ratio_bp(&settings, &row.poli_code)),
                    stale: now - fetched > STALE_AFTER,
                    row,
                })
            })
            .collect()
    }

    /// The day board of the Kuota screen: every shift of the snapshot on `date` (optionally one
    /// poli) with its live JKN/non-JKN quota, read in one query.
    pub fn quota_board(&self, date: &str, poli: Option<&str>) -> Result<Vec<BoardShift>> {
        let date = parse_date(date)?.to_string();
        let poli = poli.map(|p| p.trim().to_uppercase()).filter(|p| !p.is_empty());
        let settings = self.settings()?;
        let now = self.now();
        snap::board(self.store.conn(), &date, poli.as_deref())?
            .into_iter()
            .map(|(row, used)| {
                let fetched = DateTime::parse_from_rfc3339(&row.fetched_at)
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|_| Error::internal("Waktu pengambilan jadwal tidak terbaca."))?;
                let ratio = nonjkn_ratio_bp(&settings, &row.poli_code);
                let jkn = PoolQuota::new(Jenis::Jkn, row.kapasitas, used.jkn);
                let non = PoolQuota::new(Jenis::NonJkn, kuota_nonjkn(row.kapasitas, ratio), used.nonjkn);
                let open = !row.libur && row.session_id.is_some();
                Ok(BoardShift {
                    snapshot_id: row.id,
                    jam_praktek: format!("{}-{}", row.start_time, row.end_time),
                    fetched_at_wib: format_wib(fetched),
                    stale: now - fetched > STALE_AFTER,
                    kuota_jkn: jkn.kuota,
                    used_jkn: jkn.used,
                    sisa_jkn: jkn.sisa,
                    excess_jkn: jkn.excess,
                    full_jkn: open && jkn.is_full(),
                    kuota_nonjkn: non.kuota,
                    used_nonjkn: non.used,
                    sisa_nonjkn: non.sisa,
                    excess_nonjkn: non.excess,
                    full_nonjkn: open && non.is_full(),
                    poli_code: row.poli_code,
                    poli_name: row.poli_name,
                    subspesialis_code: row.subspesialis_code,
                    subspesialis_name: row.subspesialis_name,
                    doctor_code: row.doctor_code,
                    doctor_name: row.doctor_name,
                    date: row.date,
                    libur: row.libur,
                    session_id: row.session_id,
                    source: row.source,
                    fetched_at: row.fetched_at,
                    flag_reason: row.flag_reason,
                    flagged_at: row.flagged_at,
                })
            })
            .collect()
    }
}

// ---- recorded refreshes and the daily schedule -------------------------------------------------

/// The name refreshes of the HFIS schedule carry in the run history (`sync_runs`).
pub const REFRESH_JOB: &str = "HFIS_JADWAL";

/// Refreshes polis × dates as [`Desk::quota_refresh_with`] does, fetching outside the desk
/// (lent step by step) and recording the run in the history: progress after every poli-date
/// (`pages_done` of `pages_total`), then the outcome (`fetched` shifts, `inserted` sessions
/// created, `updated` resized, `skipped` flagged; `ok`, or `partial` with the failed poli-dates
/// in `error`). `progress(done, total)` is called after every poli-date.
pub fn quota_refresh_run(
    mut desk: impl crate::outbox::DeskAccess,
    conn: &BpjsConnection,
    polis: &[String],
    dates: &[NaiveDate],
    progress: &dyn Fn(u32, u32),
) -> Result<RefreshReport> {
    use loket_store::sync as runs;
    let (Some(first), Some(last)) = (dates.iter().min().copied(), dates.iter().max().copied()) else {
        return Err(Error::invalid(
            "Sebutkan paling sedikit satu poli dan satu tanggal untuk diperbarui.",
        ));
    };
    let total = u32::try_from(polis.len() * dates.len()).unwrap_or(u32::MAX);
    let run_id = desk.with(|d| {
        let now = d.now();
        d.store
            .write(|tx| runs::start_run(tx, REFRESH_JOB, "full", first, last, now))
    })?;
    let mut report = RefreshReport::default();
    let mut done = 0u32;
    for poli in polis {
        for date in dates {
            let fetched = quota_fetch(conn, std::slice::from_ref(poli), std::slice::from_ref(date))?;
            let part = desk.with(|d| d.quota_apply_fetched(fetched));
            report.merge(part);
            done += 1;
            let counts = refresh_counts(&report);
            desk.with(|d| {
                d.store
                    .write(|tx| runs::record_progress(tx, run_id, done, total, &counts, &[]))
            })?;
            progress(done, total);
        }
    }
    let status = if report.errors.is_empty() { "ok" } else { "partial" };
    let error = (!report.errors.is_empty()).then(|| {
        report
            .errors
            .iter()
            .map(|e| format!("{} {}: {}", e.poli, e.date, e.message))
            .collect::<Vec<_>>()
            .join("; ")
    });
    desk.with(|d| {
        let now = d.now();
        d.store
            .write(|tx| runs::finish_run(tx, run_id, status, error.as_deref(), now))
    })?;
    Ok(report)
}

fn refresh_counts(r: &RefreshReport) -> loket_core::sync::RunCounts {
    let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
    loket_core::sync::RunCounts {
        fetched: r.fetched_shifts,
        inserted: n(r.created_sessions.len()),
        updated: n(r.updated_sessions.len()),
        unchanged: 0,
        skipped: n(r.flagged.len()),
        duplicates: 0,
    }
}

/// How many days the daily refresh covers: today and the next seven (the window).
pub const DAILY_REFRESH_DAYS: u64 = 8;

impl Desk {
    /// The polis and dates the daily refresh should fetch now, or `None` when it is not due:
    /// due once a day, from the configured time (Settings, WIB), when polis are configured,
    /// BPJS credentials stored, and no refresh ran since that time today.
    pub fn quota_daily_refresh_due(&self) -> Result<Option<(Vec<String>, Vec<NaiveDate>)>> {
        let s = self.settings()?;
        if s.polis.is_empty() {
            return Ok(None);
        }
        let now = self.now();
        let today = loket_core::time::wib_date(now);
        let at = parse_hhmm(&s.schedule_refresh_time)?;
        let due_from = loket_core::time::wib_instant(today, at);
        if now < due_from {
            return Ok(None);
        }
        let last = loket_store::sync::runs(self.store.conn(), Some(REFRESH_JOB), 1)?
            .into_iter()
            .next()
            .and_then(|r| DateTime::parse_from_rfc3339(&r.started_at).ok())
            .map(|t| t.to_utc());
        // Last, as it asks the secret store: the worker calls this every round.
        if last.is_some_and(|t| t >= due_from) || !self.bpjs_configured()? {
            return Ok(None);
        }
        let dates = (0..DAILY_REFRESH_DAYS)
            .filter_map(|d| today.checked_add_days(chrono::Days::new(d)))
            .collect();
        Ok(Some((s.polis.iter().map(|p| p.kode.clone()).collect(), dates)))
    }
}
