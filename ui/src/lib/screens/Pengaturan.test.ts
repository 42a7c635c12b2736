import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import Pengaturan from "./Pengaturan.svelte";
import { fakeBackend, makeJob, makeSettings, reject } from "../../test/backend";
import type { JobConfig, Settings, StoredJob } from "../ipc";

const input = (id: string) => document.getElementById(id) as HTMLInputElement;
/** A test id's text with its whitespace collapsed. */
const text = (testId: string) => screen.getByTestId(testId).textContent?.replace(/\s+/g, " ").trim();
const msg = (key: string) => text(`msg-${key}`);

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

  it("shows the per-poli overrides, the alert threshold and the SPM settings as the backend writes them", async () => {
    fakeBackend({
      get_settings: () =>
        makeSettings({
          poli_nonjkn_ratio_bp: { BED: 4000, ANA: 2500 },
          poli_minutes_per_patient: { ANA: 8 },
          quota_alert_threshold_bp: 8500,
          spm_dm_codes: "E10-E14, E16",
          spm_targets: { "ht:2026": 3400, "dm:2026": 1200 },
        }),
    });
    await renderLoaded();

    expect(input("setting-poli_nonjkn_ratio").value).toBe("ANA=0.25, BED=0.40");
    expect(input("setting-poli_minutes_per_patient").value).toBe("ANA=8");
    expect(input("setting-quota_alert_threshold").value).toBe("0.85");
    expect(input("setting-spm_dm_codes").value).toBe("E10-E14, E16");
    expect(input("setting-spm_ht_codes").value).toBe("I10-I15");
    expect(input("setting-spm_targets").value).toBe("dm:2026=1200, ht:2026=3400");

    // Grouped: quota overrides with Kuota, the SPM codes and targets under Laporan SPM, each with help.
    const kuota = screen.getByRole("region", { name: "Kuota dan layanan" });
    expect(kuota.contains(input("setting-poli_nonjkn_ratio"))).toBe(true);
    expect(kuota.contains(input("setting-quota_alert_threshold"))).toBe(true);
    const spm = screen.getByRole("region", { name: "Laporan SPM" });
    for (const k of ["spm_dm_codes", "spm_ht_codes", "spm_targets"]) expect(spm.contains(input(`setting-${k}`))).toBe(true);
    expect(screen.getByLabelText("Target tahunan SPM")).toBe(input("setting-spm_targets"));
    expect(document.getElementById("hint-poli_nonjkn_ratio")?.textContent).toContain("ANA=0.25, BED=0.40");
    expect(document.getElementById("hint-spm_targets")?.textContent).toContain("dm:2026=1200, ht:2026=3400");
    expect(document.getElementById("hint-quota_alert_threshold")?.textContent).toContain("Isi 0 untuk mematikan");
  });

  it("saves a per-poli override as typed and shows the backend's normalised form", async () => {
    const backend = fakeBackend({ set_setting: () => makeSettings({ poli_nonjkn_ratio_bp: { ANA: 2500, BED: 4000 } }) });
    await renderLoaded();
    await fireEvent.input(input("setting-poli_nonjkn_ratio"), { target: { value: "ana=0.25; BED = 40%" } });
    await fireEvent.keyDown(input("setting-poli_nonjkn_ratio"), { key: "Enter" });
    await waitFor(() => expect(msg("poli_nonjkn_ratio")).toBe("✓ Tersimpan"));
    expect(backend.callsTo("set_setting")).toEqual([{ key: "poli_nonjkn_ratio", value: "ana=0.25; BED = 40%" }]);
    expect(input("setting-poli_nonjkn_ratio").value).toBe("ANA=0.25, BED=0.40");
  });

  it("saves the alert threshold and the SPM targets, and shows a refusal next to the field", async () => {
    const backend = fakeBackend({
      set_setting: (args) =>
        args.key === "spm_targets"
          ? reject("invalid_input", 'Sasaran SPM "xx:2026=5" tidak sesuai; tulis program:tahun=jumlah, misalnya dm:2026=1200.')
          : makeSettings({ quota_alert_threshold_bp: 8000 }),
    });
    await renderLoaded();
    await fireEvent.input(input("setting-quota_alert_threshold"), { target: { value: "80%" } });
    await fireEvent.click(screen.getByTestId("save-quota_alert_threshold"));
    await waitFor(() => expect(input("setting-quota_alert_threshold").value).toBe("0.80"));

    await fireEvent.input(input("setting-spm_targets"), { target: { value: "xx:2026=5" } });
    await fireEvent.click(screen.getByTestId("save-spm_targets"));
    await waitFor(() =>
      expect(msg("spm_targets")).toBe('Sasaran SPM "xx:2026=5" tidak sesuai; tulis program:tahun=jumlah, misalnya dm:2026=1200.'),
    );
    expect(input("setting-spm_targets").getAttribute("aria-invalid")).toBe("true");
    expect(backend.callsTo("set_setting")).toEqual([
      { key: "quota_alert_threshold", value: "80%" },
      { key: "spm_targets", value: "xx:2026=5" },
    ]);
  });
});

