import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import Kuota from "./Kuota.svelte";
import { fakeBackend, makeBoardShift, makeRefreshReport, makeSettings, reject } from "../../test/backend";
import type { BoardShift, RefreshReport, ShiftRef } from "../ipc";

const byId = (id: string) => screen.getByTestId(id);
const text = (id: string) => byId(id).textContent?.replace(/\s+/g, " ").trim();

/** ANA: an open shift, a full JKN pool, a libur day, a flagged shift, a stale one; INT: one shift. */
function day(): BoardShift[] {
  return [
    makeBoardShift(),
    makeBoardShift({
      snapshot_id: 2,
      session_id: 2,
      doctor_code: "33691",
      doctor_name: "dr. Budi, Sp.A",
      jam_praktek: "13:00-15:00",
      kuota_jkn: 10,
      used_jkn: 11,
      sisa_jkn: 0,
      excess_jkn: 1,
      full_jkn: true,
    }),
    makeBoardShift({
      snapshot_id: 3,
      session_id: null,
      doctor_code: "33692",
      doctor_name: "dr. Citra, Sp.A",
      libur: true,
      used_jkn: 0,
      used_nonjkn: 0,
    }),
    makeBoardShift({
      snapshot_id: 4,
      session_id: 4,
      doctor_code: "33693",
      doctor_name: "dr. Dedi, Sp.A",
      flag_reason: "Kapasitas HFIS turun menjadi 3, tetapi 4 antrean sudah terbit.",
      flagged_at: "2026-01-18T22:00:00+00:00",
    }),
    makeBoardShift({
      snapshot_id: 5,
      session_id: 5,
      doctor_code: "33694",
      doctor_name: "dr. Eko, Sp.A",
      stale: true,
      fetched_at: "2026-01-16T22:00:00+00:00",
      fetched_at_wib: "17/01/2026 05:00 WIB",
    }),
    makeBoardShift({
      snapshot_id: 6,
      session_id: 6,
      poli_code: "INT",
      poli_name: "PENYAKIT DALAM",
      doctor_code: "44001",
      doctor_name: "dr. Rina, Sp.PD",
    }),
  ];
}

function shiftRef(over: Partial<ShiftRef> = {}): ShiftRef {
  return {
    poli_code: "ANA",
    doctor_code: "33690",
    doctor_name: "dr. Andi Wijaya, Sp.A",
    date: "2026-01-19",
    jam: "08:00-12:00",
    libur: false,
    kuota_jkn: 20,
    kuota_nonjkn: 6,
    session_id: 1,
    reason: null,
    ...over,
  };
}

beforeEach(() => {
  // 07:00 WIB on Monday 19 January 2026.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-01-19T00:00:00Z"));
});

