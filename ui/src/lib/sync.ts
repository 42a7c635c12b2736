// The hospital-dashboard sync in the clerk's words: run statuses, counts, schedules and the small
// schedule form of Pengaturan. The backend validates and decides; this only words and shapes.

import { formatDateShort } from "./format";
import type {
  DaysRange,
  Hari,
  IncrementalRun,
  JobConfig,
  RunCounts,
  RunRow,
  Schedule,
  StoredJob,
  SyncOutcome,
  SyncProgressValue,
  UnplacedBooking,
} from "./ipc";

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

/** The kinds of run (`RunRow.kind`). */
export type RunKind = "full" | "incremental" | "manual";

export const RUN_KIND_LABEL: Record<RunKind, string> = {
  full: "penuh",
  incremental: "inkremental",
  manual: "manual",
};

/** "penuh", "inkremental", "manual" (dates the clerk chose); an unknown kind as it comes. */
export function runKindLabel(kind: string): string {
  return Object.hasOwn(RUN_KIND_LABEL, kind) ? RUN_KIND_LABEL[kind as RunKind] : kind;
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

/** "kemarin s.d. hari ini", "3 hari lalu s.d. 2 hari lagi", "hari ini saja". */
export function daysText(d: DaysRange): string {
  if (d.back === 0 && d.forward === 0) return "hari ini saja";
  const from = d.back === 0 ? "hari ini" : d.back === 1 ? "kemarin" : `${d.back} hari lalu`;
  const to = d.forward === 0 ? "hari ini" : d.forward === 1 ? "besok" : `${d.forward} hari lagi`;
  return `${from} s.d. ${to}`;
}

/** "Inkremental: Setiap hari 00:00 WIB, kemarin s.d. hari ini", or "Tanpa inkremental". */
export function incrementalText(inc: IncrementalRun): string {
  if (inc.schedule.kind === "disabled") return "Tanpa inkremental";
  return `Inkremental: ${scheduleText(inc.schedule)}, ${daysText(inc.days)}`;
}

export type ScheduleKind = Schedule["kind"];

export const SCHEDULE_KINDS: readonly { value: ScheduleKind; label: string }[] = [
  { value: "daily", label: "Setiap hari" },
  { value: "weekly", label: "Setiap minggu" },
  { value: "every", label: "Setiap N menit" },
  { value: "disabled", label: "Hanya manual" },
];

/** The same choices for the incremental run, where "disabled" means the job has none. */
export const INCREMENTAL_KINDS: readonly { value: ScheduleKind; label: string }[] = SCHEDULE_KINDS.map((k) =>
  k.value === "disabled" ? { ...k, label: "Tanpa inkremental" } : k,
);

/** One schedule as the clerk edits it: every value a string, as typed. */
export type ScheduleDraft = {
  kind: ScheduleKind;
  /** `JJ:MM` WIB, for daily and weekly. */
  time: string;
  day: Hari;
  minutes: string;
};

export function scheduleDraftFrom(s: Schedule): ScheduleDraft {
  return {
    kind: s.kind,
    time: s.kind === "daily" || s.kind === "weekly" ? `${pad2(s.hour)}:${pad2(s.minute)}` : "05:00",
    day: s.kind === "weekly" ? s.day : "senin",
    minutes: s.kind === "every" ? String(s.minutes) : "60",
  };
}

export type ScheduleDraftField = "time" | "minutes";

const TIME_ERROR = "Jam harus JJ:MM antara 00:00 dan 23:59, mis. 05:00.";
const MINUTES_ERROR = "Selang harus bilangan bulat 5 sampai 1440 menit.";

/** What a schedule draft becomes, or why it cannot: the ranges the backend checks. */
export function parseScheduleDraft(
  d: ScheduleDraft,
): { ok: true; schedule: Schedule } | { ok: false; errors: Partial<Record<ScheduleDraftField, string>> } {
  if (d.kind === "daily" || d.kind === "weekly") {
    const m = /^(\d{1,2}):(\d{2})$/.exec(d.time.trim());
    const hour = m ? Number(m[1]) : NaN;
    const minute = m ? Number(m[2]) : NaN;
    if (!(hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59)) return { ok: false, errors: { time: TIME_ERROR } };
    return { ok: true, schedule: d.kind === "daily" ? { kind: "daily", hour, minute } : { kind: "weekly", day: d.day, hour, minute } };
  }
  if (d.kind === "every") {
    const t = d.minutes.trim();
    const minutes = /^\d{1,5}$/.test(t) ? Number(t) : NaN;
    if (!(minutes >= 5 && minutes <= 1440)) return { ok: false, errors: { minutes: MINUTES_ERROR } };
    return { ok: true, schedule: { kind: "every", minutes } };
  }
  return { ok: true, schedule: { kind: "disabled" } };
}

/** A whole number of days, 0 or more (the full window is the upper bound). */
function parseDays(text: string): number | null {
  const t = text.trim();
  return /^\d{1,5}$/.test(t) ? Number(t) : null;
}

/** The job form as the clerk edits it: the full schedule, the incremental one and its days, as typed. */
export type JobDraft = {
  enabled: boolean;
  viewId: string;
  schedule: ScheduleDraft;
  incremental: ScheduleDraft;
  incBack: string;
  incForward: string;
};

export function jobDraftFrom(enabled: boolean, viewId: number, schedule: Schedule, incremental: IncrementalRun): JobDraft {
  return {
    enabled,
    viewId: String(viewId),
    schedule: scheduleDraftFrom(schedule),
    incremental: scheduleDraftFrom(incremental.schedule),
    incBack: String(incremental.days.back),
    incForward: String(incremental.days.forward),
  };
}

export type JobDraftField = "viewId" | "time" | "minutes" | "incTime" | "incMinutes" | "incBack" | "incForward";

type ParsedJobDraft =
  | { ok: true; viewId: number; schedule: Schedule; incremental: IncrementalRun }
  | { ok: false; errors: Partial<Record<JobDraftField, string>> };

/**
 * What the draft becomes, or why it cannot: the same ranges the backend checks. An incremental
 * window (when it has a schedule) must stay within the job's full one (`default_days`). Without an
 * incremental schedule its days are not used: taken when whole numbers, else kept as stored.
 */
export function parseJobDraft(d: JobDraft, stored: Pick<JobConfig, "default_days" | "incremental">): ParsedJobDraft {
  const defaultDays = stored.default_days;
  const errors: Partial<Record<JobDraftField, string>> = {};
  const viewText = d.viewId.trim();
  const viewId = /^\d{1,9}$/.test(viewText) ? Number(viewText) : NaN;
  if (!(viewId >= 1)) errors.viewId = "ID laporan (view) harus bilangan bulat lebih dari 0.";

  const full = parseScheduleDraft(d.schedule);
  if (!full.ok) Object.assign(errors, full.errors);

  const inc = parseScheduleDraft(d.incremental);
  if (!inc.ok) {
    if (inc.errors.time) errors.incTime = "Jam inkremental harus JJ:MM antara 00:00 dan 23:59, mis. 00:00.";
    if (inc.errors.minutes) errors.incMinutes = "Selang inkremental harus bilangan bulat 5 sampai 1440 menit.";
  }
  const back = parseDays(d.incBack);
  const forward = parseDays(d.incForward);
  let days: DaysRange;
  if (d.incremental.kind === "disabled") {
    days = back !== null && forward !== null ? { back, forward } : stored.incremental.days;
  } else {
    if (back === null) errors.incBack = "Hari ke belakang harus bilangan bulat 0 atau lebih.";
    else if (back > defaultDays.back)
      errors.incBack = `Hari ke belakang paling banyak ${defaultDays.back}, sebatas rentang penuh tugas ini.`;
    if (forward === null) errors.incForward = "Hari ke depan harus bilangan bulat 0 atau lebih.";
    else if (forward > defaultDays.forward)
      errors.incForward = `Hari ke depan paling banyak ${defaultDays.forward}, sebatas rentang penuh tugas ini.`;
    days = { back: back ?? 0, forward: forward ?? 0 };
  }

  if (!full.ok || !inc.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, viewId, schedule: full.schedule, incremental: { schedule: inc.schedule, days } };
}

/** Whether two plain JSON values are equal, whatever the order of their keys. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.hasOwn(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/** An edit not saved yet: a draft that does not parse, or parses to something else than stored. */
export function jobDraftChanged(j: StoredJob, d: JobDraft): boolean {
  const p = parseJobDraft(d, j.config);
  if (!p.ok) return true;
  return (
    d.enabled !== j.enabled ||
    p.viewId !== j.config.view_id ||
    !sameJson(p.schedule, j.config.schedule) ||
    !sameJson(p.incremental, j.config.incremental)
  );
}
