//! Kuota of one practice shift (a doctor at a poli on a date, within one jam praktek): the JKN
//! quota from HFIS, the non-JKN quota derived from it, what is used and what remains, the
//! estimated service time BPJS wants, the pool check before a token is issued, and the
//! "pool full" alerts.
//!
//! - `kuota_jkn` = HFIS `kapasitaspasien`; `kuota_nonjkn` = floor(`kuota_jkn` × ratio), the
//!   ratio in basis points (3000 = 0.30), so the arithmetic is exact.
//! - used = tokens of that jenis that are not cancelled: waitlisted, no-show, in-progress and
//!   completed tokens all keep their quota ([`counts_toward_quota`]).
//! - sisa = max(0, kuota − used); excess = max(0, used − kuota) is reported, never hidden.
//!
//! Alerts are edge-triggered: the caller stores the last [`AlertLevel`] of each (shift, pool)
//! (an [`AlertState`] per shift), [`transitions`] reports only rises above it, and storing
//! [`AlertState::of`] the current quota afterwards re-arms a pool once it drops (a cancellation).

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::opd::{Jenis, Source, Status, Token};
use crate::time::wib_instant;
use crate::{Error, Result};

/// The non-JKN share when Settings say nothing: 0.30.
pub const DEFAULT_NONJKN_RATIO_BP: u32 = 3000;
/// Alert when a pool reaches this share of its quota: 90 %.
pub const DEFAULT_ALERT_THRESHOLD_BP: u32 = 9000;
/// 100 % in basis points.
pub const FULL_BP: u32 = 10_000;

/// floor(`kuota_jkn` × `ratio_bp` / 10 000), exactly (integer arithmetic, no floating point).
pub fn kuota_nonjkn(kuota_jkn: u32, ratio_bp: u32) -> u32 {
    let v = u64::from(kuota_jkn) * u64::from(ratio_bp) / u64::from(FULL_BP);
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// A token of this status uses its pool's quota: every status except `cancelled`.
pub fn counts_toward_quota(status: Status) -> bool {
    status != Status::Cancelled
}

/// Tokens that use quota, per pool.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Usage {
    pub jkn: u32,
    pub nonjkn: u32,
}

impl Usage {
    /// Counts the tokens of one shift (the tokens of its OPD session).
    pub fn of_tokens<'a>(tokens: impl IntoIterator<Item = &'a Token>) -> Usage {
        tokens
            .into_iter()
            .filter(|t| counts_toward_quota(t.status))
            .fold(Usage::default(), |u, t| u.plus(t.jenis, 1))
    }

    pub fn get(&self, jenis: Jenis) -> u32 {
        match jenis {
            Jenis::Jkn => self.jkn,
            Jenis::NonJkn => self.nonjkn,
        }
    }

    /// The same usage with `n` more tokens of `jenis` (saturating).
    pub fn plus(mut self, jenis: Jenis, n: u32) -> Usage {
        match jenis {
            Jenis::Jkn => self.jkn = self.jkn.saturating_add(n),
            Jenis::NonJkn => self.nonjkn = self.nonjkn.saturating_add(n),
        }
        self
    }
}

/// The quota of one shift. Field names follow `loket quota calculate --json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Quota {
    /// HFIS `kapasitaspasien`.
    pub kuota_jkn: u32,
    /// JKN tokens that are not cancelled.
    pub total_registrasi_jkn: u32,
    /// max(0, kuota − used).
    pub sisa_kuota_jkn: u32,
    /// max(0, used − kuota): tokens beyond the quota (e.g. emergencies, or HFIS lowered it).
    pub excess_jkn: u32,
    /// floor(kuota_jkn × ratio).
    pub kuota_nonjkn: u32,
    pub total_registrasi_nonjkn: u32,
    pub sisa_kuota_nonjkn: u32,
    pub excess_nonjkn: u32,
}

/// One pool of a [`Quota`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PoolQuota {
    pub jenis: Jenis,
    pub kuota: u32,
    pub used: u32,
    pub sisa: u32,
    pub excess: u32,
}

impl PoolQuota {
    pub fn new(jenis: Jenis, kuota: u32, used: u32) -> PoolQuota {
        PoolQuota {
            jenis,
            kuota,
            used,
            sisa: kuota.saturating_sub(used),
            excess: used.saturating_sub(kuota),
        }
    }

    /// No room left: a request of this jenis is refused (emergencies excepted).
    pub fn is_full(&self) -> bool {
        self.used >= self.kuota
    }
}