describe("Kuota: the day board", () => {
  it("loads today's board (WIB) grouped by poli with JKN and non-JKN quota and the fetch time", async () => {
    const backend = fakeBackend({ quota_board: () => day() });
    render(Kuota);
    await waitFor(() => expect(byId("kuota-row-1")).toBeTruthy());

    expect((byId("kuota-date") as HTMLInputElement).value).toBe("2026-01-19");
    expect(backend.callsTo("quota_board")).toEqual([{ date: "2026-01-19", poli: null }]);

    const groups = screen.getAllByRole("heading", { level: 2 }).map((h) => h.textContent?.replace(/\s+/g, " ").trim());
    expect(groups).toEqual(["Anak (ANA)", "Penyakit Dalam (INT)"]);
    const ana = screen.getByRole("region", { name: "Anak (ANA)" });
    expect(within(ana).getAllByTestId(/^kuota-row-/).map((r) => r.dataset.testid)).toEqual([
      "kuota-row-1",
      "kuota-row-2",
      "kuota-row-snap-3",
      "kuota-row-4",
      "kuota-row-5",
    ]);

    expect(text("kuota-row-1")).toContain("dr. Andi Wijaya, Sp.A");
    expect(text("kuota-row-1")).toContain("08:00-12:00");
    expect(text("kuota-jkn-1")).toBe("5/20 (sisa 15)");
    expect(text("kuota-nonjkn-1")).toBe("1/6 (sisa 5)");
    expect(text("kuota-fetched-1")).toBe("19/01/2026 05:00 WIB");
    const meter = byId("kuota-row-1").querySelector("meter");
    expect(meter?.getAttribute("aria-label")).toBe("Terisi 6 dari 26");
    expect(within(byId("kuota-row-1")).queryByTestId(/^badge-/)).toBeNull();
  });

  it("shows the badges: Penuh, Libur, Perlu dicek with the reason, Kedaluwarsa", async () => {
    fakeBackend({ quota_board: () => day() });
    render(Kuota);
    await waitFor(() => expect(byId("kuota-row-2")).toBeTruthy());

    const full = within(byId("kuota-row-2")).getByTestId("badge-penuh");
    expect(full.textContent).toBe("Penuh (JKN)");
    expect(full.classList.contains("full")).toBe(true);
    expect(text("kuota-jkn-2")).toBe("11/10 (sisa 0), lebih 1");

    const libur = byId("kuota-row-snap-3");
    expect(within(libur).getByTestId("badge-libur").textContent).toBe("Libur");
    expect(within(libur).queryByTestId("badge-penuh")).toBeNull();
    expect(libur.querySelector("meter")).toBeNull();

    expect(within(byId("kuota-row-4")).getByTestId("badge-flag").textContent).toBe(
      "Perlu dicek: Kapasitas HFIS turun menjadi 3, tetapi 4 antrean sudah terbit.",
    );
    expect(within(byId("kuota-row-5")).getByTestId("badge-stale").textContent).toBe("Kedaluwarsa");
    expect(text("kuota-fetched-5")).toBe("17/01/2026 05:00 WIB");
    for (const id of ["kuota-row-1", "kuota-row-2", "kuota-row-4", "kuota-row-snap-3"]) {
      expect(within(byId(id)).queryByTestId("badge-stale")).toBeNull();
    }
  });

  it("asks again with the exact date and poli when the filters change", async () => {
    const backend = fakeBackend({ quota_board: () => [] });
    render(Kuota);
    await waitFor(() => expect(byId("kuota-empty")).toBeTruthy());
    await waitFor(() => expect(screen.getByRole("option", { name: "Penyakit Dalam (INT)" })).toBeTruthy());

    await fireEvent.change(byId("kuota-poli"), { target: { value: "INT" } });
    await waitFor(() => expect(backend.callsTo("quota_board")).toHaveLength(2));
    await fireEvent.input(byId("kuota-date"), { target: { value: "2026-01-20" } });
    await waitFor(() => expect(backend.callsTo("quota_board")).toHaveLength(3));
    expect(backend.callsTo("quota_board")).toEqual([
      { date: "2026-01-19", poli: null },
      { date: "2026-01-19", poli: "INT" },
      { date: "2026-01-20", poli: "INT" },
    ]);
    expect(text("kuota-empty")).toContain("Belum ada jadwal dokter dari BPJS (HFIS) untuk poli Penyakit Dalam (INT) pada Selasa, 20 Januari 2026.");
  });

  it("shows a load error in plain words", async () => {
    fakeBackend({ quota_board: () => reject("invalid_input", "Tanggal harus berformat YYYY-MM-DD.") });
    render(Kuota);
    await waitFor(() => expect(byId("kuota-error")).toBeTruthy());
    expect(text("kuota-error")).toBe("Kuota tidak dapat dimuat: Tanggal harus berformat YYYY-MM-DD.");
  });
});

