import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import DashboardSection from "./DashboardSection.svelte";
import Sinkronisasi from "../../screens/Sinkronisasi.svelte";
import { fakeBackend, makeJob, makeRun, reject } from "../../../test/backend";
import type { RunRow, SyncOutcome } from "../../ipc";

const byId = (id: string) => screen.getByTestId(id);
const text = (id: string) => byId(id).textContent?.replace(/\s+/g, " ").trim();

const BOOKING = "BOOKING_PASIEN";
const JADWAL = "JADWAL_DOKTER";

function jobs() {
  return [
    makeJob(),
    makeJob(
      {
        name: JADWAL,
        description: "Jadwal praktik dokter (dashboard 123)",
        view_id: 123,
        table: "sync_jadwal_dokter",
        schedule: { kind: "weekly", day: "senin", hour: 6, minute: 30 },
        incremental: { schedule: { kind: "disabled" }, days: { back: 1, forward: 0 } },
      },
      { enabled: false },
    ),
  ];
}

/** sync_runs answers: the last run per job, and the history for `job: null`. */
function runs(last: Record<string, RunRow[]>, history: RunRow[] = []) {
  return (args: Record<string, unknown>) => (args.job == null ? history : (last[String(args.job)] ?? []));
}

function outcome(over: Partial<SyncOutcome> = {}): SyncOutcome {
  return { run: makeRun({ id: 9 }), bookings: null, ...over };
}

beforeEach(() => {
  // 10:00 WIB on Monday 19 January 2026.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-01-19T03:00:00Z"));
});

