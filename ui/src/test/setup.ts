// Runs before every test file: Testing Library unmounts after each test, and IPC mocks are cleared.
import "@testing-library/svelte/vitest";
import { cleanup } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, vi } from "vitest";

afterEach(() => {
  // Unmount first (after-hooks run in reverse order), so components unlisten while the IPC mock still exists.
  cleanup();
  clearMocks();
  vi.useRealTimers();
  // mockIPC leaves the bridge object behind; remove it so "outside Tauri" tests see a plain browser.
  delete (window as { __TAURI_INTERNALS__?: unknown }).__TAURI_INTERNALS__;
});