impl Quota {
    /// The quota of a shift with HFIS capacity `kuota_jkn`, the non-JKN ratio `ratio_bp` and the
    /// tokens counted in `used`.
    pub fn new(kuota_jkn: u32, ratio_bp: u32, used: Usage) -> Quota {
        Quota::from_pools(kuota_jkn, kuota_nonjkn(kuota_jkn, ratio_bp), used)
    }

    /// The same from both quotas as they are (e.g. stored in a snapshot).
    pub fn from_pools(kuota_jkn: u32, kuota_nonjkn: u32, used: Usage) -> Quota {
        let jkn = PoolQuota::new(Jenis::Jkn, kuota_jkn, used.jkn);
        let non = PoolQuota::new(Jenis::NonJkn, kuota_nonjkn, used.nonjkn);
        Quota {
            kuota_jkn,
            total_registrasi_jkn: jkn.used,
            sisa_kuota_jkn: jkn.sisa,
            excess_jkn: jkn.excess,
            kuota_nonjkn,
            total_registrasi_nonjkn: non.used,
            sisa_kuota_nonjkn: non.sisa,
            excess_nonjkn: non.excess,
        }
    }

    pub fn usage(&self) -> Usage {
        Usage {
            jkn: self.total_registrasi_jkn,
            nonjkn: self.total_registrasi_nonjkn,
        }
    }

    pub fn pool(&self, jenis: Jenis) -> PoolQuota {
        match jenis {
            Jenis::Jkn => PoolQuota::new(jenis, self.kuota_jkn, self.total_registrasi_jkn),
            Jenis::NonJkn => PoolQuota::new(jenis, self.kuota_nonjkn, self.total_registrasi_nonjkn),
        }
    }

    /// The capacity of the shift's OPD session: JKN quota + non-JKN quota.
    pub fn capacity(&self) -> u32 {
        self.kuota_jkn.saturating_add(self.kuota_nonjkn)
    }

    /// The quota once one more token of `jenis` is issued: what `antrean/add` reports.
    pub fn after_issue(&self, jenis: Jenis) -> Quota {
        Quota::from_pools(self.kuota_jkn, self.kuota_nonjkn, self.usage().plus(jenis, 1))
    }
}

/// Whether a token of `jenis` may be issued: refused with a clear message when that pool is
/// full, except for emergencies. Call it before any slot logic runs.
pub fn check_pool(quota: &Quota, jenis: Jenis, source: Source) -> Result<()> {
    let pool = quota.pool(jenis);
    if source == Source::Emergency || !pool.is_full() {
        return Ok(());
    }
    let label = jenis.label();
    if pool.kuota == 0 {
        return Err(Error::conflict(format!(
            "Jadwal ini tidak menyediakan kuota {label}. Pilih jadwal atau dokter lain."
        )));
    }
    Err(Error::conflict(format!(
        "Kuota {label} jadwal ini sudah penuh ({} dari {} terpakai). Pilih jadwal atau dokter lain.",
        pool.used, pool.kuota
    )))
}

/// When a patient is expected to be served, as BPJS `estimasidilayani` wants it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Estimasi {
    pub at: DateTime<Utc>,
    /// The same instant in epoch milliseconds.
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub epoch_ms: i64,
}

/// Epoch milliseconds of an instant, the unit of BPJS `waktu` and `estimasidilayani`.
pub fn epoch_ms(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

/// The seed's formula: shift start + queue number × minutes per patient, the shift start being
/// WIB wall-clock on `date`. Refused only when the result is out of any sensible range.
pub fn estimasi_dilayani(
    date: NaiveDate,
    shift_start: NaiveTime,
    queue_number: u32,
    minutes_per_patient: u32,
) -> Result<Estimasi> {
    let minutes = u64::from(queue_number) * u64::from(minutes_per_patient);
    let at = i64::try_from(minutes)
        .ok()
        .and_then(TimeDelta::try_minutes)
        .and_then(|d| wib_instant(date, shift_start).checked_add_signed(d))
        .ok_or_else(|| Error::invalid("Estimasi waktu dilayani di luar jangkauan: periksa nomor antrean."))?;
    Ok(Estimasi {
        at,
        epoch_ms: epoch_ms(at),
    })
}

/// How close a pool is to full. Ordered: `Normal < Threshold < Full`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum AlertLevel {
    #[default]
    Normal,
    /// At or above the threshold, not full.
    Threshold,
    Full,
}

