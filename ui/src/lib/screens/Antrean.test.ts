import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import Antrean from "./Antrean.svelte";
import {
  fakeBackend,
  makeCurrentBalance,
  makeEventLine,
  makeOutcome,
  makeSessionView,
  makeSlot,
  makeSummary,
  makeTicketPreview,
  makeToken,
  NO_PATIENT,
  reject,
} from "../../test/backend";
import type { SessionView } from "../ipc";

const byId = (id: string) => screen.getByTestId(id);
const text = (id: string) => byId(id).textContent?.replace(/\s+/g, " ").trim();
const input = (id: string) => document.getElementById(id) as HTMLInputElement;

/** Slot 11 (08:00–09:00): in progress, two confirmed, one waitlisted, one completed. Slot 12 (09:00–10:00): empty. */
function busyMorning(): SessionView {
  return makeSessionView([
    makeSlot({
      slot_id: 11,
      capacity: 3,
      occupied: 3,
      waitlisted: 1,
      tokens: [
        makeToken({ number: 1, status: "in_progress", position: null, norm: "000111", name: "Ani" }),
        makeToken({ number: 4, status: "confirmed", position: 1, source: "follow_up", paid: true, jenis: "non_jkn", norm: null, name: "Citra" }),
        makeToken({ number: 2, status: "confirmed", position: 2, source: "online", norm: "000222", name: null }),
        makeToken({ number: 5, status: "waitlisted", position: null, waitlist_position: 1, name: "Dedi", norm: null }),
        makeToken({ number: 3, status: "completed", position: null, name: "Eko", norm: null }),
      ],
    }),
    makeSlot({ slot_id: 12, start_label: "09:00", end_label: "10:00", capacity: 3 }),
  ]);
}

type Overrides = Parameters<typeof fakeBackend>[0];

/** A backend with one session (id 1) on 2026-01-19 holding `view`, plus `more` handlers. */
function deskBackend(view: SessionView = busyMorning(), more: Overrides = {}) {
  return fakeBackend({
    opd_sessions: () => [
      makeSummary({ session_id: 1, occupied: 3, waitlisted: 1 }),
      makeSummary({ session_id: 2, doctor_name: "dr. Rina, Sp.PD", poli_code: "INT", jam: "10:00-12:00", capacity: 10 }),
    ],
    opd_session: () => view,
    opd_events: () => [
      makeEventLine({ seq: 3, kind: "called", at: "2026-01-19T01:20:05Z", clerk: "Siti Aminah", summary: "ANA-001 dipanggil" }),
      makeEventLine({ seq: 2, kind: "confirmed", at: "2026-01-19T01:05:00Z", summary: "ANA-001 dikonfirmasi di slot 08:00-09:00" }),
      makeEventLine({ seq: 1, kind: "session_created", at: "2026-01-18T23:30:09Z", desk_id: "L02", clerk: "Budi", summary: "Sesi 08:00-10:00 dibuka: 2 slot, kapasitas 8" }),
    ],
    ...more,
  });
}

async function renderDesk() {
  render(Antrean);
  await waitFor(() => expect(screen.getByTestId("slot-11")).toBeTruthy());
}

beforeEach(() => {
  // 07:00 WIB on Monday 19 January 2026.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-01-19T00:00:00Z"));
});

