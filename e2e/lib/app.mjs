// Shared helpers of the end-to-end tests: start the real Loket window on a fresh temporary
// database through tauri-driver, find elements by data-testid, read SQLite and the `loket` CLI,
// read what the fake notification server received, take screenshots.
//
// Run through `bash e2e/run.sh`, which starts Xvfb, a private D-Bus session, the fake
// notification server and tauri-driver, and passes their coordinates in LOKET_E2E_* variables.
//
// A spec file (e2e/tests/NAME.test.mjs) usually needs only:
//
//   import assert from "node:assert/strict";
//   import { describe, it } from "node:test";
//   import { byTestId, tid, useApp, waitForText } from "../lib/app.mjs";
//
//   describe("kuota", () => {
//     const app = useApp("kuota"); // one window + fresh db per describe; a screenshot after each test
//     it("opens with Alt+2", async () => {
//       await app.browser.keys(["Alt", "2"]);
//       await waitForText(app.browser, "#screen-title", "Kuota");
//       assert.equal(await byTestId(app.browser, "nav-kuota").getAttribute("aria-current"), "page");
//       // app.db is the database path; app.sql("select …") and app.cli("settings", "get", KEY) read it.
//     });
//   });

import { execFile, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { after, afterEach, before } from "node:test";
import { promisify } from "node:util";
import { remote } from "webdriverio";

const execFileP = promisify(execFile);

export const E2E_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const REPO_DIR = resolve(E2E_DIR, "..");

const env = process.env;
export const LOKET_APP = resolve(REPO_DIR, env.LOKET_APP || "target/debug/loket-desk");
export const LOKET_CLI = resolve(REPO_DIR, env.LOKET_CLI || "target/debug/loket");
export const OUT_DIR = resolve(env.LOKET_E2E_OUT || join(E2E_DIR, "out"));
export const SHOTS_DIR = join(OUT_DIR, "screenshots");
export const DRIVER_PORT = Number(env.LOKET_E2E_DRIVER_PORT || 4444);
export const NOTIFY_LOG = env.LOKET_E2E_NOTIFY_LOG || "";
const TMP_ROOT = env.LOKET_E2E_TMP || env.TMPDIR || "/tmp";

/** How long to wait for the window, the first IPC answer, or a UI change. */
export const UI_TIMEOUT_MS = Number(env.LOKET_E2E_UI_TIMEOUT_MS || 15_000);

// ---------------------------------------------------------------------------------------------
// Starting and stopping the app

/**
 * Starts Loket on a fresh database in its own temporary folder and waits until the UI has its
 * first answer from the backend (the status bar shows the version).
 * `prepare({ db, dir, cli })`, when given, runs first, before the window opens: e.g. settings
 * or sessions made with the `loket` CLI; what it returns is the app's `prepared` field.
 * Returns { browser, db, dir, prepared, cli(...args), sql(query), screenshot(name), close() }.
 */
export async function startApp({ label = "app", args = [], prepare = null } = {}) {
  if (!existsSync(LOKET_APP)) throw new Error(`LOKET_APP ${LOKET_APP} does not exist: build it first`);
  const dir = mkdtempSync(join(TMP_ROOT, `loket-e2e-${label}-`));
  const db = join(dir, "loket.db");
  const prepared = prepare ? await prepare({ db, dir, cli: (...cliArgs) => cli(db, ...cliArgs) }) : undefined;
  const browser = await remote({
    hostname: "127.0.0.1",
    port: DRIVER_PORT,
    path: "/",
    logLevel: env.LOKET_E2E_WDIO_LOG || "error",
    connectionRetryCount: 1,
    connectionRetryTimeout: 60_000,
    capabilities: {
      "tauri:options": { application: LOKET_APP, args: ["--db", db, ...args] },
      "wdio:enforceWebDriverClassic": true,
    },
  });
  const app = {
    browser,
    db,
    dir,
    prepared,
    cli: (...cliArgs) => cli(db, ...cliArgs),
    sql: (query) => sql(db, query),
    screenshot: (name) => screenshot(browser, name),
    close: async () => {
      await browser.deleteSession().catch(() => {});
    },
  };
  try {
    // The version comes from the backend: once it shows, the window is up and IPC works.
    await waitForText(browser, tid("status-version"), /Loket v/);
    // WebKitWebDriver's first screenshot of a session shows the window's first frame, however
    // long ago it was drawn (measured: every later one is current). Take it now and drop it.
    await browser.takeScreenshot();
  } catch (e) {
    await screenshot(browser, `${label}-startup-failed`).catch(() => {});
    await app.close();
    throw e;
  }
  return app;
}

/**
 * For a `describe` block: one app window for all its tests (started in `before`, closed in
 * `after`), and a screenshot `<label>--<test name>.png` after every test, passed or failed.
 * The returned object is filled in by `before`: read its fields inside tests only.
 */
export function useApp(label, options = {}) {
  const holder = {};
  before(async () => {
    Object.assign(holder, await startApp({ label, ...options }));
  });
  afterEach(async (t) => {
    if (holder.browser) await screenshot(holder.browser, `${label}--${t.name}`).catch(() => {});
  });
  after(async () => {
    if (holder.close) await holder.close();
  });
  return holder;
}

// ---------------------------------------------------------------------------------------------
// The window

/** The element with `data-testid="id"`. */
export function byTestId(browser, id) {
  return browser.$(tid(id));
}

/** The CSS selector of `data-testid="id"`. */
export function tid(id) {
  return `[data-testid="${id}"]`;
}

/**
 * The rendered text (innerText, whitespace collapsed) of the first element matching the CSS
 * `selector`, or null when there is none. Not WebDriver's getText(): WebKitWebDriver returns ""
 * for some visible elements whose only child is a text node (status-sync, status-version).
 */
export async function textOf(browser, selector) {
  const text = await browser.execute((s) => {
    const node = document.querySelector(s);
    return node ? node.innerText : null;
  }, selector);
  return text === null ? null : text.replace(/\s+/g, " ").trim();
}

/**
 * Waits until the text of `selector` matches `expected` (a string it must contain, or a RegExp)
 * and returns it; polls every 100 ms.
 */
export async function waitForText(browser, selector, expected, { timeout = UI_TIMEOUT_MS } = {}) {
  const matches = (text) => text !== null && (expected instanceof RegExp ? expected.test(text) : text.includes(expected));
  let last = null;
  const deadline = Date.now() + timeout;
  for (;;) {
    last = await textOf(browser, selector);
    if (matches(last)) return last;
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `${selector}: text never matched ${expected} within ${timeout} ms; last text: ${last === null ? "<not in the page>" : JSON.stringify(last)}`,
  );
}

/** Replaces an input's value the way a person would: select all, type. */
export async function replaceValue(input, value) {
  await input.click();
  await input.clearValue();
  await input.setValue(value);
}

/** Saves a PNG of the window into e2e/out/screenshots/ (WebDriver screenshot; `import -window root` if that fails). */
export async function screenshot(browser, name) {
  mkdirSync(SHOTS_DIR, { recursive: true });
  const file = join(SHOTS_DIR, `${slug(name)}.png`);
  try {
    await browser.saveScreenshot(file);
  } catch (e) {
    // X11's view of the screen: without a compositor it may lag behind what WebKit drew.
    console.error(`screenshot ${name}: WebDriver screenshot failed (${e.message.split("\n")[0]}); using import -window root`);
    await execFileP("import", ["-window", "root", file]);
  }
  return file;
}

/** Top-level X11 windows and their names, from `xwininfo -root -tree`. */
export async function x11Windows() {
  const { stdout } = await execFileP("xwininfo", ["-root", "-tree"]);
  const windows = [];
  for (const line of stdout.split("\n")) {
    const m = /^\s+(0x[0-9a-f]+) "(.*)": \((.*)\)\s+(\d+)x(\d+)/.exec(line);
    if (m) windows.push({ id: m[1], name: m[2], class: m[3], width: Number(m[4]), height: Number(m[5]) });
  }
  return windows;
}

// ---------------------------------------------------------------------------------------------
// The database, the CLI, processes

/** One SQL query through the sqlite3 shell; stdout trimmed. */
export function sql(db, query) {
  return execFileSync("sqlite3", ["-batch", db, query], { encoding: "utf8" }).trim();
}

/** `loket --db DB --json ARGS…`, parsed; throws with stderr when it fails. */
export function cli(db, ...args) {
  const out = execFileSync(LOKET_CLI, ["--db", db, "--json", ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return JSON.parse(out);
}

/**
 * Runs a program to its end (killed after `timeout` ms): { code, signal, stdout, stderr, timedOut, ms }.
 */
export function runToEnd(cmd, args, { env: extraEnv = {}, timeout = 20_000 } = {}) {
  return new Promise((resolvePromise, reject) => {
    const started = Date.now();
    const child = spawn(cmd, args, { env: { ...process.env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeout);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr, timedOut, ms: Date.now() - started });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Desktop notifications (the fake org.freedesktop.Notifications server started by run.sh)

/** Every call recorded so far by the fake notification server. */
export function notifications() {
  if (!NOTIFY_LOG) throw new Error("LOKET_E2E_NOTIFY_LOG is not set: run the suite through e2e/run.sh");
  if (!existsSync(NOTIFY_LOG)) return [];
  const lines = readFileSync(NOTIFY_LOG, "utf8").split("\n");
  lines.pop(); // "" after the last newline, or a line the server is still writing
  return lines.filter((l) => l.trim() !== "").map((l) => JSON.parse(l));
}

/** Polls `fn` every `interval` ms until it returns a truthy value (returned) or `timeout` ms pass (throws). */
export async function pollUntil(fn, { timeout = 10_000, interval = 100, message = "condition" } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeout} ms waiting for ${message}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

function slug(s) {
  return s
    .normalize("NFKD")
    .replace(/[^\w.-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 120);
}
