// Pure display helpers. Time is shown in WIB (UTC+7, no daylight saving), whatever the OS zone is.

const WIB_OFFSET_MS = 7 * 60 * 60 * 1000;

function pad2(n: number): string {
  return n.toString().padStart(2, "0");
}

/** "2026-01-19T01:00:00Z" → "19/01/2026 08:00 WIB"; null for an unparseable instant. */
export function formatWib(iso: string): string | null {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const d = new Date(ms + WIB_OFFSET_MS);
  const date = `${pad2(d.getUTCDate())}/${pad2(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
  return `${date} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())} WIB`;
}

/** Basis points to the decimal string the backend accepts: 3000 → "0.30", 3333 → "0.3333", 10000 → "1.00". */
export function formatRatioBp(bp: number): string {
  const whole = Math.trunc(bp / 10000);
  let frac = Math.abs(bp % 10000)
    .toString()
    .padStart(4, "0");
  while (frac.length > 2 && frac.endsWith("0")) frac = frac.slice(0, -1);
  return `${whole}.${frac}`;
}

/** Today's WIB calendar date as `YYYY-MM-DD`, from the browser clock (UTC+7, whatever the OS zone). */
export function todayWib(nowMs: number = Date.now()): string {
  return new Date(nowMs + WIB_OFFSET_MS).toISOString().slice(0, 10);
}

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** `YYYY-MM-DD` moved by `days` calendar days; the input unchanged if it is not a date. */
export function shiftDate(s: string, days: number): string {
  if (!isIsoDate(s)) return s;
  const d = new Date(`${s}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const HARI = ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"];
const BULAN = [
  "Januari",
  "Februari",
  "Maret",
  "April",
  "Mei",
  "Juni",
  "Juli",
  "Agustus",
  "September",
  "Oktober",
  "November",
  "Desember",
];

/** "2026-01-19" → "19/01/2026"; the input unchanged if it is not a date. */
export function formatDateShort(s: string): string {
  if (!isIsoDate(s)) return s;
  return `${s.slice(8, 10)}/${s.slice(5, 7)}/${s.slice(0, 4)}`;
}

/** "2026-01-19" → "Senin, 19 Januari 2026"; the input unchanged if it is not a date. */
export function formatDateLong(s: string): string {
  if (!isIsoDate(s)) return s;
  const d = new Date(`${s}T00:00:00Z`);
  return `${HARI[d.getUTCDay()]}, ${d.getUTCDate()} ${BULAN[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "2026-01-19T01:02:03Z" → "08:02:03" (WIB wall clock); null for an unparseable instant. */
export function formatTimeWib(iso: string): string | null {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const d = new Date(ms + WIB_OFFSET_MS);
  return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/**
 * A compact WIB time for lists: "08:05 WIB" on today's WIB date (by `nowMs`), else the full
 * "18/01/2026 23:50 WIB"; null for an unparseable instant.
 */
export function formatWibShort(iso: string, nowMs: number = Date.now()): string | null {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  if (todayWib(ms) !== todayWib(nowMs)) return formatWib(iso);
  const d = new Date(ms + WIB_OFFSET_MS);
  return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())} WIB`;
}

/** 1 → "Januari" … 12 → "Desember"; the number as text for anything else. */
export function monthName(month: number): string {
  return BULAN[month - 1] ?? String(month);
}

/** 1 → "Jan" … 12 → "Des" (chart axes, compact cells). */
export function monthShort(month: number): string {
  const name = BULAN[month - 1];
  if (!name) return String(month);
  return month === 8 ? "Agu" : name.slice(0, 3);
}

/** A whole count with Indonesian thousands dots: 1234567 → "1.234.567", -1200 → "-1.200". */
export function formatCount(n: number): string {
  const sign = n < 0 ? "-" : "";
  return sign + Math.trunc(Math.abs(n)).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
}

/** Whole rupiah with thousands dots: 1234567 → "Rp 1.234.567", -5000 → "-Rp 5.000", 0 → "Rp 0". */
export function formatRupiah(n: number): string {
  const sign = n < 0 ? "-" : "";
  return `${sign}Rp ${formatCount(Math.abs(n))}`;
}

/**
 * A decimal string from the backend ("1234.5", "-0.25", "2.50") the Indonesian way: "1.234,5",
 * "-0,25", "2,5" (trailing zeros of the fraction dropped). Anything else is returned unchanged.
 */
export function formatDecimal(s: string): string {
  const m = /^(-?)(\d+)(?:[.,](\d+))?$/.exec(s.trim());
  if (!m) return s;
  const whole = m[2].replace(/^0+(?=\d)/, "").replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  const frac = (m[3] ?? "").replace(/0+$/, "");
  const sign = m[1] && (whole !== "0" || frac) ? "-" : "";
  return `${sign}${whole}${frac ? `,${frac}` : ""}`;
}
