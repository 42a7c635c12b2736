//! Saldo pasien (issue 7): monthly balances per patient from deposits (DEPOSIT) and charge items
//! (TAGIHAN) priced with the tariff (TARIF) in force on the charge date.
//!
//! - A charge's unit price is the `harga` of the [`Tariff`] of its `kode_item` with the latest
//!   `berlaku_mulai` on or before the charge date ([`TariffBook::price_on`], a binary search).
//! - volume = jumlah × faktor, exact ([`Qty`] × [`Qty`] = [`Volume`]); amount = volume × harga
//!   rounded half away from zero to whole rupiah (`2,5 × 333 = 832,5 → 833`, `−832,5 → −833`).
//!   No floating point anywhere: quantities are fixed-point integers, the products are `i128`.
//! - A charge with no tariff in force is never counted as zero: it is reported as an
//!   [`UnpricedCharge`] until a tariff arrives, and left out of the totals meanwhile.
//! - Deposits and charges with status `Batal` (any case) do not count ([`is_batal`]).
//! - One [`MonthBalance`] per month from the patient's first activity (first deposit or charge
//!   that is not `Batal`, priced or not) through `as_of`, empty months included; opening = the
//!   previous closing (0 in the first month), closing = opening + deposits − charges. A row
//!   dated after `as_of` is never dropped: the months run on to it.
//!
//! The service keeps the rows up to date incrementally: [`earliest_affected_month`] of the
//! changed rows, then [`recompute_from`] that month with the stored closing of the month before.
//! [`compute_patient`] (everything from scratch) gives the same rows.

use std::borrow::{Borrow, Cow};
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Error, Result, Rupiah};

// ---------------------------------------------------------------------------------------------
// Fixed-point decimals
// ---------------------------------------------------------------------------------------------

/// Parses a decimal with at most `places` digits after the separator (`.` or `,`) into an
/// integer scaled by 10^`places`. An optional sign, digits before the separator required.
fn parse_fixed(s: &str, places: u32) -> Result<i128> {
    let t = s.trim();
    let bad = || {
        Error::invalid(format!(
            "Angka \"{t}\" tidak valid; gunakan angka desimal, misalnya 2,5 atau 0.75."
        ))
    };
    let (neg, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (int, frac) = match body.find(['.', ',']) {
        Some(i) => (&body[..i], &body[i + 1..]),
        None => (body, ""),
    };
    let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    let has_separator = int.len() < body.len();
    if int.is_empty() || !all_digits(int) || (has_separator && frac.is_empty()) || !all_digits(frac) {
        return Err(bad());
    }
    if frac.len() > places as usize {
        return Err(Error::invalid(format!(
            "Angka \"{t}\" punya {} angka di belakang koma; paling banyak {places}.",
            frac.len()
        )));
    }
    let too_big = || Error::invalid(format!("Angka \"{t}\" terlalu besar."));
    let padding = std::iter::repeat_n(b'0', places as usize - frac.len());
    let mut v: i128 = 0;
    for b in int.bytes().chain(frac.bytes()).chain(padding) {
        v = v
            .checked_mul(10)
            .and_then(|v| v.checked_add(i128::from(b - b'0')))
            .ok_or_else(too_big)?;
    }
    Ok(if neg { -v } else { v })
}

/// Writes `raw` / 10^`places` with a `.` separator and no trailing zeros: `2.5`, `3`, `-0.0001`.
fn fmt_fixed(raw: i128, places: u32, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let scale = 10u128.pow(places);
    let abs = raw.unsigned_abs();
    let (int, mut frac) = (abs / scale, abs % scale);
    let sign = if raw < 0 { "-" } else { "" };
    if frac == 0 {
        return write!(f, "{sign}{int}");
    }
    let mut width = places as usize;
    while frac % 10 == 0 {
        frac /= 10;
        width -= 1;
    }
    write!(f, "{sign}{int}.{frac:0width$}")
}

/// n / d rounded half away from zero (d > 0): 8325 / 10 = 833, −8325 / 10 = −833.
fn div_round_half_away(n: i128, d: i128) -> i128 {
    let (q, r) = (n / d, n % d);
    if r.abs() * 2 >= d {
        q + n.signum()
    } else {
        q
    }
}

/// Serde for a fixed-point type: a decimal string (`"2.5"`), read also from a JSON integer.
/// A JSON float is refused: it is not exact.
struct FixedVisitor {
    places: u32,
}

impl Visitor<'_> for FixedVisitor {
    type Value = i128;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an exact decimal as a string, e.g. \"2.5\", or an integer")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<i128, E> {
        parse_fixed(v, self.places).map_err(|e| E::custom(e.message))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i128, E> {
        i128::from(v)
            .checked_mul(10i128.pow(self.places))
            .ok_or_else(|| E::custom("angka terlalu besar"))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i128, E> {
        i128::from(v)
            .checked_mul(10i128.pow(self.places))
            .ok_or_else(|| E::custom("angka terlalu besar"))
    }
}

/// A quantity (`jumlah`) or factor (`faktor`): an exact decimal with up to 4 places, stored as
/// an integer of ten-thousandths. Parsed from `"1"`, `"2.5"`, `"0,75"`, `"1.3333"`, `"-1"`; both
/// `.` and `,` are the decimal separator (there is no thousands separator: `"1.000"` is one).
/// Serialized as a decimal string, `"2.5"`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "specta", specta(type = String))]
pub struct Qty(i64);

impl Qty {
    /// Digits after the decimal separator.
    pub const PLACES: u32 = 4;
    /// 10^[`Qty::PLACES`].
    pub const SCALE: i64 = 10_000;
    pub const ZERO: Qty = Qty(0);
    pub const ONE: Qty = Qty(Qty::SCALE);

    /// The quantity `raw` / 10 000.
    pub const fn from_raw(raw: i64) -> Qty {
        Qty(raw)
    }
    /// The quantity in ten-thousandths.
    pub const fn raw(self) -> i64 {
        self.0
    }
    /// A whole number, if it fits.
    pub fn from_int(n: i64) -> Option<Qty> {
        n.checked_mul(Qty::SCALE).map(Qty)
    }
    /// Parses `"2.5"`, `"0,75"`, `"-1"`; more than 4 decimals, garbage, `NaN` are refused.
    pub fn parse(s: &str) -> Result<Qty> {
        let raw = parse_fixed(s, Qty::PLACES)?;
        i64::try_from(raw)
            .map(Qty)
            .map_err(|_| Error::invalid(format!("Angka \"{}\" terlalu besar.", s.trim())))
    }
    /// self × other, exact (never overflows: the product has 8 places in an `i128`).
    pub fn times(self, other: Qty) -> Volume {
        Volume(i128::from(self.0) * i128::from(other.0))
    }
}

impl fmt::Display for Qty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_fixed(i128::from(self.0), Qty::PLACES, f)
    }
}

impl FromStr for Qty {
    type Err = Error;
    fn from_str(s: &str) -> Result<Qty> {
        Qty::parse(s)
    }
}

impl Serialize for Qty {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Qty {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Qty, D::Error> {
        let raw = d.deserialize_any(FixedVisitor { places: Qty::PLACES })?;
        i64::try_from(raw)
            .map(Qty)
            .map_err(|_| de::Error::custom("angka terlalu besar"))
    }
}

/// A volume, jumlah × faktor: an exact decimal with 8 places (the product of two [`Qty`]),
/// stored as an `i128` of hundred-millionths. Serialized as a decimal string, `"3.9999"`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "specta", specta(type = String))]
pub struct Volume(i128);

impl Volume {
    /// Digits after the decimal separator.
    pub const PLACES: u32 = 8;
    /// 10^[`Volume::PLACES`].
    pub const SCALE: i128 = 100_000_000;
    pub const ZERO: Volume = Volume(0);

