import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import Saldo from "./Saldo.svelte";
import { fakeBackend, makeCurrentBalance, makeMonthRow, makeTransaction, makeUnpriced, reject } from "../../test/backend";
import type { BalanceStatement, PatientHit } from "../ipc";

const byId = (id: string) => screen.getByTestId(id);
const text = (id: string) => byId(id).textContent?.replace(/\s+/g, " ").trim();
const cells = (id: string) => Array.from(byId(id).querySelectorAll("th, td")).map((c) => c.textContent?.replace(/\s+/g, " ").trim());
const search = () => byId("saldo-search") as HTMLInputElement;

const HITS: PatientHit[] = [
  { no_rm: "00-12-34", nama: "Budi Santoso" },
  { no_rm: "00-12-99", nama: null },
];

/** Patient 00-12-34 from January to April 2024, as the backend answers: oldest first. */
function statement(): BalanceStatement {
  return {
    patient: "00-12-34",
    months: [
      makeMonthRow(),
      makeMonthRow({ year_month: "2024-02", opening_balance: 349_167, total_deposits: 0, total_purchases: 0, closing_balance: 349_167, total_volume: "0" }),
      makeMonthRow({
        year_month: "2024-03",
        opening_balance: 349_167,
        total_deposits: 0,
        total_purchases: 112_500,
        closing_balance: 236_667,
        total_volume: "1.5",
      }),
      makeMonthRow({ year_month: "2024-04", opening_balance: 236_667, total_deposits: 0, total_purchases: 0, closing_balance: 236_667, total_volume: "0" }),
    ],
  };
}

/** A patient who spent more than deposited: minus from February on. */
function minusStatement(): BalanceStatement {
  return {
    patient: "00-55-55",
    months: [
      makeMonthRow({ year_month: "2024-01", total_deposits: 100_000, total_purchases: 40_000, closing_balance: 60_000 }),
      makeMonthRow({ year_month: "2024-02", opening_balance: 60_000, total_deposits: 0, total_purchases: 65_000, closing_balance: -5_000 }),
    ],
  };
}

type Overrides = Parameters<typeof fakeBackend>[0];

/** A backend where 00-12-34 has a statement (and Budi is found by name or no RM prefix). */
function saldoBackend(more: Overrides = {}) {
  return fakeBackend({
    balance_search: (args) => {
      const q = String(args.query).toLowerCase();
      return HITS.filter((h) => h.no_rm.startsWith(q) || (h.nama ?? "").toLowerCase().includes(q));
    },
    balance_show: (args) => (args.noRm === "00-12-34" ? statement() : reject("not_found", `Saldo pasien No. RM ${String(args.noRm)} belum ada.`)),
    balance_current: (args) => (args.noRm === "00-12-34" ? makeCurrentBalance({ unpriced: 1 }) : null),
    balance_transactions: (args) => ({
      patient: args.noRm,
      month: args.month,
      transactions:
        args.month === "2024-01"
          ? [
              makeTransaction(),
              makeTransaction({
                id_tagihan_item: 12,
                tanggal: "2024-01-20",
                kode_item: "OBAT7",
                nama_item: null,
                jumlah: "2.5",
                faktor: "1",
                volume: "2.5",
                harga: 333,
                amount: 833,
                pricing_used: { kode_item: "OBAT7", berlaku_mulai: "2023-06-01", harga: 333 },
              }),
            ]
          : [],
    }),
    ...more,
  });
}

async function type(value: string) {
  await fireEvent.input(search(), { target: { value } });
}

/** Types `query`, waits for the hits, and presses Enter (the first hit). */
async function open(query = "00-12") {
  await type(query);
  await waitFor(() => expect(byId("saldo-hits")).toBeTruthy());
  await fireEvent.keyDown(search(), { key: "Enter" });
  await waitFor(() => expect(byId("saldo-statement")).toBeTruthy());
}

beforeEach(() => {
  // 07:00 WIB on Monday 19 January 2026.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-01-19T00:00:00Z"));
});

