// Runs before every test file: Testing Library unmounts after each test, and IPC mocks are cleared.
import "@testing-library/svelte/vitest";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach } from "vitest";

afterEach(() => {
  clearMocks();
  // mockIPC leaves the bridge object behind; remove it so "outside Tauri" tests see a plain browser.
  delete (window as { __TAURI_INTERNALS__?: unknown }).__TAURI_INTERNALS__;
});