    /// The volume `raw` / 10^8.
    pub const fn from_raw(raw: i128) -> Volume {
        Volume(raw)
    }
    /// The volume in hundred-millionths.
    pub const fn raw(self) -> i128 {
        self.0
    }
    /// Parses `"3.99995"`; up to 8 decimals.
    pub fn parse(s: &str) -> Result<Volume> {
        parse_fixed(s, Volume::PLACES).map(Volume)
    }
    pub fn checked_add(self, other: Volume) -> Option<Volume> {
        self.0.checked_add(other.0).map(Volume)
    }
    /// self × `harga` rounded half away from zero to whole rupiah; `None` if it does not fit.
    pub fn times_price(self, harga: Rupiah) -> Option<Rupiah> {
        let exact = self.0.checked_mul(i128::from(harga.0))?;
        i64::try_from(div_round_half_away(exact, Volume::SCALE))
            .ok()
            .map(Rupiah)
    }
}

impl fmt::Display for Volume {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_fixed(self.0, Volume::PLACES, f)
    }
}

impl FromStr for Volume {
    type Err = Error;
    fn from_str(s: &str) -> Result<Volume> {
        Volume::parse(s)
    }
}

impl Serialize for Volume {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Volume {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Volume, D::Error> {
        d.deserialize_any(FixedVisitor { places: Volume::PLACES }).map(Volume)
    }
}

/// The rupiah amount of `jumlah` × `faktor` at `harga`: exact product, rounded half away from
/// zero once at the end. `None` if it does not fit in rupiah.
pub fn charge_amount(jumlah: Qty, faktor: Qty, harga: Rupiah) -> Option<Rupiah> {
    jumlah.times(faktor).times_price(harga)
}

// ---------------------------------------------------------------------------------------------
// Months
// ---------------------------------------------------------------------------------------------

/// A calendar month, `YYYY-MM` (the dates are WIB calendar dates). Ordered by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "specta", specta(type = String))]
pub struct YearMonth {
    year: i32,
    month: u32,
}

impl YearMonth {
    /// `month` 1–12, `year` 1–9999.
    pub fn new(year: i32, month: u32) -> Result<YearMonth> {
        if !(1..=9999).contains(&year) {
            return Err(Error::invalid(format!(
                "Tahun {year} tidak valid; gunakan tahun 1 sampai 9999."
            )));
        }
        if !(1..=12).contains(&month) {
            return Err(Error::invalid(format!(
                "Bulan {month} tidak valid; gunakan 1 sampai 12."
            )));
        }
        Ok(YearMonth { year, month })
    }

    /// The month of a date.
    pub fn of(date: NaiveDate) -> YearMonth {
        YearMonth {
            year: date.year(),
            month: date.month(),
        }
    }

    /// Parses `YYYY-MM`, e.g. `2024-08`.
    pub fn parse(s: &str) -> Result<YearMonth> {
        let t = s.trim();
        let bad = || {
            Error::invalid(format!(
                "Periode \"{t}\" tidak valid; gunakan format TTTT-BB, misalnya 2024-08."
            ))
        };
        let b = t.as_bytes();
        let shape = b.len() == 7 && b[4] == b'-' && b[..4].iter().chain(&b[5..]).all(u8::is_ascii_digit);
        if !shape {
            return Err(bad());
        }
        let year: i32 = t[..4].parse().map_err(|_| bad())?;
        let month: u32 = t[5..].parse().map_err(|_| bad())?;
        YearMonth::new(year, month).map_err(|_| bad())
    }

    pub fn year(self) -> i32 {
        self.year
    }
    pub fn month(self) -> u32 {
        self.month
    }

    /// The next month: `2024-12` → `2025-01`.
    pub fn succ(self) -> YearMonth {
        YearMonth::from_index(self.index() + 1)
    }
    /// The previous month: `2025-01` → `2024-12`.
    pub fn pred(self) -> YearMonth {
        YearMonth::from_index(self.index() - 1)
    }

    /// The first day of the month.
    pub fn first_day(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month, 1)
    }

    /// Months since year 0: a dense index, `succ` is `+ 1`.
    fn index(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }
    fn from_index(i: i64) -> YearMonth {
        YearMonth {
            year: i.div_euclid(12) as i32,
            month: i.rem_euclid(12) as u32 + 1,
        }
    }
}

impl From<NaiveDate> for YearMonth {
    fn from(date: NaiveDate) -> YearMonth {
        YearMonth::of(date)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for YearMonth {
    type Err = Error;
    fn from_str(s: &str) -> Result<YearMonth> {
        YearMonth::parse(s)
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<YearMonth, D::Error> {
        let s = Cow::<str>::deserialize(d)?;
        YearMonth::parse(&s).map_err(|e| de::Error::custom(e.message))
    }
}

// ---------------------------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------------------------

/// A row with this status does not count: `Batal`, in any case, surrounding spaces ignored.
pub fn is_batal(status: &str) -> bool {
    status.trim().eq_ignore_ascii_case("batal")
}

/// A TARIF row: the price of one item code from a date on. Also the `pricing_used` of a
/// [`TransactionCalculation`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Tariff {
    pub kode_item: String,
    /// In force from this date (inclusive) until the next row of the same code.
    pub berlaku_mulai: NaiveDate,
    /// Unit price, whole rupiah.
    pub harga: Rupiah,
}

/// A TAGIHAN item: a quantity of one item code charged to a patient on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Charge {
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub id_tagihan_item: i64,
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub id_tagihan: i64,
    pub no_rm: String,
    /// WIB calendar date.
    pub tanggal: NaiveDate,
    pub kode_item: String,
    pub nama_item: String,
    pub jumlah: Qty,
    /// Multiplies `jumlah`; 1 when absent.
    #[serde(default = "one")]
    pub faktor: Qty,
    /// `Batal` (any case) does not count.
    #[serde(default)]
    pub status: String,
}

fn one() -> Qty {
    Qty::ONE
}

impl Charge {
    /// Not cancelled.
    pub fn counts(&self) -> bool {
        !is_batal(&self.status)
    }
    pub fn year_month(&self) -> YearMonth {
        YearMonth::of(self.tanggal)
    }
    /// jumlah × faktor, exact.
    pub fn volume(&self) -> Volume {
        self.jumlah.times(self.faktor)
    }
}

/// A DEPOSIT: money a patient paid in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Deposit {
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub id_deposit: i64,
    pub no_rm: String,
    /// WIB calendar date.
    pub tanggal: NaiveDate,
    pub jumlah: Rupiah,
    pub metode: String,
    #[serde(default)]
    pub keterangan: Option<String>,
    /// `Batal` (any case) does not count.
    #[serde(default)]
    pub status: String,
}

impl Deposit {
    /// Not cancelled.
    pub fn counts(&self) -> bool {
        !is_batal(&self.status)
    }
    pub fn year_month(&self) -> YearMonth {
        YearMonth::of(self.tanggal)
    }
}

// ---------------------------------------------------------------------------------------------
// Tariffs and pricing
// ---------------------------------------------------------------------------------------------

/// All tariffs, sorted by (kode_item, berlaku_mulai), built once: a price lookup is one binary
/// search and allocates nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TariffBook {
    rows: Vec<Tariff>,
}

impl TariffBook {
    /// Sorts the rows. Two rows of one code from the same date with different prices are
    /// refused (which one applies would be a guess); identical rows are kept once. A negative
    /// price is refused.
    pub fn new(tariffs: impl IntoIterator<Item = Tariff>) -> Result<TariffBook> {
        let mut rows: Vec<Tariff> = tariffs.into_iter().collect();
        if let Some(t) = rows.iter().find(|t| t.harga < Rupiah::ZERO) {
            return Err(Error::invalid(format!(
                "Harga tarif {} berlaku mulai {} negatif ({}).",
                t.kode_item, t.berlaku_mulai, t.harga
            )));
        }
        rows.sort_unstable_by(|a, b| {
            (a.kode_item.as_str(), a.berlaku_mulai, a.harga).cmp(&(b.kode_item.as_str(), b.berlaku_mulai, b.harga))
        });
        rows.dedup();
        if let Some(w) = rows
            .windows(2)
            .find(|w| w[0].kode_item == w[1].kode_item && w[0].berlaku_mulai == w[1].berlaku_mulai)
        {
            return Err(Error::invalid(format!(
                "Tarif {} berlaku mulai {} punya dua harga ({} dan {}); hapus salah satunya.",
                w[0].kode_item, w[0].berlaku_mulai, w[0].harga, w[1].harga
            )));
        }
        Ok(TariffBook { rows })
    }

