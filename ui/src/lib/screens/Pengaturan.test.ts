import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import Pengaturan from "./Pengaturan.svelte";
import { fakeBackend, makeSettings, reject } from "../../test/backend";
import type { Settings } from "../ipc";

const input = (id: string) => document.getElementById(id) as HTMLInputElement;
const msg = (key: string) => screen.getByTestId(`msg-${key}`).textContent?.replace(/\s+/g, " ").trim();

async function renderLoaded(onsaved = vi.fn()) {
  render(Pengaturan, { onsaved });
  await waitFor(() => expect(input("setting-hospital_name")).toBeTruthy());
  return onsaved;
}

describe("Pengaturan", () => {
  it("fills every field from get_settings, the ratio as a decimal", async () => {
    fakeBackend({
      get_settings: () => makeSettings({ nonjkn_ratio_bp: 2500, weight_walk_in: 0, printer_device: "/dev/usb/lp0", printer_paper: "80" }),
    });
    await renderLoaded();

    const values = Object.fromEntries(
      [
        "hospital_name",
        "kode_ppk",
        "desk_id",
        "clerk",
        "nonjkn_ratio",
        "minutes_per_patient",
        "weight_emergency",
        "weight_paid",
        "weight_follow_up",
        "weight_walk_in",
        "weight_online",
        "schedule_refresh_time",
        "printer_device",
        "printer_paper",
      ].map((k) => [k, input(`setting-${k}`).value]),
    );
    expect(values).toEqual({
      hospital_name: "RSUD Sehat Sentosa",
      kode_ppk: "0123R001",
      desk_id: "L01",
      clerk: "Siti Aminah",
      nonjkn_ratio: "0.25",
      minutes_per_patient: "6",
      weight_emergency: "100",
      weight_paid: "20",
      weight_follow_up: "10",
      weight_walk_in: "0",
      weight_online: "5",
      schedule_refresh_time: "05:30",
      printer_device: "/dev/usb/lp0",
      printer_paper: "80",
    });
    expect(input("setting-polis-kode-0").value).toBe("ANA");
    expect(input("setting-polis-nama-1").value).toBe("Penyakit Dalam");
    // Stable names for E2E tests, and a labelled input.
    expect(input("setting-kode_ppk").name).toBe("kode_ppk");
    expect(screen.getByLabelText("Rasio kuota non-JKN")).toBe(input("setting-nonjkn_ratio"));
  });

  it("saves a field with its button and shows Tersimpan", async () => {
    const backend = fakeBackend({ set_setting: () => makeSettings({ hospital_name: "RSUD Baru" }) });
    const onsaved = await renderLoaded();

    await fireEvent.input(input("setting-hospital_name"), { target: { value: "RSUD Baru" } });
    expect(msg("hospital_name")).toBe("Belum disimpan — tekan Enter atau Simpan.");
    await fireEvent.click(screen.getByTestId("save-hospital_name"));

    await waitFor(() => expect(msg("hospital_name")).toBe("✓ Tersimpan"));
    expect(backend.callsTo("set_setting")).toEqual([{ key: "hospital_name", value: "RSUD Baru" }]);
    expect(input("setting-hospital_name").value).toBe("RSUD Baru");
    expect(onsaved).toHaveBeenCalledTimes(1);
  });

  it("saves on Enter and sends the ratio as a decimal string under nonjkn_ratio", async () => {
    const backend = fakeBackend({ set_setting: () => makeSettings({ nonjkn_ratio_bp: 3500 }) });
    await renderLoaded();

    const ratio = input("setting-nonjkn_ratio");
    await fireEvent.input(ratio, { target: { value: "0.35" } });
    await fireEvent.keyDown(ratio, { key: "Enter" });

    await waitFor(() => expect(msg("nonjkn_ratio")).toBe("✓ Tersimpan"));
    expect(backend.callsTo("set_setting")).toEqual([{ key: "nonjkn_ratio", value: "0.35" }]);
  });

  it("shows the backend's normalised value after saving", async () => {
    fakeBackend({ set_setting: () => makeSettings({ nonjkn_ratio_bp: 3000 }) });
    await renderLoaded();
    await fireEvent.input(input("setting-nonjkn_ratio"), { target: { value: " .3 " } });
    await fireEvent.click(screen.getByTestId("save-nonjkn_ratio"));
    await waitFor(() => expect(input("setting-nonjkn_ratio").value).toBe("0.30"));
  });

  it("shows the backend's error next to the field and keeps the typed value", async () => {
    const backend = fakeBackend({
      set_setting: () => reject("invalid_input", "Menit per pasien harus bilangan bulat 1 sampai 120."),
    });
    const onsaved = await renderLoaded();

    const minutes = input("setting-minutes_per_patient");
    await fireEvent.input(minutes, { target: { value: "abc" } });
    await fireEvent.click(screen.getByTestId("save-minutes_per_patient"));

    await waitFor(() => expect(msg("minutes_per_patient")).toBe("Menit per pasien harus bilangan bulat 1 sampai 120."));
    expect(minutes.value).toBe("abc");
    expect(minutes.getAttribute("aria-invalid")).toBe("true");
    expect(minutes.getAttribute("aria-describedby")).toContain("msg-minutes_per_patient");
    expect(backend.callsTo("set_setting")).toEqual([{ key: "minutes_per_patient", value: "abc" }]);
    expect(onsaved).not.toHaveBeenCalled();
    // Other fields are untouched.
    expect(msg("hospital_name")).toBe("");
  });

  it("clears the error once the corrected value is saved", async () => {
    let attempt = 0;
    fakeBackend({
      set_setting: (args) =>
        ++attempt === 1 ? reject("invalid_input", "Format jam harus JJ:MM.") : makeSettings({ schedule_refresh_time: String(args.value) }),
    });
    await renderLoaded();
    const time = input("setting-schedule_refresh_time");

    await fireEvent.input(time, { target: { value: "25:99" } });
    await fireEvent.keyDown(time, { key: "Enter" });
    await waitFor(() => expect(msg("schedule_refresh_time")).toBe("Format jam harus JJ:MM."));

    await fireEvent.input(time, { target: { value: "06:15" } });
    await fireEvent.keyDown(time, { key: "Enter" });
    await waitFor(() => expect(msg("schedule_refresh_time")).toBe("✓ Tersimpan"));
    expect(time.value).toBe("06:15");
    expect(time.getAttribute("aria-invalid")).toBe("false");
  });

  it("sends the polis table as a JSON array string", async () => {
    let stored: Settings = makeSettings();
    const backend = fakeBackend({
      get_settings: () => stored,
      set_setting: (args) => {
        stored = makeSettings({ polis: JSON.parse(String(args.value)) });
        return stored;
      },
    });
    await renderLoaded();

    // Remove "INT", add "MAT — Mata", and leave one blank row that must not be sent.
    await fireEvent.click(screen.getByTestId("polis-remove-1"));
    await fireEvent.click(screen.getByTestId("polis-add"));
    await fireEvent.input(input("setting-polis-kode-1"), { target: { value: " MAT " } });
    await fireEvent.input(input("setting-polis-nama-1"), { target: { value: "Mata" } });
    await fireEvent.click(screen.getByTestId("polis-add"));
    expect(document.activeElement?.id).toBe("setting-polis-kode-2");
    await fireEvent.click(screen.getByTestId("save-polis"));

    await waitFor(() => expect(msg("polis")).toBe("✓ Tersimpan"));
    expect(backend.callsTo("set_setting")).toEqual([
      { key: "polis", value: '[{"kode":"ANA","nama":"Anak"},{"kode":"MAT","nama":"Mata"}]' },
    ]);
    // The table now shows what the backend stored.
    expect(document.getElementById("setting-polis-kode-2")).toBeNull();
    expect(input("setting-polis-kode-1").value).toBe("MAT");
  });

  it("saves the polis table on Enter and keeps the rows when the backend refuses", async () => {
    const backend = fakeBackend({ set_setting: () => reject("invalid_input", "Kode poli ANA dipakai dua kali.") });
    await renderLoaded();

    await fireEvent.input(input("setting-polis-kode-1"), { target: { value: "ANA" } });
    await fireEvent.keyDown(input("setting-polis-nama-1"), { key: "Enter" });

    await waitFor(() => expect(msg("polis")).toBe("Kode poli ANA dipakai dua kali."));
    expect(backend.callsTo("set_setting")).toEqual([
      { key: "polis", value: '[{"kode":"ANA","nama":"Anak"},{"kode":"ANA","nama":"Penyakit Dalam"}]' },
    ]);
    expect(input("setting-polis-kode-1").value).toBe("ANA");
  });

  it("sends a test notification and shows the outcome", async () => {
    let ok = true;
    const backend = fakeBackend({
      send_test_notification: () => (ok ? null : reject("internal", "Layanan notifikasi tidak tersedia.")),
    });
    await renderLoaded();

    await fireEvent.click(screen.getByTestId("test-notification"));
    await waitFor(() => expect(screen.getByTestId("test-notification-result").textContent).toContain("Notifikasi uji dikirim."));

    ok = false;
    await fireEvent.click(screen.getByTestId("test-notification"));
    await waitFor(() =>
      expect(screen.getByTestId("test-notification-result").textContent?.trim()).toBe(
        "Notifikasi uji gagal: Layanan notifikasi tidak tersedia.",
      ),
    );
    expect(backend.callsTo("send_test_notification")).toEqual([{}, {}]);
  });

  it("chooses the ticket paper width from a list and saves it under printer_paper", async () => {
    const backend = fakeBackend({ set_setting: (args) => makeSettings({ printer_paper: args.value === "80" ? "80" : "58" }) });
    await renderLoaded();

    const paper = document.getElementById("setting-printer_paper") as HTMLSelectElement;
    expect(paper.tagName).toBe("SELECT");
    expect(paper.name).toBe("printer_paper");
    expect(Array.from(paper.options).map((o) => [o.value, o.textContent])).toEqual([
      ["58", "58 mm"],
      ["80", "80 mm"],
    ]);
    expect(paper.value).toBe("58");
    await fireEvent.change(paper, { target: { value: "80" } });
    expect(msg("printer_paper")).toBe("Belum disimpan — tekan Enter atau Simpan.");
    await fireEvent.click(screen.getByTestId("save-printer_paper"));

    await waitFor(() => expect(msg("printer_paper")).toBe("✓ Tersimpan"));
    expect(backend.callsTo("set_setting")).toEqual([{ key: "printer_paper", value: "80" }]);
    expect(paper.value).toBe("80");
  });

  it("saves the printer device and shows the backend's refusal of a relative path", async () => {
    const backend = fakeBackend({
      set_setting: () => reject("invalid_input", "Printer karcis harus path absolut, misalnya /dev/usb/lp0, atau dikosongkan."),
    });
    await renderLoaded();
    expect(screen.getByLabelText("Printer karcis")).toBe(input("setting-printer_device"));
    await fireEvent.input(input("setting-printer_device"), { target: { value: "usb/lp0" } });
    await fireEvent.keyDown(input("setting-printer_device"), { key: "Enter" });
    await waitFor(() =>
      expect(msg("printer_device")).toBe("Printer karcis harus path absolut, misalnya /dev/usb/lp0, atau dikosongkan."),
    );
    expect(backend.callsTo("set_setting")).toEqual([{ key: "printer_device", value: "usb/lp0" }]);
  });

  it("shows a load error with a retry, never an empty form", async () => {
    let attempt = 0;
    fakeBackend({
      get_settings: () => (++attempt === 1 ? reject("storage", "Basis data tidak dapat dibuka.") : makeSettings()),
    });
    render(Pengaturan);

    await waitFor(() => expect(screen.getByTestId("settings-load-error").textContent).toBe("Basis data tidak dapat dibuka."));
    expect(document.getElementById("setting-hospital_name")).toBeNull();

    await fireEvent.click(screen.getByRole("button", { name: "Coba lagi" }));
    await waitFor(() => expect(input("setting-hospital_name").value).toBe("RSUD Sehat Sentosa"));
  });
});
