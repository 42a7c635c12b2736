// Saldo in the clerk's words: months, reasons and the chart's scale. The backend computes every
// balance (in whole rupiah) and every volume (exact decimals); this only words and lays out.

import { formatDecimal, monthName, monthShort } from "./format";
import type { UnpricedReason, YearMonth } from "./ipc";

/** Where the balances come from, for the empty states: the three dashboard sync jobs. */
export const SALDO_JOBS = ["DEPOSIT_PASIEN", "TAGIHAN_PASIEN", "TARIF"] as const;

/** How long the search waits after the last key before asking the backend. */
export const SEARCH_DEBOUNCE_MS = 250;

export const UNPRICED_REASON_LABEL: Record<UnpricedReason, string> = {
  tanpa_tarif: "Belum ada tarif yang berlaku pada tanggalnya",
  jumlah_tidak_valid: "Jumlah atau faktor tidak dapat dihitung",
};

function parts(ym: YearMonth): { year: string; month: number } | null {
  const m = /^(\d{4})-(\d{2})$/.exec(ym);
  if (!m) return null;
  const month = Number(m[2]);
  return month >= 1 && month <= 12 ? { year: m[1], month } : null;
}

/** "2024-03" → "Maret 2024"; the input unchanged if it is not a month. */
export function yearMonthLabel(ym: YearMonth): string {
  const p = parts(ym);
  return p ? `${monthName(p.month)} ${p.year}` : ym;
}

/** "2024-03" → "Mar 2024" (chart axes); the input unchanged if it is not a month. */
export function yearMonthShort(ym: YearMonth): string {
  const p = parts(ym);
  return p ? `${monthShort(p.month)} ${p.year}` : ym;
}

/** jumlah × faktor = volume, the Indonesian way: "2,5 × 1 = 2,5". */
export function volumeText(jumlah: string, faktor: string, volume: string): string {
  return `${formatDecimal(jumlah)} × ${formatDecimal(faktor)} = ${formatDecimal(volume)}`;
}

/** Rupiah for a chart axis, compact: 1500000 → "1,5 jt", -250000 → "-250 rb", 0 → "0". */
export function rupiahShort(n: number): string {
  const sign = n < 0 ? "-" : "";
  const a = Math.abs(n);
  const fmt = (v: number, unit: string) => `${sign}${String(Math.round(v * 10) / 10).replace(".", ",")} ${unit}`;
  if (a >= 1_000_000_000) return fmt(a / 1_000_000_000, "M");
  if (a >= 1_000_000) return fmt(a / 1_000_000, "jt");
  if (a >= 1_000) return fmt(a / 1_000, "rb");
  return `${sign}${a}`;
}

/**
 * The balance axis: round bounds around every value and zero (so the zero line is always drawn),
 * in steps of 1, 2 or 5 × 10^k, at most about six steps.
 */
export function balanceScale(values: readonly number[]): { min: number; max: number; step: number; ticks: number[] } {
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const span = hi - lo || 1;
  const raw = span / 5;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((f) => f * pow).find((s) => s >= raw) ?? 10 * pow);
  const min = Math.floor(lo / step) * step;
  const max = Math.max(min + step, Math.ceil(hi / step) * step);
  const ticks: number[] = [];
  for (let t = min; t <= max; t += step) ticks.push(t);
  return { min, max, step, ticks };
}