describe("Antrean: the day and its sessions", () => {
  it("lists today's sessions (WIB), selects the first and shows its slots side by side", async () => {
    const backend = deskBackend();
    await renderDesk();

    expect(input("antrean-date").value).toBe("2026-01-19");
    expect(backend.callsTo("opd_sessions")).toEqual([{ date: "2026-01-19", poli: null }]);
    expect(backend.callsTo("opd_session")).toEqual([{ sessionId: 1 }]);
    expect(backend.callsTo("opd_events")).toEqual([{ sessionId: 1 }]);

    expect(text("session-item-1")).toBe("dr. Andi Wijaya, Sp.A Anak (ANA) · 08:00-10:00 3/8 terisi · 1 menunggu");
    expect(text("session-item-2")).toBe("dr. Rina, Sp.PD Penyakit Dalam (INT) · 10:00-12:00 0/10 terisi");
    expect(byId("session-item-1").getAttribute("aria-pressed")).toBe("true");

    expect(screen.getByRole("heading", { name: "08:00–09:00 · 3/3 terisi · 1 menunggu" })).toBeTruthy();
    expect(screen.getByRole("heading", { name: "09:00–10:00 · 0/3 terisi · 0 menunggu" })).toBeTruthy();
    expect(input("slot-capacity-11").value).toBe("3");
  });

  it("shows tokens in the backend's order with code, patient, badges, Indonesian status and position", async () => {
    deskBackend();
    await renderDesk();

    const rows = within(byId("slot-11")).getAllByTestId(/^token-\d+$/);
    expect(rows.map((r) => r.dataset.testid)).toEqual(["token-101", "token-104", "token-102", "token-105", "token-103"]);

    expect(text("token-104")).toContain("ANA-004");
    expect(text("token-104")).toContain("#1");
    expect(text("token-104")).toContain("Kontrol");
    expect(text("token-104")).toContain("Berbayar");
    expect(text("token-104")).toContain("Non-JKN");
    expect(text("token-104")).toContain("Citra");
    expect(text("token-102")).toContain("Online");
    expect(text("token-102")).toContain("RM 000222");
    expect(text("token-102")).not.toContain("Berbayar");
    expect(text("token-105")).toContain("tunggu #1");

    expect(text("token-status-101")).toBe("Dilayani");
    expect(text("token-status-104")).toBe("Terkonfirmasi");
    expect(text("token-status-105")).toBe("Daftar tunggu");
    expect(text("token-status-103")).toBe("Selesai");
    // The waitlist and finished tokens look different from the confirmed ones.
    expect(byId("token-105").classList.contains("waitlisted")).toBe(true);
    expect(byId("token-103").classList.contains("completed")).toBe(true);
  });

  it("offers the actions each status allows, and reprint for every token", async () => {
    deskBackend();
    await renderDesk();

    const actions = (id: number) =>
      within(byId(`token-${id}`))
        .getAllByRole("button")
        .map((b) => b.dataset.testid);
    expect(actions(104)).toEqual(["action-reprint-104", "action-call-104", "action-no_show-104", "action-cancel-104", "bpjs-details-104"]);
    expect(actions(105)).toEqual(["action-reprint-105", "action-cancel-105", "bpjs-details-105"]);
    expect(actions(101)).toEqual(["action-reprint-101", "action-complete-101", "bpjs-details-101"]);
    expect(actions(103)).toEqual(["action-reprint-103", "bpjs-details-103"]);
  });

  it("reloads the list for another poli or date, and shows the session picked", async () => {
    const backend = deskBackend();
    await renderDesk();

    await fireEvent.change(byId("antrean-poli"), { target: { value: "INT" } });
    await waitFor(() => expect(backend.callsTo("opd_sessions")).toContainEqual({ date: "2026-01-19", poli: "INT" }));

    await fireEvent.click(screen.getByRole("button", { name: "Hari berikutnya" }));
    await waitFor(() => expect(backend.callsTo("opd_sessions")).toContainEqual({ date: "2026-01-20", poli: "INT" }));

    await fireEvent.click(byId("session-item-2"));
    await waitFor(() => expect(backend.callsTo("opd_session")).toContainEqual({ sessionId: 2 }));
    expect(backend.callsTo("opd_events")).toContainEqual({ sessionId: 2 });
    expect(byId("session-item-2").getAttribute("aria-pressed")).toBe("true");
  });

  it("renders the event log newest first with WIB times, desk and clerk", async () => {
    deskBackend();
    await renderDesk();
    await waitFor(() => expect(screen.getAllByTestId("event-line")).toHaveLength(3));

    const lines = screen.getAllByTestId("event-line").map((l) => l.textContent?.replace(/\s+/g, " ").trim());
    expect(lines).toEqual([
      "08:20:05 L01 · Siti Aminah ANA-001 dipanggil",
      "08:05:00 L01 · Siti Aminah ANA-001 dikonfirmasi di slot 08:00-09:00",
      "06:30:09 L02 · Budi Sesi 08:00-10:00 dibuka: 2 slot, kapasitas 8",
    ]);
    expect(within(byId("event-log")).getAllByRole("listitem")[0].querySelector("time")?.getAttribute("datetime")).toBe(
      "2026-01-19T01:20:05Z",
    );
  });
});

