// Laporan in the clerk's words: SPM programmes, month rows, targets and the chart's scale. The
// backend computes every number (percentages included, exactly); this only words and lays out.

import { formatCount, monthName } from "./format";
import type { MonthPatient, MonthStatus, Program, Sex, SpmMonth } from "./ipc";

export const PROGRAMS: readonly { value: Program; label: string; long: string }[] = [
  { value: "dm", label: "DM", long: "Diabetes melitus" },
  { value: "ht", label: "HT", long: "Hipertensi" },
];

export function programLabel(p: Program): string {
  return PROGRAMS.find((x) => x.value === p)?.label ?? p.toUpperCase();
}

/** The backend's two-decimal text with the percent sign, "12,34%"; "—" without a target. */
export function percentText(m: Pick<SpmMonth, "percentage_text">): string {
  return m.percentage_text ? `${m.percentage_text}%` : "—";
}

/** The laki-laki / perempuan split, compact: "L 50 · P 70". */
export function lpText(l: number, p: number): string {
  return `L ${formatCount(l)} · P ${formatCount(p)}`;
}

export function sexLabel(s: Sex | null): string {
  return s ?? "—";
}

export const TARGET_MAX = 10_000_000;

/** A target as the clerk typed it ("1.200" and "1 200" allowed), or why it is not one. */
export function parseTarget(raw: string): { ok: true; value: number } | { ok: false; message: string } {
  const t = raw.trim().replace(/[.\s]/g, "");
  const n = /^\d{1,8}$/.test(t) ? Number(t) : NaN;
  if (!(n >= 1 && n <= TARGET_MAX)) {
    return { ok: false, message: "Target harus bilangan bulat 1 sampai 10.000.000 pasien." };
  }
  return { ok: true, value: n };
}

/** "Standar", or "Tidak standar — putus sejak Maret" for a patient of a month's drill-down. */
export function patientStatusText(p: Pick<MonthPatient, "standard" | "break_month">): string {
  if (p.standard) return "Standar";
  return p.break_month != null ? `Tidak standar — putus sejak ${monthName(p.break_month)}` : "Tidak standar";
}

/** One month of a patient's year: "Standar", "Tidak standar (putus sejak Maret)", or "—" without a visit. */
export function monthStatusText(status: MonthStatus, breakMonth: number | null): string {
  switch (status) {
    case "standard":
      return "Standar";
    case "non_standard":
      return breakMonth != null ? `Tidak standar (putus sejak ${monthName(breakMonth)})` : "Tidak standar";
    case "no_visit":
      return "—";
  }
}

/** The percentage axis: at least 100 (the target line), in steps of 20, 50, 100, 200, 500… (at most 8). */
export function chartScale(values: readonly (number | null)[]): { max: number; step: number } {
  const top = Math.max(100, ...values.map((v) => v ?? 0));
  let step = 20;
  for (let k = 0; top / step > 8; k++) step = [50, 100, 200][k % 3] * 10 ** Math.floor(k / 3);
  return { max: Math.ceil(top / step) * step, step };
}

/** The top of a count axis: a round number at or above the largest count (at least 1). */
export function countMax(values: readonly number[]): number {
  const top = Math.max(1, ...values);
  if (top <= 5) return top;
  const step = 10 ** Math.floor(Math.log10(top)) / 2;
  return Math.ceil(top / step) * step;
}

/** A label cut to `max` characters with "…", for chart axes (the full text goes in a tooltip). */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
