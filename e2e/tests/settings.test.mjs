// Pengaturan: each field saves on its own; the value lands in SQLite (read with sqlite3 and the
// `loket` CLI while the app holds the database) and in the header and status bar.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { byTestId, replaceValue, textOf, tid, useApp, waitForText } from "../lib/app.mjs";

/** The stored value of one setting ("" when the row does not exist yet: the default applies). */
function storedValue(app, key) {
  return app.sql(`select value from settings where key='${key}'`);
}

async function openPengaturan(b) {
  await byTestId(b, "nav-pengaturan").click();
  await waitForText(b, "#screen-title", "Pengaturan");
  await b.$("#setting-hospital_name").waitForDisplayed({ timeoutMsg: "the Pengaturan form never loaded" });
}

/** Types `value` into #setting-KEY and presses its Simpan button (or Enter). */
async function saveField(b, key, value, { withEnter = false } = {}) {
  const input = b.$(`#setting-${key}`);
  await replaceValue(input, value);
  if (withEnter) await b.keys("Enter");
  else await byTestId(b, `save-${key}`).click();
}

describe("Pengaturan", () => {
  const app = useApp("settings");

  it("saving hospital_name stores it and shows it in the header", async () => {
    const b = app.browser;
    await openPengaturan(b);
    const name = "RSUD Sehat Sentosa Uji E2E";
    assert.notEqual(await textOf(b, tid("hospital-name")), name);

    await saveField(b, "hospital_name", name);
    await waitForText(b, tid("msg-hospital_name"), "Tersimpan");

    assert.equal(storedValue(app, "hospital_name"), name);
    assert.deepEqual(app.cli("settings", "get", "hospital_name"), { key: "hospital_name", value: name });
    assert.equal(
      app.sql("select new_value from settings_changes where key='hospital_name' order by seq desc limit 1"),
      name,
      "the change is in the history",
    );
    await waitForText(b, tid("hospital-name"), name);
    assert.equal(await b.getTitle(), `Loket — ${name}`);
    assert.equal(await b.$("#setting-hospital_name").getValue(), name);
  });

  it("an invalid minutes_per_patient shows an Indonesian error and changes nothing", async () => {
    const b = app.browser;
    await openPengaturan(b);
    const before = storedValue(app, "minutes_per_patient");
    const changesBefore = app.sql("select count(*) from settings_changes");
    const cliBefore = app.cli("settings", "get", "minutes_per_patient").value;

    await saveField(b, "minutes_per_patient", "0");
    const msg = await waitForText(b, tid("msg-minutes_per_patient"), /harus/);
    assert.match(msg, /^Menit per pasien harus antara 1 dan 240\.$/);
    assert.equal(await b.$("#setting-minutes_per_patient").getAttribute("aria-invalid"), "true");
    await b.$("#setting-minutes_per_patient").scrollIntoView({ block: "center" });
    await app.screenshot("settings--invalid-minutes_per_patient-error-shown");

    assert.equal(storedValue(app, "minutes_per_patient"), before);
    assert.equal(app.sql("select count(*) from settings_changes"), changesBefore);
    assert.equal(app.cli("settings", "get", "minutes_per_patient").value, cliBefore);
    // The clerk's draft stays in the field so it can be corrected.
    assert.equal(await b.$("#setting-minutes_per_patient").getValue(), "0");

    // Correcting it clears the error.
    await saveField(b, "minutes_per_patient", "7");
    await waitForText(b, tid("msg-minutes_per_patient"), "Tersimpan");
    assert.equal(storedValue(app, "minutes_per_patient"), "7");
    assert.equal(await b.$("#setting-minutes_per_patient").getAttribute("aria-invalid"), "false");
  });

  it("changing the clerk updates the status bar", async () => {
    const b = app.browser;
    await openPengaturan(b);
    await waitForText(b, tid("status-clerk"), "Petugas belum diisi");

    await saveField(b, "clerk", "Siti Rahmawati");
    await waitForText(b, tid("msg-clerk"), "Tersimpan");
    await waitForText(b, tid("status-clerk"), "Petugas: Siti Rahmawati");
    assert.equal(storedValue(app, "clerk"), "Siti Rahmawati");

    // Changes made after this are attributed to the new clerk.
    await saveField(b, "kode_ppk", "0123r456");
    await waitForText(b, tid("msg-kode_ppk"), "Tersimpan");
    assert.equal(storedValue(app, "kode_ppk"), "0123R456", "kode_ppk is stored upper-case");
    assert.equal(await b.$("#setting-kode_ppk").getValue(), "0123R456", "the field shows the normalised value");
    assert.equal(app.sql("select clerk from settings_changes where key='kode_ppk' order by seq desc limit 1"), "Siti Rahmawati");
  });

  it("Enter saves a field: desk_id updates the status bar", async () => {
    const b = app.browser;
    await openPengaturan(b);
    await saveField(b, "desk_id", "L02", { withEnter: true });
    await waitForText(b, tid("msg-desk_id"), "Tersimpan");
    await waitForText(b, tid("status-desk"), "ID loket: L02");
    assert.equal(storedValue(app, "desk_id"), "L02");
  });
});