    /// The tariff of `kode_item` in force on `date`: the latest `berlaku_mulai` on or before it.
    pub fn price_on(&self, kode_item: &str, date: NaiveDate) -> Option<&Tariff> {
        let i = self
            .rows
            .partition_point(|t| (t.kode_item.as_str(), t.berlaku_mulai) <= (kode_item, date));
        let t = self.rows.get(i.checked_sub(1)?)?;
        (t.kode_item == kode_item).then_some(t)
    }

    /// The rows, sorted by (kode_item, berlaku_mulai).
    pub fn rows(&self) -> &[Tariff] {
        &self.rows
    }
    pub fn len(&self) -> usize {
        self.rows.len()
    }
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// A charge priced: the tariff used, the exact volume and the rounded amount. Borrows the
/// tariff, allocates nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Priced<'a> {
    pub tariff: &'a Tariff,
    pub volume: Volume,
    pub amount: Rupiah,
}

/// Prices one charge (its status is not looked at): `Ok(None)` when no tariff of its code is in
/// force on its date; an error only when the amount does not fit in rupiah.
pub fn price_charge<'a>(charge: &Charge, book: &'a TariffBook) -> Result<Option<Priced<'a>>> {
    let Some(tariff) = book.price_on(&charge.kode_item, charge.tanggal) else {
        return Ok(None);
    };
    let volume = charge.volume();
    let amount = volume.times_price(tariff.harga).ok_or_else(|| {
        Error::invalid(format!(
            "Tagihan item {}: jumlah × faktor × harga terlalu besar untuk dihitung.",
            charge.id_tagihan_item
        ))
    })?;
    Ok(Some(Priced { tariff, volume, amount }))
}

/// The stored calculation of one charge item (the seed's `transaction_calculations`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TransactionCalculation {
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub id_tagihan_item: i64,
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub id_tagihan: i64,
    pub no_rm: String,
    pub year_month: YearMonth,
    pub tanggal: NaiveDate,
    pub jumlah: Qty,
    pub faktor: Qty,
    /// jumlah × faktor.
    pub volume: Volume,
    /// Unit price used.
    pub harga: Rupiah,
    /// volume × harga, rounded half away from zero.
    pub amount: Rupiah,
    /// The tariff row used (stored as JSON).
    pub pricing_used: Tariff,
}

impl TransactionCalculation {
    pub fn new(charge: &Charge, priced: &Priced<'_>) -> TransactionCalculation {
        TransactionCalculation {
            id_tagihan_item: charge.id_tagihan_item,
            id_tagihan: charge.id_tagihan,
            no_rm: charge.no_rm.clone(),
            year_month: charge.year_month(),
            tanggal: charge.tanggal,
            jumlah: charge.jumlah,
            faktor: charge.faktor,
            volume: priced.volume,
            harga: priced.tariff.harga,
            amount: priced.amount,
            pricing_used: priced.tariff.clone(),
        }
    }
}

/// The calculations of the charges that count and have a price, ordered by (tanggal, id).
/// Cancelled and unpriced charges get none (unpriced ones are in [`Balances::unpriced`]). To
/// refresh from a month on, pass only the charges of that month and later.
pub fn transaction_calculations<'a>(
    charges: impl IntoIterator<Item = &'a Charge>,
    book: &TariffBook,
) -> Result<Vec<TransactionCalculation>> {
    let mut out = Vec::new();
    for c in charges.into_iter().filter(|c| c.counts()) {
        if let Some(p) = price_charge(c, book)? {
            out.push(TransactionCalculation::new(c, &p));
        }
    }
    out.sort_unstable_by_key(|t| (t.tanggal, t.id_tagihan_item));
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Monthly balances
// ---------------------------------------------------------------------------------------------

/// What a month's totals were made of (stored as JSON).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CalculationDetails {
    /// Deposits that count.
    pub deposit_count: u32,
    /// Charges that count and have a price (in `total_charges`).
    pub charge_count: u32,
    /// Charges that count but have no tariff in force: not in any total.
    pub unpriced_count: u32,
}

/// One patient's balance for one month (the seed's `monthly_customer_balances`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MonthBalance {
    pub year_month: YearMonth,
    /// The previous month's closing; 0 in the first month.
    pub opening_balance: Rupiah,
    pub total_deposits: Rupiah,
    /// Priced charges (the seed's `total_purchases`).
    pub total_charges: Rupiah,
    /// opening + deposits − charges; negative when the patient owes.
    pub closing_balance: Rupiah,
    /// Volume of the priced charges.
    pub total_volume: Volume,
    pub details: CalculationDetails,
}

/// A charge that counts but has no tariff in force on its date: reported, never priced at 0.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UnpricedCharge {
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub id_tagihan_item: i64,
    #[cfg_attr(feature = "specta", specta(type = i32))]
    pub id_tagihan: i64,
    pub no_rm: String,
    pub kode_item: String,
    pub tanggal: NaiveDate,
}

impl UnpricedCharge {
    fn of(c: &Charge) -> UnpricedCharge {
        UnpricedCharge {
            id_tagihan_item: c.id_tagihan_item,
            id_tagihan: c.id_tagihan,
            no_rm: c.no_rm.clone(),
            kode_item: c.kode_item.clone(),
            tanggal: c.tanggal,
        }
    }
}

/// One patient's months, oldest first, and the unpriced charges in them ordered by
/// (tanggal, id).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Balances {
    pub months: Vec<MonthBalance>,
    pub unpriced: Vec<UnpricedCharge>,
}

/// The balances of one patient, for [`compute_all`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PatientBalances {
    pub no_rm: String,
    pub balances: Balances,
}

#[derive(Default, Clone, Copy)]
struct MonthAcc {
    deposits: i64,
    charges: i64,
    volume: i128,
    details: CalculationDetails,
}

fn overflow() -> Error {
    Error::invalid("Saldo pasien melampaui batas perhitungan; periksa jumlah deposit dan tagihan.")
}

fn add_i64(a: i64, b: i64) -> Result<i64> {
    a.checked_add(b).ok_or_else(overflow)
}

/// Recomputes one patient's months from `from` on, given the closing of the month before.
///
/// - `prev_closing` `Some(c)`: the stored closing of `from.pred()`; rows are produced for every
///   month from `from` through `as_of` (or the last activity, if later).
/// - `prev_closing` `None`: the patient has no stored month before `from` (or `from` is at or
///   before its first activity); rows start at the first activity on or after `from`, as
///   [`compute_patient`] does, and the result is empty when there is none.
///
/// Rows dated before `from` are ignored, so the patient's whole history may be passed. The
/// caller passes one patient's rows; the service then replaces its stored months and unpriced
/// charges from `from` on with the result.
pub fn recompute_from<D: Borrow<Deposit>, C: Borrow<Charge>>(
    prev_closing: Option<Rupiah>,
    from: YearMonth,
    as_of: YearMonth,
    deposits: &[D],
    charges: &[C],
    book: &TariffBook,
) -> Result<Balances> {
    compute(prev_closing, Some(from), as_of, deposits, charges, book)
}

/// One patient's months from its first activity through `as_of`, from scratch.
pub fn compute_patient<D: Borrow<Deposit>, C: Borrow<Charge>>(
    deposits: &[D],
    charges: &[C],
    book: &TariffBook,
    as_of: YearMonth,
) -> Result<Balances> {
    compute(None, None, as_of, deposits, charges, book)
}

