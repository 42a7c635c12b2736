// Demo mode in the real window (`--demo`): both simulators run inside the app on 127.0.0.1 and a
// separate demo database is filled from them. The status bar says MODE DEMO, Kuota shows the HFIS
// shifts, Sinkronisasi shows the BPJS outbox at work, and when the last JKN place of a shift is
// taken at the desk a "Kuota penuh" notification reaches the session bus (and a banner shows).
//
// The shift used is tomorrow's (WIB), so its slots are open whatever the time of day.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { byTestId, cli, notifications, pollUntil, textOf, tid, useApp, waitForText } from "../lib/app.mjs";

const WIB_OFFSET_MS = 7 * 3600 * 1000;
const tomorrowWib = () => new Date(Date.now() + WIB_OFFSET_MS + 24 * 3600 * 1000).toISOString().slice(0, 10);

function rows(db, query) {
  const out = execFileSync("sqlite3", ["-batch", "-json", db, query], { encoding: "utf8" }).trim();
  return out === "" ? [] : JSON.parse(out);
}

describe("mode demo", () => {
  const app = useApp("demo", { args: ["--demo"] });
  const demoDb = () => join(app.dir, "loket-demo.db");

  it("shows MODE DEMO, the HFIS shifts and the outbox at work", async () => {
    const b = app.browser;
    await waitForText(b, tid("status-demo"), "MODE DEMO");
    assert.ok(existsSync(demoDb()), "the demo has its own database file");
    assert.equal(rows(app.db, "select count(*) as n from opd_sessions")[0]?.n ?? 0, 0, "the hospital's database stays empty");

    await b.keys(["Alt", "2"]);
    await waitForText(b, "#screen-title", "Kuota");
    const shifts = rows(demoDb(), "select count(*) as n from schedule_snapshots")[0].n;
    assert.ok(shifts >= 6, `${shifts} shifts in the demo snapshot`);

    await b.keys(["Alt", "5"]);
    await waitForText(b, "#screen-title", "Sinkronisasi");
    // The worker sends the demo's outbox in the background, a few items a second.
    await pollUntil(() => rows(demoDb(), "select count(*) as n from outbox_items where state = 'sent'")[0].n > 0, {
      timeout: 30_000,
      message: "the demo's outbox sends items to the BPJS simulator",
    });
    await b.waitUntil(async () => /[1-9][0-9]*\s*Terkirim/.test(await textOf(b, tid("outbox-tile-sent"))), {
      timeout: 20_000,
      timeoutMsg: "the Terkirim tile never counted a sent item",
    });
  });

  it("notifies on D-Bus when the last JKN place of a shift is taken", async () => {
    const b = app.browser;
    const date = tomorrowWib();
    const [shift] = rows(
      demoDb(),
      `select s.session_id, s.kapasitas,
              (select count(*) from opd_tokens t where t.session_id = s.session_id and t.jenis = 'jkn' and t.status <> 'cancelled') as used
         from schedule_snapshots s
        where s.date = '${date}' and s.libur = 0 and s.session_id is not null and s.kapasitas between 3 and 60
        order by s.kapasitas - used limit 1`,
    );
    assert.ok(shift, `an open shift on ${date}`);
    // All but one JKN place, taken by another desk (the CLI on the same database).
    for (let i = shift.used; i < shift.kapasitas - 1; i++) {
      cli(demoDb(), "opd", "token", "request", "--session", String(shift.session_id), "--source", "walk_in", "--jenis", "jkn");
    }
    const seen = notifications().length;

    await b.keys(["Alt", "1"]);
    await waitForText(b, "#screen-title", "Antrean");
    // Tomorrow: one step with "Hari berikutnya" (the date field's own typing is locale-bound).
    await b.$('button[aria-label="Hari berikutnya"]').click();
    const item = byTestId(b, `session-item-${shift.session_id}`);
    await item.waitForDisplayed({ timeoutMsg: `session ${shift.session_id} never showed on ${date}` });
    await item.click();
    await b.waitUntil(async () => await byTestId(b, "new-token").isEnabled(), { timeout: 5_000, timeoutMsg: "new-token disabled" });
    await byTestId(b, "new-token").click();
    await byTestId(b, "token-form").waitForDisplayed({ timeoutMsg: "the token form never opened" });
    await byTestId(b, "token-submit").click();
    await byTestId(b, "token-result").waitForDisplayed({ timeoutMsg: "the last JKN token was not issued" });

    const calls = await pollUntil(
      () => {
        const fresh = notifications().slice(seen).filter((n) => n.member === "Notify" && /Kuota penuh/.test(n.summary));
        return fresh.length > 0 && fresh;
      },
      { timeout: 10_000, message: "a Kuota penuh Notify call on the session bus" },
    );
    assert.equal(calls.length, 1, `one notification for the transition: ${JSON.stringify(calls)}`);
    assert.match(calls[0].body, /Kuota JKN penuh/);
    assert.doesNotMatch(calls[0].body, /\d{13,16}/, "no card or NIK numbers in the notification");
    const banners = await textOf(b, tid("alerts"));
    assert.match(banners, /Kuota JKN penuh/);

    // The pool is full now: the next JKN request is refused with a clear message.
    let refusal = "";
    try {
      cli(demoDb(), "opd", "token", "request", "--session", String(shift.session_id), "--source", "walk_in", "--jenis", "jkn");
    } catch (e) {
      refusal = String(e.stdout) + String(e.stderr);
    }
    assert.match(refusal, /penuh/, `the next JKN request is refused: ${refusal}`);
  });
});
