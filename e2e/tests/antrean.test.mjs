// Antrean: the desk's queue screen in the real window. Issue a walk-in (N), call it, complete it,
// cancel another, print tickets to a file printer, an emergency that finds no place (alert in the
// window and a desktop notification), and refusals (actions not offered, a stale action refused
// by the backend). Every step is checked in SQLite and with the `loket` CLI.
//
// Sessions are opened for today's WIB date with a jam praktek around the current WIB time, at most
// 240 minutes long and with 240-minute slots: exactly one slot, still open while the test runs, so
// its capacity is the session's capacity whatever the time of day. Within 20 minutes of midnight WIB
// the tests skip (today's sessions would end, or the date change, under them).

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { byTestId, notifications, pollUntil, replaceValue, textOf, tid, useApp, waitForText } from "../lib/app.mjs";

const WIB_OFFSET_MS = 7 * 3600 * 1000;
const LAST_MINUTE = 23 * 60 + 59;

/** Today's WIB date and the minutes since WIB midnight. */
function wibNow() {
  const d = new Date(Date.now() + WIB_OFFSET_MS);
  return { date: d.toISOString().slice(0, 10), minutes: d.getUTCHours() * 60 + d.getUTCMinutes() };
}

const hhmm = (m) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

/** A jam praktek of at most 240 minutes that began up to an hour ago: one 240-minute slot, open now. */
function jamAroundNow() {
  const { minutes } = wibNow();
  const start = Math.max(0, Math.floor((minutes - 60) / 5) * 5);
  const end = Math.min(LAST_MINUTE, start + 240);
  return `${hhmm(start)}-${hhmm(end)}`;
}

/** Near midnight WIB: registers one skipped test (a suite-level skip would hide that anything was skipped). */
function skipNearMidnight() {
  if (wibNow().minutes <= LAST_MINUTE - 20) return false;
  it("runs outside the 20 minutes before midnight WIB", { skip: "today's sessions would end under the test" }, () => {});
  return true;
}

/** The one row of a query as an object (sqlite3 -json). */
function row(app, query) {
  const out = execFileSync("sqlite3", ["-batch", "-json", app.db, query], { encoding: "utf8" }).trim();
  const rows = out === "" ? [] : JSON.parse(out);
  assert.equal(rows.length, 1, `one row from ${query}: ${out}`);
  return rows[0];
}

function tokenByCode(app, code, sessionId) {
  return row(app, `select token_id, slot_id, status, source, norm, name from opd_tokens where code='${code}' and session_id=${sessionId}`);
}

async function openAntrean(b) {
  await b.keys(["Alt", "1"]);
  await waitForText(b, "#screen-title", "Antrean");
  await b.waitUntil(async () => (await byTestId(b, "nav-antrean").getAttribute("aria-current")) === "page", {
    timeout: 5_000,
    timeoutMsg: "Alt+1 did not make Antrean the current screen",
  });
}

/** Clicks the session in the top bar and waits until its slots show. */
async function showSession(b, sessionId, slotId) {
  const item = byTestId(b, `session-item-${sessionId}`);
  await item.waitForDisplayed({ timeoutMsg: `session-item-${sessionId} never showed` });
  await item.click();
  await b.waitUntil(async () => (await item.getAttribute("aria-pressed")) === "true", {
    timeout: 5_000,
    timeoutMsg: `session ${sessionId} never became the shown one`,
  });
  await byTestId(b, `slot-${slotId}`).waitForDisplayed({ timeoutMsg: `slot-${slotId} never showed` });
  await b.waitUntil(async () => await byTestId(b, "new-token").isEnabled(), { timeout: 5_000, timeoutMsg: "new-token stays disabled" });
}

/** Takes the focus out of any text field, so that the screen's letter shortcuts apply. */
async function focusNeutral(b, sessionId) {
  await byTestId(b, `session-item-${sessionId}`).click();
}

