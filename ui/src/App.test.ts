import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import App from "./App.svelte";
import { fakeBackend, makeAlert, makeSettings, makeStatus } from "./test/backend";
import { todayWib } from "./lib/format";

function altKey(digit: string) {
  return fireEvent.keyDown(window, { key: digit, code: `Digit${digit}`, altKey: true });
}

const heading = () => screen.getByRole("heading", { level: 1 }).textContent;

describe("App shell", () => {
  it("loads the status into the header and status bar", async () => {
    const backend = fakeBackend({ app_status: () => makeStatus({ hospital_name: "RS Harapan Kita", demo_mode: true }) });
    render(App);

    await waitFor(() => expect(screen.getByTestId("hospital-name").textContent?.trim()).toBe("RS Harapan Kita"));
    expect(screen.getByTestId("status-demo").textContent).toBe("MODE DEMO");
    expect(screen.getByTestId("status-sync").textContent).toBe("Sinkron terakhir: 19/01/2026 08:00 WIB");
    expect(backend.callsTo("app_status")).toEqual([{}]);
  });

  it("shows every screen with its Alt shortcut in the nav", () => {
    fakeBackend();
    render(App);
    const nav = screen.getByRole("navigation", { name: "Menu layar" });
    const labels = Array.from(nav.querySelectorAll("button")).map((b) => b.textContent?.replace(/\s+/g, " ").trim());
    expect(labels).toEqual([
      "Antrean Alt+1",
      "Kuota Alt+2",
      "Saldo Alt+3",
      "Laporan Alt+4",
      "Sinkronisasi Alt+5",
      "Pengaturan Alt+6",
    ]);
  });

  it("starts on Antrean, showing today's sessions in WIB", async () => {
    // 00:30 WIB on 19 January is still the 18th in UTC: the desk must ask for the WIB date.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-01-18T17:30:00Z"));
    const backend = fakeBackend();
    render(App);
    expect(heading()).toBe("Antrean");
    expect(screen.getByTestId("nav-antrean").getAttribute("aria-current")).toBe("page");
    expect(screen.queryByTestId("not-available")).toBeNull();
    expect((screen.getByTestId("antrean-date") as HTMLInputElement).value).toBe("2026-01-19");
    await waitFor(() => expect(screen.getByTestId("sessions-empty").textContent).toContain("Senin, 19 Januari 2026"));
    expect(backend.callsTo("opd_sessions")).toEqual([{ date: "2026-01-19", poli: null }]);
    vi.useRealTimers();
  });

  it("switches screens with Alt+digit and moves focus to the screen title", async () => {
    const backend = fakeBackend();
    render(App);

    await altKey("2");
    expect(heading()).toBe("Kuota");
    expect(screen.queryByTestId("not-available")).toBeNull();
    await waitFor(() => expect(screen.getByTestId("kuota-empty")).toBeTruthy());
    expect(screen.getByTestId("nav-kuota").getAttribute("aria-current")).toBe("page");
    expect(screen.getByTestId("nav-antrean").getAttribute("aria-current")).toBeNull();
    await waitFor(() => expect(document.activeElement?.id).toBe("screen-title"));

    await altKey("4");
    expect(heading()).toBe("Laporan");
    await waitFor(() => expect(screen.getByTestId("spm-table")).toBeTruthy());
    expect(backend.callsTo("spm_report")).toEqual([{ program: "dm", year: Number(todayWib().slice(0, 4)) }]);

    await altKey("5");
    expect(heading()).toBe("Sinkronisasi");
    expect(screen.queryByTestId("not-available")).toBeNull();
    await waitFor(() => expect(screen.getByTestId("outbox-empty")).toBeTruthy());
    expect(backend.callsTo("outbox_status")).toEqual([{ limit: 200 }]);

    const before = backend.callsTo("get_settings").length; // Antrean read the poli list
    await altKey("6");
    expect(heading()).toBe("Pengaturan");
    await waitFor(() => expect((document.getElementById("setting-hospital_name") as HTMLInputElement).value).toBe("RSUD Sehat Sentosa"));
    expect(backend.callsTo("get_settings")).toHaveLength(before + 1);

    await altKey("1");
    expect(heading()).toBe("Antrean");
  });

  it("shows open alerts above every screen, and Tutup dismisses one", async () => {
    let open = [makeAlert({ id: 3 })];
    const backend = fakeBackend({
      alerts_open: () => open,
      alert_dismiss: () => {
        open = [];
        return null;
      },
    });
    render(App);
    await waitFor(() => expect(screen.getByTestId("alert-3")).toBeTruthy());
    expect(screen.getByTestId("alert-3").textContent).toContain("Kuota JKN penuh: 20 dari 20 terpakai.");

    await altKey("2");
    expect(heading()).toBe("Kuota");
    expect(screen.getByTestId("alert-3")).toBeTruthy();

    await fireEvent.click(screen.getByTestId("alert-dismiss-3"));
    await waitFor(() => expect(screen.queryByTestId("alerts")).toBeNull());
    expect(backend.callsTo("alert_dismiss")).toEqual([{ id: 3 }]);
  });

  it("ignores a digit typed without Alt", async () => {
    fakeBackend();
    render(App);
    await fireEvent.keyDown(window, { key: "3", code: "Digit3" });
    expect(heading()).toBe("Antrean");
  });

  it("switches screens from the nav buttons", async () => {
    fakeBackend();
    render(App);
    await fireEvent.click(screen.getByTestId("nav-saldo"));
    expect(heading()).toBe("Saldo");
    expect(screen.queryByTestId("not-available")).toBeNull();
    expect(screen.getByTestId("saldo-search")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("nav-laporan"));
    expect(heading()).toBe("Laporan");
    expect(screen.queryByTestId("not-available")).toBeNull();
    expect(screen.getByRole("tab", { name: "SPM DM/HT" }).getAttribute("aria-selected")).toBe("true");
  });

  it("refreshes the status bar after a setting is saved", async () => {
    let clerk = "Siti Aminah";
    const backend = fakeBackend({
      app_status: () => makeStatus({ clerk }),
      set_setting: (args) => {
        clerk = String(args.value);
        return makeSettings({ clerk });
      },
    });
    render(App);
    await waitFor(() => expect(screen.getByTestId("status-clerk").textContent).toBe("Petugas: Siti Aminah"));

    await altKey("6");
    await waitFor(() => expect((document.getElementById("setting-clerk") as HTMLInputElement | null)?.value).toBe("Siti Aminah"));
    const input = document.getElementById("setting-clerk") as HTMLInputElement;
    await fireEvent.input(input, { target: { value: "Dewi Lestari" } });
    await fireEvent.click(screen.getByTestId("save-clerk"));

    await waitFor(() => expect(screen.getByTestId("status-clerk").textContent).toBe("Petugas: Dewi Lestari"));
    expect(backend.callsTo("set_setting")).toEqual([{ key: "clerk", value: "Dewi Lestari" }]);
    expect(backend.callsTo("app_status")).toHaveLength(2);
  });

  it("degrades to a clear message outside the Tauri window", async () => {
    render(App);
    await waitFor(() =>
      expect(screen.getByTestId("ipc-banner").textContent).toContain("Tidak terhubung ke inti aplikasi Loket"),
    );
    expect(screen.getByTestId("status-error").textContent).toContain("Status tidak dapat dimuat");
    expect(screen.getByTestId("hospital-name").textContent?.trim()).toBe("Loket");
    expect(screen.queryByTestId("status-desk")).toBeNull();

    await altKey("6");
    await waitFor(() =>
      expect(screen.getByTestId("settings-load-error").textContent).toContain("Tidak terhubung ke inti aplikasi Loket"),
    );
    expect(document.getElementById("setting-hospital_name")).toBeNull();
  });
});