describe("Sinkronisasi: data rumah sakit (dashboard)", () => {
  it("sits under the outbox on the Sinkronisasi screen", async () => {
    fakeBackend();
    render(Sinkronisasi);
    expect(screen.getAllByRole("heading", { level: 2 }).map((h) => h.textContent)).toEqual([
      "Outbox BPJS",
      "Data rumah sakit (dashboard)",
    ]);
    await waitFor(() => expect(byId("sync-jobs-empty")).toBeTruthy());
    await waitFor(() => expect(byId("sync-history-empty")).toBeTruthy());
  });

  it("lists every job with what it pulls, when, and its last run; the history of the last 30 runs", async () => {
    const backend = fakeBackend({
      sync_jobs: () => jobs(),
      sync_runs: runs(
        {
          [BOOKING]: [
            makeRun({
              id: 7,
              status: "partial",
              kind: "incremental",
              error: "Jumlah data berubah selama sinkronisasi atau batas halaman tercapai; jalankan ulang untuk melengkapi.",
            }),
          ],
        },
        [
          makeRun({ id: 7, status: "partial", kind: "incremental" }),
          makeRun({ id: 6, job: JADWAL, status: "failed", error: "Dashboard menolak token." }),
          makeRun({ id: 5, job: JADWAL, kind: "manual" }),
          makeRun({ id: 4, kind: "baru" }),
        ],
      ),
    });
    render(DashboardSection);
    await waitFor(() => expect(byId(`sync-status-${BOOKING}`)).toBeTruthy());

    expect(backend.callsTo("sync_jobs")).toEqual([{}]);
    expect(backend.callsTo("sync_runs")).toEqual(
      expect.arrayContaining([
        { job: BOOKING, limit: 1 },
        { job: JADWAL, limit: 1 },
        { job: null, limit: 30 },
      ]),
    );
    expect(text(`sync-meta-${BOOKING}`)).toBe(
      "View 239 · tabel sync_booking_pasien · Setiap hari 05:00 WIB · Inkremental: Setiap hari 00:00 WIB, kemarin s.d. hari ini",
    );
    expect(text(`sync-meta-${JADWAL}`)).toBe("View 123 · tabel sync_jadwal_dokter · Setiap Senin 06:30 WIB · Tanpa inkremental");
    expect(text(`sync-enabled-${BOOKING}`)).toBe("Aktif");
    expect(text(`sync-enabled-${JADWAL}`)).toBe("Nonaktif");
    expect(text(`sync-job-${BOOKING}`)).toContain("Booking pasien (dashboard 239)");

    expect(text(`sync-status-${BOOKING}`)).toBe("Sebagian");
    expect(byId(`sync-status-${BOOKING}`).classList.contains("partial")).toBe(true);
    expect(text(`sync-last-${BOOKING}`)).toContain("08:00 WIB");
    expect(text(`sync-last-kind-${BOOKING}`)).toBe("inkremental");
    expect(text(`sync-last-${BOOKING}`)).toContain("120 diambil: 20 baru, 5 diperbarui, 90 tidak berubah, 3 dilewati, 2 duplikat");
    expect(text(`sync-last-error-${BOOKING}`)).toContain("jalankan ulang untuk melengkapi");
    expect(text(`sync-last-${JADWAL}`)).toBe("Terakhir: belum pernah dijalankan");

    const history = byId("sync-history");
    expect(within(history).getAllByTestId(/^sync-history-row-/).map((r) => r.dataset.testid)).toEqual([
      "sync-history-row-7",
      "sync-history-row-6",
      "sync-history-row-5",
      "sync-history-row-4",
    ]);
    expect(within(history).getAllByRole("columnheader").map((h) => h.textContent)).toContain("Jenis");
    expect([7, 6, 5, 4].map((id) => text(`sync-history-kind-${id}`))).toEqual(["inkremental", "penuh", "manual", "baru"]);
    expect(text("sync-history-status-6")).toBe("Gagal");
    expect(text("sync-history-row-6")).toContain("Dashboard menolak token.");
    expect(text("sync-history-row-6")).toContain("05/01/2026 – 02/02/2026");
  });

  it("Jalankan runs the job, follows its progress from sync-progress, then shows the outcome and the reconcile report", async () => {
    let finish: (o: SyncOutcome) => void = () => {};
    let last: RunRow[] = [];
    const backend = fakeBackend({
      sync_jobs: () => jobs(),
      sync_runs: (args) => (args.job === BOOKING ? last : []),
      sync_run_now: () => new Promise<SyncOutcome>((res) => (finish = res)),
    });
    render(DashboardSection);
    await waitFor(() => expect(text(`sync-last-${BOOKING}`)).toContain("belum pernah"));

    await fireEvent.click(byId(`sync-run-${BOOKING}`));
    expect(backend.callsTo("sync_run_now")).toEqual([{ job: BOOKING, from: null, to: null }]);
    expect((byId(`sync-run-${BOOKING}`) as HTMLButtonElement).disabled).toBe(true);
    expect(text(`sync-run-${BOOKING}`)).toBe("Berjalan…");
    expect(text(`sync-progress-text-${BOOKING}`)).toBe("Menghubungi dashboard…");
    // The other job can still run.
    expect((byId(`sync-run-${JADWAL}`) as HTMLButtonElement).disabled).toBe(false);

    await backend.emitSyncProgress(BOOKING, { run_id: 9, pages_done: 2, pages_total: 5, rows: 200, rows_per_second: 150 });
    await waitFor(() => expect(text(`sync-progress-text-${BOOKING}`)).toBe("Halaman 2 dari 5 · 200 baris · 150 baris/detik"));
    const bar = byId(`sync-progress-${BOOKING}`).querySelector("progress") as HTMLProgressElement;
    expect([bar.max, bar.value]).toEqual([5, 2]);
    // Another job's progress does not move this bar.
    await backend.emitSyncProgress("KUNJUNGAN", { run_id: 10, pages_done: 1, pages_total: 9 });
    expect(text(`sync-progress-text-${BOOKING}`)).toBe("Halaman 2 dari 5 · 200 baris · 150 baris/detik");

    last = [makeRun({ id: 9 })];
    finish(
      outcome({
        bookings: {
          issued: 4,
          cancelled: 1,
          moved: 2,
          unchanged: 30,
          unknown_session: [{ booking_id: 5012, tanggal: "2026-01-20", id_dokter: 77, reason: "Belum ada sesi dokter 77 pada tanggal ini." }],
          refused: [{ booking_id: 5013, tanggal: "2026-01-19", id_dokter: null, reason: "Kuota JKN penuh." }],
          sessions_changed: [3, 4],
        },
      }),
    );
    await waitFor(() => expect(byId(`sync-outcome-${BOOKING}`)).toBeTruthy());
    expect(screen.queryByTestId(`sync-progress-${BOOKING}`)).toBeNull();
    expect(text(`sync-outcome-${BOOKING}`)).toContain(
      "Berhasil 120 diambil: 20 baru, 5 diperbarui, 90 tidak berubah, 3 dilewati, 2 duplikat; halaman 3 dari 3, rentang penuh 05/01/2026 – 02/02/2026.",
    );
    expect(text(`sync-reconcile-${BOOKING}`)).toBe(
      "Antrean dari booking: 4 diterbitkan, 1 dibatalkan, 2 dipindah, 30 tidak berubah, 1 tanpa sesi, 1 ditolak.",
    );
    const unplaced = within(byId(`sync-unplaced-${BOOKING}`)).getAllByRole("listitem").map((li) => li.textContent?.replace(/\s+/g, " ").trim());
    expect(unplaced).toEqual([
      "Sesi tidak dikenal Booking 5012 · 20/01/2026 · dokter 77: Belum ada sesi dokter 77 pada tanggal ini.",
      "Ditolak Booking 5013 · 19/01/2026: Kuota JKN penuh.",
    ]);
    // The last run and the history are read again.
    await waitFor(() => expect(text(`sync-status-${BOOKING}`)).toBe("Berhasil"));
    expect(backend.callsTo("sync_runs").filter((a) => (a as { job: unknown }).job === null)).toHaveLength(2);
    expect((byId(`sync-run-${BOOKING}`) as HTMLButtonElement).disabled).toBe(false);

    // A late event of the finished run does not bring the progress bar back.
    await backend.emitSyncProgress(BOOKING, { run_id: 9, pages_done: 3, pages_total: 3 });
    expect(screen.queryByTestId(`sync-progress-${BOOKING}`)).toBeNull();
  });

  it("Batal asks the running job to stop; the run then ends as cancelled", async () => {
    let finish: (o: SyncOutcome) => void = () => {};
    const backend = fakeBackend({
      sync_jobs: () => jobs(),
      sync_run_now: () => new Promise<SyncOutcome>((res) => (finish = res)),
      sync_cancel: () => true,
    });
    render(DashboardSection);
    await waitFor(() => expect(byId(`sync-run-${BOOKING}`)).toBeTruthy());
    expect(screen.queryByTestId(`sync-cancel-${BOOKING}`)).toBeNull();

    await fireEvent.click(byId(`sync-run-${BOOKING}`));
    await fireEvent.click(byId(`sync-cancel-${BOOKING}`));
    expect(backend.callsTo("sync_cancel")).toEqual([{ job: BOOKING }]);
    await waitFor(() => expect(text(`sync-cancel-${BOOKING}`)).toBe("Membatalkan…"));
    expect(text(`sync-progress-text-${BOOKING}`)).toBe("Membatalkan setelah halaman ini…");

    finish(outcome({ run: makeRun({ id: 9, status: "cancelled", pages_done: 1, error: "Dibatalkan oleh petugas." }) }));
    await waitFor(() => expect(text(`sync-outcome-${BOOKING}`)).toContain("Dibatalkan"));
    expect(text(`sync-outcome-${BOOKING}`)).toContain("halaman 1 dari 3");
    expect(text(`sync-outcome-${BOOKING}`)).toContain("Dibatalkan oleh petugas.");
    expect(byId(`sync-outcome-${BOOKING}`).classList.contains("warn")).toBe(true);
    expect(screen.queryByTestId(`sync-cancel-${BOOKING}`)).toBeNull();
  });

  it("says so when there was nothing to cancel, and when a run fails", async () => {
    let finish: (o: SyncOutcome | Promise<never>) => void = () => {};
    fakeBackend({
      sync_jobs: () => jobs(),
      sync_run_now: () => new Promise<SyncOutcome>((res, rej) => (finish = (o) => (o instanceof Promise ? o.catch(rej) : res(o)))),
      sync_cancel: () => false,
    });
    render(DashboardSection);
    await waitFor(() => expect(byId(`sync-run-${BOOKING}`)).toBeTruthy());
    await fireEvent.click(byId(`sync-run-${BOOKING}`));
    await fireEvent.click(byId(`sync-cancel-${BOOKING}`));
    await waitFor(() => expect(text(`sync-progress-${BOOKING}`)).toContain("Tidak ada sinkronisasi yang sedang berjalan untuk tugas ini."));
    expect(text(`sync-cancel-${BOOKING}`)).toBe("Batal");

    finish(reject("network", "Dashboard tidak menjawab dalam 30 detik."));
    await waitFor(() => expect(text(`sync-outcome-${BOOKING}`)).toBe("Sinkronisasi BOOKING_PASIEN gagal: Dashboard tidak menjawab dalam 30 detik."));
    expect(byId(`sync-outcome-${BOOKING}`).getAttribute("role")).toBe("alert");
  });

  it("shows the progress of a run started by the schedule, and its end from the last run", async () => {
    let last: RunRow[] = [makeRun({ id: 3, status: "running", finished_at: null })];
    const backend = fakeBackend({ sync_jobs: () => jobs(), sync_runs: (args) => (args.job === JADWAL ? last : []) });
    render(DashboardSection);
    await waitFor(() => expect(text(`sync-status-${JADWAL}`)).toBe("Berjalan"));

    await backend.emitSyncProgress(JADWAL, { run_id: 3, pages_done: 1, pages_total: 4, rows: 100, rows_per_second: 80 });
    await waitFor(() => expect(text(`sync-progress-text-${JADWAL}`)).toBe("Berjalan terjadwal · Halaman 1 dari 4 · 100 baris · 80 baris/detik"));
    expect(byId(`sync-cancel-${JADWAL}`)).toBeTruthy();

    vi.useFakeTimers({ toFake: ["Date", "setTimeout", "clearTimeout", "setInterval", "clearInterval"] });
    last = [makeRun({ id: 3, job: JADWAL, status: "ok" })];
    await backend.emitSyncProgress(JADWAL, { run_id: 3, pages_done: 4, pages_total: 4, rows: 400, rows_per_second: 80 });
    vi.advanceTimersByTime(1500);
    vi.useRealTimers();
    await waitFor(() => expect(screen.queryByTestId(`sync-progress-${JADWAL}`)).toBeNull());
    expect(text(`sync-status-${JADWAL}`)).toBe("Berhasil");
  });

  it("opens the rows a run skipped: page, row and why", async () => {
    fakeBackend({
      sync_runs: runs({}, [
        makeRun({
          id: 4,
          counts: { fetched: 50, inserted: 47, updated: 0, unchanged: 0, skipped: 3, duplicates: 0 },
          skipped_rows: [
            { page: 1, index: 4, reason: { column: "booking_id", code: "missing", message: "booking_id kosong." } },
            { page: 2, index: 0, reason: { column: null, code: "not_an_object", message: "Baris bukan objek JSON." } },
          ],
        }),
        makeRun({ id: 3 }),
      ]),
    });
    render(DashboardSection);
    await waitFor(() => expect(byId("sync-skipped-toggle-4")).toBeTruthy());
    // A run without detailed skipped rows has nothing to open.
    expect(screen.queryByTestId("sync-skipped-toggle-3")).toBeNull();
    const toggle = byId("sync-skipped-toggle-4");
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    expect(screen.queryByTestId("sync-skipped-4")).toBeNull();

    await fireEvent.click(toggle);
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    expect(within(byId("sync-skipped-4")).getAllByRole("listitem").map((li) => li.textContent?.trim())).toEqual([
      "Halaman 1, baris 5 (kolom booking_id): booking_id kosong.",
      "Halaman 2, baris 1: Baris bukan objek JSON.",
    ]);
    expect(byId("sync-skipped-4").parentElement?.textContent).toContain("1 baris lain tidak dirinci.");
    await fireEvent.click(toggle);
    expect(screen.queryByTestId("sync-skipped-4")).toBeNull();
  });
});

