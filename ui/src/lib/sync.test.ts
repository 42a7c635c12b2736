import { describe, expect, it } from "vitest";
import {
  countsText,
  daysText,
  incrementalText,
  jobDraftChanged,
  jobDraftFrom,
  parseJobDraft,
  parseScheduleDraft,
  progressText,
  runKindLabel,
  runStatusLabel,
  scheduleDraftFrom,
  scheduleText,
  unplacedText,
} from "./sync";
import type { DaysRange, IncrementalRun } from "./ipc";
import { makeJob } from "../test/backend";

describe("sync wording", () => {
  it("names run statuses in Indonesian, unknown ones as they come", () => {
    expect(["ok", "partial", "failed", "cancelled", "interrupted", "running", "aneh", "constructor"].map(runStatusLabel)).toEqual([
      "Berhasil",
      "Sebagian",
      "Gagal",
      "Dibatalkan",
      "Terputus",
      "Berjalan",
      "aneh",
      "constructor",
    ]);
  });

  it("names run kinds, unknown ones as they come", () => {
    expect(["full", "incremental", "manual", "aneh", "constructor"].map(runKindLabel)).toEqual([
      "penuh",
      "inkremental",
      "manual",
      "aneh",
      "constructor",
    ]);
  });

  it("words counts, progress and unplaced bookings", () => {
    expect(countsText({ fetched: 10, inserted: 1, updated: 2, unchanged: 3, skipped: 4, duplicates: 0 })).toBe(
      "10 diambil: 1 baru, 2 diperbarui, 3 tidak berubah, 4 dilewati, 0 duplikat",
    );
    expect(progressText({ run_id: 1, pages_done: 1, pages_total: 0, rows: 100, rows_per_second: 7 })).toBe(
      "Halaman 1 · 100 baris · 7 baris/detik",
    );
    expect(unplacedText({ booking_id: 1, tanggal: "2026-01-19", id_dokter: null, reason: "Sesi sudah berakhir." })).toBe(
      "Booking 1 · 19/01/2026: Sesi sudah berakhir.",
    );
  });

  it("words every schedule", () => {
    expect(scheduleText({ kind: "daily", hour: 5, minute: 0 })).toBe("Setiap hari 05:00 WIB");
    expect(scheduleText({ kind: "weekly", day: "minggu", hour: 23, minute: 5 })).toBe("Setiap Minggu 23:05 WIB");
    expect(scheduleText({ kind: "every", minutes: 15 })).toBe("Setiap 15 menit");
    expect(scheduleText({ kind: "disabled" })).toBe("Hanya manual");
  });

  it("words the incremental run and its days", () => {
    expect(incrementalText({ schedule: { kind: "daily", hour: 0, minute: 0 }, days: { back: 1, forward: 0 } })).toBe(
      "Inkremental: Setiap hari 00:00 WIB, kemarin s.d. hari ini",
    );
    expect(incrementalText({ schedule: { kind: "every", minutes: 30 }, days: { back: 3, forward: 2 } })).toBe(
      "Inkremental: Setiap 30 menit, 3 hari lalu s.d. 2 hari lagi",
    );
    expect(incrementalText({ schedule: { kind: "disabled" }, days: { back: 1, forward: 0 } })).toBe("Tanpa inkremental");
    expect(daysText({ back: 0, forward: 0 })).toBe("hari ini saja");
    expect(daysText({ back: 0, forward: 1 })).toBe("hari ini s.d. besok");
  });
});

const FULL = { back: 14, forward: 14 };
/** What parseJobDraft reads of the stored job: its full window and its incremental run. */
const stored = (default_days: DaysRange = FULL, incremental: IncrementalRun = NO_INC) => ({ default_days, incremental });
const DAILY_INC: IncrementalRun = { schedule: { kind: "daily", hour: 0, minute: 0 }, days: { back: 1, forward: 0 } };
const NO_INC: IncrementalRun = { schedule: { kind: "disabled" }, days: { back: 1, forward: 0 } };

