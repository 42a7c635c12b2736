import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import Sinkronisasi from "./Sinkronisasi.svelte";
import { fakeBackend, makeOutboxItem, makeOutboxStatus, reject } from "../../test/backend";
import type { OutboxItemView, RunReport } from "../ipc";

const byId = (id: string) => screen.getByTestId(id);
const text = (id: string) => byId(id).textContent?.replace(/\s+/g, " ").trim();
const rowIds = () => screen.queryAllByTestId(/^outbox-row-\d+$/).map((r) => r.dataset.testid);

/** One booking of each state, unsent first as the backend orders them. */
function outbox(): OutboxItemView[] {
  return [
    makeOutboxItem({
      id: 4,
      kodebooking: "0123R0012026011900104",
      state: "failed",
      attempts: 1,
      last_message: "Ditolak BPJS: Nomor kartu tidak aktif.",
    }),
    makeOutboxItem({
      id: 3,
      kodebooking: "0123R0012026011900103",
      state: "incomplete",
      missing: ["NIK", "Nomor HP"],
    }),
    makeOutboxItem({
      id: 2,
      kodebooking: "0123R0012026011900102",
      what: "antrean/updatewaktu task 3",
      endpoint: "antrean/updatewaktu",
      seq: 2,
      state: "pending",
      attempts: 2,
      next_attempt_at: "2026-01-19T01:12:00+00:00",
      last_message: "Server BPJS tidak menjawab dalam 10 detik.",
    }),
    makeOutboxItem({
      id: 1,
      state: "sent",
      attempts: 1,
      last_message: "Diterima BPJS.",
      created_at: "2026-01-18T16:50:00+00:00",
      sent_at: "2026-01-19T01:06:00+00:00",
    }),
  ];
}

beforeEach(() => {
  // 10:00 WIB on Monday 19 January 2026.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-01-19T03:00:00Z"));
});

