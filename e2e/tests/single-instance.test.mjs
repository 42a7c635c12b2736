// One window per database: while a window holds a database, a second launch on it says so in
// Bahasa Indonesia and exits with code 3, without touching the first window.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LOKET_APP, runToEnd, tid, useApp, waitForText } from "../lib/app.mjs";

describe("satu jendela per database", () => {
  const app = useApp("single-instance");

  async function assertRefused(result) {
    assert.equal(result.timedOut, false, `the second instance did not exit (it ran ${result.ms} ms); stderr:\n${result.stderr}`);
    assert.equal(result.code, 3, `exit code ${result.code} (signal ${result.signal}); stderr:\n${result.stderr}`);
    assert.ok(
      result.stderr.includes(`Loket sudah berjalan untuk database ${app.db}`),
      `stderr does not say "Loket sudah berjalan untuk database ${app.db}":\n${result.stderr}`,
    );
    // The first window is still there and still answers.
    await waitForText(app.browser, tid("status-version"), /Loket v/);
  }

  it("a second launch with --db on the same database exits with code 3", async () => {
    const result = await runToEnd(LOKET_APP, ["--db", app.db], { timeout: 20_000 });
    await assertRefused(result);
  });

  it("a second launch with LOKET_DB on the same database exits with code 3", async () => {
    const result = await runToEnd(LOKET_APP, [], { env: { LOKET_DB: app.db }, timeout: 20_000 });
    await assertRefused(result);
  });
});
