import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import AlertsBanner from "./AlertsBanner.svelte";
import { fakeBackend, makeAlert, reject } from "../../test/backend";
import type { DeskAlert } from "../ipc";

const byId = (id: string) => screen.getByTestId(id);
const text = (id: string) => byId(id).textContent?.replace(/\s+/g, " ").trim();
const shownIds = () => screen.queryAllByTestId(/^alert-\d+$/).map((a) => a.dataset.testid);

const FULL = "ANA — dr. Andi Wijaya, Sp.A, 19-01-2026 08:00-12:00: Kuota JKN penuh: 20 dari 20 terpakai.";
const NEAR = "INT — dr. Rina, Sp.PD, 19-01-2026 10:00-12:00: Kuota non-JKN hampir penuh: 5 dari 6 terpakai, sisa 1.";

/** Newest first, as the backend answers. */
function five(): DeskAlert[] {
  return [
    makeAlert({ id: 5, message: FULL, created_at: "2026-01-19T02:40:00+00:00" }),
    makeAlert({ id: 4, kind: "kuota_hampir_penuh", message: NEAR, created_at: "2026-01-19T02:30:00+00:00" }),
    makeAlert({ id: 3, message: "Alert 3", created_at: "2026-01-19T02:20:00+00:00" }),
    makeAlert({ id: 2, message: "Alert 2", created_at: "2026-01-19T02:10:00+00:00" }),
    makeAlert({ id: 1, message: "Alert 1", created_at: "2026-01-18T16:00:00+00:00" }),
  ];
}

beforeEach(() => {
  // 10:00 WIB on Monday 19 January 2026.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-01-19T03:00:00Z"));
});

describe("Alerts banner", () => {
  it("shows nothing when no alert is open", async () => {
    const backend = fakeBackend();
    render(AlertsBanner);
    await waitFor(() => expect(backend.callsTo("alerts_open")).toEqual([{}]));
    expect(screen.queryByTestId("alerts")).toBeNull();
  });

  it("shows the newest three with their message and WIB time, full in red, nearly full in amber, then +N lainnya", async () => {
    fakeBackend({ alerts_open: () => five() });
    render(AlertsBanner);
    await waitFor(() => expect(byId("alert-5")).toBeTruthy());

    expect(shownIds()).toEqual(["alert-5", "alert-4", "alert-3"]);
    expect(text("alert-5")).toBe(`⚠ ${FULL} 09:40 WIB Tutup`);
    expect(byId("alert-5").classList.contains("full")).toBe(true);
    expect(byId("alert-4").classList.contains("near")).toBe(true);
    expect(byId("alert-4").classList.contains("full")).toBe(false);
    expect(text("alerts-more")).toBe("+2 lainnya");

    await fireEvent.click(byId("alerts-more"));
    expect(shownIds()).toEqual(["alert-5", "alert-4", "alert-3", "alert-2", "alert-1"]);
    expect(text("alert-1")).toContain("18/01/2026 23:00 WIB");
    expect(text("alerts-more")).toBe("Ringkas");
    await fireEvent.click(byId("alerts-more"));
    expect(shownIds()).toHaveLength(3);
  });

  it("Tutup dismisses the alert by id and brings the next one in", async () => {
    let open = five();
    const backend = fakeBackend({
      alerts_open: () => open,
      alert_dismiss: (args) => {
        open = open.filter((a) => a.id !== args.id);
        return null;
      },
    });
    render(AlertsBanner);
    await waitFor(() => expect(byId("alert-5")).toBeTruthy());
    expect(byId("alert-dismiss-5").getAttribute("aria-label")).toBe(`Tutup peringatan: ${FULL}`);

    await fireEvent.click(byId("alert-dismiss-5"));
    expect(backend.callsTo("alert_dismiss")).toEqual([{ id: 5 }]);
    await waitFor(() => expect(shownIds()).toEqual(["alert-4", "alert-3", "alert-2"]));
    expect(text("alerts-more")).toBe("+1 lainnya");
  });

  it("shows a dismissal the backend refused, and keeps the alert", async () => {
    fakeBackend({
      alerts_open: () => [makeAlert({ id: 7 })],
      alert_dismiss: () => reject("storage", "Basis data tidak dapat ditulis."),
    });
    render(AlertsBanner);
    await waitFor(() => expect(byId("alert-7")).toBeTruthy());
    await fireEvent.click(byId("alert-dismiss-7"));
    await waitFor(() => expect(text("alert-error")).toBe("Peringatan tidak dapat ditutup: Basis data tidak dapat ditulis."));
    expect(byId("alert-7")).toBeTruthy();
  });

  it("reloads on queue-changed (a command may have raised an alert)", async () => {
    let open: DeskAlert[] = [];
    const backend = fakeBackend({ alerts_open: () => open });
    render(AlertsBanner);
    await waitFor(() => expect(backend.callsTo("alerts_open")).toHaveLength(1));

    open = [makeAlert({ id: 9, kind: "kuota_hampir_penuh", message: NEAR })];
    await backend.emitQueueChanged(1);
    await waitFor(() => expect(byId("alert-9")).toBeTruthy());
    expect(byId("alert-9").classList.contains("near")).toBe(true);
  });

  it("chooses the colour from the kind, not from the message text", async () => {
    fakeBackend({
      alerts_open: () => [
        makeAlert({ id: 3, kind: "kuota_penuh", message: "Kuota hampir penuh? Tidak: penuh." }),
        makeAlert({ id: 2, kind: "kuota_hampir_penuh", message: "Kuota JKN: 18 dari 20 terpakai." }),
        makeAlert({ id: 1, kind: "lainnya", message: "Peringatan jenis baru." }),
      ],
    });
    render(AlertsBanner);
    await waitFor(() => expect(byId("alert-3")).toBeTruthy());
    expect(byId("alert-3").classList.contains("full")).toBe(true);
    expect(byId("alert-3").classList.contains("near")).toBe(false);
    expect(byId("alert-2").classList.contains("near")).toBe(true);
    expect(byId("alert-2").classList.contains("full")).toBe(false);
    // A kind this desk does not know yet stays red: better noticed than missed.
    expect(byId("alert-1").classList.contains("full")).toBe(true);
  });

  it("reloads every 15 seconds", async () => {
    vi.useFakeTimers({ toFake: ["Date", "setInterval", "clearInterval"] });
    vi.setSystemTime(new Date("2026-01-19T03:00:00Z"));
    const backend = fakeBackend();
    render(AlertsBanner);
    await waitFor(() => expect(backend.callsTo("alerts_open")).toHaveLength(1));
    vi.advanceTimersByTime(14_999);
    expect(backend.callsTo("alerts_open")).toHaveLength(1);
    vi.advanceTimersByTime(1);
    await waitFor(() => expect(backend.callsTo("alerts_open")).toHaveLength(2));
  });
});