describe("Saldo: finding a patient", () => {
  it("starts with a hint saying where the data comes from, and the unpriced list collapsed", async () => {
    const backend = saldoBackend();
    render(Saldo);

    expect(text("saldo-start")).toContain("DEPOSIT_PASIEN, TAGIHAN_PASIEN, TARIF");
    expect(text("saldo-start")).toContain("Sinkronisasi");
    await waitFor(() => expect(text("saldo-unpriced-count")).toBe("0"));
    expect(byId("saldo-unpriced-toggle").getAttribute("aria-expanded")).toBe("false");
    expect(screen.queryByTestId("saldo-unpriced-body")).toBeNull();
    expect(backend.callsTo("balance_search")).toEqual([]);
  });

  it("searches once after the typing stops, lists the hits and moves in them with the arrows", async () => {
    const backend = saldoBackend();
    render(Saldo);

    await type("0");
    await type("00-1");
    await type("00-12");
    await waitFor(() => expect(byId("saldo-hits")).toBeTruthy());
    expect(backend.callsTo("balance_search")).toEqual([{ query: "00-12" }]);

    const options = within(byId("saldo-hits")).getAllByRole("option");
    expect(options.map((o) => o.textContent?.replace(/\s+/g, " ").trim())).toEqual(["00-12-34 Budi Santoso", "00-12-99 nama belum ada"]);
    expect(search().getAttribute("aria-expanded")).toBe("true");
    expect(search().getAttribute("aria-activedescendant")).toBe("saldo-hit-0");
    expect(options[0].getAttribute("aria-selected")).toBe("true");

    await fireEvent.keyDown(search(), { key: "ArrowDown" });
    expect(search().getAttribute("aria-activedescendant")).toBe("saldo-hit-1");
    await fireEvent.keyDown(search(), { key: "ArrowDown" });
    expect(search().getAttribute("aria-activedescendant")).toBe("saldo-hit-1");
    await fireEvent.keyDown(search(), { key: "ArrowUp" });
    expect(search().getAttribute("aria-activedescendant")).toBe("saldo-hit-0");
    await fireEvent.keyDown(search(), { key: "ArrowDown" });

    // Enter picks the highlighted hit: 00-12-99, who has no balance yet.
    await fireEvent.keyDown(search(), { key: "Enter" });
    await waitFor(() => expect(byId("saldo-none")).toBeTruthy());
    expect(backend.callsTo("balance_show")).toEqual([{ noRm: "00-12-99", month: null }]);
    expect(screen.queryByTestId("saldo-hits")).toBeNull();
    expect(search().value).toBe("00-12-99");
  });

  it("Enter typed before the answer searches at once and opens the first hit", async () => {
    const backend = saldoBackend();
    render(Saldo);

    await type("budi");
    await fireEvent.keyDown(search(), { key: "Enter" });
    await waitFor(() => expect(byId("saldo-statement")).toBeTruthy());
    expect(backend.callsTo("balance_search")).toEqual([{ query: "budi" }]);
    expect(backend.callsTo("balance_show")).toEqual([{ noRm: "00-12-34", month: null }]);
    expect(backend.callsTo("balance_current")).toEqual([{ noRm: "00-12-34" }]);
    expect(text("saldo-patient-title")).toBe("No. RM 00-12-34 · Budi Santoso");
  });

  it("a click on a hit opens it too; Escape closes the list, then clears the box", async () => {
    const backend = saldoBackend();
    render(Saldo);

    await type("00-12");
    await waitFor(() => expect(byId("saldo-hits")).toBeTruthy());
    await fireEvent.keyDown(search(), { key: "Escape" });
    expect(screen.queryByTestId("saldo-hits")).toBeNull();
    await fireEvent.keyDown(search(), { key: "ArrowDown" });
    expect(byId("saldo-hits")).toBeTruthy();

    await fireEvent.click(byId("saldo-hit-00-12-34"));
    await waitFor(() => expect(byId("saldo-statement")).toBeTruthy());
    expect(backend.callsTo("balance_show")).toEqual([{ noRm: "00-12-34", month: null }]);

    await fireEvent.keyDown(search(), { key: "Escape" });
    expect(search().value).toBe("");
  });

  it("says plainly when nobody matches, and where the data comes from", async () => {
    saldoBackend();
    render(Saldo);

    await type("zz");
    await waitFor(() => expect(byId("saldo-search-empty")).toBeTruthy());
    expect(text("saldo-search-empty")).toBe(
      "Tidak ada pasien dengan No. RM atau nama “zz”. Data saldo berasal dari tugas DEPOSIT_PASIEN, TAGIHAN_PASIEN, TARIF di layar Sinkronisasi (Alt+5).",
    );
    expect(screen.queryByTestId("saldo-hits")).toBeNull();
    // Enter with nothing found opens nobody.
    await fireEvent.keyDown(search(), { key: "Enter" });
    expect(screen.queryByTestId("saldo-patient")).toBeNull();
  });

  it("shows a failed search quietly under the box", async () => {
    saldoBackend({ balance_search: () => reject("storage", "Basis data tidak dapat dibaca.") });
    render(Saldo);
    await type("00");
    await waitFor(() => expect(text("saldo-search-status")).toBe("Pencarian gagal: Basis data tidak dapat dibaca."));
  });
});