/** Opens the token form with a key (N or D) and waits for it. */
async function openTokenForm(b, key) {
  await b.keys(key);
  await byTestId(b, "token-form").waitForDisplayed({ timeoutMsg: `pressing ${key} did not open the token form` });
}

async function waitGone(b, testid, what) {
  await byTestId(b, testid).waitForExist({ reverse: true, timeout: 10_000, timeoutMsg: `${testid} still there: ${what}` });
}

/** The texts of the event log's lines, newest first. */
async function eventLines(b) {
  return b.execute(
    (s) => [...document.querySelectorAll(s)].map((n) => n.innerText.replace(/\s+/g, " ").trim()),
    tid("event-line"),
  );
}

async function waitForEventLine(b, re) {
  return pollUntil(async () => (await eventLines(b)).find((l) => re.test(l)), {
    timeout: 10_000,
    message: `an event-line matching ${re}`,
  }).catch(async (e) => {
    throw new Error(`${e.message}; lines: ${JSON.stringify(await eventLines(b))}`);
  });
}

/** Names of the action buttons a token row offers (call, complete, no_show, cancel, reprint). */
async function actionsOf(b, tokenId) {
  return b.execute(
    (sel) => [...document.querySelectorAll(`${sel} button[data-testid^="action-"]`)].map((n) => n.dataset.testid.replace(/^action-|-\d+$/g, "")),
    tid(`token-${tokenId}`),
  );
}

// ---------------------------------------------------------------------------------------------