describe("Antrean: issuing tokens", () => {
  it("issues a walk-in through the form with the exact request, then shows the result and reloads", async () => {
    const backend = deskBackend(busyMorning(), {
      opd_request_token: () => makeOutcome({ token_id: 107, code: "ANA-007", slot_id: 12, status: "confirmed", position: 1 }),
    });
    await renderDesk();

    await fireEvent.click(byId("new-token"));
    const form = byId("token-form");
    expect(document.activeElement).toBe(byId("token-jenis-jkn"));
    expect((byId("token-jenis-jkn") as HTMLInputElement).checked).toBe(true);
    expect((byId("token-source") as HTMLSelectElement).value).toBe("walk_in");
    expect((byId("token-slot") as HTMLSelectElement).value).toBe("");

    await fireEvent.click(byId("token-jenis-non_jkn"));
    await fireEvent.input(byId("token-norm"), { target: { value: " 000987 " } });
    await fireEvent.input(byId("token-name"), { target: { value: "Sari Dewi" } });
    await fireEvent.change(byId("token-slot"), { target: { value: "12" } });
    await fireEvent.click(byId("token-paid"));
    const sessionLoads = backend.callsTo("opd_session").length;
    await fireEvent.keyDown(byId("token-name"), { key: "Enter" });

    await waitFor(() => expect(text("token-result-code")).toBe("ANA-007"));
    expect(backend.callsTo("opd_request_token")).toEqual([
      {
        request: {
          session_id: 1,
          slot_id: 12,
          source: "walk_in",
          paid: true,
          jenis: "non_jkn",
          norm: "000987",
          name: "Sari Dewi",
          patient: NO_PATIENT,
        },
      },
    ]);
    expect(form.isConnected).toBe(false);
    expect(text("token-result")).toContain("Terkonfirmasi");
    expect(text("token-result")).toContain("nomor urut #1");
    expect(text("token-result")).toContain("slot 09:00–10:00");
    expect(screen.queryByTestId("emergency-alert")).toBeNull();
    await waitFor(() => expect(backend.callsTo("opd_session").length).toBeGreaterThan(sessionLoads));
    expect(document.activeElement).toBe(byId("print-ticket"));
  });

  it("sends blanks as null and lets the engine choose the slot", async () => {
    const backend = deskBackend(busyMorning(), {
      opd_request_token: () => makeOutcome({ status: "waitlisted", position: null, waitlist_position: 2 }),
    });
    await renderDesk();
    await fireEvent.click(byId("new-token"));
    await fireEvent.input(byId("token-name"), { target: { value: "Tono" } });
    await fireEvent.click(byId("token-submit"));

    await waitFor(() => expect(text("token-result")).toContain("daftar tunggu #2"));
    expect(backend.callsTo("opd_request_token")).toEqual([
      { request: { session_id: 1, slot_id: null, source: "walk_in", paid: false, jenis: "jkn", norm: null, name: "Tono", patient: NO_PATIENT } },
    ]);
    expect(text("token-result")).toContain("Daftar tunggu");
  });

  it("opens the form with N (not while typing in a field) and closes it with Escape", async () => {
    const backend = deskBackend();
    await renderDesk();

    // Typing N into a field is just a letter.
    await fireEvent.keyDown(input("slot-capacity-11"), { key: "n" });
    await fireEvent.keyDown(window, { key: "n", ctrlKey: true });
    expect(screen.queryByTestId("token-form")).toBeNull();

    await fireEvent.keyDown(document.body, { key: "n" });
    expect(byId("token-form")).toBeTruthy();
    expect(document.activeElement).toBe(byId("token-jenis-jkn"));
    // A second N inside the open form does not stack another one.
    await fireEvent.keyDown(byId("token-jenis-jkn"), { key: "N" });
    expect(screen.getAllByTestId("token-form")).toHaveLength(1);

    await fireEvent.keyDown(byId("token-norm"), { key: "Escape" });
    expect(screen.queryByTestId("token-form")).toBeNull();
    expect(backend.callsTo("opd_request_token")).toEqual([]);
  });

  it("D opens the form preset to emergency; an unplaced emergency raises a red alert", async () => {
    const backend = deskBackend(busyMorning(), {
      opd_request_token: () =>
        makeOutcome({ code: "ANA-008", token_id: 108, status: "waitlisted", position: null, waitlist_position: 1, emergency_unplaced: true }),
    });
    await renderDesk();

    await fireEvent.keyDown(document.body, { key: "d" });
    expect((byId("token-source") as HTMLSelectElement).value).toBe("emergency");
    expect(screen.getByRole("heading", { name: "Antrean gawat darurat" })).toBeTruthy();
    await fireEvent.keyDown(byId("token-jenis-jkn"), { key: "Enter" });

    await waitFor(() => expect(byId("emergency-alert")).toBeTruthy());
    expect(backend.callsTo("opd_request_token")).toEqual([
      {
        request: { session_id: 1, slot_id: null, source: "emergency", paid: false, jenis: "jkn", norm: null, name: null, patient: NO_PATIENT },
      },
    ]);
    expect(text("emergency-alert")).toContain("Pasien gawat darurat belum mendapat tempat");
    expect(text("emergency-alert")).toContain("ANA-008");
    expect(byId("emergency-alert").getAttribute("role")).toBe("alert");
  });

  it("the emergency alert goes away once the queue shows the emergency placed", async () => {
    let view = busyMorning();
    const backend = deskBackend(undefined, {
      opd_session: () => view,
      opd_request_token: () =>
        makeOutcome({ code: "ANA-008", token_id: 108, status: "waitlisted", position: null, waitlist_position: 1, emergency_unplaced: true }),
    });
    await renderDesk();
    await fireEvent.keyDown(document.body, { key: "d" });
    await fireEvent.keyDown(byId("token-jenis-jkn"), { key: "Enter" });
    await waitFor(() => expect(byId("emergency-alert")).toBeTruthy());

    // Still waiting after a reload: the alert stays.
    view = busyMorning();
    view.slots[0].tokens.push(makeToken({ number: 8, token_id: 108, status: "waitlisted", position: null, waitlist_position: 1 }));
    await backend.emitQueueChanged(1);
    await waitFor(() => expect(text("token-status-108")).toContain("Daftar tunggu"));
    expect(screen.queryByTestId("emergency-alert")).not.toBeNull();

    // The clerk raised the capacity elsewhere: the emergency is confirmed and the alert is gone.
    view = busyMorning();
    view.slots[0].tokens.push(makeToken({ number: 8, token_id: 108, status: "confirmed", position: 1, waitlist_position: null }));
    await backend.emitQueueChanged(1);
    await waitFor(() => expect(screen.queryByTestId("emergency-alert")).toBeNull());
    expect(text("token-result")).toContain("Terkonfirmasi");
  });

  it("the red button opens the emergency form too", async () => {
    deskBackend();
    await renderDesk();
    await fireEvent.click(byId("emergency-token"));
    expect((byId("token-source") as HTMLSelectElement).value).toBe("emergency");
  });

  it("keeps the form open with the backend's refusal", async () => {
    deskBackend(busyMorning(), {
      opd_request_token: () => reject("conflict", "Sesi ini sudah berakhir; antrean tidak dapat diambil."),
    });
    await renderDesk();
    await fireEvent.click(byId("new-token"));
    await fireEvent.click(byId("token-submit"));
    await waitFor(() => expect(text("token-form-error")).toBe("Sesi ini sudah berakhir; antrean tidak dapat diambil."));
    expect(byId("token-form")).toBeTruthy();
    expect(screen.queryByTestId("token-result")).toBeNull();
  });
});