impl AlertLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertLevel::Normal => "normal",
            AlertLevel::Threshold => "threshold",
            AlertLevel::Full => "full",
        }
    }
}

/// The level of a pool. A pool with quota 0 is never alerted (there is nothing to fill; the pool
/// check refuses it anyway). `threshold_bp` 0 or ≥ 10 000 turns the threshold alert off.
pub fn alert_level(pool: &PoolQuota, threshold_bp: u32) -> AlertLevel {
    if pool.kuota == 0 {
        return AlertLevel::Normal;
    }
    if pool.is_full() {
        return AlertLevel::Full;
    }
    let armed = (1..FULL_BP).contains(&threshold_bp);
    if armed && u64::from(pool.used) * u64::from(FULL_BP) >= u64::from(pool.kuota) * u64::from(threshold_bp) {
        return AlertLevel::Threshold;
    }
    AlertLevel::Normal
}

/// The last alert level of both pools of one shift, as the caller stores it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AlertState {
    pub jkn: AlertLevel,
    pub nonjkn: AlertLevel,
}

impl AlertState {
    /// The state to store after looking at `quota`.
    pub fn of(quota: &Quota, threshold_bp: u32) -> AlertState {
        AlertState {
            jkn: alert_level(&quota.pool(Jenis::Jkn), threshold_bp),
            nonjkn: alert_level(&quota.pool(Jenis::NonJkn), threshold_bp),
        }
    }

    pub fn level(&self, jenis: Jenis) -> AlertLevel {
        match jenis {
            Jenis::Jkn => self.jkn,
            Jenis::NonJkn => self.nonjkn,
        }
    }
}

/// A pool rose to `Threshold` or `Full`: one desktop notification and a banner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct QuotaAlert {
    pub jenis: Jenis,
    pub level: AlertLevel,
    pub kuota: u32,
    pub used: u32,
    pub sisa: u32,
}

impl QuotaAlert {
    /// For the clerk, without the shift (the caller adds doctor, poli and jam praktek).
    pub fn message(&self) -> String {
        let label = self.jenis.label();
        match self.level {
            AlertLevel::Full => format!("Kuota {label} penuh: {} dari {} terpakai.", self.used, self.kuota),
            _ => format!(
                "Kuota {label} hampir penuh: {} dari {} terpakai, sisa {}.",
                self.used, self.kuota, self.sisa
            ),
        }
    }
}

