// The window itself: title, navigation, status bar, keyboard shortcuts.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { execFileSync } from "node:child_process";
import { byTestId, LOKET_CLI, pollUntil, tid, useApp, waitForText, x11Windows } from "../lib/app.mjs";

const NAV = [
  ["antrean", "Antrean", "1"],
  ["kuota", "Kuota", "2"],
  ["saldo", "Saldo", "3"],
  ["laporan", "Laporan", "4"],
  ["sinkronisasi", "Sinkronisasi", "5"],
  ["pengaturan", "Pengaturan", "6"],
];

describe("shell", () => {
  const app = useApp("shell");

  it("the native window is titled Loket", async () => {
    // The X11 title (WM_NAME) is what a person sees in the task bar; WebDriver's getTitle() is
    // document.title, which the UI sets separately.
    const loket = await pollUntil(async () => (await x11Windows()).find((w) => w.name === "Loket"), {
      timeout: 5_000,
      message: 'an X11 window named "Loket"',
    }).catch(async (e) => {
      const names = (await x11Windows()).map((w) => JSON.stringify(w.name)).join(", ");
      throw new Error(`${e.message}; windows: ${names}`);
    });
    assert.ok(loket.width >= 1024 && loket.height >= 640, `window is ${loket.width}x${loket.height}`);
    const docTitle = await app.browser.getTitle();
    assert.match(docTitle, /^Loket\b/, `document.title is ${JSON.stringify(docTitle)}`);
  });

  it("the navigation lists the six screens in order", async () => {
    const labels = [];
    for (const [id, label, key] of NAV) {
      const button = byTestId(app.browser, `nav-${id}`);
      assert.ok(await button.isDisplayed(), `nav-${id} is displayed`);
      const text = await button.getText();
      assert.ok(text.includes(label), `nav-${id} says ${JSON.stringify(text)}, expected ${label}`);
      assert.equal(await button.getAttribute("aria-keyshortcuts"), `Alt+${key}`);
      labels.push(label);
    }
    const order = await app.browser.$$("nav button").map((b) => b.getAttribute("data-testid"));
    assert.deepEqual(order, NAV.map(([id]) => `nav-${id}`));
    // The first screen is current at start.
    assert.equal(await byTestId(app.browser, "nav-antrean").getAttribute("aria-current"), "page");
  });

  it("the status bar shows desk, clerk, BPJS, sync and version", async () => {
    const b = app.browser;
    await waitForText(b, tid("status-desk"), "ID loket: LOKET-1");
    await waitForText(b, tid("status-clerk"), "Petugas belum diisi");
    await waitForText(b, tid("status-bpjs"), "BPJS belum dikonfigurasi");
    await waitForText(b, tid("status-sync"), "Belum pernah sinkron");
    // The same version as the binaries (the CLI prints "loket X.Y.Z").
    const cliVersion = execFileSync(LOKET_CLI, ["--version"], { encoding: "utf8" }).trim().split(/\s+/).pop();
    assert.match(cliVersion, /^\d+\.\d+\.\d+/);
    await waitForText(b, tid("status-version"), `Loket v${cliVersion}`);
    assert.equal(await byTestId(b, "status-error").isExisting(), false, "no status error");
    assert.equal(await byTestId(b, "ipc-banner").isExisting(), false, "no IPC banner");
  });

  it("Alt+1 … Alt+6 switch screens", async () => {
    const b = app.browser;
    for (const [id, label, key] of [...NAV].reverse()) {
      await b.keys(["Alt", key]);
      await b.waitUntil(async () => (await byTestId(b, `nav-${id}`).getAttribute("aria-current")) === "page", {
        timeout: 5_000,
        timeoutMsg: `Alt+${key} did not make ${id} the current screen`,
      });
      await waitForText(b, "#screen-title", label);
    }
  });

  it("clicking a nav button switches screens", async () => {
    const b = app.browser;
    await byTestId(b, "nav-laporan").click();
    await waitForText(b, "#screen-title", "Laporan");
    assert.equal(await byTestId(b, "nav-laporan").getAttribute("aria-current"), "page");
    assert.equal(await byTestId(b, "nav-antrean").getAttribute("aria-current"), null);
  });
});