describe("Antrean: the patient's deposit balance after issuing", () => {
  async function issue(norm: string) {
    await fireEvent.click(byId("new-token"));
    await fireEvent.input(byId("token-norm"), { target: { value: norm } });
    await fireEvent.input(byId("token-name"), { target: { value: "Sari Dewi" } });
    await fireEvent.click(byId("token-submit"));
    await waitFor(() => expect(text("token-result-code")).toBe("ANA-007"));
  }

  it("asks the balance of the token's no RM and shows it in the result", async () => {
    const backend = deskBackend(busyMorning(), {
      opd_request_token: () => makeOutcome(),
      balance_current: () => makeCurrentBalance({ no_rm: "000987", closing_balance: 1_234_567, year_month: "2026-01", unpriced: 2 }),
    });
    await renderDesk();
    await issue(" 000987 ");

    await waitFor(() => expect(byId("token-result-balance")).toBeTruthy());
    expect(backend.callsTo("balance_current")).toEqual([{ noRm: "000987" }]);
    expect(text("token-result-balance")).toBe("RM 000987 Saldo deposit: Rp 1.234.567 · 2 tagihan belum berharga");
    expect(byId("token-result-balance-amount").classList.contains("negative")).toBe(false);
    // Asking the balance does not take the focus from the print button.
    expect(document.activeElement).toBe(byId("print-ticket"));
  });

  it("shows a minus balance in red", async () => {
    deskBackend(busyMorning(), {
      opd_request_token: () => makeOutcome(),
      balance_current: () => makeCurrentBalance({ no_rm: "000987", closing_balance: -5_000 }),
    });
    await renderDesk();
    await issue("000987");

    await waitFor(() => expect(text("token-result-balance-amount")).toBe("-Rp 5.000"));
    expect(byId("token-result-balance-amount").classList.contains("negative")).toBe(true);
  });

  it("says 'belum ada data saldo' when the patient has no balance yet", async () => {
    deskBackend(busyMorning(), { opd_request_token: () => makeOutcome(), balance_current: () => null });
    await renderDesk();
    await issue("000987");

    await waitFor(() => expect(text("token-result-balance")).toBe("RM 000987 Saldo deposit: belum ada data saldo"));
  });

  it("a failing balance leaves issuing alone: the result, the focus and no error banner", async () => {
    const backend = deskBackend(busyMorning(), {
      opd_request_token: () => makeOutcome(),
      balance_current: () => reject("storage", "Basis data terkunci."),
    });
    await renderDesk();
    await issue("000987");

    await waitFor(() => expect(text("token-result-balance")).toBe("RM 000987 Saldo deposit tidak dapat dibaca"));
    expect(backend.callsTo("balance_current")).toEqual([{ noRm: "000987" }]);
    expect(screen.queryByTestId("error-banner")).toBeNull();
    expect(text("token-result")).toContain("Terkonfirmasi");
    expect(document.activeElement).toBe(byId("print-ticket"));
  });

  it("does not ask without a no RM", async () => {
    const backend = deskBackend(busyMorning(), { opd_request_token: () => makeOutcome() });
    await renderDesk();
    await issue("   ");

    expect(backend.callsTo("balance_current")).toEqual([]);
    expect(screen.queryByTestId("token-result-balance")).toBeNull();
  });
});