/// Every patient's months from scratch, ordered by `no_rm`; patients with nothing that counts
/// are left out.
pub fn compute_all(
    deposits: &[Deposit],
    charges: &[Charge],
    book: &TariffBook,
    as_of: YearMonth,
) -> Result<Vec<PatientBalances>> {
    type Rows<'a> = (Vec<&'a Deposit>, Vec<&'a Charge>);
    let mut by_patient: HashMap<&str, Rows<'_>> = HashMap::new();
    for d in deposits {
        by_patient.entry(d.no_rm.as_str()).or_default().0.push(d);
    }
    for c in charges {
        by_patient.entry(c.no_rm.as_str()).or_default().1.push(c);
    }
    let mut patients: Vec<(&str, Rows<'_>)> = by_patient.into_iter().collect();
    patients.sort_unstable_by_key(|(no_rm, _)| *no_rm);
    let mut out = Vec::with_capacity(patients.len());
    for (no_rm, (ds, cs)) in patients {
        let balances = compute_patient(&ds, &cs, book, as_of)?;
        if !balances.months.is_empty() {
            out.push(PatientBalances {
                no_rm: no_rm.to_owned(),
                balances,
            });
        }
    }
    Ok(out)
}

fn compute<D: Borrow<Deposit>, C: Borrow<Charge>>(
    prev_closing: Option<Rupiah>,
    from: Option<YearMonth>,
    as_of: YearMonth,
    deposits: &[D],
    charges: &[C],
    book: &TariffBook,
) -> Result<Balances> {
    let from_index = from.map_or(i64::MIN, YearMonth::index);
    let deposit_months = deposits
        .iter()
        .map(Borrow::borrow)
        .filter(|d| d.counts())
        .map(|d| d.year_month());
    let charge_months = charges
        .iter()
        .map(Borrow::borrow)
        .filter(|c| c.counts())
        .map(|c| c.year_month());
    let active = deposit_months
        .chain(charge_months)
        .map(YearMonth::index)
        .filter(|&i| i >= from_index);
    let (first, last) = active.fold((None::<i64>, None::<i64>), |(lo, hi), i| {
        (Some(lo.map_or(i, |lo| lo.min(i))), Some(hi.map_or(i, |hi| hi.max(i))))
    });
    let (start, opening) = match (prev_closing, from) {
        (Some(c), Some(from)) => (from.index(), c),
        _ => match first {
            Some(first) => (first, Rupiah::ZERO),
            None => return Ok(Balances::default()),
        },
    };
    let end = last.map_or(as_of.index(), |l| l.max(as_of.index()));
    if start > end {
        return Ok(Balances::default());
    }
    let len = usize::try_from(end - start + 1).map_err(|_| overflow())?;
    let mut months = vec![MonthAcc::default(); len];
    // Every counted row is on or after `start` (start ≥ from, and start = first without a prev).
    let slot = |ym: YearMonth| usize::try_from(ym.index() - start).ok();

    for d in deposits.iter().map(Borrow::borrow).filter(|d| d.counts()) {
        let Some(m) = slot(d.year_month()).and_then(|i| months.get_mut(i)) else {
            continue;
        };
        m.deposits = add_i64(m.deposits, d.jumlah.0)?;
        m.details.deposit_count += 1;
    }
    let mut unpriced = Vec::new();
    for c in charges.iter().map(Borrow::borrow).filter(|c| c.counts()) {
        let Some(m) = slot(c.year_month()).and_then(|i| months.get_mut(i)) else {
            continue;
        };
        match price_charge(c, book)? {
            Some(p) => {
                m.charges = add_i64(m.charges, p.amount.0)?;
                m.volume = m.volume.checked_add(p.volume.0).ok_or_else(overflow)?;
                m.details.charge_count += 1;
            }
            None => {
                m.details.unpriced_count += 1;
                unpriced.push(UnpricedCharge::of(c));
            }
        }
    }
    unpriced.sort_unstable_by_key(|u| (u.tanggal, u.id_tagihan_item));

    let mut out = Vec::with_capacity(len);
    let mut balance = opening;
    for (i, m) in (start..).zip(months) {
        let closing = add_i64(balance.0, m.deposits)?
            .checked_sub(m.charges)
            .ok_or_else(overflow)?;
        out.push(MonthBalance {
            year_month: YearMonth::from_index(i),
            opening_balance: balance,
            total_deposits: Rupiah(m.deposits),
            total_charges: Rupiah(m.charges),
            closing_balance: Rupiah(closing),
            total_volume: Volume(m.volume),
            details: m.details,
        });
        balance = Rupiah(closing);
    }
    Ok(Balances { months: out, unpriced })
}

// ---------------------------------------------------------------------------------------------
// What to recompute
// ---------------------------------------------------------------------------------------------

/// A row that was inserted, updated or deleted. For an update pass both the old and the new
/// version; for a delete, the deleted row.
#[derive(Debug, Clone, Copy)]
pub enum Change<'a> {
    Deposit(&'a Deposit),
    Charge(&'a Charge),
    Tariff(&'a Tariff),
}

/// The earliest month of one patient whose balance `changes` can alter, or `None` if none.
///
/// A deposit or charge affects its own month (whatever its status: a row becoming `Batal`
/// changes that month too). A tariff affects the patient's counted charges of its code dated on
/// or after its `berlaku_mulai`: the month of the earliest one. `charges` are the patient's
/// charges as they are now. Pass only this patient's deposit and charge changes.
pub fn earliest_affected_month<'a, C: Borrow<Charge>>(
    changes: impl IntoIterator<Item = Change<'a>>,
    charges: &[C],
) -> Option<YearMonth> {
    let mut earliest: Option<NaiveDate> = None;
    let mut tariffs: Vec<&Tariff> = Vec::new();
    let mut note = |d: NaiveDate| earliest = Some(earliest.map_or(d, |e| e.min(d)));
    for change in changes {
        match change {
            Change::Deposit(d) => note(d.tanggal),
            Change::Charge(c) => note(c.tanggal),
            Change::Tariff(t) => tariffs.push(t),
        }
    }
    if !tariffs.is_empty() {
        for c in charges.iter().map(Borrow::borrow).filter(|c| c.counts()) {
            if tariffs
                .iter()
                .any(|t| t.kode_item == c.kode_item && c.tanggal >= t.berlaku_mulai)
            {
                note(c.tanggal);
            }
        }
    }
    earliest.map(YearMonth::of)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use proptest::prelude::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn ym(s: &str) -> YearMonth {
        YearMonth::parse(s).unwrap()
    }
    fn qty(s: &str) -> Qty {
        Qty::parse(s).unwrap()
    }
    fn tariff(kode: &str, from: &str, harga: i64) -> Tariff {
        Tariff {
            kode_item: kode.into(),
            berlaku_mulai: date(from),
            harga: Rupiah(harga),
        }
    }
    fn charge(id: i64, on: &str, kode: &str, jumlah: &str) -> Charge {
        Charge {
            id_tagihan_item: id,
            id_tagihan: 100 + id,
            no_rm: "00-12-34".into(),
            tanggal: date(on),
            kode_item: kode.into(),
            nama_item: format!("Item {kode}"),
            jumlah: qty(jumlah),
            faktor: Qty::ONE,
            status: String::new(),
        }
    }
    fn deposit(id: i64, on: &str, jumlah: i64) -> Deposit {
        Deposit {
            id_deposit: id,
            no_rm: "00-12-34".into(),
            tanggal: date(on),
            jumlah: Rupiah(jumlah),
            metode: "tunai".into(),
            keterangan: None,
            status: String::new(),
        }
    }
    fn book(rows: &[Tariff]) -> TariffBook {
        TariffBook::new(rows.iter().cloned()).unwrap()
    }
    /// (year_month, opening, deposits, charges, closing) of each row.
    fn summary(b: &Balances) -> Vec<(String, i64, i64, i64, i64)> {
        b.months
            .iter()
            .map(|m| {
                (
                    m.year_month.to_string(),
                    m.opening_balance.0,
                    m.total_deposits.0,
                    m.total_charges.0,
                    m.closing_balance.0,
                )
            })
            .collect()
    }
    fn row(m: &str, o: i64, d: i64, c: i64, cl: i64) -> (String, i64, i64, i64, i64) {
        (m.to_string(), o, d, c, cl)
    }

    #[test]
    fn seed_semantics_monthly_rows_and_transaction_details() {
        // Given a deposit in January, charges in January and March, and a tariff for each code,
        let tariffs = book(&[
            tariff("LAB01", "2024-01-01", 75_000),
            tariff("OBAT7", "2023-06-01", 2_500),
        ]);
        let deposits = [deposit(1, "2024-01-03", 500_000)];
        let mut obat = charge(2, "2024-01-05", "OBAT7", "10");
        obat.faktor = qty("1,5");
        let charges = [
            charge(1, "2024-01-04", "LAB01", "2"),
            obat,
            charge(3, "2024-03-10", "LAB01", "1"),
        ];
        // when the balance is computed as of April,
        let b = compute_patient(&deposits, &charges, &tariffs, ym("2024-04")).unwrap();
        // then there is one row per month from January through April, February carried.
        assert_eq!(
            summary(&b),
            vec![
                row("2024-01", 0, 500_000, 187_500, 312_500),
                row("2024-02", 312_500, 0, 0, 312_500),
                row("2024-03", 312_500, 0, 75_000, 237_500),
                row("2024-04", 237_500, 0, 0, 237_500),
            ]
        );
        let jan = &b.months[0];
        assert_eq!(jan.total_volume, Volume::parse("17").unwrap());
        assert_eq!(
            jan.details,
            CalculationDetails {
                deposit_count: 1,
                charge_count: 2,
                unpriced_count: 0
            }
        );
        assert!(b.unpriced.is_empty());

        let tx = transaction_calculations(&charges, &tariffs).unwrap();
        assert_eq!(tx.len(), 3);
        let t = &tx[1];
        assert_eq!(
            (t.id_tagihan_item, t.year_month, t.tanggal),
            (2, ym("2024-01"), date("2024-01-05"))
        );
        assert_eq!(
            (t.jumlah, t.faktor, t.volume),
            (qty("10"), qty("1.5"), Volume::parse("15").unwrap())
        );
        assert_eq!((t.harga, t.amount), (Rupiah(2_500), Rupiah(37_500)));
        assert_eq!(t.pricing_used, tariff("OBAT7", "2023-06-01", 2_500));
        let json = serde_json::to_value(t).unwrap();
        assert_eq!(
            json["pricing_used"],
            serde_json::json!({"kode_item": "OBAT7", "berlaku_mulai": "2023-06-01", "harga": 2500})
        );
        assert_eq!(
            (json["year_month"].as_str(), json["volume"].as_str()),
            (Some("2024-01"), Some("15"))
        );
    }

    #[test]
    fn amounts_round_half_away_from_zero() {
        let cases = [
            ("0.5", "1", 1, 1),
            ("1.3333", "3", 1000, 4000), // 3999.9
            ("2.5", "1", 333, 833),      // 832.5
            ("2.5", "1", 334, 835),
            ("0.0001", "1", 4999, 0), // 0.4999
            ("0.0001", "1", 5000, 1), // 0.5
            ("1.3333", "1.5", 1000, 2000),
            ("-2.5", "1", 333, -833), // −832.5: away from zero
            ("-0.5", "1", 1, -1),
            ("-0.4", "1", 1, 0),
            ("3", "0", 1000, 0),
            ("7", "1", 0, 0),
        ];
        for (j, f, harga, want) in cases {
            assert_eq!(
                charge_amount(qty(j), qty(f), Rupiah(harga)),
                Some(Rupiah(want)),
                "{j} × {f} × {harga}"
            );
        }
        assert_eq!(
            charge_amount(Qty::from_raw(i64::MAX), Qty::from_raw(i64::MAX), Rupiah(i64::MAX)),
            None
        );
    }

    #[test]
    fn quantities_parse_exactly_and_refuse_garbage() {
        let ok = [
            ("1", 10_000),
            ("2.5", 25_000),
            ("0,75", 7_500),
            ("1.3333", 13_333),
            (" 12 ", 120_000),
            ("-1", -10_000),
            ("+3,1", 31_000),
            ("1.000", 10_000),
            ("007", 70_000),
        ];
        for (s, raw) in ok {
            assert_eq!(Qty::parse(s).unwrap().raw(), raw, "{s}");
        }
        for s in [
            "", "abc", "NaN", "inf", "1.", ".5", "1,2,3", "1.000,5", "--1", "1e3", "1 000", "0x10", "-",
        ] {
            let e = Qty::parse(s).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidInput, "{s}");
        }
        let e = Qty::parse("1.33333").unwrap_err();
        assert!(e.message.contains("paling banyak 4"), "{}", e.message);
        assert!(Qty::parse("99999999999999999999")
            .unwrap_err()
            .message
            .contains("terlalu besar"));
        assert_eq!(qty("2.50").to_string(), "2.5");
        assert_eq!(qty("-0,0001").to_string(), "-0.0001");
        assert_eq!(qty("3").to_string(), "3");
        assert_eq!(qty("1.3333").times(qty("1.5")).to_string(), "1.99995");
    }

    #[test]
    fn quantities_serialize_as_strings_and_faktor_defaults_to_one() {
        assert_eq!(serde_json::to_string(&qty("0,75")).unwrap(), "\"0.75\"");
        assert_eq!(serde_json::from_str::<Qty>("\"2,5\"").unwrap(), qty("2.5"));
        assert_eq!(serde_json::from_str::<Qty>("3").unwrap(), qty("3"));
        assert!(serde_json::from_str::<Qty>("2.5").is_err(), "a JSON float is not exact");
        assert!(serde_json::from_str::<Qty>("\"1.23456\"").is_err());
        let c: Charge = serde_json::from_value(serde_json::json!({
            "id_tagihan_item": 1, "id_tagihan": 2, "no_rm": "1", "tanggal": "2024-01-01",
            "kode_item": "A", "nama_item": "a", "jumlah": "2"
        }))
        .unwrap();
        assert_eq!((c.faktor, c.status.as_str()), (Qty::ONE, ""));
        let v = Volume::parse("1.99995").unwrap();
        assert_eq!(
            serde_json::from_str::<Volume>(&serde_json::to_string(&v).unwrap()).unwrap(),
            v
        );
    }

    #[test]
    fn year_months_parse_order_and_step() {
        let m = ym("2024-12");
        assert_eq!((m.year(), m.month()), (2024, 12));
        assert_eq!(m.succ().to_string(), "2025-01");
        assert_eq!(m.succ().pred(), m);
        assert_eq!(ym("2024-01").pred().to_string(), "2023-12");
        assert!(ym("2023-12") < ym("2024-01") && ym("2024-01") < ym("2024-02"));
        assert_eq!(YearMonth::from(date("2024-02-29")), ym("2024-02"));
        assert_eq!(m.first_day(), Some(date("2024-12-01")));
        for s in [
            "2024-13",
            "2024-00",
            "2024-1",
            "24-01",
            "2024/01",
            "abcd-ef",
            "",
            "0000-01",
            "2024-01-01",
        ] {
            let e = YearMonth::parse(s).unwrap_err();
            assert!(e.message.contains("TTTT-BB"), "{s}: {}", e.message);
        }
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"2024-12\"");
        assert_eq!(serde_json::from_str::<YearMonth>("\"2024-08\"").unwrap(), ym("2024-08"));
        assert!(serde_json::from_str::<YearMonth>("\"2024-8\"").is_err());
    }

    #[test]
    fn tariff_lookup_takes_the_latest_on_or_before_the_date() {
        let b = book(&[
            tariff("B", "2024-01-01", 20),
            tariff("A", "2024-03-01", 2),
            tariff("A", "2024-01-01", 1),
            tariff("A", "2024-01-01", 1), // an identical duplicate is kept once
            tariff("C", "2023-01-01", 30),
        ]);
        assert_eq!(b.len(), 4);
        let h = |k: &str, d: &str| b.price_on(k, date(d)).map(|t| t.harga.0);
        assert_eq!(h("A", "2023-12-31"), None);
        assert_eq!(h("A", "2024-01-01"), Some(1));
        assert_eq!(h("A", "2024-02-29"), Some(1));
        assert_eq!(h("A", "2024-03-01"), Some(2));
        assert_eq!(h("A", "2030-01-01"), Some(2));
        assert_eq!(h("B", "2023-12-31"), None, "not A's row");
        assert_eq!(h("B", "2024-06-01"), Some(20));
        assert_eq!(h("AA", "2024-06-01"), None);
        assert_eq!(h("D", "2024-06-01"), None, "not C's row");
        assert_eq!(h("", "2024-06-01"), None);

        let e = TariffBook::new([tariff("A", "2024-01-01", 1), tariff("A", "2024-01-01", 2)]).unwrap_err();
        assert!(e.message.contains("dua harga"), "{}", e.message);
        assert!(TariffBook::new([tariff("A", "2024-01-01", -1)]).is_err());
    }

    #[test]
    fn a_tariff_change_mid_history_prices_each_charge_at_its_date() {
        let tariffs = book(&[
            tariff("RAWAT", "2024-01-01", 100_000),
            tariff("RAWAT", "2024-02-15", 120_000),
        ]);
        let charges = [
            charge(1, "2024-01-20", "RAWAT", "1"),
            charge(2, "2024-02-14", "RAWAT", "1"),
            charge(3, "2024-02-15", "RAWAT", "1"),
            charge(4, "2024-03-01", "RAWAT", "2"),
        ];
        let b = compute_patient::<Deposit, _>(&[], &charges, &tariffs, ym("2024-03")).unwrap();
        assert_eq!(
            summary(&b),
            vec![
                row("2024-01", 0, 0, 100_000, -100_000),
                row("2024-02", -100_000, 0, 220_000, -320_000),
                row("2024-03", -320_000, 0, 240_000, -560_000),
            ]
        );
        let tx = transaction_calculations(&charges, &tariffs).unwrap();
        let used: Vec<_> = tx.iter().map(|t| t.pricing_used.berlaku_mulai.to_string()).collect();
        assert_eq!(used, ["2024-01-01", "2024-01-01", "2024-02-15", "2024-02-15"]);
    }

    #[test]
    fn cancelled_deposits_and_charges_do_not_count() {
        let tariffs = book(&[tariff("A", "2024-01-01", 1_000)]);
        let mut d2 = deposit(2, "2024-01-05", 70_000);
        d2.status = "BATAL".into();
        let mut c2 = charge(2, "2024-01-06", "A", "5");
        c2.status = " batal ".into();
        let mut c3 = charge(3, "2024-01-07", "A", "1");
        c3.status = "Lunas".into();
        let deposits = [deposit(1, "2024-01-02", 10_000), d2];
        let charges = [charge(1, "2024-01-03", "A", "2"), c2, c3];
        let b = compute_patient(&deposits, &charges, &tariffs, ym("2024-01")).unwrap();
        assert_eq!(summary(&b), vec![row("2024-01", 0, 10_000, 3_000, 7_000)]);
        assert_eq!(
            (b.months[0].details.deposit_count, b.months[0].details.charge_count),
            (1, 2)
        );
        assert_eq!(transaction_calculations(&charges, &tariffs).unwrap().len(), 2);
        assert!(is_batal("Batal") && is_batal("bAtAl") && !is_batal("") && !is_batal("dibatalkan"));

        // A patient whose only rows are cancelled has no months.
        let b = compute_patient(&[deposits[1].clone()], &[charges[1].clone()], &tariffs, ym("2024-03")).unwrap();
        assert_eq!(b, Balances::default());
    }

    #[test]
    fn an_unpriced_charge_is_reported_not_zero_until_a_tariff_arrives() {
        let deposits = [deposit(1, "2024-01-02", 50_000)];
        let charges = [
            charge(1, "2024-01-10", "BARU", "2"),
            charge(2, "2024-02-10", "BARU", "1"),
        ];
        // Given no tariff for BARU,
        let b = compute_patient(&deposits, &charges, &book(&[]), ym("2024-02")).unwrap();
        // then the charges are in no total but reported,
        assert_eq!(
            summary(&b),
            vec![
                row("2024-01", 0, 50_000, 0, 50_000),
                row("2024-02", 50_000, 0, 0, 50_000)
            ]
        );
        assert_eq!(b.months[0].details.unpriced_count, 1);
        assert_eq!(b.months[0].total_volume, Volume::ZERO);
        let ids: Vec<_> = b
            .unpriced
            .iter()
            .map(|u| (u.id_tagihan_item, u.kode_item.as_str()))
            .collect();
        assert_eq!(ids, [(1, "BARU"), (2, "BARU")]);
        assert_eq!(
            (b.unpriced[0].no_rm.as_str(), b.unpriced[0].tanggal),
            ("00-12-34", date("2024-01-10"))
        );
        assert!(transaction_calculations(&charges, &book(&[])).unwrap().is_empty());

        // and a tariff from mid-January prices the first, the one dated before it stays unpriced.
        let later = book(&[tariff("BARU", "2024-01-15", 10_000)]);
        let b = compute_patient(&deposits, &charges, &later, ym("2024-02")).unwrap();
        assert_eq!(
            summary(&b),
            vec![
                row("2024-01", 0, 50_000, 0, 50_000),
                row("2024-02", 50_000, 0, 10_000, 40_000)
            ]
        );
        assert_eq!(b.unpriced.iter().map(|u| u.id_tagihan_item).collect::<Vec<_>>(), [1]);
        let priced = book(&[tariff("BARU", "2024-01-01", 10_000)]);
        let b = compute_patient(&deposits, &charges, &priced, ym("2024-02")).unwrap();
        assert!(b.unpriced.is_empty());
        assert_eq!(b.months[1].closing_balance, Rupiah(20_000));

        // An unpriced charge alone is activity: its month opens the history.
        let b = compute_patient::<Deposit, _>(&[], &charges[..1], &book(&[]), ym("2024-01")).unwrap();
        assert_eq!(summary(&b), vec![row("2024-01", 0, 0, 0, 0)]);
    }

    #[test]
    fn quiet_months_are_carried_and_openings_chain() {
        let tariffs = book(&[tariff("A", "2020-01-01", 1_000)]);
        let deposits = [deposit(1, "2023-11-30", 5_000), deposit(2, "2024-03-01", 2_000)];
        let charges = [charge(1, "2023-11-30", "A", "1"), charge(2, "2024-02-29", "A", "10")];
        let b = compute_patient(&deposits, &charges, &tariffs, ym("2024-05")).unwrap();
        assert_eq!(
            summary(&b),
            vec![
                row("2023-11", 0, 5_000, 1_000, 4_000),
                row("2023-12", 4_000, 0, 0, 4_000),
                row("2024-01", 4_000, 0, 0, 4_000),
                row("2024-02", 4_000, 0, 10_000, -6_000),
                row("2024-03", -6_000, 2_000, 0, -4_000),
                row("2024-04", -4_000, 0, 0, -4_000),
                row("2024-05", -4_000, 0, 0, -4_000),
            ]
        );
        for w in b.months.windows(2) {
            assert_eq!(w[1].opening_balance, w[0].closing_balance);
            assert_eq!(w[1].year_month, w[0].year_month.succ());
        }
        assert_eq!(b.months[0].opening_balance, Rupiah::ZERO);
    }

    #[test]
    fn a_balance_goes_negative_when_charges_exceed_deposits() {
        let tariffs = book(&[tariff("OK", "2024-01-01", 1_500_000)]);
        let deposits = [deposit(1, "2024-01-01", 1_000_000)];
        let charges = [charge(1, "2024-01-02", "OK", "1")];
        let b = compute_patient(&deposits, &charges, &tariffs, ym("2024-01")).unwrap();
        assert_eq!(b.months[0].closing_balance, Rupiah(-500_000));
        assert_eq!(b.months[0].closing_balance.to_string(), "-Rp 500.000");
    }

    #[test]
    fn rows_after_as_of_are_not_dropped() {
        let deposits = [deposit(1, "2024-01-01", 1_000), deposit(2, "2024-03-01", 500)];
        let b = compute_patient::<_, Charge>(&deposits, &[], &book(&[]), ym("2024-01")).unwrap();
        assert_eq!(
            b.months.last().map(|m| (m.year_month, m.closing_balance)),
            Some((ym("2024-03"), Rupiah(1_500)))
        );
    }

    #[test]
    fn recompute_from_a_month_matches_the_full_computation() {
        let tariffs = book(&[tariff("A", "2024-01-01", 1_000), tariff("A", "2024-04-01", 1_100)]);
        let deposits = [deposit(1, "2024-01-05", 10_000), deposit(2, "2024-05-05", 3_000)];
        let charges = [charge(1, "2024-02-01", "A", "2.5"), charge(2, "2024-04-10", "A", "3")];
        let full = compute_patient(&deposits, &charges, &tariffs, ym("2024-06")).unwrap();
        let march = recompute_from(
            Some(full.months[1].closing_balance),
            ym("2024-03"),
            ym("2024-06"),
            &deposits,
            &charges,
            &tariffs,
        )
        .unwrap();
        assert_eq!(march.months, full.months[2..]);
        // With no stored month before, the history starts at the first activity.
        let all = recompute_from(None, ym("2023-01"), ym("2024-06"), &deposits, &charges, &tariffs).unwrap();
        assert_eq!(all, full);
        // The first month's only row deleted: recomputing from it starts at the next activity.
        let b = recompute_from(None, ym("2024-01"), ym("2024-06"), &deposits[1..], &charges, &tariffs).unwrap();
        assert_eq!(
            b,
            compute_patient(&deposits[1..], &charges, &tariffs, ym("2024-06")).unwrap()
        );
        assert_eq!(b.months[0].year_month, ym("2024-02"));
    }

    #[test]
    fn earliest_affected_month_of_changes() {
        let charges = [
            charge(1, "2024-01-10", "A", "1"),
            charge(2, "2024-03-10", "A", "1"),
            charge(3, "2024-02-10", "B", "1"),
            charge(4, "2024-05-10", "A", "1"),
        ];
        let new_a = tariff("A", "2024-02-01", 5);
        assert_eq!(
            earliest_affected_month([Change::Tariff(&new_a)], &charges),
            Some(ym("2024-03"))
        );
        let late = tariff("A", "2025-01-01", 5);
        assert_eq!(earliest_affected_month([Change::Tariff(&late)], &charges), None);
        let d = deposit(9, "2024-04-02", 1);
        assert_eq!(
            earliest_affected_month([Change::Tariff(&late), Change::Deposit(&d)], &charges),
            Some(ym("2024-04"))
        );
        let old = charge(4, "2023-12-31", "A", "1");
        assert_eq!(
            earliest_affected_month(
                [
                    Change::Charge(&charges[3]),
                    Change::Charge(&old),
                    Change::Tariff(&new_a)
                ],
                &charges
            ),
            Some(ym("2023-12"))
        );
        assert_eq!(earliest_affected_month::<Charge>([], &[]), None);
        // A cancelled charge is not repriced by a tariff change.
        let mut cancelled = charges.clone();
        cancelled[1].status = "Batal".into();
        assert_eq!(
            earliest_affected_month([Change::Tariff(&new_a)], &cancelled),
            Some(ym("2024-05"))
        );
    }

    #[test]
    fn compute_all_groups_by_patient() {
        let tariffs = book(&[tariff("A", "2024-01-01", 1_000)]);
        let mut d_other = deposit(2, "2024-02-01", 7_000);
        d_other.no_rm = "00-00-01".into();
        let mut c_batal = charge(9, "2024-01-01", "A", "1");
        c_batal.no_rm = "00-00-02".into();
        c_batal.status = "batal".into();
        let deposits = [deposit(1, "2024-01-01", 5_000), d_other];
        let charges = [charge(1, "2024-01-02", "A", "1"), c_batal];
        let all = compute_all(&deposits, &charges, &tariffs, ym("2024-02")).unwrap();
        let ids: Vec<_> = all.iter().map(|p| p.no_rm.as_str()).collect();
        assert_eq!(ids, ["00-00-01", "00-12-34"]);
        assert_eq!(summary(&all[0].balances), vec![row("2024-02", 0, 7_000, 0, 7_000)]);
        assert_eq!(
            all[1].balances,
            compute_patient(&deposits[..1], &charges[..1], &tariffs, ym("2024-02")).unwrap()
        );
    }

    // -- property tests against a naive model ------------------------------------------------

    const CODES: [&str; 4] = ["A", "B", "C", "NONE"];
    const STATUSES: [&str; 4] = ["", "Batal", "BATAL", "lunas"];

    fn day(n: i64) -> NaiveDate {
        date("2023-01-01") + chrono::TimeDelta::days(n)
    }

    fn arb_tariffs() -> impl Strategy<Value = Vec<Tariff>> {
        prop::collection::btree_map((0usize..3, 0i64..1100), 0i64..200_000, 0..8).prop_map(|m| {
            m.into_iter()
                .map(|((k, d), h)| Tariff {
                    kode_item: CODES[k].into(),
                    berlaku_mulai: day(d),
                    harga: Rupiah(h),
                })
                .collect()
        })
    }

    fn arb_charges(patients: usize) -> impl Strategy<Value = Vec<Charge>> {
        // Halves × whole factors make exact ties (x.5 rupiah) common.
        let jumlah = prop_oneof![-20_000i64..200_000, (-4i64..40).prop_map(|n| n * 5_000)];
        let faktor = prop_oneof![0i64..30_000, Just(Qty::SCALE)];
        let one = (0..patients, 0i64..1100, 0usize..4, jumlah, faktor, 0usize..4);
        prop::collection::vec(one, 0..30).prop_map(|v| {
            v.into_iter()
                .enumerate()
                .map(|(i, (p, d, k, j, f, s))| Charge {
                    id_tagihan_item: i as i64,
                    id_tagihan: i as i64 / 3,
                    no_rm: format!("RM{p}"),
                    tanggal: day(d),
                    kode_item: CODES[k].into(),
                    nama_item: String::new(),
                    jumlah: Qty::from_raw(j),
                    faktor: Qty::from_raw(f),
                    status: STATUSES[s].into(),
                })
                .collect()
        })
    }

    fn arb_deposits(patients: usize) -> impl Strategy<Value = Vec<Deposit>> {
        let one = (0..patients, 0i64..1100, -50_000i64..500_000, 0usize..4);
        prop::collection::vec(one, 0..12).prop_map(|v| {
            v.into_iter()
                .enumerate()
                .map(|(i, (p, d, j, s))| Deposit {
                    id_deposit: i as i64,
                    no_rm: format!("RM{p}"),
                    tanggal: day(d),
                    jumlah: Rupiah(j),
                    metode: "tunai".into(),
                    keterangan: None,
                    status: STATUSES[s].into(),
                })
                .collect()
        })
    }

    /// Round half away from zero written differently: |p| + S/2 floored, sign put back.
    fn naive_round(p: i128, scale: i128) -> i128 {
        let mag = (2 * p.abs() + scale) / (2 * scale);
        if p < 0 {
            -mag
        } else {
            mag
        }
    }

    /// The naive model: a linear scan of the tariffs per charge, month-by-month sums.
    fn naive(deposits: &[Deposit], charges: &[Charge], tariffs: &[Tariff], as_of: YearMonth) -> Balances {
        let live = |s: &str| s.to_lowercase() != "batal";
        let price = |c: &Charge| {
            tariffs
                .iter()
                .filter(|t| t.kode_item == c.kode_item && t.berlaku_mulai <= c.tanggal)
                .max_by_key(|t| t.berlaku_mulai)
                .map(|t| t.harga.0)
        };
        let ds: Vec<&Deposit> = deposits.iter().filter(|d| live(&d.status)).collect();
        let cs: Vec<&Charge> = charges.iter().filter(|c| live(&c.status)).collect();
        let key = |d: NaiveDate| (d.year(), d.month());
        let dates = ds.iter().map(|d| d.tanggal).chain(cs.iter().map(|c| c.tanggal));
        let Some(first) = dates.clone().min() else {
            return Balances::default();
        };
        let last = dates.max().map(key).unwrap().max((as_of.year(), as_of.month()));
        let (mut y, mut m) = key(first);
        let mut opening = 0i64;
        let mut months = Vec::new();
        loop {
            let dep: Vec<_> = ds.iter().filter(|d| key(d.tanggal) == (y, m)).collect();
            let chg: Vec<_> = cs.iter().filter(|c| key(c.tanggal) == (y, m)).collect();
            let priced: Vec<_> = chg.iter().filter_map(|c| price(c).map(|h| (c, h))).collect();
            let total_d: i64 = dep.iter().map(|d| d.jumlah.0).sum();
            let mut total_c = 0i64;
            let mut volume = 0i128;
            for (c, h) in &priced {
                let v = i128::from(c.jumlah.raw()) * i128::from(c.faktor.raw());
                volume += v;
                total_c += naive_round(v * i128::from(*h), 100_000_000) as i64;
            }
            let closing = opening + total_d - total_c;
            months.push(MonthBalance {
                year_month: YearMonth::new(y, m).unwrap(),
                opening_balance: Rupiah(opening),
                total_deposits: Rupiah(total_d),
                total_charges: Rupiah(total_c),
                closing_balance: Rupiah(closing),
                total_volume: Volume::from_raw(volume),
                details: CalculationDetails {
                    deposit_count: dep.len() as u32,
                    charge_count: priced.len() as u32,
                    unpriced_count: (chg.len() - priced.len()) as u32,
                },
            });
            opening = closing;
            if (y, m) == last {
                break;
            }
            (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        }
        let mut unpriced: Vec<_> = cs
            .iter()
            .filter(|c| price(c).is_none())
            .map(|c| UnpricedCharge::of(c))
            .collect();
        unpriced.sort_by_key(|u| (u.tanggal, u.id_tagihan_item));
        Balances { months, unpriced }
    }

    fn arb_as_of() -> impl Strategy<Value = YearMonth> {
        (2023i32..2027, 1u32..13).prop_map(|(y, m)| YearMonth::new(y, m).unwrap())
    }

    proptest! {
        #[test]
        fn full_computation_matches_the_naive_model(
            tariffs in arb_tariffs(),
            deposits in arb_deposits(1),
            charges in arb_charges(1),
            as_of in arb_as_of(),
        ) {
            let book = TariffBook::new(tariffs.clone()).unwrap();
            let got = compute_patient(&deposits, &charges, &book, as_of).unwrap();
            prop_assert_eq!(got, naive(&deposits, &charges, &tariffs, as_of));
        }

        #[test]
        fn incremental_recomputation_equals_the_full_one(
            tariffs in arb_tariffs(),
            deposits in arb_deposits(1),
            charges in arb_charges(1),
            as_of in arb_as_of(),
            split in (2022i32..2028, 1u32..13),
        ) {
            let book = TariffBook::new(tariffs).unwrap();
            let full = compute_patient(&deposits, &charges, &book, as_of).unwrap();
            let from = YearMonth::new(split.0, split.1).unwrap();
            let prev = full.months.iter().find(|m| m.year_month == from.pred()).map(|m| m.closing_balance);
            let got = recompute_from(prev, from, as_of, &deposits, &charges, &book).unwrap();
            let want_months: Vec<_> = full.months.iter().filter(|m| m.year_month >= from).cloned().collect();
            let want_unpriced: Vec<_> =
                full.unpriced.iter().filter(|u| YearMonth::of(u.tanggal) >= from).cloned().collect();
            prop_assert_eq!(got.months, want_months);
            prop_assert_eq!(got.unpriced, want_unpriced);
        }

        #[test]
        fn a_tariff_change_only_touches_months_from_the_earliest_affected_one(
            tariffs in arb_tariffs(),
            deposits in arb_deposits(1),
            charges in arb_charges(1),
            as_of in arb_as_of(),
            new_tariff in (0usize..3, 0i64..1100, 0i64..200_000),
        ) {
            let before = compute_patient(&deposits, &charges, &TariffBook::new(tariffs.clone()).unwrap(), as_of).unwrap();
            let added = Tariff { kode_item: CODES[new_tariff.0].into(), berlaku_mulai: day(new_tariff.1), harga: Rupiah(new_tariff.2) };
            let mut changed: Vec<Tariff> =
                tariffs.into_iter().filter(|t| (&t.kode_item, t.berlaku_mulai) != (&added.kode_item, added.berlaku_mulai)).collect();
            changed.push(added.clone());
            let book = TariffBook::new(changed).unwrap();
            let after = compute_patient(&deposits, &charges, &book, as_of).unwrap();
            match earliest_affected_month([Change::Tariff(&added)], &charges) {
                None => prop_assert_eq!(&after, &before),
                Some(from) => {
                    let keep = |b: &Balances| b.months.iter().filter(|m| m.year_month < from).cloned().collect::<Vec<_>>();
                    prop_assert_eq!(keep(&after), keep(&before));
                    let prev = before.months.iter().find(|m| m.year_month == from.pred()).map(|m| m.closing_balance);
                    let re = recompute_from(prev, from, as_of, &deposits, &charges, &book).unwrap();
                    let mut spliced = keep(&before);
                    spliced.extend(re.months);
                    prop_assert_eq!(spliced, after.months);
                }
            }
        }

        #[test]
        fn compute_all_equals_each_patient_alone(
            tariffs in arb_tariffs(),
            deposits in arb_deposits(3),
            charges in arb_charges(3),
            as_of in arb_as_of(),
        ) {
            let book = TariffBook::new(tariffs.clone()).unwrap();
            let all = compute_all(&deposits, &charges, &book, as_of).unwrap();
            for p in &all {
                let ds: Vec<Deposit> = deposits.iter().filter(|d| d.no_rm == p.no_rm).cloned().collect();
                let cs: Vec<Charge> = charges.iter().filter(|c| c.no_rm == p.no_rm).cloned().collect();
                prop_assert_eq!(&p.balances, &naive(&ds, &cs, &tariffs, as_of));
            }
            let with_rows = (0..3).map(|p| format!("RM{p}")).filter(|rm| {
                deposits.iter().any(|d| &d.no_rm == rm && d.counts()) || charges.iter().any(|c| &c.no_rm == rm && c.counts())
            });
            prop_assert_eq!(all.len(), with_rows.count());
        }

        #[test]
        fn exact_ties_round_away_from_zero(n in -1000i64..1000, half_harga in 0i64..1_000_000) {
            // (n + ½) × (2h + 1) is a whole number plus ½.
            let harga = 2 * half_harga + 1;
            let j = Qty::from_raw(n * Qty::SCALE + Qty::SCALE / 2);
            let doubled = (2 * n + 1) * harga;
            let want = if doubled < 0 { (doubled - 1) / 2 } else { (doubled + 1) / 2 };
            prop_assert_eq!(charge_amount(j, Qty::ONE, Rupiah(harga)), Some(Rupiah(want)));
        }

        #[test]
        fn quantities_round_trip_and_amounts_match_the_rational_value(
            j in -10_000_000i64..10_000_000,
            f in 0i64..100_000,
            harga in 0i64..10_000_000,
        ) {
            let q = Qty::from_raw(j);
            prop_assert_eq!(Qty::parse(&q.to_string()).unwrap(), q);
            prop_assert_eq!(Qty::parse(&q.to_string().replace('.', ",")).unwrap(), q);
            let amount = charge_amount(q, Qty::from_raw(f), Rupiah(harga)).unwrap().0;
            // |amount − exact| ≤ 1/2 rupiah, ties away from zero.
            let exact_times_2s = 2 * i128::from(j) * i128::from(f) * i128::from(harga);
            let diff = 2 * i128::from(amount) * 100_000_000 - exact_times_2s;
            prop_assert!(diff.abs() <= 100_000_000, "{} × {} × {} → {}", j, f, harga, amount);
            if diff.abs() == 100_000_000 {
                prop_assert_eq!(diff.signum(), exact_times_2s.signum(), "a tie goes away from zero");
            }
        }
    }
}