describe("Saldo: a patient's balance", () => {
  it("shows the balance now in large type with its month and the unpriced count", async () => {
    saldoBackend();
    render(Saldo);
    await open();

    expect(text("saldo-current-amount")).toBe("Rp 236.667");
    expect(byId("saldo-current-amount").classList.contains("negative")).toBe(false);
    expect(text("saldo-current-asof")).toBe("Saldo akhir April 2024");
    expect(text("saldo-current-unpriced")).toBe("1 tagihan belum berharga (belum masuk saldo)");
    expect(text("saldo-current")).toContain("Dihitung 30/04/2024 08:00 WIB");
    expect(screen.queryByTestId("saldo-current-minus")).toBeNull();
  });

  it("lists the statement newest first with rupiah and the volume", async () => {
    saldoBackend();
    render(Saldo);
    await open();

    const rows = within(byId("saldo-statement")).getAllByTestId(/^saldo-row-/);
    expect(rows.map((r) => r.dataset.testid)).toEqual(["saldo-row-2024-04", "saldo-row-2024-03", "saldo-row-2024-02", "saldo-row-2024-01"]);
    const head = Array.from(byId("saldo-statement").querySelectorAll("thead th")).map((th) => th.textContent?.trim());
    expect(head).toEqual(["Bulan", "Saldo awal", "Deposit", "Tagihan", "Saldo akhir", "Volume"]);
    expect(cells("saldo-row-2024-01")).toEqual(["Januari 2024", "Rp 0", "Rp 500.000", "Rp 150.833", "Rp 349.167", "4,5"]);
    expect(cells("saldo-row-2024-03")).toEqual(["Maret 2024", "Rp 349.167", "Rp 0", "Rp 112.500", "Rp 236.667", "1,5"]);
  });

  it("a month's click shows its charge items: jumlah × faktor = volume, unit price, tariff used and amount", async () => {
    const backend = saldoBackend();
    render(Saldo);
    await open();
    expect(screen.queryByTestId("saldo-transactions")).toBeNull();

    await fireEvent.click(byId("saldo-month-2024-01"));
    await waitFor(() => expect(byId("saldo-transactions-table")).toBeTruthy());
    expect(backend.callsTo("balance_transactions")).toEqual([{ noRm: "00-12-34", month: "2024-01" }]);
    expect(screen.getByRole("heading", { name: "Tagihan Januari 2024" })).toBeTruthy();
    expect(byId("saldo-month-2024-01").getAttribute("aria-expanded")).toBe("true");
    expect(byId("saldo-row-2024-01").classList.contains("selected")).toBe(true);

    expect(cells("saldo-tx-11")).toEqual([
      "10/01/2024",
      "LAB01 Hematologi lengkap",
      "2 × 1 = 2",
      "Rp 75.000 tarif LAB01 berlaku mulai 01/06/2023",
      "Rp 150.000",
    ]);
    expect(cells("saldo-tx-12")).toEqual([
      "20/01/2024",
      "OBAT7 nama item tidak ada",
      "2,5 × 1 = 2,5",
      "Rp 333 tarif OBAT7 berlaku mulai 01/06/2023",
      "Rp 833",
    ]);
    expect(text("saldo-transactions-total")).toBe("Rp 150.833");

    await fireEvent.click(byId("saldo-transactions-close"));
    expect(screen.queryByTestId("saldo-transactions")).toBeNull();
    expect(document.activeElement).toBe(byId("saldo-month-2024-01"));
  });

  it("Enter on a month's row opens it; the arrows move between months; Escape closes", async () => {
    const backend = saldoBackend();
    render(Saldo);
    await open();

    byId("saldo-month-2024-04").focus();
    await fireEvent.keyDown(byId("saldo-month-2024-04"), { key: "ArrowDown" });
    expect(document.activeElement).toBe(byId("saldo-month-2024-03"));
    await fireEvent.keyDown(byId("saldo-month-2024-03"), { key: "Enter" });
    await waitFor(() => expect(byId("saldo-transactions-empty")).toBeTruthy());
    expect(backend.callsTo("balance_transactions")).toEqual([{ noRm: "00-12-34", month: "2024-03" }]);
    expect(text("saldo-transactions-empty")).toBe("Tidak ada tagihan berharga pada Maret 2024.");

    await fireEvent.keyDown(byId("saldo-row-2024-03"), { key: "Escape" });
    expect(screen.queryByTestId("saldo-transactions")).toBeNull();
  });

  it("draws the closing balances as bars over the months, oldest first, with the zero line", async () => {
    saldoBackend();
    render(Saldo);
    await open();

    const svg = byId("saldo-chart-svg");
    const bars = within(svg).getAllByTestId(/^saldo-bar-/);
    expect(bars.map((b) => b.dataset.testid)).toEqual(["saldo-bar-2024-01", "saldo-bar-2024-02", "saldo-bar-2024-03", "saldo-bar-2024-04"]);
    expect(bars[0].querySelector("title")?.textContent).toBe("Januari 2024: Rp 349.167");
    expect(byId("saldo-chart-zero")).toBeTruthy();
    expect(svg.querySelector("desc")?.textContent).toBe("Januari 2024 Rp 349.167 sampai April 2024 Rp 236.667.");
    expect(bars.some((b) => b.classList.contains("negative"))).toBe(false);
  });

  it("shows a minus balance in red, and its bar below the zero line", async () => {
    saldoBackend({
      balance_show: () => minusStatement(),
      balance_current: () => makeCurrentBalance({ no_rm: "00-55-55", year_month: "2024-02", closing_balance: -5_000 }),
    });
    render(Saldo);
    await open();

    expect(text("saldo-current-amount")).toBe("-Rp 5.000");
    expect(byId("saldo-current-amount").classList.contains("negative")).toBe(true);
    expect(byId("saldo-current").classList.contains("minus")).toBe(true);
    expect(text("saldo-current-minus")).toBe("Saldo minus: tagihan melebihi deposit.");
    expect(screen.queryByTestId("saldo-current-unpriced")).toBeNull();
    expect(text("saldo-closing-2024-02")).toBe("-Rp 5.000");
    expect(byId("saldo-closing-2024-02").classList.contains("negative")).toBe(true);
    expect(byId("saldo-closing-2024-01").classList.contains("negative")).toBe(false);

    const zeroY = Number(byId("saldo-chart-zero").getAttribute("y1"));
    const minus = byId("saldo-bar-2024-02");
    const plus = byId("saldo-bar-2024-01");
    expect(minus.classList.contains("negative")).toBe(true);
    expect(plus.classList.contains("negative")).toBe(false);
    const rect = (g: HTMLElement) => g.querySelector("rect") as SVGRectElement;
    expect(Number(rect(minus).getAttribute("y"))).toBeCloseTo(zeroY);
    expect(Number(rect(minus).getAttribute("height"))).toBeGreaterThan(0);
    expect(Number(rect(plus).getAttribute("y")) + Number(rect(plus).getAttribute("height"))).toBeCloseTo(zeroY);
    expect(byId("saldo-chart-svg").querySelector("desc")?.textContent).toContain("1 bulan minus");
  });

  it("explains a patient without a balance: nothing synced yet, and which jobs bring it", async () => {
    saldoBackend();
    render(Saldo);
    await type("00-12-99");
    await waitFor(() => expect(byId("saldo-hits")).toBeTruthy());
    await fireEvent.keyDown(search(), { key: "Enter" });

    await waitFor(() => expect(byId("saldo-none")).toBeTruthy());
    expect(text("saldo-none")).toContain("Saldo pasien No. RM 00-12-99 belum ada");
    expect(text("saldo-none")).toContain("DEPOSIT_PASIEN, TAGIHAN_PASIEN, TARIF");
    expect(screen.queryByTestId("saldo-statement")).toBeNull();
    expect(screen.queryByTestId("saldo-chart")).toBeNull();
  });

  it("says 'Belum ada data saldo' when the balance now is unknown", async () => {
    saldoBackend({ balance_current: () => null });
    render(Saldo);
    await open();
    expect(text("saldo-current-none")).toBe("Belum ada data saldo.");
    expect(byId("saldo-statement")).toBeTruthy();
  });

  it("keeps the statement when only the balance now fails", async () => {
    saldoBackend({ balance_current: () => reject("storage", "Basis data terkunci.") });
    render(Saldo);
    await open();
    expect(text("saldo-current-error")).toBe("Saldo saat ini tidak dapat dimuat: Basis data terkunci.");
    expect(within(byId("saldo-statement")).getAllByTestId(/^saldo-row-/)).toHaveLength(4);
  });

  it("shows a failed statement as an error, and reloads on Muat ulang", async () => {
    let fail = true;
    const backend = saldoBackend({
      balance_show: () => (fail ? reject("storage", "Basis data terkunci.") : statement()),
    });
    render(Saldo);
    await type("00-12-34");
    await waitFor(() => expect(byId("saldo-hits")).toBeTruthy());
    await fireEvent.keyDown(search(), { key: "Enter" });
    await waitFor(() => expect(text("saldo-error")).toBe("Saldo tidak dapat dimuat: Basis data terkunci."));

    fail = false;
    await fireEvent.click(byId("saldo-reload"));
    await waitFor(() => expect(byId("saldo-statement")).toBeTruthy());
    expect(backend.callsTo("balance_show")).toHaveLength(2);
    expect(text("saldo-patient-title")).toBe("No. RM 00-12-34 · Budi Santoso");
  });
});

