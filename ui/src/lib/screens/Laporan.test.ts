import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import Laporan from "./Laporan.svelte";
import { fakeBackend, makeMonthPatient, makeSpmMonth, makeSpmReport, reject } from "../../test/backend";
import type { BookingStat, PatientYear, SpmReport } from "../ipc";

const byId = (id: string) => screen.getByTestId(id);
const text = (id: string) => byId(id).textContent?.replace(/\s+/g, " ").trim();
const cells = (id: string) => Array.from(byId(id).querySelectorAll("th, td")).map((c) => c.textContent?.replace(/\s+/g, " ").trim());

/** DM 2026 with a target of 1200: January and February counted, March without visits yet. */
function dm2026(over: Partial<SpmReport> = {}): SpmReport {
  return makeSpmReport({
    target: 1200,
    note: null,
    distinct_patients: 1530,
    distinct_l: 700,
    distinct_p: 830,
    months: [
      makeSpmMonth(1, {
        visited: 1234,
        visited_l: 500,
        visited_p: 734,
        standard: 148,
        standard_l: 60,
        standard_p: 88,
        non_standard: 1086,
        non_standard_l: 440,
        non_standard_p: 646,
        percentage: 12.34,
        percentage_text: "12,34",
      }),
      makeSpmMonth(2, { visited: 300, standard: 1500, percentage: 125, percentage_text: "125,00" }),
      ...Array.from({ length: 10 }, (_, i) => makeSpmMonth(i + 3, { percentage: 0, percentage_text: "0,00" })),
    ],
    ...over,
  });
}

async function renderSpm() {
  render(Laporan);
  await waitFor(() => expect(byId("spm-table")).toBeTruthy());
}

beforeEach(() => {
  // 07:00 WIB on Monday 19 January 2026.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-01-19T00:00:00Z"));
});