describe("antrean: walk-in, panggil, selesai, batal, karcis", () => {
  if (skipNearMidnight()) return;
  const jam = jamAroundNow();
  const app = useApp("antrean", {
    prepare: ({ dir, cli }) => {
      const printer = join(dir, "printer.bin");
      cli("settings", "set", "polis", "ANA=Anak");
      cli("settings", "set", "printer_device", printer);
      const { date } = wibNow();
      const opened = cli(
        ...["opd", "session", "add", "--doctor", "D001", "--doctor-name", "dr. Rina Kartika, Sp.A", "--poli", "ANA"],
        ...["--date", date, "--jam", jam, "--capacity", "6", "--slot-minutes", "240"],
      );
      assert.equal(opened.slots.length, 1, `one slot for ${jam}: ${JSON.stringify(opened.slots)}`);
      return { printer, sessionId: opened.session_id, slotId: opened.slots[0].slot_id };
    },
  });
  let first; // ANA-001: { token_id, … }

  it("N issues a walk-in from the session made by the CLI: ANA-001, confirmed, logged", async () => {
    const b = app.browser;
    const { sessionId, slotId } = app.prepared;
    await openAntrean(b);
    await waitForText(b, tid(`session-item-${sessionId}`), "dr. Rina Kartika, Sp.A");
    await waitForText(b, tid(`session-item-${sessionId}`), `Anak (ANA) · ${jam}`);
    await showSession(b, sessionId, slotId);
    await waitForText(b, tid(`slot-${slotId}`), "0/6 terisi");
    await app.screenshot("antrean--01-session-shown");

    await openTokenForm(b, "n");
    assert.equal(await b.$("#token-source").getValue(), "walk_in", "N opens the form for a walk-in");
    await replaceValue(byTestId(b, "token-norm"), "001234");
    await replaceValue(byTestId(b, "token-name"), "Budi Santoso");
    await app.screenshot("antrean--02-walk-in-form-filled");
    await b.keys("Enter"); // from the name field
    await waitGone(b, "token-form", "Enter did not submit the walk-in form");

    await waitForText(b, tid("token-result-code"), "ANA-001");
    await waitForText(b, tid("token-result-status"), "Terkonfirmasi");
    await waitForText(b, tid("token-result-position"), "nomor urut #1");

    first = tokenByCode(app, "ANA-001", sessionId);
    assert.equal(first.status, "confirmed");
    assert.equal(first.source, "walk_in");
    assert.equal(first.slot_id, slotId);
    assert.equal(first.norm, "001234");
    assert.equal(first.name, "Budi Santoso");

    await waitForText(b, tid(`token-status-${first.token_id}`), "Terkonfirmasi");
    await waitForText(b, tid(`token-${first.token_id}`), "RM 001234 · Budi Santoso");
    await waitForText(b, tid(`slot-${slotId}`), "1/6 terisi");
    await waitForText(b, tid(`session-item-${sessionId}`), "1/6");
    await waitForEventLine(b, /ANA-001 diminta \(Datang langsung, JKN\)/);
    await waitForEventLine(b, /ANA-001 dikonfirmasi di slot/);
    await app.screenshot("antrean--03-walk-in-issued");
  });

  it("Cetak karcis and Cetak ulang send ESC/POS to the printer file", async () => {
    assert.ok(first, "needs the walk-in of the first test");
    const b = app.browser;
    const { printer } = app.prepared;
    await byTestId(b, "print-ticket").click();
    await waitForText(b, tid("notice"), `Karcis ANA-001 dikirim ke printer ${printer}`);
    let bytes = readFileSync(printer);
    assert.deepEqual([...bytes.subarray(0, 2)], [0x1b, 0x40], "the ticket starts with ESC @ (initialise)");
    const text = bytes.toString("latin1");
    assert.ok(text.includes("ANA-001"), `the ticket has the code: ${JSON.stringify(text)}`);
    assert.ok(text.includes("ANA Anak"), "the ticket has the poli and its name");
    assert.ok(text.includes("dr. Rina Kartika, Sp.A"), "the ticket has the doctor");
    assert.ok(text.endsWith("\x1dV\x42\x00"), "the ticket ends with a paper cut (GS V 66 0)");
    const once = bytes.length;
    await app.screenshot("antrean--04-ticket-printed");

    // Cetak ulang from the token row appends a second, identical ticket.
    await byTestId(b, `action-reprint-${first.token_id}`).click();
    bytes = await pollUntil(() => {
      const now = readFileSync(printer);
      return now.length > once && now;
    }, { timeout: 10_000, message: "the reprinted ticket in the printer file" });
    assert.equal(bytes.length, 2 * once, "the reprint is as long as the first ticket");
    assert.deepEqual([...bytes.subarray(once, once + 2)], [0x1b, 0x40], "the reprint starts with ESC @ too");
    assert.equal(bytes.subarray(once).toString("latin1"), bytes.subarray(0, once).toString("latin1"));
    await waitForText(b, tid("notice"), "Karcis ANA-001 dikirim ke printer");
  });

  it("Panggil then Selesai: Dilayani, then Selesai, in the window and in SQLite", async () => {
    assert.ok(first, "needs the walk-in of the first test");
    const b = app.browser;
    const { sessionId } = app.prepared;
    const id = first.token_id;
    assert.deepEqual(await actionsOf(b, id), ["reprint", "call", "no_show", "cancel"]);

    await byTestId(b, `action-call-${id}`).click();
    await waitForText(b, tid(`token-status-${id}`), "Dilayani");
    await waitForText(b, tid("notice"), "ANA-001 dipanggil.");
    assert.equal(tokenByCode(app, "ANA-001", sessionId).status, "in_progress");
    await waitForEventLine(b, /ANA-001 dipanggil/);
    await b.waitUntil(async () => JSON.stringify(await actionsOf(b, id)) === JSON.stringify(["reprint", "complete"]), {
      timeout: 5_000,
      timeoutMsg: `a token being served offers only Selesai: ${JSON.stringify(await actionsOf(b, id))}`,
    });
    await app.screenshot("antrean--05-called");

    await byTestId(b, `action-complete-${id}`).click();
    await waitForText(b, tid(`token-status-${id}`), "Selesai");
    await waitForText(b, tid("notice"), "ANA-001 selesai dilayani.");
    assert.equal(tokenByCode(app, "ANA-001", sessionId).status, "completed");
    await waitForEventLine(b, /ANA-001 selesai dilayani/);
    assert.deepEqual(await actionsOf(b, id), ["reprint"], "a finished token offers no state change");
    await app.screenshot("antrean--06-completed");
  });

  it("a second walk-in is cancelled through the confirmation dialog; replay --check is ok", async () => {
    const b = app.browser;
    const { sessionId, slotId } = app.prepared;
    await focusNeutral(b, sessionId);
    await openTokenForm(b, "n");
    await replaceValue(byTestId(b, "token-name"), "Sri Wahyuni");
    await byTestId(b, "token-jenis-non_jkn").click();
    await byTestId(b, "token-submit").click();
    await waitGone(b, "token-form", "token-submit did not issue the second token");
    await waitForText(b, tid("token-result-code"), "ANA-002");
    const second = tokenByCode(app, "ANA-002", sessionId);
    assert.equal(second.status, "confirmed");
    await waitForText(b, tid(`token-status-${second.token_id}`), "Terkonfirmasi");
    await waitForEventLine(b, /ANA-002 diminta \(Datang langsung, Non-JKN\)/);

    // Kembali closes the dialog and changes nothing.
    await byTestId(b, `action-cancel-${second.token_id}`).click();
    await byTestId(b, "confirm-dialog").waitForDisplayed({ timeoutMsg: "Batal did not ask first" });
    await waitForText(b, tid("confirm-dialog"), "Batalkan antrean ANA-002?");
    await byTestId(b, "confirm-no").click();
    await waitGone(b, "confirm-dialog", "Kembali did not close the dialog");
    assert.equal(tokenByCode(app, "ANA-002", sessionId).status, "confirmed");

    await byTestId(b, `action-cancel-${second.token_id}`).click();
    await byTestId(b, "confirm-dialog").waitForDisplayed({ timeoutMsg: "Batal did not ask first" });
    await replaceValue(byTestId(b, "confirm-reason"), "pasien minta jadwal ulang");
    await app.screenshot("antrean--07-cancel-confirm");
    await byTestId(b, "confirm-yes").click();
    await waitGone(b, "confirm-dialog", "Ya, batalkan did not close the dialog");
    await waitForText(b, tid(`token-status-${second.token_id}`), "Batal");
    await waitForText(b, tid("notice"), "ANA-002 dibatalkan.");
    assert.equal(tokenByCode(app, "ANA-002", sessionId).status, "cancelled");
    assert.match(
      app.sql(`select payload from opd_events where session_id=${sessionId} and kind='cancelled'`),
      /pasien minta jadwal ulang/,
      "the reason is in the event log",
    );
    await waitForEventLine(b, /ANA-002 dibatalkan/);
    // ANA-001 (completed) still occupies the slot; ANA-002 no longer does.
    await waitForText(b, tid(`slot-${slotId}`), "1/6 terisi");
    await app.screenshot("antrean--08-cancelled");

    const replay = app.cli("opd", "replay", "--check");
    assert.equal(replay.ok, true, JSON.stringify(replay));
    assert.deepEqual(replay.mismatches, []);
    assert.equal(replay.tokens, 2);
    const shown = app.cli("opd", "session", "show", String(sessionId));
    assert.deepEqual(
      shown.slots.flatMap((s) => s.tokens.map((t) => `${t.code}:${t.status}`)).sort(),
      ["ANA-001:completed", "ANA-002:cancelled"],
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe("antrean: Buka sesi, gawat darurat, penolakan", () => {
  if (skipNearMidnight()) return;
  const app = useApp("antrean-ui", {
    prepare: ({ cli }) => {
      cli("settings", "set", "polis", "ANA=Anak");
    },
  });
  const session = {}; // { sessionId, slotId }
  const tokens = {}; // code → token_id

  it("Buka sesi opens a session from the form (a refused jam first)", async () => {
    const b = app.browser;
    await openAntrean(b);
    await waitForText(b, tid("sessions-empty"), "Tidak ada sesi praktik");
    assert.equal(await byTestId(b, "new-token").isEnabled(), false, "no session: no new token");

    await byTestId(b, "open-session-form").click();
    await byTestId(b, "session-form").waitForDisplayed({ timeoutMsg: "Buka sesi did not open the form" });
    await replaceValue(b.$("#session-doctor_code"), "D002");
    await replaceValue(b.$("#session-doctor_name"), "dr. Sari Dewi, Sp.A");
    await replaceValue(b.$("#session-poli_code"), "ana");
    await replaceValue(b.$("#session-jam"), "12:00-08:00");
    await replaceValue(b.$("#session-capacity"), "1");
    await replaceValue(b.$("#session-slot_minutes"), "240");
    await byTestId(b, "session-submit").click();
    const refusal = await waitForText(b, tid("session-form-error"), /\S/);
    assert.match(refusal, /jam/i, `the refusal is about the jam: ${refusal}`);
    await app.screenshot("antrean-ui--01-session-form-refused");
    assert.equal(app.sql("select count(*) from opd_sessions"), "0", "a refused form opens nothing");

    const jam = jamAroundNow();
    await replaceValue(b.$("#session-jam"), jam);
    await app.screenshot("antrean-ui--02-session-form-filled");
    await byTestId(b, "session-submit").click();
    await waitGone(b, "session-form", "Buka sesi did not close after opening the session");
    await waitForText(b, tid("notice"), "Sesi dibuka dengan 1 slot.");

    const s = row(app, "select session_id, doctor_code, doctor_name, poli_code, date, jam, capacity, slot_minutes from opd_sessions");
    assert.deepEqual(
      { ...s, session_id: undefined },
      {
        session_id: undefined,
        doctor_code: "D002",
        doctor_name: "dr. Sari Dewi, Sp.A",
        poli_code: "ANA",
        date: wibNow().date,
        jam,
        capacity: 1,
        slot_minutes: 240,
      },
    );
    const slot = row(app, `select slot_id, capacity from opd_slots where session_id=${s.session_id}`);
    assert.equal(slot.capacity, 1);
    Object.assign(session, { sessionId: s.session_id, slotId: slot.slot_id });

    const item = byTestId(b, `session-item-${s.session_id}`);
    await waitForText(b, tid(`session-item-${s.session_id}`), `Anak (ANA) · ${jam}`);
    assert.equal(await item.getAttribute("aria-pressed"), "true", "the new session is the shown one");
    await waitForText(b, tid(`slot-${slot.slot_id}`), "0/1 terisi");
    await waitForEventLine(b, new RegExp(`Sesi ${jam} dibuka: 1 slot, kapasitas 1`));
    await app.screenshot("antrean-ui--03-session-opened");
  });

  it("D twice in a full session: the second emergency is unplaced, alerted and notified", async () => {
    assert.ok(session.sessionId, "needs the session of the previous test");
    const b = app.browser;
    const { sessionId, slotId } = session;
    const seen = notifications().length;

    await focusNeutral(b, sessionId);
    await openTokenForm(b, "d");
    assert.equal(await b.$("#token-source").getValue(), "emergency", "D opens the form for an emergency");
    await waitForText(b, tid("token-form"), "Gawat darurat didahulukan");
    await byTestId(b, "token-submit").click();
    await waitGone(b, "token-form", "the first emergency was not issued");
    await waitForText(b, tid("token-result-code"), "ANA-001");
    await waitForText(b, tid("token-result-status"), "Terkonfirmasi");
    assert.equal(await byTestId(b, "emergency-alert").isExisting(), false, "a placed emergency raises no alert");
    tokens["ANA-001"] = tokenByCode(app, "ANA-001", sessionId).token_id;
    await waitForText(b, tid(`slot-${slotId}`), "1/1 terisi");

    await focusNeutral(b, sessionId);
    await openTokenForm(b, "d");
    await replaceValue(byTestId(b, "token-name"), "Pasien Tanpa Nama");
    await b.keys("Enter");
    await waitGone(b, "token-form", "the second emergency was not issued");
    await waitForText(b, tid("token-result-code"), "ANA-002");
    await waitForText(b, tid("token-result-status"), "Daftar tunggu");
    await waitForText(b, tid("token-result-position"), "daftar tunggu #1");

    const alert = await waitForText(b, tid("emergency-alert"), "Pasien gawat darurat belum mendapat tempat");
    assert.match(alert, /ANA-002 masuk daftar tunggu slot \d\d:\d\d–\d\d:\d\d/);
    assert.ok(await byTestId(b, "emergency-alert").isDisplayed(), "the alert is visible");
    await app.screenshot("antrean-ui--04-emergency-unplaced");

    const second = tokenByCode(app, "ANA-002", sessionId);
    assert.equal(second.status, "waitlisted");
    assert.equal(second.source, "emergency");
    tokens["ANA-002"] = second.token_id;
    assert.equal(tokenByCode(app, "ANA-001", sessionId).status, "confirmed", "an emergency does not displace an emergency");
    assert.equal(app.sql(`select count(*) from opd_events where session_id=${sessionId} and kind='emergency_unplaced'`), "1");
    await waitForText(b, tid(`token-status-${second.token_id}`), "Daftar tunggu");
    await waitForEventLine(b, /PERINGATAN: gawat darurat ANA-002 tidak mendapat tempat/);

    const calls = await pollUntil(
      () => {
        const fresh = notifications().slice(seen).filter((n) => n.member === "Notify");
        return fresh.length > 0 && fresh;
      },
      { timeout: 10_000, message: "a Notify call for the unplaced emergency" },
    );
    assert.equal(calls.length, 1, `exactly one Notify call (none for the placed emergency): ${JSON.stringify(calls)}`);
    assert.match(calls[0].summary, /Gawat darurat/);
    assert.equal(calls[0].summary, "Loket: Gawat darurat belum mendapat tempat");
    assert.match(calls[0].body, /ANA-002/);
  });

  it("refusals: a waitlisted token offers no Panggil; a stale Panggil is refused in the error banner", async () => {
    assert.ok(tokens["ANA-002"], "needs the tokens of the previous test");
    const b = app.browser;
    const { sessionId } = session;
    const [placed, waiting] = [tokens["ANA-001"], tokens["ANA-002"]];

    // Not offered: the window only shows what the status allows.
    assert.deepEqual(await actionsOf(b, waiting), ["reprint", "cancel"], "a waitlisted token can only be cancelled");
    assert.equal(await byTestId(b, `action-call-${waiting}`).isExisting(), false, "no Panggil on a waitlisted token");
    assert.equal(await byTestId(b, `action-complete-${waiting}`).isExisting(), false);
    assert.deepEqual(await actionsOf(b, placed), ["reprint", "call", "no_show", "cancel"]);

    // Refused by the backend: another desk (the CLI) cancels ANA-001 behind the window's back; the
    // window still offers Panggil (the CLI does not reach the window's queue-changed event) and
    // the backend refuses it.
    const cancelled = app.cli("opd", "token", "cancel", String(placed), "--reason", "dibatalkan dari loket lain");
    assert.equal(cancelled.status, "cancelled", JSON.stringify(cancelled));
    assert.equal(tokenByCode(app, "ANA-002", sessionId).status, "confirmed", "the freed place goes to the waiting emergency");
    const call = byTestId(b, `action-call-${placed}`);
    assert.ok(await call.isExisting(), "the stale view still offers Panggil");
    await call.click();
    const banner = await waitForText(b, tid("error-banner"), /berstatus/);
    assert.match(banner, /^Antrean ANA-001 berstatus batal; hanya antrean terkonfirmasi yang bisa dipanggil\./);
    assert.equal(await byTestId(b, "print-dialog-fallback").isExisting(), false, "no print fallback for a refused action");
    assert.equal(tokenByCode(app, "ANA-001", sessionId).status, "cancelled", "the refusal changed nothing");
    // After the refusal the screen reloads: what the other desk did shows.
    await waitForText(b, tid(`token-status-${placed}`), "Batal");
    await waitForText(b, tid(`token-status-${waiting}`), "Terkonfirmasi");
    await waitForEventLine(b, /ANA-002 naik dari daftar tunggu/);
    await app.screenshot("antrean-ui--05-stale-action-refused");

    // Esc clears the banner.
    await focusNeutral(b, sessionId);
    await b.keys("Escape");
    await waitGone(b, "error-banner", "Esc did not clear the error banner");

    const replay = app.cli("opd", "replay", "--check");
    assert.equal(replay.ok, true, JSON.stringify(replay));
  });

  it("raising the slot's capacity, as the alert advises, places the waiting emergency", async () => {
    assert.ok(tokens["ANA-002"], "needs the tokens of the previous tests");
    const b = app.browser;
    const { sessionId, slotId } = session;
    // The slot is full again (ANA-002 took ANA-001's place): a third emergency waits.
    await focusNeutral(b, sessionId);
    await openTokenForm(b, "d");
    await byTestId(b, "token-submit").click();
    await waitGone(b, "token-form", "the third emergency was not issued");
    await waitForText(b, tid("token-result-code"), "ANA-003");
    await waitForText(b, tid("emergency-alert"), "ANA-003 masuk daftar tunggu");
    const third = tokenByCode(app, "ANA-003", sessionId);
    assert.equal(third.status, "waitlisted");
    tokens["ANA-003"] = third.token_id;

    await replaceValue(byTestId(b, `slot-capacity-${slotId}`), "2");
    await byTestId(b, `slot-capacity-save-${slotId}`).click();
    await waitForText(b, tid(`slot-capacity-msg-${slotId}`), "Kapasitas disimpan");
    assert.equal(row(app, `select capacity from opd_slots where slot_id=${slotId}`).capacity, 2);
    assert.equal(tokenByCode(app, "ANA-003", sessionId).status, "confirmed");
    await waitForText(b, tid(`token-status-${third.token_id}`), "Terkonfirmasi");
    await waitForText(b, tid(`slot-${slotId}`), "2/2 terisi · 0 menunggu");
    await waitForEventLine(b, /ANA-003 naik dari daftar tunggu/);
    await waitForEventLine(b, /Kapasitas slot .* diubah 1 → 2/);
    await app.screenshot("antrean-ui--06-capacity-raised");
  });

  // The alert follows the reloaded queue: once the emergency is confirmed it is gone.
  it("the emergency alert goes away once the emergency has a place", async () => {
    assert.ok(tokens["ANA-003"], "needs the tokens of the previous tests");
    const b = app.browser;
    await waitForText(b, tid(`token-status-${tokens["ANA-003"]}`), "Terkonfirmasi");
    await byTestId(b, "emergency-alert").waitForExist({
      reverse: true,
      timeout: 3_000,
      timeoutMsg: `emergency-alert still says ${JSON.stringify(await textOf(b, tid("emergency-alert")))} while ANA-003 is confirmed`,
    });
  });

  it("Cetak karcis without a printer is refused with the print-dialog fallback", async () => {
    assert.ok(tokens["ANA-002"], "needs the tokens of the previous tests");
    const b = app.browser;
    const { sessionId } = session;
    // No printer_device in this database.
    await focusNeutral(b, sessionId);
    await byTestId(b, `action-reprint-${tokens["ANA-002"]}`).click();
    await waitForText(b, tid("error-banner"), "Printer karcis belum diatur");
    await byTestId(b, "print-dialog-fallback").waitForDisplayed({ timeoutMsg: "no Cetak lewat dialog after a failed print" });
    await app.screenshot("antrean-ui--07-print-refused");
    assert.equal(await textOf(b, tid(`token-status-${tokens["ANA-002"]}`)), "Terkonfirmasi");
  });
});