describe("Sinkronisasi: the BPJS outbox", () => {
  it("shows the summary tiles and every item with its state, attempts, WIB times and BPJS message", async () => {
    const backend = fakeBackend({ outbox_status: () => makeOutboxStatus(outbox(), { sent: 120 }) });
    render(Sinkronisasi);
    await waitFor(() => expect(byId("outbox-row-4")).toBeTruthy());

    expect(backend.callsTo("outbox_status")).toEqual([{ limit: 200 }]);
    expect(screen.getByRole("heading", { level: 2, name: "Outbox BPJS" })).toBeTruthy();
    expect(text("outbox-tile-pending")).toBe("1 Menunggu");
    expect(text("outbox-tile-incomplete")).toBe("1 Data kurang");
    expect(text("outbox-tile-sent")).toBe("120 Terkirim");
    expect(text("outbox-tile-failed")).toBe("1 Gagal");

    expect(rowIds()).toEqual(["outbox-row-4", "outbox-row-3", "outbox-row-2", "outbox-row-1"]);
    expect(text("outbox-state-4")).toBe("Gagal");
    expect(text("outbox-state-3")).toBe("Data kurang");
    expect(text("outbox-state-2")).toBe("Menunggu");
    expect(text("outbox-state-1")).toBe("Terkirim");
    for (const [id, cls] of [[4, "failed"], [3, "incomplete"], [2, "pending"], [1, "sent"]] as const) {
      expect(byId(`outbox-state-${id}`).classList.contains(cls)).toBe(true);
    }
    expect(text("outbox-missing-3")).toBe("Kurang: NIK, Nomor HP");

    const row2 = within(byId("outbox-row-2"));
    expect(row2.getByText("0123R0012026011900102")).toBeTruthy();
    expect(row2.getByText("antrean/updatewaktu task 3")).toBeTruthy();
    expect(row2.getByText("2")).toBeTruthy();
    expect(text("outbox-times-2")).toBe("Dibuat 08:05 WIB Coba lagi 08:12 WIB");
    expect(text("outbox-message-2")).toBe("Server BPJS tidak menjawab dalam 10 detik.");
    // Created yesterday (WIB): the date is shown too.
    expect(text("outbox-times-1")).toBe("Dibuat 18/01/2026 23:50 WIB Terkirim 08:06 WIB");
    expect(text("outbox-times-1")).not.toContain("Coba lagi");
    expect(text("outbox-message-3")).toBe("—");

    // Only a refused item can be sent again.
    expect(byId("outbox-retry-4").textContent).toBe("Kirim ulang");
    for (const id of [3, 2, 1]) expect(screen.queryByTestId(`outbox-retry-${id}`)).toBeNull();
  });

  it("Kirim ulang sends the item's id, says so and reloads", async () => {
    let items = outbox();
    const backend = fakeBackend({
      outbox_status: () => makeOutboxStatus(items),
      outbox_retry: (args) => {
        items = items.map((i) => (i.id === args.id ? { ...i, state: "pending", next_attempt_at: null } : i));
        return items.find((i) => i.id === args.id);
      },
    });
    render(Sinkronisasi);
    await waitFor(() => expect(byId("outbox-retry-4")).toBeTruthy());
    expect(byId("outbox-retry-4").getAttribute("aria-label")).toBe("Kirim ulang 0123R0012026011900104 antrean/add");

    await fireEvent.click(byId("outbox-retry-4"));
    await waitFor(() => expect(text("outbox-state-4")).toBe("Menunggu"));
    expect(backend.callsTo("outbox_retry")).toEqual([{ id: 4 }]);
    expect(text("outbox-retry-result")).toContain("0123R0012026011900104 (antrean/add) dijadwalkan kirim ulang");
    expect(screen.queryByTestId("outbox-retry-4")).toBeNull();
    expect(text("outbox-tile-failed")).toBe("0 Gagal");
  });

  it("shows why an item could not be sent again", async () => {
    fakeBackend({
      outbox_status: () => makeOutboxStatus(outbox()),
      outbox_retry: () => reject("conflict", "Item outbox 4 sudah terkirim ke BPJS."),
    });
    render(Sinkronisasi);
    await waitFor(() => expect(byId("outbox-retry-4")).toBeTruthy());
    await fireEvent.click(byId("outbox-retry-4"));
    await waitFor(() => expect(byId("outbox-retry-result").getAttribute("role")).toBe("alert"));
    expect(text("outbox-retry-result")).toBe(
      "0123R0012026011900104 (antrean/add) tidak dapat dikirim ulang: Item outbox 4 sudah terkirim ke BPJS.",
    );
  });

  it("filters: Semua, Belum terkirim (all but sent), Gagal", async () => {
    fakeBackend({ outbox_status: () => makeOutboxStatus(outbox()) });
    render(Sinkronisasi);
    await waitFor(() => expect(byId("outbox-row-4")).toBeTruthy());
    const filters = within(screen.getByRole("group", { name: "Saring item outbox" })).getAllByRole("button");
    expect(filters.map((b) => b.textContent)).toEqual(["Semua", "Belum terkirim", "Gagal"]);
    expect(byId("outbox-filter-all").getAttribute("aria-pressed")).toBe("true");
    expect(text("outbox-count")).toBe("4 item");

    await fireEvent.click(byId("outbox-filter-unsent"));
    expect(rowIds()).toEqual(["outbox-row-4", "outbox-row-3", "outbox-row-2"]);
    expect(byId("outbox-filter-unsent").getAttribute("aria-pressed")).toBe("true");
    expect(byId("outbox-filter-all").getAttribute("aria-pressed")).toBe("false");

    await fireEvent.click(byId("outbox-filter-failed"));
    expect(rowIds()).toEqual(["outbox-row-4"]);
    expect(text("outbox-count")).toBe("1 item");

    await fireEvent.click(byId("outbox-filter-all"));
    expect(rowIds()).toHaveLength(4);
  });

  it("says when a filter leaves nothing, and when the outbox is empty", async () => {
    let items = [makeOutboxItem({ state: "sent", sent_at: "2026-01-19T01:06:00+00:00" })];
    const backend = fakeBackend({ outbox_status: () => makeOutboxStatus(items) });
    render(Sinkronisasi);
    await waitFor(() => expect(byId("outbox-row-1")).toBeTruthy());
    await fireEvent.click(byId("outbox-filter-failed"));
    expect(text("outbox-empty")).toBe("Tidak ada item yang gagal.");
    await fireEvent.click(byId("outbox-filter-unsent"));
    expect(text("outbox-empty")).toBe("Semua item sudah terkirim.");

    items = [];
    await backend.emitOutboxChanged(1);
    await waitFor(() => expect(text("outbox-empty")).toContain("Belum ada laporan antrean untuk BPJS."));
  });

  it("Kirim sekarang runs the worker, reports what it did and reloads", async () => {
    let items = outbox();
    let finish: (r: RunReport) => void = () => {};
    const backend = fakeBackend({
      outbox_status: () => makeOutboxStatus(items),
      outbox_run_now: () => new Promise<RunReport>((res) => (finish = res)),
    });
    render(Sinkronisasi);
    await waitFor(() => expect(byId("outbox-row-2")).toBeTruthy());

    await fireEvent.click(byId("outbox-run"));
    expect(backend.callsTo("outbox_run_now")).toEqual([{}]);
    expect((byId("outbox-run") as HTMLButtonElement).disabled).toBe(true);
    expect(text("outbox-run")).toBe("Mengirim…");

    items = items.map((i) => (i.id === 2 ? { ...i, state: "sent", sent_at: "2026-01-19T03:00:00+00:00" } : i));
    finish({ attempted: 3, sent: 1, retry_later: 1, failed: 1 });
    await waitFor(() => expect(text("outbox-run-result")).toBe("3 dikirim: 1 diterima, 1 dicoba lagi nanti, 1 ditolak."));
    expect(text("outbox-state-2")).toBe("Terkirim");
    expect((byId("outbox-run") as HTMLButtonElement).disabled).toBe(false);
    expect(text("outbox-run")).toBe("Kirim sekarang");
  });

  it("Kirim sekarang explains a run that sent nothing, and a run that could not start", async () => {
    let run: () => unknown = () => ({ attempted: 0, sent: 0, retry_later: 0, failed: 0 });
    fakeBackend({ outbox_status: () => makeOutboxStatus(outbox()), outbox_run_now: () => run() });
    render(Sinkronisasi);
    await waitFor(() => expect(byId("outbox-row-2")).toBeTruthy());

    await fireEvent.click(byId("outbox-run"));
    await waitFor(() => expect(text("outbox-run-result")).toContain("Tidak ada yang dikirim"));
    expect(text("outbox-run-result")).toContain("kredensial BPJS belum diatur (Pengaturan, Alt+6)");

    run = () => reject("storage", "Basis data tidak dapat dibaca.");
    await fireEvent.click(byId("outbox-run"));
    await waitFor(() => expect(byId("outbox-run-result").getAttribute("role")).toBe("alert"));
    expect(text("outbox-run-result")).toBe("Pengiriman tidak dapat dijalankan: Basis data tidak dapat dibaca.");
  });

  it("reloads on outbox-changed and queue-changed", async () => {
    let items = [makeOutboxItem({ id: 1 })];
    const backend = fakeBackend({ outbox_status: () => makeOutboxStatus(items) });
    render(Sinkronisasi);
    await waitFor(() => expect(text("outbox-state-1")).toBe("Menunggu"));

    items = [makeOutboxItem({ id: 1, state: "sent", attempts: 1, sent_at: "2026-01-19T02:59:00+00:00" })];
    await backend.emitOutboxChanged(1);
    await waitFor(() => expect(text("outbox-state-1")).toBe("Terkirim"));

    items = [...items, makeOutboxItem({ id: 2, kodebooking: "0123R0012026011900102", state: "incomplete", missing: ["NIK"] })];
    await backend.emitQueueChanged(1);
    await waitFor(() => expect(byId("outbox-row-2")).toBeTruthy());
    expect(backend.callsTo("outbox_status").length).toBeGreaterThanOrEqual(3);
  });

  it("reloads every 10 seconds", async () => {
    vi.useFakeTimers({ toFake: ["Date", "setInterval", "clearInterval"] });
    vi.setSystemTime(new Date("2026-01-19T03:00:00Z"));
    const backend = fakeBackend();
    render(Sinkronisasi);
    await waitFor(() => expect(byId("outbox-empty")).toBeTruthy());
    expect(backend.callsTo("outbox_status")).toHaveLength(1);
    vi.advanceTimersByTime(10_000);
    await waitFor(() => expect(backend.callsTo("outbox_status")).toHaveLength(2));
  });

  it("shows a load error in plain words", async () => {
    fakeBackend({ outbox_status: () => reject("storage", "Basis data tidak dapat dibaca.") });
    render(Sinkronisasi);
    await waitFor(() => expect(byId("outbox-error")).toBeTruthy());
    expect(text("outbox-error")).toBe("Outbox tidak dapat dimuat: Basis data tidak dapat dibaca.");
    expect(screen.queryByTestId("outbox-empty")).toBeNull();
  });
});