describe("Saldo: tagihan belum berharga", () => {
  it("opens the list with no RM, date, item and reason; its no RM opens the patient", async () => {
    const backend = saldoBackend({
      balance_unpriced: () => [
        makeUnpriced(),
        makeUnpriced({ id_tagihan_item: 20, id_tagihan: 12, no_rm: "00-77-01", kode_item: "OBAT9", tanggal: "2024-04-02", reason: "jumlah_tidak_valid" }),
      ],
    });
    render(Saldo);

    await waitFor(() => expect(text("saldo-unpriced-count")).toBe("2"));
    await fireEvent.click(byId("saldo-unpriced-toggle"));
    expect(byId("saldo-unpriced-toggle").getAttribute("aria-expanded")).toBe("true");
    expect(cells("saldo-unpriced-14")).toEqual(["00-12-34", "12/03/2024", "RAD99", "#9 · item #14", "Belum ada tarif yang berlaku pada tanggalnya"]);
    expect(cells("saldo-unpriced-20")).toEqual(["00-77-01", "02/04/2024", "OBAT9", "#12 · item #20", "Jumlah atau faktor tidak dapat dihitung"]);

    await fireEvent.click(byId("saldo-unpriced-rm-14"));
    await waitFor(() => expect(byId("saldo-statement")).toBeTruthy());
    expect(backend.callsTo("balance_show")).toEqual([{ noRm: "00-12-34", month: null }]);
    expect(text("saldo-patient-title")).toBe("No. RM 00-12-34");

    await fireEvent.click(byId("saldo-unpriced-toggle"));
    expect(screen.queryByTestId("saldo-unpriced-body")).toBeNull();
  });

  it("says so when nothing is unpriced, and shows a failure inline", async () => {
    saldoBackend();
    render(Saldo);
    await fireEvent.click(byId("saldo-unpriced-toggle"));
    await waitFor(() => expect(byId("saldo-unpriced-empty")).toBeTruthy());
    expect(text("saldo-unpriced-empty")).toBe("Tidak ada tagihan belum berharga: semua tagihan yang tersinkron sudah masuk saldo.");
  });

  it("shows a failed list inline", async () => {
    saldoBackend({ balance_unpriced: () => reject("storage", "Basis data terkunci.") });
    render(Saldo);
    await fireEvent.click(byId("saldo-unpriced-toggle"));
    await waitFor(() => expect(text("saldo-unpriced-error")).toBe("Daftar tidak dapat dimuat: Basis data terkunci."));
  });
});
