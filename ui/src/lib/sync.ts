// The hospital-dashboard sync in the clerk's words: run statuses, counts, schedules and the small
// schedule form of Pengaturan. The backend validates and decides; this only words and shapes.

import { formatDateShort } from "./format";
import type { Hari, RunCounts, RunRow, Schedule, SyncOutcome, SyncProgressValue, UnplacedBooking } from "./ipc";

/** How many runs the history of the Sinkronisasi screen shows. */
export const RUN_HISTORY_LIMIT = 30;

/** The statuses a run can have (`RunRow.status`). */
export type RunStatus = "running" | "ok" | "partial" | "failed" | "cancelled" | "interrupted";

export const RUN_STATUS_LABEL: Record<RunStatus, string> = {
  running: "Berjalan",
  ok: "Berhasil",
  partial: "Sebagian",
  failed: "Gagal",
  cancelled: "Dibatalkan",
  interrupted: "Terputus",
};

/** A status this UI knows, or null for one it does not (shown as the raw word, never hidden). */
export function runStatus(s: string): RunStatus | null {
  return Object.hasOwn(RUN_STATUS_LABEL, s) ? (s as RunStatus) : null;
}

export function runStatusLabel(s: string): string {
  const known = runStatus(s);
  return known ? RUN_STATUS_LABEL[known] : s;
}

/** "120 diambil: 20 baru, 5 diperbarui, 90 tidak berubah, 3 dilewati, 2 duplikat". */
export function countsText(c: RunCounts): string {
  return (
    `${c.fetched} diambil: ${c.inserted} baru, ${c.updated} diperbarui, ${c.unchanged} tidak berubah, ` +
    `${c.skipped} dilewati, ${c.duplicates} duplikat`
  );
}

/** "Halaman 2 dari 5 · 200 baris · 150 baris/detik"; the total is unknown (0) before the first answer. */
export function progressText(p: SyncProgressValue): string {
  const pages = p.pages_total > 0 ? `Halaman ${p.pages_done} dari ${p.pages_total}` : `Halaman ${p.pages_done}`;
  return `${pages} · ${p.rows} baris · ${p.rows_per_second} baris/detik`;
}

/** A run's date window, "05/01/2026 – 02/02/2026". */
export function windowText(r: Pick<RunRow, "window_from" | "window_to">): string {
  return `${formatDateShort(r.window_from)} – ${formatDateShort(r.window_to)}`;
}

/** "Booking 5012 · 19/01/2026 · dokter 77: <why>": ids, date and reason only, never patient data. */
export function unplacedText(b: UnplacedBooking): string {
  const dokter = b.id_dokter != null ? ` · dokter ${b.id_dokter}` : "";
  return `Booking ${b.booking_id} · ${formatDateShort(b.tanggal)}${dokter}: ${b.reason}`;
}

/** A job running now, as the Sinkronisasi screen follows it. */
export type JobRun = {
  /** Started elsewhere (the scheduler, another window): only its progress is known here. */
  background: boolean;
  cancelling: boolean;
  progress: SyncProgressValue | null;
  /** Why a cancel did not take, if so. */
  note: string | null;
};

/** What "Jalankan" ended with: the run (and reconcile report), or why it failed. */
export type JobResult = { outcome: SyncOutcome } | { error: string };

export const HARI: readonly { value: Hari; label: string }[] = [
  { value: "senin", label: "Senin" },
  { value: "selasa", label: "Selasa" },
  { value: "rabu", label: "Rabu" },
  { value: "kamis", label: "Kamis" },
  { value: "jumat", label: "Jumat" },
  { value: "sabtu", label: "Sabtu" },
  { value: "minggu", label: "Minggu" },
];

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

function hariLabel(h: Hari): string {
  return HARI.find((x) => x.value === h)?.label ?? h;
}

/** "Setiap hari 05:00 WIB", "Setiap Senin 06:30 WIB", "Setiap 30 menit", "Hanya manual". */
export function scheduleText(s: Schedule): string {
  switch (s.kind) {
    case "daily":
      return `Setiap hari ${pad2(s.hour)}:${pad2(s.minute)} WIB`;
    case "weekly":
      return `Setiap ${hariLabel(s.day)} ${pad2(s.hour)}:${pad2(s.minute)} WIB`;
    case "every":
      return `Setiap ${s.minutes} menit`;
    case "disabled":
      return "Hanya manual";
  }
}

export type ScheduleKind = Schedule["kind"];

export const SCHEDULE_KINDS: readonly { value: ScheduleKind; label: string }[] = [
  { value: "daily", label: "Setiap hari" },
  { value: "weekly", label: "Setiap minggu" },
  { value: "every", label: "Setiap N menit" },
  { value: "disabled", label: "Hanya manual" },
];

/** The job form as the clerk edits it: every value a string, as typed. */
export type JobDraft = {
  enabled: boolean;
  viewId: string;
  kind: ScheduleKind;
  /** `JJ:MM` WIB, for daily and weekly. */
  time: string;
  day: Hari;
  minutes: string;
};

export function jobDraftFrom(enabled: boolean, viewId: number, s: Schedule): JobDraft {
  return {
    enabled,
    viewId: String(viewId),
    kind: s.kind,
    time: s.kind === "daily" || s.kind === "weekly" ? `${pad2(s.hour)}:${pad2(s.minute)}` : "05:00",
    day: s.kind === "weekly" ? s.day : "senin",
    minutes: s.kind === "every" ? String(s.minutes) : "60",
  };
}

export type JobDraftField = "viewId" | "time" | "minutes";

/** What the draft becomes, or why it cannot: the same ranges the backend checks. */
export function parseJobDraft(
  d: JobDraft,
): { ok: true; viewId: number; schedule: Schedule } | { ok: false; errors: Partial<Record<JobDraftField, string>> } {
  const errors: Partial<Record<JobDraftField, string>> = {};
  const viewText = d.viewId.trim();
  const viewId = /^\d{1,9}$/.test(viewText) ? Number(viewText) : NaN;
  if (!(viewId >= 1)) errors.viewId = "ID laporan (view) harus bilangan bulat lebih dari 0.";

  let schedule: Schedule = { kind: "disabled" };
  if (d.kind === "daily" || d.kind === "weekly") {
    const m = /^(\d{1,2}):(\d{2})$/.exec(d.time.trim());
    const hour = m ? Number(m[1]) : NaN;
    const minute = m ? Number(m[2]) : NaN;
    if (!(hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59)) {
      errors.time = "Jam harus JJ:MM antara 00:00 dan 23:59, mis. 05:00.";
    } else {
      schedule = d.kind === "daily" ? { kind: "daily", hour, minute } : { kind: "weekly", day: d.day, hour, minute };
    }
  } else if (d.kind === "every") {
    const t = d.minutes.trim();
    const minutes = /^\d{1,5}$/.test(t) ? Number(t) : NaN;
    if (!(minutes >= 5 && minutes <= 1440)) errors.minutes = "Selang harus bilangan bulat 5 sampai 1440 menit.";
    else schedule = { kind: "every", minutes };
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, viewId, schedule };
}