describe("Antrean: patient details for BPJS", () => {
  const fill = async (id: string, value: string) => fireEvent.input(byId(id), { target: { value } });

  it("sends the JKN details tidied in `patient`; the note goes once BPJS has all it needs", async () => {
    const backend = deskBackend(busyMorning(), { opd_request_token: () => makeOutcome() });
    await renderDesk();
    await fireEvent.click(byId("new-token"));

    // Nothing filled: the token is still issued, and the clerk is told BPJS waits.
    expect(text("token-bpjs-note")).toBe(
      "Data BPJS belum lengkap: token tetap terbit, pengiriman ke BPJS menunggu. Belum ada: Nomor kartu BPJS, NIK, Nomor HP, Jenis kunjungan, Nomor rujukan/surat kontrol.",
    );
    const labels = Array.from(byId("token-bpjs").querySelectorAll("label")).map((l) => l.textContent?.replace(/\s+/g, " ").trim());
    expect(labels).toEqual([
      "Nomor kartu BPJS",
      "NIK",
      "Nomor HP",
      "Jenis kunjungan",
      "No. rujukan/surat kontrol",
      "Pasien baru",
    ]);
    const kunjungan = Array.from((byId("token-jeniskunjungan") as HTMLSelectElement).options).map((o) => o.textContent);
    expect(kunjungan).toEqual(["— pilih —", "1 · Rujukan FKTP", "2 · Rujukan internal", "3 · Kontrol", "4 · Rujukan antar RS"]);

    await fill("token-nomorkartu", "0001 2345 67890");
    await fill("token-nik", "3174-0123-4567-8901");
    await fill("token-nohp", "0812 3456 7890");
    await fireEvent.change(byId("token-jeniskunjungan"), { target: { value: "3" } });
    expect(text("token-bpjs-note")).toContain("Belum ada: Nomor rujukan/surat kontrol.");
    await fill("token-nomorreferensi", "0301r0011023k000001");
    expect(screen.queryByTestId("token-bpjs-note")).toBeNull();
    await fireEvent.click(byId("token-pasien_baru"));
    await fireEvent.keyDown(byId("token-pasien_baru"), { key: "Enter" });

    await waitFor(() => expect(backend.callsTo("opd_request_token")).toHaveLength(1));
    expect(backend.callsTo("opd_request_token")[0]).toEqual({
      request: {
        session_id: 1,
        slot_id: null,
        source: "walk_in",
        paid: false,
        jenis: "jkn",
        norm: null,
        name: null,
        patient: {
          nomorkartu: "0001234567890",
          nik: "3174012345678901",
          nohp: "081234567890",
          jeniskunjungan: 3,
          nomorreferensi: "0301R0011023K000001",
          pasien_baru: true,
          norm: null,
        },
      },
    });
  });

  it("stops a malformed field with its message and focus on it; nothing is sent until it is fixed or cleared", async () => {
    const backend = deskBackend(busyMorning(), { opd_request_token: () => makeOutcome() });
    await renderDesk();
    await fireEvent.click(byId("new-token"));

    await fill("token-nik", "31740123");
    // Shown when the clerk leaves the field.
    expect(screen.queryByTestId("token-nik-msg")).toBeNull();
    await fireEvent.blur(byId("token-nik"));
    expect(text("token-nik-msg")).toBe("NIK harus 16 angka; yang terisi 8 angka.");
    expect(byId("token-nik").getAttribute("aria-invalid")).toBe("true");

    await fill("token-nomorkartu", "12345");
    await fill("token-nohp", "+1 555 0100");
    await fireEvent.click(byId("token-submit"));
    expect(backend.callsTo("opd_request_token")).toEqual([]);
    expect(text("token-nomorkartu-msg")).toBe("Nomor kartu BPJS harus 13 angka; yang terisi 5 angka.");
    expect(text("token-nohp-msg")).toBe("Nomor HP tidak valid: isi 9–15 angka, boleh diawali 0, 62 atau +62 (spasi dan tanda - boleh).");
    expect(text("token-form-error")).toContain("Perbaiki data BPJS yang ditandai merah");
    await waitFor(() => expect(document.activeElement).toBe(byId("token-nomorkartu")));

    await fill("token-nomorkartu", "");
    await fill("token-nohp", "");
    await fill("token-nik", "3174012345678901");
    expect(screen.queryByTestId("token-form-error")).toBeNull();
    expect(screen.queryByTestId("token-nik-msg")).toBeNull();
    await fireEvent.keyDown(byId("token-nik"), { key: "Enter" });
    await waitFor(() => expect(backend.callsTo("opd_request_token")).toHaveLength(1));
    expect((backend.callsTo("opd_request_token")[0] as { request: { patient: unknown } }).request.patient).toEqual({
      ...NO_PATIENT,
      nik: "3174012345678901",
    });
  });

  it("asks a non-JKN patient only NIK and phone, and sends nothing it did not show", async () => {
    const backend = deskBackend(busyMorning(), { opd_request_token: () => makeOutcome() });
    await renderDesk();
    await fireEvent.click(byId("new-token"));
    await fill("token-nomorkartu", "0001234567890");
    await fireEvent.click(byId("token-jenis-non_jkn"));

    expect(screen.queryByTestId("token-nomorkartu")).toBeNull();
    expect(screen.queryByTestId("token-jeniskunjungan")).toBeNull();
    expect(screen.queryByTestId("token-nomorreferensi")).toBeNull();
    expect(text("token-bpjs-note")).toContain("Belum ada: NIK, Nomor HP.");
    await fill("token-nik", "3174012345678901");
    await fill("token-nohp", "+6281234567890");
    expect(screen.queryByTestId("token-bpjs-note")).toBeNull();
    await fireEvent.click(byId("token-submit"));

    await waitFor(() => expect(backend.callsTo("opd_request_token")).toHaveLength(1));
    expect((backend.callsTo("opd_request_token")[0] as { request: { patient: unknown } }).request.patient).toEqual({
      ...NO_PATIENT,
      nik: "3174012345678901",
      nohp: "+6281234567890",
    });
  });

  it("Lengkapi data BPJS: stores the details of an issued token and shows what is still missing", async () => {
    let answer = { sent_to_bpjs: true, missing: ["Nomor HP", "Nomor rujukan/surat kontrol"] };
    const backend = deskBackend(busyMorning(), { opd_token_details: () => answer });
    await renderDesk();

    await fireEvent.click(byId("bpjs-details-102"));
    expect(screen.getByRole("heading", { name: "Lengkapi data BPJS · ANA-002" })).toBeTruthy();
    expect(document.activeElement).toBe(byId("details-nomorkartu"));
    // A letter typed in the dialog is not a screen shortcut.
    await fireEvent.keyDown(byId("details-nomorkartu"), { key: "n" });
    expect(screen.queryByTestId("token-form")).toBeNull();

    await fill("details-nomorkartu", "0001234567890");
    await fill("details-nik", "3174012345678901");
    await fireEvent.change(byId("details-jeniskunjungan"), { target: { value: "1" } });
    await fireEvent.keyDown(byId("details-nik"), { key: "Enter" });

    await waitFor(() => expect(byId("details-result")).toBeTruthy());
    expect(backend.callsTo("opd_token_details")).toEqual([
      {
        tokenId: 102,
        details: { ...NO_PATIENT, nomorkartu: "0001234567890", nik: "3174012345678901", jeniskunjungan: 1 },
      },
    ]);
    expect(text("details-result")).toBe(
      "Tersimpan. Masih kurang untuk BPJS: Nomor HP, Nomor rujukan/surat kontrol. Pengiriman ke BPJS menunggu data ini.",
    );

    answer = { sent_to_bpjs: true, missing: [] };
    await fill("details-nohp", "081234567890");
    await fill("details-nomorreferensi", "0301R0011117B000003");
    await fireEvent.click(byId("details-submit"));
    await waitFor(() => expect(text("details-result")).toBe("✓ Tersimpan. Data BPJS lengkap."));
    expect(backend.callsTo("opd_token_details")).toHaveLength(2);

    await fireEvent.keyDown(byId("details-nohp"), { key: "Escape" });
    expect(screen.queryByTestId("details-form")).toBeNull();
  });

  it("Lengkapi data BPJS: a non-JKN token asks NIK and phone; a malformed one is not sent; a refusal shows", async () => {
    const backend = deskBackend(busyMorning(), { opd_token_details: () => reject("not_found", "Token 104 tidak ditemukan.") });
    await renderDesk();
    await fireEvent.click(byId("bpjs-details-104"));
    expect(document.activeElement).toBe(byId("details-nik"));
    expect(screen.queryByTestId("details-nomorkartu")).toBeNull();

    await fill("details-nohp", "0812");
    await fireEvent.click(byId("details-submit"));
    expect(backend.callsTo("opd_token_details")).toEqual([]);
    expect(text("details-nohp-msg")).toContain("Nomor HP tidak valid");

    await fill("details-nohp", "081234567890");
    await fireEvent.click(byId("details-submit"));
    await waitFor(() => expect(text("details-error")).toBe("Token 104 tidak ditemukan."));
    expect(backend.callsTo("opd_token_details")).toEqual([{ tokenId: 104, details: { ...NO_PATIENT, nohp: "081234567890" } }]);
  });

  it("Lengkapi data BPJS: says so when the backend has nothing to send for the token", async () => {
    deskBackend(busyMorning(), { opd_token_details: () => ({ sent_to_bpjs: false, missing: [] }) });
    await renderDesk();
    await fireEvent.click(byId("bpjs-details-101"));
    await fireEvent.click(byId("details-submit"));
    await waitFor(() => expect(byId("details-result")).toBeTruthy());
    expect(text("details-result")).toBe("Tersimpan. Antrean ini tidak dikirim ke BPJS (sesi dibuat manual).");
  });
});

