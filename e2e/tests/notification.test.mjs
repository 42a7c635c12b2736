// The test notification reaches the desktop: a Notify call on the session bus, recorded by the
// fake org.freedesktop.Notifications server that run.sh starts before the app.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { byTestId, notifications, pollUntil, tid, useApp, waitForText } from "../lib/app.mjs";

describe("notifikasi", () => {
  const app = useApp("notification");

  it("Kirim notifikasi uji sends a Notify call on D-Bus", async () => {
    const b = app.browser;
    await byTestId(b, "nav-pengaturan").click();
    const button = byTestId(b, "test-notification");
    await button.waitForDisplayed({ timeoutMsg: "the test-notification button never showed" });
    const seen = notifications().length;

    await button.scrollIntoView();
    await button.click();
    await waitForText(b, tid("test-notification-result"), "Notifikasi uji dikirim");

    const calls = await pollUntil(
      () => {
        const fresh = notifications().slice(seen).filter((n) => n.member === "Notify");
        return fresh.length > 0 && fresh;
      },
      { timeout: 10_000, message: "a Notify call on the session bus" },
    );
    assert.equal(calls.length, 1, `exactly one Notify call: ${JSON.stringify(calls)}`);
    const [n] = calls;
    assert.match(n.summary, /Loket/, `summary ${JSON.stringify(n.summary)}`);
    assert.equal(n.summary, "Loket: notifikasi uji");
    assert.equal(n.body, "Notifikasi dari LOKET-1 berfungsi.");
  });
});