describe("the job form", () => {
  it("round-trips every schedule shape, for both schedules", () => {
    for (const s of [
      { kind: "daily", hour: 5, minute: 0 },
      { kind: "weekly", day: "rabu", hour: 0, minute: 59 },
      { kind: "every", minutes: 1440 },
      { kind: "disabled" },
    ] as const) {
      expect(parseScheduleDraft(scheduleDraftFrom(s))).toEqual({ ok: true, schedule: s });
      expect(parseJobDraft(jobDraftFrom(true, 7, s, NO_INC), stored())).toEqual({ ok: true, viewId: 7, schedule: s, incremental: NO_INC });
      const inc = { schedule: s, days: { back: 2, forward: 1 } };
      expect(parseJobDraft(jobDraftFrom(true, 7, { kind: "disabled" }, inc), stored())).toEqual({
        ok: true,
        viewId: 7,
        schedule: { kind: "disabled" },
        incremental: inc,
      });
    }
  });

  it("refuses what the backend would refuse", () => {
    const base = jobDraftFrom(true, 7, { kind: "daily", hour: 5, minute: 0 }, DAILY_INC);
    expect(parseJobDraft({ ...base, viewId: "x", schedule: { ...base.schedule, time: "24:00" } }, stored())).toEqual({
      ok: false,
      errors: {
        viewId: "ID laporan (view) harus bilangan bulat lebih dari 0.",
        time: "Jam harus JJ:MM antara 00:00 dan 23:59, mis. 05:00.",
      },
    });
    const every = (minutes: string) => ({ ...base.schedule, kind: "every" as const, minutes });
    expect(parseJobDraft({ ...base, schedule: every("1441") }, stored())).toMatchObject({ ok: false, errors: { minutes: expect.any(String) } });
    expect(parseJobDraft({ ...base, schedule: every(" 5 ") }, stored())).toEqual({
      ok: true,
      viewId: 7,
      schedule: { kind: "every", minutes: 5 },
      incremental: DAILY_INC,
    });
    expect(parseJobDraft({ ...base, schedule: { ...base.schedule, time: "7:05" } }, stored())).toMatchObject({
      ok: true,
      schedule: { kind: "daily", hour: 7, minute: 5 },
    });
  });

  it("checks the incremental schedule and its days with their own messages", () => {
    const base = jobDraftFrom(true, 7, { kind: "daily", hour: 5, minute: 0 }, DAILY_INC);
    expect(parseJobDraft({ ...base, incremental: { ...base.incremental, time: "0:60" }, incBack: "-1", incForward: "1.5" }, stored())).toEqual({
      ok: false,
      errors: {
        incTime: "Jam inkremental harus JJ:MM antara 00:00 dan 23:59, mis. 00:00.",
        incBack: "Hari ke belakang harus bilangan bulat 0 atau lebih.",
        incForward: "Hari ke depan harus bilangan bulat 0 atau lebih.",
      },
    });
    expect(parseJobDraft({ ...base, incremental: { ...base.incremental, kind: "every", minutes: "4" } }, stored())).toEqual({
      ok: false,
      errors: { incMinutes: "Selang inkremental harus bilangan bulat 5 sampai 1440 menit." },
    });
    // The full window is the only upper bound, as in the backend.
    expect(parseJobDraft({ ...base, incBack: "367" }, stored({ back: 3660, forward: 0 }))).toMatchObject({
      ok: true,
      incremental: { days: { back: 367, forward: 0 } },
    });
    expect(parseJobDraft({ ...base, incBack: " 3 ", incForward: "0" }, stored())).toMatchObject({
      ok: true,
      incremental: { schedule: DAILY_INC.schedule, days: { back: 3, forward: 0 } },
    });
  });

  it("keeps an incremental window within the full one, unless the job has no incremental run", () => {
    const base = jobDraftFrom(true, 7, { kind: "daily", hour: 5, minute: 0 }, DAILY_INC);
    const full = { back: 14, forward: 0 };
    expect(parseJobDraft({ ...base, incBack: "14", incForward: "0" }, stored(full))).toMatchObject({ ok: true });
    expect(parseJobDraft({ ...base, incBack: "15", incForward: "1" }, stored(full))).toEqual({
      ok: false,
      errors: {
        incBack: "Hari ke belakang paling banyak 14, sebatas rentang penuh tugas ini.",
        incForward: "Hari ke depan paling banyak 0, sebatas rentang penuh tugas ini.",
      },
    });
    // No incremental run: its days are not used, so not checked (taken when whole numbers, else kept as stored).
    const none = { ...base, incremental: { ...base.incremental, kind: "disabled" as const } };
    expect(parseJobDraft({ ...none, incBack: "15", incForward: "1" }, stored(full))).toEqual({
      ok: true,
      viewId: 7,
      schedule: { kind: "daily", hour: 5, minute: 0 },
      incremental: { schedule: { kind: "disabled" }, days: { back: 15, forward: 1 } },
    });
    const kept = { schedule: { kind: "disabled" as const }, days: { back: 3, forward: 1 } };
    expect(parseJobDraft({ ...none, incBack: "x" }, stored(full, kept))).toMatchObject({ ok: true, incremental: kept });
  });

  it("tells an edit from what is stored, whatever the key order", () => {
    const j = makeJob();
    const d = jobDraftFrom(j.enabled, j.config.view_id, j.config.schedule, j.config.incremental);
    expect(jobDraftChanged(j, d)).toBe(false);
    const reordered = makeJob({ incremental: { days: { forward: 0, back: 1 }, schedule: { minute: 0, hour: 0, kind: "daily" } } });
    expect(jobDraftChanged(reordered, d)).toBe(false);
    expect(jobDraftChanged(j, { ...d, incForward: "1" })).toBe(true);
    expect(jobDraftChanged(j, { ...d, incremental: { ...d.incremental, time: "00:30" } })).toBe(true);
    expect(jobDraftChanged(j, { ...d, incremental: { ...d.incremental, time: "x" } })).toBe(true);
    expect(jobDraftChanged(j, { ...d, schedule: { ...d.schedule, kind: "every" } })).toBe(true);
  });
});