describe("Antrean: token actions", () => {
  it("calls a confirmed token at once with the exact args", async () => {
    const backend = deskBackend(busyMorning(), {
      opd_token_action: () => makeOutcome({ token_id: 104, code: "ANA-004", status: "in_progress", position: null }),
    });
    await renderDesk();
    await fireEvent.click(byId("action-call-104"));
    await waitFor(() => expect(text("notice")).toBe("ANA-004 dipanggil."));
    expect(backend.callsTo("opd_token_action")).toEqual([{ tokenId: 104, action: "call", reason: null }]);
    await fireEvent.click(byId("action-complete-101"));
    await waitFor(() => expect(backend.callsTo("opd_token_action")).toHaveLength(2));
    expect(backend.callsTo("opd_token_action")[1]).toEqual({ tokenId: 101, action: "complete", reason: null });
  });

  it("asks before cancelling: nothing is sent until confirmed, then the exact args with the reason", async () => {
    const backend = deskBackend(busyMorning(), {
      opd_token_action: () => makeOutcome({ token_id: 102, code: "ANA-002", status: "cancelled", position: null }),
    });
    await renderDesk();

    await fireEvent.click(byId("action-cancel-102"));
    const dialog = byId("confirm-dialog");
    expect(dialog.getAttribute("role")).toBe("alertdialog");
    expect(dialog.getAttribute("aria-modal")).toBe("true");
    expect(within(dialog).getByRole("heading").textContent).toBe("Batalkan antrean ANA-002?");
    expect(backend.callsTo("opd_token_action")).toEqual([]);

    await fireEvent.click(byId("confirm-no"));
    expect(screen.queryByTestId("confirm-dialog")).toBeNull();
    expect(backend.callsTo("opd_token_action")).toEqual([]);

    await fireEvent.click(byId("action-cancel-102"));
    expect(document.activeElement?.id).toBe("confirm-reason");
    await fireEvent.keyDown(byId("confirm-reason"), { key: "Escape" });
    expect(screen.queryByTestId("confirm-dialog")).toBeNull();
    expect(backend.callsTo("opd_token_action")).toEqual([]);

    await fireEvent.click(byId("action-cancel-102"));
    await fireEvent.input(byId("confirm-reason"), { target: { value: "  minta jadwal ulang " } });
    await fireEvent.click(byId("confirm-yes"));
    await waitFor(() => expect(screen.queryByTestId("confirm-dialog")).toBeNull());
    expect(backend.callsTo("opd_token_action")).toEqual([{ tokenId: 102, action: "cancel", reason: "minta jadwal ulang" }]);
  });

  it("Enter confirms a no-show, without a reason", async () => {
    const backend = deskBackend(busyMorning(), {
      opd_token_action: () => makeOutcome({ token_id: 104, code: "ANA-004", status: "no_show", position: null }),
    });
    await renderDesk();
    await fireEvent.click(byId("action-no_show-104"));
    expect(backend.callsTo("opd_token_action")).toEqual([]);
    expect(document.activeElement).toBe(byId("confirm-yes"));
    await fireEvent.keyDown(byId("confirm-yes"), { key: "Enter" });
    await waitFor(() => expect(backend.callsTo("opd_token_action")).toEqual([{ tokenId: 104, action: "no_show", reason: null }]));
    await waitFor(() => expect(text("notice")).toBe("ANA-004 ditandai tidak hadir."));
  });

  it("shows the backend's refusal in the error banner", async () => {
    const message = "Antrean ANA-005 berstatus daftar tunggu; hanya antrean terkonfirmasi yang dapat dipanggil.";
    deskBackend(busyMorning(), { opd_token_action: () => reject("conflict", message) });
    await renderDesk();
    await fireEvent.click(byId("action-cancel-105"));
    await fireEvent.keyDown(byId("confirm-reason"), { key: "Enter" });
    await waitFor(() => expect(text("error-banner")).toContain(message));
    expect(byId("error-banner").getAttribute("role")).toBe("alert");
    expect(screen.queryByTestId("confirm-dialog")).toBeNull();
  });
});