describe("Laporan: SPM DM/HT", () => {
  it("shows this year's DM report: counts with the L/P split, percentages as 12,34%, the target and the chart", async () => {
    const backend = fakeBackend({ spm_report: () => dm2026() });
    await renderSpm();

    expect(backend.callsTo("spm_report")).toEqual([{ program: "dm", year: 2026 }]);
    expect(screen.getByRole("tab", { name: "SPM DM/HT" }).getAttribute("aria-selected")).toBe("true");
    expect(byId("spm-program-dm").getAttribute("aria-pressed")).toBe("true");
    expect((byId("spm-year") as HTMLSelectElement).value).toBe("2026");

    const rows = within(byId("spm-table")).getAllByTestId(/^spm-row-/);
    expect(rows).toHaveLength(12);
    expect(text("spm-month-1")).toBe("Januari");
    expect(text("spm-visited-1")).toBe("1.234 L 500 · P 734");
    expect(text("spm-standard-1")).toBe("148 L 60 · P 88");
    expect(text("spm-nonstandard-1")).toBe("1.086 L 440 · P 646");
    expect(text("spm-pct-1")).toBe("12,34%");
    expect(text("spm-pct-2")).toBe("125,00%");
    expect(text("spm-pct-3")).toBe("0,00%");

    expect(text("spm-target-value")).toBe("Target tahunan DM 2026: 1.200 pasien");
    expect(text("spm-target-edit")).toBe("Ubah target");
    expect(screen.queryByTestId("spm-note")).toBeNull();
    expect(text("spm-meta")).toContain("Kode ICD-10: E10-E14");
    expect(text("spm-meta")).toContain("Pasien berbeda sepanjang tahun: 1.530 (L 700 · P 830)");

    // The chart: a bar per month, February above the dashed 100% target line.
    const svg = byId("spm-chart-svg");
    expect(svg.querySelectorAll("[data-testid^='spm-bar-']")).toHaveLength(12);
    const bar = (m: number) => byId(`spm-bar-${m}`).querySelector("rect.bar") as SVGRectElement;
    const line = byId("spm-target-line");
    const h = (m: number) => Number(bar(m).getAttribute("height"));
    expect(h(2)).toBeGreaterThan(h(1));
    expect(h(3)).toBe(0);
    expect(Number(bar(2).getAttribute("y"))).toBeLessThan(Number(line.getAttribute("y1")));
    expect(Number(bar(1).getAttribute("y"))).toBeGreaterThan(Number(line.getAttribute("y1")));
    expect(bar(2).classList.contains("reached")).toBe(true);
    expect(byId("spm-bar-1").querySelector("title")?.textContent).toBe("Januari: 12,34%");
    expect(svg.textContent).toContain("Target 100%");
    // Everything that prints is inside #laporan-print; the controls are not.
    const area = document.getElementById("laporan-print");
    expect(area?.contains(byId("spm-table"))).toBe(true);
    expect(area?.contains(svg)).toBe(true);
    expect(area?.contains(byId("spm-csv"))).toBe(false);
  });

  it("shows the backend's note and no chart when the year has no target", async () => {
    fakeBackend();
    await renderSpm();
    expect(text("spm-note")).toBe("Target tahunan program DM 2026 belum diisi; persentase tidak dihitung.");
    expect(text("spm-target-value")).toBe("Target tahunan DM 2026: belum diisi");
    expect(text("spm-target-edit")).toBe("Isi target");
    expect(text("spm-pct-1")).toBe("—");
    expect(screen.queryByTestId("spm-chart-svg")).toBeNull();
    expect(text("spm-chart-empty")).toBe("Grafik persentase tampil setelah target tahunan diisi.");
  });

  it("asks again for the chosen programme and year", async () => {
    const backend = fakeBackend();
    await renderSpm();
    await fireEvent.click(byId("spm-program-ht"));
    await waitFor(() => expect(text("spm-note")).toContain("program HT 2026"));
    await fireEvent.change(byId("spm-year"), { target: { value: "2025" } });
    await waitFor(() => expect(text("spm-note")).toContain("program HT 2025"));
    await fireEvent.click(screen.getByRole("button", { name: "Tahun berikutnya" }));
    await waitFor(() => expect(backend.callsTo("spm_report")).toHaveLength(4));
    expect(backend.callsTo("spm_report")).toEqual([
      { program: "dm", year: 2026 },
      { program: "ht", year: 2026 },
      { program: "ht", year: 2025 },
      { program: "ht", year: 2026 },
    ]);
  });

  it("shows a load error in plain words", async () => {
    fakeBackend({ spm_report: () => reject("not_found", "Tugas sinkronisasi KUNJUNGAN tidak ada.") });
    render(Laporan);
    await waitFor(() => expect(text("spm-error")).toBe("Laporan SPM tidak dapat dimuat: Tugas sinkronisasi KUNJUNGAN tidak ada."));
  });

  it("a month opens its patients (spmMonth with that month); a patient opens their year (spmPatient)", async () => {
    const year: PatientYear = {
      program: "dm",
      year: 2026,
      no_rm: "000777",
      sex: "P",
      first_month: 1,
      months: Array.from({ length: 12 }, (_, i) => ({
        month: i + 1,
        visited: i === 0 || i === 2,
        status: i === 0 ? "standard" : i === 2 ? "non_standard" : "no_visit",
        break_month: i === 2 ? 2 : null,
      })),
    };
    const backend = fakeBackend({
      spm_report: () => dm2026(),
      spm_month: () => [
        makeMonthPatient({ no_rm: "000123", sex: "L", standard: true }),
        makeMonthPatient({ no_rm: "000777", sex: "P", standard: false, break_month: 2 }),
        makeMonthPatient({ no_rm: "000888", sex: null, first_month: 3, standard: false, break_month: null }),
      ],
      spm_patient: () => year,
    });
    await renderSpm();

    await fireEvent.click(byId("spm-month-3"));
    expect(screen.getByRole("heading", { name: "Pasien DM · Maret 2026" })).toBeTruthy();
    await waitFor(() => expect(byId("spm-month-patients")).toBeTruthy());
    expect(backend.callsTo("spm_month")).toEqual([{ program: "dm", year: 2026, month: 3 }]);
    expect(text("spm-month-summary")).toBe("3 pasien: 1 standar, 2 tidak standar.");
    expect(cells("spm-month-patient-000123")).toEqual(["000123", "L", "Januari", "Standar"]);
    expect(text("spm-month-status-000777")).toBe("Tidak standar — putus sejak Februari");
    expect(cells("spm-month-patient-000888")).toEqual(["000888", "—", "Maret", "Tidak standar"]);

    await fireEvent.click(byId("spm-month-filter-non_standard"));
    expect(screen.queryByTestId("spm-month-patient-000123")).toBeNull();
    expect(screen.getByTestId("spm-month-patient-000777")).toBeTruthy();

    await fireEvent.click(screen.getByRole("button", { name: "Riwayat 2026 pasien No. RM 000777" }));
    await waitFor(() => expect(byId("spm-patient-months")).toBeTruthy());
    expect(backend.callsTo("spm_patient")).toEqual([{ program: "dm", norm: "000777", year: 2026 }]);
    expect(text("spm-patient")).toContain("No. RM 000777 · P · pertama berkunjung Januari 2026");
    expect(cells("spm-patient-month-1")).toEqual(["Januari", "Ya", "Standar"]);
    expect(cells("spm-patient-month-2")).toEqual(["Februari", "—", "—"]);
    expect(cells("spm-patient-month-3")).toEqual(["Maret", "Ya", "Tidak standar (putus sejak Februari)"]);
    expect(byId("spm-patient-month-3").classList.contains("current")).toBe(true);

    await fireEvent.click(byId("spm-patient-back"));
    expect(document.activeElement?.textContent).toBe("000777");
    await fireEvent.keyDown(byId("spm-month"), { key: "Escape" });
    expect(screen.queryByTestId("spm-month")).toBeNull();
  });

  it("Ekspor CSV has the backend save the report in the downloads folder and says where", async () => {
    const backend = fakeBackend({ spm_report: () => dm2026(), spm_export_csv: () => "/home/loket/Downloads/spm-dm-2026.csv" });
    await renderSpm();
    await fireEvent.click(byId("spm-csv"));
    await waitFor(() => expect(text("spm-csv-result")).toBe("✓ CSV disimpan: /home/loket/Downloads/spm-dm-2026.csv"));
    expect(backend.callsTo("spm_export_csv")).toEqual([{ program: "dm", year: 2026 }]);
  });

  it("says why the CSV could not be made", async () => {
    fakeBackend({ spm_report: () => dm2026(), spm_export_csv: () => reject("storage", "Basis data tidak dapat dibaca.") });
    await renderSpm();
    await fireEvent.click(byId("spm-csv"));
    await waitFor(() => expect(text("spm-csv-result")).toBe("CSV tidak dapat dibuat: Basis data tidak dapat dibaca."));
  });

  it("Cetak opens the print dialog", async () => {
    fakeBackend({ spm_report: () => dm2026() });
    const print = vi.spyOn(window, "print").mockImplementation(() => {});
    await renderSpm();
    await fireEvent.click(byId("spm-print"));
    expect(print).toHaveBeenCalledTimes(1);
  });

  it("Ubah target: checks the number, saves it with spmSetTarget and shows the recomputed report", async () => {
    let attempt = 0;
    const backend = fakeBackend({
      spm_report: () => dm2026(),
      spm_set_target: (args) =>
        ++attempt === 1 ? reject("invalid_input", "Sasaran SPM harus 1 sampai 10.000.000 pasien.") : dm2026({ target: Number(args.target) }),
    });
    await renderSpm();

    await fireEvent.click(byId("spm-target-edit"));
    const input = byId("spm-target-input") as HTMLInputElement;
    expect(document.activeElement).toBe(input);
    expect(input.value).toBe("1200");

    await fireEvent.input(input, { target: { value: "banyak" } });
    await fireEvent.keyDown(input, { key: "Enter" });
    expect(text("spm-target-error")).toBe("Target harus bilangan bulat 1 sampai 10.000.000 pasien.");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(backend.callsTo("spm_set_target")).toEqual([]);

    await fireEvent.input(input, { target: { value: "1.500" } });
    await fireEvent.keyDown(input, { key: "Enter" });
    await waitFor(() => expect(text("spm-target-error")).toBe("Sasaran SPM harus 1 sampai 10.000.000 pasien."));

    await fireEvent.click(byId("spm-target-save"));
    await waitFor(() => expect(text("spm-target-value")).toBe("Target tahunan DM 2026: 1.500 pasien"));
    expect(backend.callsTo("spm_set_target")).toEqual([
      { program: "dm", year: 2026, target: 1500 },
      { program: "dm", year: 2026, target: 1500 },
    ]);
    expect(screen.queryByTestId("spm-target-error")).toBeNull();
    expect(document.activeElement).toBe(byId("spm-target-edit"));
    expect(backend.callsTo("spm_report")).toHaveLength(1);
  });

  it("Escape leaves the target unchanged", async () => {
    const backend = fakeBackend({ spm_report: () => dm2026() });
    await renderSpm();
    await fireEvent.click(byId("spm-target-edit"));
    await fireEvent.input(byId("spm-target-input"), { target: { value: "9" } });
    await fireEvent.keyDown(byId("spm-target-input"), { key: "Escape" });
    expect(screen.queryByTestId("spm-target-input")).toBeNull();
    expect(text("spm-target-value")).toBe("Target tahunan DM 2026: 1.200 pasien");
    expect(backend.callsTo("spm_set_target")).toEqual([]);
  });
});