describe("Pengaturan: tugas sinkronisasi", () => {
  const select = (id: string) => document.getElementById(id) as HTMLSelectElement;
  const jobMsg = (name: string) => msg(`syncjob-${name}`);
  /** The backend saving a job as sent and answering it back. */
  const echoSave = {
    sync_save_job: (args: Record<string, unknown>) => ({
      config: args.job as JobConfig,
      enabled: Boolean(args.enabled),
      updated_at: "2026-01-19T03:00:00+00:00",
    }),
  };

  function jadwal(): StoredJob {
    return makeJob(
      {
        name: "JADWAL_DOKTER",
        description: "Jadwal praktik dokter",
        view_id: 123,
        table: "sync_jadwal_dokter",
        incremental: { schedule: { kind: "disabled" }, days: { back: 1, forward: 0 } },
      },
      { enabled: false },
    );
  }

  async function renderJobs(handlers: Parameters<typeof fakeBackend>[0] = {}) {
    const backend = fakeBackend({ sync_jobs: () => [makeJob(), jadwal()], ...handlers });
    await renderLoaded();
    await waitFor(() => expect(input("syncjob-BOOKING_PASIEN-view_id")).toBeTruthy());
    return backend;
  }

  it("shows each job's switch, view id and schedule", async () => {
    await renderJobs();
    expect(screen.getByRole("heading", { level: 2, name: "Tugas sinkronisasi" })).toBeTruthy();
    expect(input("syncjob-BOOKING_PASIEN-enabled").checked).toBe(true);
    expect(input("syncjob-JADWAL_DOKTER-enabled").checked).toBe(false);
    expect(input("syncjob-BOOKING_PASIEN-view_id").value).toBe("239");
    expect(select("syncjob-BOOKING_PASIEN-kind").value).toBe("daily");
    expect(input("syncjob-BOOKING_PASIEN-time").value).toBe("05:00");
    expect(text("syncjob-JADWAL_DOKTER-current")).toBe(
      "Tersimpan: nonaktif · Setiap hari 05:00 WIB · Tanpa inkremental · view 123",
    );
    expect(text("syncjob-BOOKING_PASIEN-current")).toBe(
      "Tersimpan: aktif · Setiap hari 05:00 WIB · Inkremental: Setiap hari 00:00 WIB, kemarin s.d. hari ini · view 239",
    );
    expect(screen.getByLabelText("Jadwal", { selector: "#syncjob-BOOKING_PASIEN-kind" })).toBeTruthy();
    expect(jobMsg("BOOKING_PASIEN")).toBe("");

    // The incremental run, under the schedule: its kind, time and days; none for JADWAL_DOKTER.
    expect(screen.getByLabelText("Jadwal inkremental", { selector: "#syncjob-BOOKING_PASIEN-inc-kind" })).toBeTruthy();
    expect(select("syncjob-BOOKING_PASIEN-inc-kind").value).toBe("daily");
    expect(input("syncjob-BOOKING_PASIEN-inc-time").value).toBe("00:00");
    expect(screen.getByLabelText("Hari ke belakang", { selector: "#syncjob-BOOKING_PASIEN-inc-back" })).toBeTruthy();
    expect(input("syncjob-BOOKING_PASIEN-inc-back").value).toBe("1");
    expect(input("syncjob-BOOKING_PASIEN-inc-forward").value).toBe("0");
    expect(text("syncjob-BOOKING_PASIEN-inc-full")).toBe(
      "Rentang penuh: 14 hari ke belakang, 14 ke depan",
    );
    expect(select("syncjob-JADWAL_DOKTER-inc-kind").value).toBe("disabled");
    expect(select("syncjob-JADWAL_DOKTER-inc-kind").selectedOptions[0].textContent).toBe("Tanpa inkremental");
    expect(screen.queryByTestId("syncjob-JADWAL_DOKTER-inc-time")).toBeNull();
    expect(screen.queryByTestId("syncjob-JADWAL_DOKTER-inc-back")).toBeNull();
  });

  it("switches a job on with a weekly schedule and a new view id, sending the rest of its configuration unchanged", async () => {
    const backend = await renderJobs(echoSave);
    await fireEvent.click(input("syncjob-JADWAL_DOKTER-enabled"));
    await fireEvent.input(input("syncjob-JADWAL_DOKTER-view_id"), { target: { value: "124" } });
    await fireEvent.change(select("syncjob-JADWAL_DOKTER-kind"), { target: { value: "weekly" } });
    await fireEvent.change(select("syncjob-JADWAL_DOKTER-day"), { target: { value: "jumat" } });
    await fireEvent.input(input("syncjob-JADWAL_DOKTER-time"), { target: { value: "6:30" } });
    expect(jobMsg("JADWAL_DOKTER")).toBe("Belum disimpan — tekan Enter atau Simpan.");
    // Enter in a field submits the job's form (implicit submission); jsdom needs the submit itself.
    await fireEvent.submit(input("syncjob-JADWAL_DOKTER-time").closest("form") as HTMLFormElement);

    await waitFor(() => expect(jobMsg("JADWAL_DOKTER")).toBe("✓ Tersimpan"));
    expect(backend.callsTo("sync_save_job")).toEqual([
      {
        job: { ...jadwal().config, view_id: 124, schedule: { kind: "weekly", day: "jumat", hour: 6, minute: 30 } },
        enabled: true,
      },
    ]);
    expect(input("syncjob-JADWAL_DOKTER-time").value).toBe("06:30");
    expect(text("syncjob-JADWAL_DOKTER-current")).toBe(
      "Tersimpan: aktif · Setiap Jumat 06:30 WIB · Tanpa inkremental · view 124",
    );
  });

  it("gives a job an incremental run: every N minutes over the days typed, the rest of its configuration unchanged", async () => {
    const booking = makeJob({ incremental: { schedule: { kind: "daily", hour: 0, minute: 0 }, days: { back: 3, forward: 1 } } });
    const backend = await renderJobs({ ...echoSave, sync_jobs: () => [booking, jadwal()] });
    await fireEvent.change(select("syncjob-JADWAL_DOKTER-inc-kind"), { target: { value: "every" } });
    await fireEvent.input(input("syncjob-JADWAL_DOKTER-inc-minutes"), { target: { value: "30" } });
    await fireEvent.input(input("syncjob-JADWAL_DOKTER-inc-back"), { target: { value: "2" } });
    await fireEvent.input(input("syncjob-JADWAL_DOKTER-inc-forward"), { target: { value: " 1" } });
    expect(jobMsg("JADWAL_DOKTER")).toBe("Belum disimpan — tekan Enter atau Simpan.");
    await fireEvent.submit(input("syncjob-JADWAL_DOKTER-inc-forward").closest("form") as HTMLFormElement);

    await waitFor(() => expect(jobMsg("JADWAL_DOKTER")).toBe("✓ Tersimpan"));
    expect(backend.callsTo("sync_save_job")).toEqual([
      {
        job: { ...jadwal().config, incremental: { schedule: { kind: "every", minutes: 30 }, days: { back: 2, forward: 1 } } },
        enabled: false,
      },
    ]);
    expect(input("syncjob-JADWAL_DOKTER-inc-forward").value).toBe("1");
    expect(text("syncjob-JADWAL_DOKTER-current")).toBe(
      "Tersimpan: nonaktif · Setiap hari 05:00 WIB · Inkremental: Setiap 30 menit, 2 hari lalu s.d. besok · view 123",
    );

    // And takes one away: BOOKING_PASIEN's daily 00:00 becomes no incremental run; its days stay as stored.
    await fireEvent.change(select("syncjob-BOOKING_PASIEN-inc-kind"), { target: { value: "disabled" } });
    expect(screen.queryByTestId("syncjob-BOOKING_PASIEN-inc-back")).toBeNull();
    await fireEvent.click(screen.getByTestId("syncjob-BOOKING_PASIEN-save"));
    await waitFor(() => expect(backend.callsTo("sync_save_job")).toHaveLength(2));
    expect(backend.callsTo("sync_save_job")[1]).toEqual({
      job: { ...booking.config, incremental: { schedule: { kind: "disabled" }, days: { back: 3, forward: 1 } } },
      enabled: true,
    });
  });

  it("checks the incremental time, interval and days, within the job's full window, before sending", async () => {
    const backend = await renderJobs({ sync_jobs: () => [makeJob({ default_days: { back: 14, forward: 0 } }), jadwal()] });
    expect(text("syncjob-BOOKING_PASIEN-inc-full")).toBe(
      "Rentang penuh: 14 hari ke belakang, 0 ke depan",
    );
    await fireEvent.change(select("syncjob-BOOKING_PASIEN-inc-kind"), { target: { value: "weekly" } });
    await fireEvent.change(select("syncjob-BOOKING_PASIEN-inc-day"), { target: { value: "senin" } });
    await fireEvent.input(input("syncjob-BOOKING_PASIEN-inc-time"), { target: { value: "24:00" } });
    await fireEvent.input(input("syncjob-BOOKING_PASIEN-inc-back"), { target: { value: "satu" } });
    await fireEvent.input(input("syncjob-BOOKING_PASIEN-inc-forward"), { target: { value: "1" } });
    await fireEvent.click(screen.getByTestId("syncjob-BOOKING_PASIEN-save"));

    expect(screen.getByTestId("syncjob-BOOKING_PASIEN-inc-time-msg").textContent).toBe(
      "Jam inkremental harus JJ:MM antara 00:00 dan 23:59, mis. 00:00.",
    );
    expect(screen.getByTestId("syncjob-BOOKING_PASIEN-inc-back-msg").textContent).toBe("Hari ke belakang harus bilangan bulat 0 atau lebih.");
    expect(screen.getByTestId("syncjob-BOOKING_PASIEN-inc-forward-msg").textContent).toBe(
      "Hari ke depan paling banyak 0, sebatas rentang penuh tugas ini.",
    );
    expect(screen.getByTestId("syncjob-BOOKING_PASIEN-inc-time-msg").getAttribute("role")).toBe("alert");
    expect(input("syncjob-BOOKING_PASIEN-inc-time").getAttribute("aria-invalid")).toBe("true");
    expect(input("syncjob-BOOKING_PASIEN-inc-time").getAttribute("aria-describedby")).toBe("syncjob-BOOKING_PASIEN-inc-time-msg");
    expect(input("syncjob-BOOKING_PASIEN-inc-forward").getAttribute("aria-describedby")).toBe(
      "syncjob-BOOKING_PASIEN-inc-forward-msg syncjob-BOOKING_PASIEN-inc-full",
    );
    expect(input("syncjob-BOOKING_PASIEN-time").getAttribute("aria-invalid")).toBe("false");
    await waitFor(() => expect(document.activeElement).toBe(input("syncjob-BOOKING_PASIEN-inc-time")));

    await fireEvent.input(input("syncjob-BOOKING_PASIEN-inc-time"), { target: { value: "00:00" } });
    await fireEvent.input(input("syncjob-BOOKING_PASIEN-inc-back"), { target: { value: "14" } });
    await fireEvent.change(select("syncjob-BOOKING_PASIEN-inc-kind"), { target: { value: "every" } });
    await fireEvent.input(input("syncjob-BOOKING_PASIEN-inc-minutes"), { target: { value: "2000" } });
    await fireEvent.click(screen.getByTestId("syncjob-BOOKING_PASIEN-save"));
    expect(screen.getByTestId("syncjob-BOOKING_PASIEN-inc-minutes-msg").textContent).toBe(
      "Selang inkremental harus bilangan bulat 5 sampai 1440 menit.",
    );
    expect(screen.queryByTestId("syncjob-BOOKING_PASIEN-inc-back-msg")).toBeNull();
    expect(screen.queryByTestId("syncjob-BOOKING_PASIEN-inc-time-msg")).toBeNull();
    expect(screen.getByTestId("syncjob-BOOKING_PASIEN-inc-forward-msg")).toBeTruthy();
    expect(backend.callsTo("sync_save_job")).toEqual([]);
  });

  it("sends every-N-minutes and by-hand schedules in the backend's shapes", async () => {
    const backend = await renderJobs(echoSave);
    await fireEvent.change(select("syncjob-BOOKING_PASIEN-kind"), { target: { value: "every" } });
    await fireEvent.input(input("syncjob-BOOKING_PASIEN-minutes"), { target: { value: "30" } });
    await fireEvent.click(screen.getByTestId("syncjob-BOOKING_PASIEN-save"));
    await waitFor(() => expect(jobMsg("BOOKING_PASIEN")).toBe("✓ Tersimpan"));
    await fireEvent.change(select("syncjob-BOOKING_PASIEN-kind"), { target: { value: "disabled" } });
    await fireEvent.click(screen.getByTestId("syncjob-BOOKING_PASIEN-save"));
    await waitFor(() => expect(backend.callsTo("sync_save_job")).toHaveLength(2));
    expect(backend.callsTo("sync_save_job").map((a) => [(a as { job: JobConfig }).job.schedule, (a as { enabled: boolean }).enabled])).toEqual([
      [{ kind: "every", minutes: 30 }, true],
      [{ kind: "disabled" }, true],
    ]);
  });

  it("checks the view id, the time and the interval before sending", async () => {
    const backend = await renderJobs();
    await fireEvent.input(input("syncjob-BOOKING_PASIEN-view_id"), { target: { value: "0" } });
    await fireEvent.input(input("syncjob-BOOKING_PASIEN-time"), { target: { value: "25:00" } });
    await fireEvent.click(screen.getByTestId("syncjob-BOOKING_PASIEN-save"));
    expect(screen.getByTestId("syncjob-BOOKING_PASIEN-view_id-msg").textContent).toBe("ID laporan (view) harus bilangan bulat lebih dari 0.");
    expect(screen.getByTestId("syncjob-BOOKING_PASIEN-time-msg").textContent).toBe("Jam harus JJ:MM antara 00:00 dan 23:59, mis. 05:00.");
    expect(input("syncjob-BOOKING_PASIEN-view_id").getAttribute("aria-invalid")).toBe("true");
    await waitFor(() => expect(document.activeElement).toBe(input("syncjob-BOOKING_PASIEN-view_id")));

    await fireEvent.input(input("syncjob-BOOKING_PASIEN-view_id"), { target: { value: "239" } });
    await fireEvent.change(select("syncjob-BOOKING_PASIEN-kind"), { target: { value: "every" } });
    await fireEvent.input(input("syncjob-BOOKING_PASIEN-minutes"), { target: { value: "3" } });
    await fireEvent.click(screen.getByTestId("syncjob-BOOKING_PASIEN-save"));
    expect(screen.getByTestId("syncjob-BOOKING_PASIEN-minutes-msg").textContent).toBe("Selang harus bilangan bulat 5 sampai 1440 menit.");
    expect(screen.queryByTestId("syncjob-BOOKING_PASIEN-view_id-msg")).toBeNull();
    expect(backend.callsTo("sync_save_job")).toEqual([]);
  });

  it("shows the backend's refusal next to the job and keeps the edit", async () => {
    await renderJobs({ sync_save_job: () => reject("invalid_input", "Tugas BOOKING_PASIEN: ID laporan 123 sudah dipakai JADWAL_DOKTER.") });
    await fireEvent.input(input("syncjob-BOOKING_PASIEN-view_id"), { target: { value: "123" } });
    await fireEvent.click(screen.getByTestId("syncjob-BOOKING_PASIEN-save"));
    await waitFor(() => expect(jobMsg("BOOKING_PASIEN")).toBe("Tugas BOOKING_PASIEN: ID laporan 123 sudah dipakai JADWAL_DOKTER."));
    expect(input("syncjob-BOOKING_PASIEN-view_id").value).toBe("123");
  });

  it("says why the jobs cannot be shown", async () => {
    fakeBackend({ sync_jobs: () => reject("storage", "Basis data tidak dapat dibaca.") });
    await renderLoaded();
    await waitFor(() =>
      expect(screen.getByTestId("sync-jobs-load-error").textContent).toBe("Tugas sinkronisasi tidak dapat dimuat: Basis data tidak dapat dibaca."),
    );
  });
});