describe("Antrean: slots, live updates and tickets", () => {
  it("saves a slot's capacity with the exact args, and shows a refusal inline", async () => {
    let refuse = false;
    const backend = deskBackend(busyMorning(), {
      opd_set_slot_capacity: () =>
        refuse ? reject("conflict", "Kapasitas tidak boleh kurang dari 2 antrean yang sudah dilayani.") : busyMorning(),
    });
    await renderDesk();

    await fireEvent.input(input("slot-capacity-11"), { target: { value: "5" } });
    await fireEvent.click(byId("slot-capacity-save-11"));
    await waitFor(() => expect(backend.callsTo("opd_set_slot_capacity")).toEqual([{ slotId: 11, capacity: 5 }]));
    await waitFor(() => expect(text("slot-capacity-msg-11")).toBe("✓ Kapasitas disimpan"));

    refuse = true;
    await fireEvent.input(input("slot-capacity-12"), { target: { value: "1" } });
    await fireEvent.keyDown(input("slot-capacity-12"), { key: "Enter" });
    await waitFor(() => expect(text("slot-capacity-msg-12")).toBe("Kapasitas tidak boleh kurang dari 2 antrean yang sudah dilayani."));
    expect(backend.callsTo("opd_set_slot_capacity")).toEqual([
      { slotId: 11, capacity: 5 },
      { slotId: 12, capacity: 1 },
    ]);
    expect(input("slot-capacity-12").value).toBe("1");

    // Not a number: refused here, nothing sent.
    await fireEvent.input(input("slot-capacity-12"), { target: { value: "dua" } });
    await fireEvent.click(byId("slot-capacity-save-12"));
    expect(text("slot-capacity-msg-12")).toBe("Kapasitas harus bilangan bulat.");
    expect(backend.callsTo("opd_set_slot_capacity")).toHaveLength(2);
  });

  it("reloads the shown session on queue-changed, and only the list for another session", async () => {
    let view = busyMorning();
    const backend = deskBackend(undefined, { opd_session: () => view });
    await renderDesk();
    await waitFor(() => expect(backend.callsTo("opd_events")).toHaveLength(1));

    // Another desk issued ANA-006 into slot 12.
    view = busyMorning();
    view.slots[1] = makeSlot({
      slot_id: 12,
      start_label: "09:00",
      end_label: "10:00",
      capacity: 3,
      occupied: 1,
      tokens: [makeToken({ number: 6, slot_id: 12 })],
    });
    await backend.emitQueueChanged(1);
    await waitFor(() => expect(byId("token-106")).toBeTruthy());
    expect(backend.callsTo("opd_session")).toEqual([{ sessionId: 1 }, { sessionId: 1 }]);
    expect(backend.callsTo("opd_events")).toEqual([{ sessionId: 1 }, { sessionId: 1 }]);
    expect(backend.callsTo("opd_sessions")).toHaveLength(2);

    await backend.emitQueueChanged(2);
    await waitFor(() => expect(backend.callsTo("opd_sessions")).toHaveLength(3));
    expect(backend.callsTo("opd_session")).toHaveLength(2);
  });

  it("previews the ticket lines in a monospace block and opens the print dialog", async () => {
    const print = vi.spyOn(window, "print").mockImplementation(() => {});
    const lines = ["  RSUD SEHAT SENTOSA", "--------------------------------", "        ANA-007", "Poli Anak", "Slot 08:00-09:00 WIB"];
    const backend = deskBackend(busyMorning(), {
      opd_request_token: () => makeOutcome(),
      opd_ticket: () => makeTicketPreview(lines, { paper: "80" }),
    });
    await renderDesk();
    await fireEvent.click(byId("new-token"));
    await fireEvent.click(byId("token-submit"));
    await waitFor(() => expect(byId("token-result")).toBeTruthy());

    await fireEvent.click(byId("print-dialog"));
    await waitFor(() => expect(print).toHaveBeenCalledTimes(1));
    expect(backend.callsTo("opd_ticket")).toEqual([{ tokenId: 107 }]);
    const pre = byId("ticket-lines");
    expect(pre.tagName).toBe("PRE");
    // One line per element, in order; the code line (ESC/POS prints it double size) trimmed and marked.
    expect(Array.from(pre.children).map((c) => c.textContent)).toEqual([
      "  RSUD SEHAT SENTOSA",
      "--------------------------------",
      "ANA-007",
      "Poli Anak",
      "Slot 08:00-09:00 WIB",
    ]);
    expect(pre.children[2].classList.contains("code")).toBe(true);
    expect(pre.id).toBe("ticket-print");
    expect(pre.classList.contains("paper-80")).toBe(true);
    expect(within(byId("ticket-preview")).getByRole("heading").textContent).toBe("Karcis ANA-007");
  });

  it("P sends the ticket to the printer; a missing printer is explained, with the print dialog as fallback", async () => {
    vi.spyOn(window, "print").mockImplementation(() => {});
    let configured = true;
    const backend = deskBackend(busyMorning(), {
      opd_request_token: () => makeOutcome(),
      opd_print_ticket: () =>
        configured ? { device: "/dev/usb/lp0", bytes: 312 } : reject("invalid_input", "Printer karcis belum diatur di Pengaturan."),
      opd_ticket: () => makeTicketPreview(["ANA-007"]),
    });
    await renderDesk();
    await fireEvent.keyDown(document.body, { key: "n" });
    await fireEvent.click(byId("token-submit"));
    await waitFor(() => expect(byId("token-result")).toBeTruthy());

    await fireEvent.keyDown(document.body, { key: "p" });
    await waitFor(() => expect(text("notice")).toBe("Karcis ANA-007 dikirim ke printer /dev/usb/lp0."));
    expect(backend.callsTo("opd_print_ticket")).toEqual([{ tokenId: 107 }]);

    configured = false;
    await fireEvent.click(byId("action-reprint-102"));
    await waitFor(() => expect(text("error-banner")).toContain("Printer karcis belum diatur di Pengaturan."));
    expect(backend.callsTo("opd_print_ticket")).toEqual([{ tokenId: 107 }, { tokenId: 102 }]);
    await fireEvent.click(byId("print-dialog-fallback"));
    await waitFor(() => expect(backend.callsTo("opd_ticket")).toEqual([{ tokenId: 102 }]));
  });
});