describe("Sinkronisasi: dashboard credentials", () => {
  it("stores URL, token and API key, never showing the token or key back", async () => {
    let configured = false;
    const backend = fakeBackend({
      sync_credentials_view: () => ({ configured, base_url: configured ? "https://dashboard.rs.local/api" : "" }),
      sync_set_credentials: (args) => {
        configured = true;
        return { configured: true, base_url: String(args.url) };
      },
    });
    render(DashboardSection);
    await waitFor(() => expect(text("dash-creds-status")).toContain("Belum diatur"));

    await fireEvent.input(byId("dash-url"), { target: { value: " https://dashboard.rs.local/api " } });
    await fireEvent.input(byId("dash-token"), { target: { value: "tok-123" } });
    await fireEvent.click(byId("dash-creds-save"));
    expect(text("dash-creds-result")).toBe("Isi URL, token dan API key dashboard; ketiganya wajib diisi setiap kali menyimpan.");
    expect(backend.callsTo("sync_set_credentials")).toEqual([]);

    await fireEvent.input(byId("dash-apikey"), { target: { value: "key-456" } });
    await fireEvent.submit(byId("dash-apikey").closest("form") as HTMLFormElement);
    await waitFor(() => expect(text("dash-creds-status")).toBe("✓ Tersimpan untuk https://dashboard.rs.local/api"));
    expect(backend.callsTo("sync_set_credentials")).toEqual([{ url: "https://dashboard.rs.local/api", token: "tok-123", apiKey: "key-456" }]);
    expect(text("dash-creds-result")).toContain("Kredensial dashboard tersimpan.");
    expect(screen.queryByTestId("dash-token")).toBeNull();

    await fireEvent.click(byId("dash-creds-edit"));
    expect((byId("dash-url") as HTMLInputElement).value).toBe("https://dashboard.rs.local/api");
    expect((byId("dash-token") as HTMLInputElement).value).toBe("");
    expect((byId("dash-apikey") as HTMLInputElement).value).toBe("");
    expect((byId("dash-token") as HTMLInputElement).type).toBe("password");
    expect(document.activeElement).toBe(byId("dash-url"));
    await fireEvent.click(byId("dash-creds-cancel"));
    expect(screen.queryByTestId("dash-url")).toBeNull();
  });

  it("shows the backend's refusal", async () => {
    fakeBackend({ sync_set_credentials: () => reject("invalid_input", "Alamat dashboard harus diawali https://.") });
    render(DashboardSection);
    await waitFor(() => expect(byId("dash-url")).toBeTruthy());
    await fireEvent.input(byId("dash-url"), { target: { value: "ftp://x" } });
    await fireEvent.input(byId("dash-token"), { target: { value: "t" } });
    await fireEvent.input(byId("dash-apikey"), { target: { value: "k" } });
    await fireEvent.click(byId("dash-creds-save"));
    await waitFor(() => expect(text("dash-creds-result")).toBe("Alamat dashboard harus diawali https://."));
    expect((byId("dash-token") as HTMLInputElement).value).toBe("t");
  });
});