describe("Kuota: Perbarui jadwal", () => {
  it("shows the progress of a running refresh (also the daily one) and reloads when it ends", async () => {
    const backend = fakeBackend({ quota_board: () => day() });
    render(Kuota);
    await waitFor(() => expect(backend.callsTo("quota_board").length).toBe(1));
    await backend.emitRefreshProgress(3, 8);
    await waitFor(() => expect(text("kuota-refresh-progress")).toContain("3 dari 8 poli-tanggal selesai"));
    await backend.emitRefreshProgress(8, 8);
    await waitFor(() => expect(screen.queryByTestId("kuota-refresh-progress")).toBeNull());
    await waitFor(() => expect(backend.callsTo("quota_board").length).toBe(2));
  });

  it("explains how to fetch on an empty day; the button refreshes every poli of the settings for the date, then reloads", async () => {
    let board: BoardShift[] = [];
    let finish: (r: RefreshReport) => void = () => {};
    const backend = fakeBackend({
      quota_board: () => board,
      quota_refresh: () => new Promise<RefreshReport>((res) => (finish = res)),
    });
    render(Kuota);
    await waitFor(() => expect(byId("kuota-empty")).toBeTruthy());
    expect(text("kuota-empty")).toContain("Belum ada jadwal dokter dari BPJS (HFIS) pada Senin, 19 Januari 2026.");
    expect(text("kuota-empty")).toContain("Tekan Perbarui jadwal (R)");
    await waitFor(() => expect(screen.getByRole("option", { name: "Anak (ANA)" })).toBeTruthy());

    await fireEvent.click(byId("kuota-refresh"));
    expect(backend.callsTo("quota_refresh")).toEqual([{ polis: ["ANA", "INT"], dates: ["2026-01-19"] }]);
    await waitFor(() => expect(text("kuota-refresh-result")).toContain("Mengambil jadwal dokter dari BPJS"));
    expect((byId("kuota-refresh") as HTMLButtonElement).disabled).toBe(true);
    expect(text("kuota-refresh")).toContain("Memperbarui");

    board = [makeBoardShift()];
    finish(
      makeRefreshReport({
        fetched_shifts: 3,
        created_sessions: [shiftRef(), shiftRef({ session_id: 2, doctor_name: "dr. Budi", jam: "13:00-15:00" })],
        updated_sessions: [],
        flagged: [shiftRef({ session_id: 4, doctor_name: "dr. Dedi", reason: "4 antrean sudah terbit." })],
      }),
    );
    await waitFor(() => expect(byId("kuota-row-1")).toBeTruthy());
    expect(text("kuota-refresh-result")).toContain(
      "Jadwal Senin, 19 Januari 2026 diperbarui: 3 jadwal diterima, 2 sesi dibuat, 0 sesi diperbarui, 1 perlu dicek, 0 gagal.",
    );
    expect(text("kuota-refresh-result")).toContain("Perlu dicek — dr. Dedi (Anak (ANA), 08:00-12:00): 4 antrean sudah terbit.");
    expect((byId("kuota-refresh") as HTMLButtonElement).disabled).toBe(false);
    expect(backend.callsTo("quota_board")).toHaveLength(2);
    expect(screen.queryByTestId("kuota-empty")).toBeNull();
  });

  it("R refreshes the chosen poli only, and not while typing in a field", async () => {
    const backend = fakeBackend({ quota_refresh: () => makeRefreshReport({ fetched_shifts: 1 }) });
    render(Kuota);
    await waitFor(() => expect(screen.getByRole("option", { name: "Anak (ANA)" })).toBeTruthy());
    await fireEvent.change(byId("kuota-poli"), { target: { value: "ANA" } });
    expect(screen.getByText(/perbarui jadwal/, { selector: ".hints" })).toBeTruthy();

    await fireEvent.keyDown(byId("kuota-date"), { key: "r" });
    await fireEvent.keyDown(byId("kuota-poli"), { key: "r" });
    await fireEvent.keyDown(window, { key: "r", ctrlKey: true });
    expect(backend.callsTo("quota_refresh")).toEqual([]);

    await fireEvent.keyDown(document.body, { key: "R" });
    await waitFor(() => expect(text("kuota-refresh-result")).toContain("1 jadwal diterima"));
    expect(backend.callsTo("quota_refresh")).toEqual([{ polis: ["ANA"], dates: ["2026-01-19"] }]);
  });

  it("lists per poli-date errors in plain Indonesian", async () => {
    fakeBackend({
      quota_refresh: () =>
        makeRefreshReport({
          fetched_shifts: 4,
          updated_sessions: [shiftRef()],
          errors: [{ poli: "INT", date: "2026-01-19", message: "Server BPJS tidak menjawab dalam 10 detik." }],
        }),
    });
    render(Kuota);
    await waitFor(() => expect(screen.getByRole("option", { name: "Anak (ANA)" })).toBeTruthy());
    await fireEvent.click(byId("kuota-refresh"));
    await waitFor(() => expect(text("kuota-refresh-result")).toContain("1 gagal"));
    expect(text("kuota-refresh-result")).toContain("4 jadwal diterima, 0 sesi dibuat, 1 sesi diperbarui, 0 perlu dicek, 1 gagal.");
    expect(text("kuota-refresh-result")).toContain(
      "Gagal — poli Penyakit Dalam (INT), Senin, 19 Januari 2026: Server BPJS tidak menjawab dalam 10 detik.",
    );
  });

  it("shows why a refresh could not run at all", async () => {
    fakeBackend({
      quota_refresh: () => reject("not_found", "Kredensial BPJS belum diatur: isi Cons ID, secret dan user key Antrean di Pengaturan › BPJS."),
    });
    render(Kuota);
    await waitFor(() => expect(screen.getByRole("option", { name: "Anak (ANA)" })).toBeTruthy());
    await fireEvent.click(byId("kuota-refresh"));
    await waitFor(() => expect(byId("kuota-refresh-result").getAttribute("role")).toBe("alert"));
    expect(text("kuota-refresh-result")).toBe(
      "Jadwal tidak dapat diperbarui: Kredensial BPJS belum diatur: isi Cons ID, secret dan user key Antrean di Pengaturan › BPJS.",
    );
  });

  it("says so when there is no poli to refresh", async () => {
    const backend = fakeBackend({ get_settings: () => makeSettings({ polis: [] }) });
    render(Kuota);
    await waitFor(() => expect(backend.callsTo("get_settings")).toHaveLength(1));
    await fireEvent.click(byId("kuota-refresh"));
    expect(text("kuota-refresh-result")).toContain("Belum ada daftar poli. Isi daftar poli di Pengaturan (Alt+6)");
    expect(backend.callsTo("quota_refresh")).toEqual([]);
  });
});