describe("Laporan: booking per dokter", () => {
  const doctors: BookingStat[] = [
    { id: "77", name: "dr. Andi Wijaya, Sp.A", bookings: 12 },
    { id: "78", name: "dr. Rina, Sp.PD", bookings: 3 },
    { id: "79", name: "dr. Citra, Sp.A", bookings: 0 },
  ];

  it("lists today's active bookings per doctor, doctors without a booking included, with a bar each", async () => {
    const backend = fakeBackend({ stats_bookings: (args) => (args.by === "doctor" ? doctors : [{ id: "5", name: "Anak", bookings: 12 }]) });
    render(Laporan);
    await fireEvent.click(byId("laporan-tab-booking"));
    expect(byId("laporan-tab-booking").getAttribute("aria-selected")).toBe("true");
    await waitFor(() => expect(byId("stats-table")).toBeTruthy());

    expect(backend.callsTo("stats_bookings")).toEqual([{ by: "doctor", date: "2026-01-19" }]);
    expect((byId("stats-date") as HTMLInputElement).value).toBe("2026-01-19");
    expect(byId("stats-by-doctor").getAttribute("aria-pressed")).toBe("true");
    expect(within(byId("stats-table")).getAllByTestId(/^stats-row-/).map((r) => r.dataset.testid)).toEqual([
      "stats-row-77",
      "stats-row-78",
      "stats-row-79",
    ]);
    expect(cells("stats-row-79")).toEqual(["dr. Citra, Sp.A", "0"]);
    expect(byId("stats-row-79").classList.contains("zero")).toBe(true);
    expect(text("stats-total")).toBe("15");
    expect(text("stats-summary")).toBe("15 booking aktif pada Senin, 19 Januari 2026, 3 dokter.");

    const width = (id: string) => Number(byId(`stats-bar-${id}`).querySelector("rect.bar")?.getAttribute("width"));
    expect(width("77")).toBeGreaterThan(width("78"));
    expect(width("79")).toBe(0);
    expect(text("stats-bar-79")).toContain("0");

    await fireEvent.click(byId("stats-by-specialization"));
    await waitFor(() => expect(byId("stats-row-5")).toBeTruthy());
    expect(screen.getByRole("columnheader", { name: "Spesialisasi" })).toBeTruthy();
    await fireEvent.input(byId("stats-date"), { target: { value: "2026-01-20" } });
    await waitFor(() => expect(backend.callsTo("stats_bookings")).toHaveLength(3));
    expect(backend.callsTo("stats_bookings")).toEqual([
      { by: "doctor", date: "2026-01-19" },
      { by: "specialization", date: "2026-01-19" },
      { by: "specialization", date: "2026-01-20" },
    ]);
  });

  it("explains an empty day, and shows a load error", async () => {
    let fail = false;
    fakeBackend({ stats_bookings: () => (fail ? reject("storage", "Basis data tidak dapat dibaca.") : []) });
    render(Laporan);
    await fireEvent.click(byId("laporan-tab-booking"));
    await waitFor(() => expect(byId("stats-empty")).toBeTruthy());
    expect(text("stats-empty")).toContain("Belum ada jadwal dokter atau booking pada Senin, 19 Januari 2026.");
    expect(text("stats-empty")).toContain("JADWAL_DOKTER dan BOOKING_PASIEN");

    fail = true;
    await fireEvent.click(screen.getByRole("button", { name: "Hari berikutnya" }));
    await waitFor(() => expect(text("stats-error")).toBe("Statistik booking tidak dapat dimuat: Basis data tidak dapat dibaca."));
  });

  it("moves between the tabs with the arrow keys", async () => {
    fakeBackend();
    render(Laporan);
    byId("laporan-tab-spm").focus();
    await fireEvent.keyDown(byId("laporan-tab-spm"), { key: "ArrowRight" });
    expect(byId("laporan-tab-booking").getAttribute("aria-selected")).toBe("true");
    await waitFor(() => expect(document.activeElement).toBe(byId("laporan-tab-booking")));
    expect(byId("laporan-tab-spm").getAttribute("tabindex")).toBe("-1");
    await fireEvent.keyDown(byId("laporan-tab-booking"), { key: "ArrowLeft" });
    expect(byId("laporan-tab-spm").getAttribute("aria-selected")).toBe("true");
  });
});