describe("Antrean: opening a session by hand", () => {
  it("sends the form with the screen's date and selects the new session", async () => {
    let opened = false;
    const backend = fakeBackend({
      opd_sessions: () => (opened ? [makeSummary({ session_id: 9, doctor_name: "dr. Budi" })] : []),
      opd_session: () => makeSessionView([makeSlot({ slot_id: 91 })], { session_id: 9 }),
      opd_events: () => [],
      opd_add_session: () => {
        opened = true;
        return { session_id: 9, slots: [] };
      },
    });
    render(Antrean);
    await waitFor(() => expect(byId("sessions-empty")).toBeTruthy());
    expect((byId("new-token") as HTMLButtonElement).disabled).toBe(true);

    await fireEvent.click(byId("open-session-form"));
    expect(document.activeElement?.id).toBe("session-doctor_code");
    expect(input("session-slot_minutes").value).toBe("60");
    await fireEvent.input(input("session-doctor_code"), { target: { value: "D009" } });
    await fireEvent.input(input("session-doctor_name"), { target: { value: "dr. Budi" } });
    await fireEvent.input(input("session-poli_code"), { target: { value: "ana" } });
    await fireEvent.input(input("session-jam"), { target: { value: "13:00-15:30" } });
    await fireEvent.input(input("session-capacity"), { target: { value: "12" } });
    await fireEvent.input(input("session-slot_minutes"), { target: { value: "30" } });
    await fireEvent.click(byId("session-submit"));

    await waitFor(() => expect(byId("slot-91")).toBeTruthy());
    expect(backend.callsTo("opd_add_session")).toEqual([
      {
        input: {
          doctor_code: "D009",
          doctor_name: "dr. Budi",
          poli_code: "ana",
          date: "2026-01-19",
          jam: "13:00-15:30",
          capacity: 12,
          slot_minutes: 30,
        },
      },
    ]);
    expect(screen.queryByTestId("session-form")).toBeNull();
    expect(byId("session-item-9").getAttribute("aria-pressed")).toBe("true");
  });

  it("shows the backend's refusal inline and keeps what was typed", async () => {
    deskBackend(busyMorning(), {
      opd_add_session: () => reject("invalid_input", 'Jam praktek "8-12" tidak valid; gunakan JJ:MM-JJ:MM.'),
    });
    await renderDesk();
    await fireEvent.click(byId("open-session-form"));
    await fireEvent.input(input("session-jam"), { target: { value: "8-12" } });
    await fireEvent.input(input("session-capacity"), { target: { value: "10" } });
    await fireEvent.submit(input("session-capacity").form as HTMLFormElement);

    await waitFor(() => expect(text("session-form-error")).toBe('Jam praktek "8-12" tidak valid; gunakan JJ:MM-JJ:MM.'));
    expect(input("session-jam").value).toBe("8-12");
    await fireEvent.keyDown(input("session-jam"), { key: "Escape" });
    expect(screen.queryByTestId("session-form")).toBeNull();
  });
});