/// The alerts to raise when the quota of a shift is now `after` and the stored state is
/// `before`: one alert per pool whose level rose, at its new level (a jump from normal straight
/// to full raises only the full alert). Falling levels raise nothing. Idempotent: with
/// `before = AlertState::of(after, threshold_bp)` it returns nothing, so the caller stores that
/// state after every call and a pool that dropped below full (a cancellation) is re-armed.
pub fn transitions(before: AlertState, after: &Quota, threshold_bp: u32) -> Vec<QuotaAlert> {
    Jenis::ALL
        .into_iter()
        .filter_map(|jenis| {
            let pool = after.pool(jenis);
            let level = alert_level(&pool, threshold_bp);
            (level > before.level(jenis)).then_some(QuotaAlert {
                jenis,
                level,
                kuota: pool.kuota,
                used: pool.used,
                sisa: pool.sisa,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opd::{SlotId, TokenId};
    use crate::ErrorCode;
    use proptest::prelude::*;

    fn usage(jkn: u32, nonjkn: u32) -> Usage {
        Usage { jkn, nonjkn }
    }

    #[test]
    fn the_seed_example_holds() {
        let q = Quota::new(54, DEFAULT_NONJKN_RATIO_BP, usage(12, 12));
        assert_eq!(q.kuota_jkn, 54);
        assert_eq!(q.kuota_nonjkn, 16);
        assert_eq!(q.sisa_kuota_jkn, 42);
        assert_eq!(q.sisa_kuota_nonjkn, 4);
        assert_eq!((q.excess_jkn, q.excess_nonjkn), (0, 0));
        assert_eq!((q.total_registrasi_jkn, q.total_registrasi_nonjkn), (12, 12));
        assert_eq!(q.capacity(), 70);
    }

    #[test]
    fn nonjkn_quota_is_floored_exactly() {
        let cases = [
            (54, 3000, 16),
            (10, 3000, 3),
            (3, 3000, 0),
            (4, 3000, 1),
            (100, 2950, 29),
            (7, 10_000, 7),
            (7, 0, 0),
            (0, 3000, 0),
            (1000, 3333, 333),
            (u32::MAX, 10_000, u32::MAX),
        ];
        for (kuota, bp, want) in cases {
            assert_eq!(kuota_nonjkn(kuota, bp), want, "{kuota} × {bp}");
        }
    }

    #[test]
    fn sisa_clamps_and_excess_is_reported() {
        let cases = [
            // kuota_jkn, used jkn, used non, sisa jkn, excess jkn, sisa non, excess non
            (54, 54, 16, 0, 0, 0, 0),
            (54, 60, 20, 0, 6, 0, 4),
            (10, 0, 0, 10, 0, 3, 0),
            (0, 2, 1, 0, 2, 0, 1),
        ];
        for (kuota, uj, un, sj, ej, sn, en) in cases {
            let q = Quota::new(kuota, 3000, usage(uj, un));
            assert_eq!(
                (q.sisa_kuota_jkn, q.excess_jkn, q.sisa_kuota_nonjkn, q.excess_nonjkn),
                (sj, ej, sn, en),
                "kuota {kuota}, used {uj}/{un}"
            );
        }
    }

    fn token(n: u32, jenis: Jenis, status: Status) -> Token {
        Token {
            token_id: TokenId(i64::from(n)),
            number: n,
            slot_id: SlotId(1),
            source: Source::WalkIn,
            paid: false,
            jenis,
            norm: None,
            name: None,
            priority: 100,
            requested_at: wib_instant(
                NaiveDate::from_ymd_opt(2026, 1, 19).unwrap(),
                NaiveTime::from_hms_opt(7, 0, 0).unwrap(),
            ),
            status,
            cancel_reason: None,
        }
    }

    #[test]
    fn only_cancelled_tokens_give_their_quota_back() {
        let tokens: Vec<Token> = Status::ALL
            .iter()
            .enumerate()
            .flat_map(|(i, s)| {
                let n = u32::try_from(i).unwrap() * 2 + 1;
                [token(n, Jenis::Jkn, *s), token(n + 1, Jenis::NonJkn, *s)]
            })
            .collect();
        // Six statuses, one cancelled: five of each jenis count (waitlisted and no-show included).
        assert_eq!(Usage::of_tokens(&tokens), usage(5, 5));
        assert!(!counts_toward_quota(Status::Cancelled));
        for s in [Status::Waitlisted, Status::NoShow, Status::Completed] {
            assert!(counts_toward_quota(s), "{s}");
        }
    }

    #[test]
    fn after_issue_counts_the_new_token() {
        let q = Quota::new(54, 3000, usage(12, 15));
        let a = q.after_issue(Jenis::NonJkn);
        assert_eq!((a.total_registrasi_nonjkn, a.sisa_kuota_nonjkn), (16, 0));
        assert_eq!(a.total_registrasi_jkn, 12);
        let b = a.after_issue(Jenis::NonJkn);
        assert_eq!((b.sisa_kuota_nonjkn, b.excess_nonjkn), (0, 1));
    }

    #[test]
    fn pool_check_refuses_a_full_pool_except_emergencies() {
        let full_non = Quota::new(54, 3000, usage(12, 16));
        assert!(check_pool(&full_non, Jenis::Jkn, Source::WalkIn).is_ok());
        let e = check_pool(&full_non, Jenis::NonJkn, Source::WalkIn).unwrap_err();
        assert_eq!(e.code, ErrorCode::Conflict);
        assert_eq!(
            e.message,
            "Kuota Non-JKN jadwal ini sudah penuh (16 dari 16 terpakai). Pilih jadwal atau dokter lain."
        );
        for source in [Source::Online, Source::FollowUp] {
            assert!(check_pool(&full_non, Jenis::NonJkn, source).is_err());
        }
        assert!(check_pool(&full_non, Jenis::NonJkn, Source::Emergency).is_ok());

        let over_jkn = Quota::new(10, 3000, usage(11, 0));
        assert!(check_pool(&over_jkn, Jenis::Jkn, Source::Online)
            .unwrap_err()
            .message
            .contains("Kuota JKN"));

        let no_nonjkn = Quota::new(10, 0, usage(0, 0));
        assert_eq!(
            check_pool(&no_nonjkn, Jenis::NonJkn, Source::WalkIn)
                .unwrap_err()
                .message,
            "Jadwal ini tidak menyediakan kuota Non-JKN. Pilih jadwal atau dokter lain."
        );
    }

    #[test]
    fn estimated_service_time_is_wib_wall_clock() {
        let date = NaiveDate::from_ymd_opt(2026, 1, 19).unwrap();
        let start = NaiveTime::from_hms_opt(8, 0, 0).unwrap();
        let e = estimasi_dilayani(date, start, 12, 6).unwrap();
        // 08:00 WIB + 12 × 6 min = 09:12 WIB = 02:12 UTC.
        assert_eq!(e.at.to_rfc3339(), "2026-01-19T02:12:00+00:00");
        assert_eq!(e.epoch_ms, 1_768_788_720_000);
        assert_eq!(epoch_ms(e.at), e.epoch_ms);
        let first = estimasi_dilayani(date, start, 1, 6).unwrap();
        assert_eq!(crate::time::format_wib(first.at), "19/01/2026 08:06 WIB");
        assert_eq!(
            estimasi_dilayani(date, start, 0, 6).unwrap().at,
            wib_instant(date, start)
        );
        // A late shift rolls into the next WIB day rather than wrapping.
        let late = estimasi_dilayani(date, NaiveTime::from_hms_opt(22, 0, 0).unwrap(), 30, 6).unwrap();
        assert_eq!(crate::time::format_wib(late.at), "20/01/2026 01:00 WIB");
        assert!(estimasi_dilayani(date, start, u32::MAX, u32::MAX).is_err());
    }

    #[test]
    fn alert_levels_table() {
        let cases = [
            // kuota, used, threshold, level
            (10, 0, 9000, AlertLevel::Normal),
            (10, 8, 9000, AlertLevel::Normal),
            (10, 9, 9000, AlertLevel::Threshold),
            (10, 10, 9000, AlertLevel::Full),
            (10, 12, 9000, AlertLevel::Full),
            (54, 48, 9000, AlertLevel::Normal),
            (54, 49, 9000, AlertLevel::Threshold),
            (10, 9, 0, AlertLevel::Normal),
            (10, 9, 10_000, AlertLevel::Normal),
            (10, 10, 0, AlertLevel::Full),
            (0, 0, 9000, AlertLevel::Normal),
            (0, 3, 9000, AlertLevel::Normal),
            (1, 0, 9000, AlertLevel::Normal),
            (1, 1, 9000, AlertLevel::Full),
        ];
        for (kuota, used, th, want) in cases {
            let pool = PoolQuota::new(Jenis::Jkn, kuota, used);
            assert_eq!(alert_level(&pool, th), want, "{used}/{kuota} at {th}");
        }
    }

    #[test]
    fn a_pool_becoming_full_alerts_once_and_rearms_after_a_cancellation() {
        let th = DEFAULT_ALERT_THRESHOLD_BP;
        let mut stored = AlertState::default();
        let mut raised = Vec::new();
        // Non-JKN kuota 3 (10 × 0.30): 1, 2 (threshold? 2/3 = 67 % no), 3 (full), 3 again,
        // cancel → 2, then 3 (full again).
        for used in [1, 2, 3, 3, 2, 3] {
            let q = Quota::new(10, 3000, usage(0, used));
            raised.extend(transitions(stored, &q, th).into_iter().map(|a| (used, a.level)));
            stored = AlertState::of(&q, th);
        }
        assert_eq!(raised, vec![(3, AlertLevel::Full), (3, AlertLevel::Full)]);

        // JKN kuota 10: 8 → 9 threshold, 10 full, back to 9 (re-armed), 10 full again.
        let mut stored = AlertState::default();
        let mut raised = Vec::new();
        for used in [8, 9, 9, 10, 10, 9, 10] {
            let q = Quota::new(10, 3000, usage(used, 0));
            raised.extend(transitions(stored, &q, th).into_iter().map(|a| (used, a.level)));
            stored = AlertState::of(&q, th);
        }
        assert_eq!(
            raised,
            vec![
                (9, AlertLevel::Threshold),
                (10, AlertLevel::Full),
                (10, AlertLevel::Full)
            ]
        );
    }

    #[test]
    fn transitions_report_both_pools_and_jumps() {
        let q = Quota::new(10, 3000, usage(10, 3));
        let alerts = transitions(AlertState::default(), &q, 9000);
        assert_eq!(
            alerts,
            vec![
                QuotaAlert {
                    jenis: Jenis::Jkn,
                    level: AlertLevel::Full,
                    kuota: 10,
                    used: 10,
                    sisa: 0
                },
                QuotaAlert {
                    jenis: Jenis::NonJkn,
                    level: AlertLevel::Full,
                    kuota: 3,
                    used: 3,
                    sisa: 0
                },
            ]
        );
        assert_eq!(alerts[0].message(), "Kuota JKN penuh: 10 dari 10 terpakai.");
        let near = transitions(AlertState::default(), &Quota::new(10, 3000, usage(9, 0)), 9000);
        assert_eq!(near[0].message(), "Kuota JKN hampir penuh: 9 dari 10 terpakai, sisa 1.");
        // From threshold to full: one full alert.
        let stored = AlertState {
            jkn: AlertLevel::Threshold,
            nonjkn: AlertLevel::Full,
        };
        let alerts = transitions(stored, &q, 9000);
        assert_eq!(alerts.len(), 1);
        assert_eq!((alerts[0].jenis, alerts[0].level), (Jenis::Jkn, AlertLevel::Full));
        assert!(transitions(AlertState::of(&q, 9000), &q, 9000).is_empty());
    }

    #[test]
    fn quota_serialises_with_the_cli_field_names() {
        let q = Quota::new(54, 3000, usage(12, 12));
        let v = serde_json::to_value(q).unwrap();
        for k in [
            "kuota_jkn",
            "total_registrasi_jkn",
            "sisa_kuota_jkn",
            "kuota_nonjkn",
            "total_registrasi_nonjkn",
            "sisa_kuota_nonjkn",
        ] {
            assert!(v.get(k).is_some(), "{k}");
        }
        assert_eq!(serde_json::from_value::<Quota>(v).unwrap(), q);
        assert_eq!(serde_json::to_value(AlertLevel::Threshold).unwrap(), "threshold");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn sisa_and_excess_arithmetic(kuota in 0u32..5000, bp in 0u32..=10_000, uj in 0u32..6000, un in 0u32..6000) {
            let q = Quota::new(kuota, bp, usage(uj, un));
            let non = q.kuota_nonjkn;
            prop_assert!(u64::from(non) * 10_000 <= u64::from(kuota) * u64::from(bp));
            prop_assert!((u64::from(non) + 1) * 10_000 > u64::from(kuota) * u64::from(bp));
            prop_assert!(non <= kuota);
            for jenis in Jenis::ALL {
                let p = q.pool(jenis);
                prop_assert_eq!(i64::from(p.sisa) - i64::from(p.excess), i64::from(p.kuota) - i64::from(p.used));
                prop_assert_eq!(p.sisa.min(p.excess), 0);
                prop_assert_eq!(p.sisa <= p.kuota, true);
                prop_assert_eq!(p.is_full(), p.sisa == 0);
            }
            prop_assert_eq!(q.usage(), usage(uj, un));
        }

        /// Random walks of usage (issues and cancellations), the caller storing the state after
        /// every call: a level is alerted only on a rise, never twice without a fall in between,
        /// and a repeated call raises nothing.
        #[test]
        fn alerts_never_repeat_for_one_transition(
            kuota in 0u32..12,
            th in prop_oneof![Just(0u32), Just(9000u32), 1u32..=10_000],
            steps in proptest::collection::vec((any::<bool>(), -3i32..=3), 1..60),
        ) {
            let mut used = [0u32; 2];
            let mut stored = AlertState::default();
            let mut full_alerts = [0u32; 2];
            let mut rises_into_full = [0u32; 2];
            for (pick_jkn, delta) in steps {
                let i = usize::from(!pick_jkn);
                used[i] = used[i].saturating_add_signed(delta);
                let q = Quota::new(kuota, 5000, usage(used[0], used[1]));
                let alerts = transitions(stored, &q, th);
                let now = AlertState::of(&q, th);
                for (k, jenis) in Jenis::ALL.into_iter().enumerate() {
                    let mine: Vec<&QuotaAlert> = alerts.iter().filter(|a| a.jenis == jenis).collect();
                    prop_assert!(mine.len() <= 1);
                    let rose = now.level(jenis) > stored.level(jenis);
                    prop_assert_eq!(mine.len() == 1, rose);
                    if let Some(a) = mine.first() {
                        prop_assert_eq!(a.level, now.level(jenis));
                        prop_assert!(a.level != AlertLevel::Normal);
                    }
                    if now.level(jenis) == AlertLevel::Full && stored.level(jenis) != AlertLevel::Full {
                        rises_into_full[k] += 1;
                    }
                    full_alerts[k] += u32::try_from(mine.iter().filter(|a| a.level == AlertLevel::Full).count()).unwrap();
                }
                prop_assert!(transitions(now, &q, th).is_empty());
                stored = now;
            }
            prop_assert_eq!(full_alerts, rises_into_full);
        }
    }
}
