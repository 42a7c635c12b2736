import { describe, expect, it } from "vitest";
import { countsText, jobDraftFrom, parseJobDraft, progressText, runStatusLabel, scheduleText, unplacedText } from "./sync";

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
});

describe("the job form", () => {
  it("round-trips every schedule shape", () => {
    for (const s of [
      { kind: "daily", hour: 5, minute: 0 },
      { kind: "weekly", day: "rabu", hour: 0, minute: 59 },
      { kind: "every", minutes: 1440 },
      { kind: "disabled" },
    ] as const) {
      expect(parseJobDraft(jobDraftFrom(true, 7, s))).toEqual({ ok: true, viewId: 7, schedule: s });
    }
  });

  it("refuses what the backend would refuse", () => {
    const base = jobDraftFrom(true, 7, { kind: "daily", hour: 5, minute: 0 });
    expect(parseJobDraft({ ...base, viewId: "x", time: "24:00" })).toEqual({
      ok: false,
      errors: {
        viewId: "ID laporan (view) harus bilangan bulat lebih dari 0.",
        time: "Jam harus JJ:MM antara 00:00 dan 23:59, mis. 05:00.",
      },
    });
    expect(parseJobDraft({ ...base, kind: "every", minutes: "1441" })).toMatchObject({ ok: false, errors: { minutes: expect.any(String) } });
    expect(parseJobDraft({ ...base, kind: "every", minutes: " 5 " })).toEqual({ ok: true, viewId: 7, schedule: { kind: "every", minutes: 5 } });
    expect(parseJobDraft({ ...base, time: "7:05" })).toMatchObject({ ok: true, schedule: { kind: "daily", hour: 7, minute: 5 } });
  });
});
