import { render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import StatusBar from "./StatusBar.svelte";
import { makeStatus } from "../../test/backend";
import type { AppStatus } from "../ipc";

function renderBar(over: Partial<AppStatus> = {}, error: string | null = null) {
  return render(StatusBar, { status: makeStatus(over), error });
}

const text = (testId: string) => screen.getByTestId(testId).textContent?.replace(/\s+/g, " ").trim();

describe("StatusBar", () => {
  it("shows desk, clerk, BPJS online, last sync in WIB and version", () => {
    renderBar({ desk_id: "L02", clerk: "Budi", bpjs_online: true, last_sync_at: "2026-01-19T01:00:00Z", version: "1.2.3" });
    expect(text("status-desk")).toBe("ID loket: L02");
    expect(text("status-clerk")).toBe("Petugas: Budi");
    expect(text("status-bpjs")).toBe("BPJS: Daring");
    expect(text("status-sync")).toBe("Sinkron terakhir: 19/01/2026 08:00 WIB");
    expect(text("status-version")).toBe("Loket v1.2.3");
    expect(screen.queryByTestId("status-demo")).toBeNull();
  });

  it("says BPJS is offline when bpjs_online is false", () => {
    renderBar({ bpjs_online: false });
    expect(text("status-bpjs")).toBe("BPJS: Luring");
  });

  it("says BPJS is not configured when no credentials were saved", () => {
    renderBar({ bpjs_configured: false, bpjs_online: null });
    expect(text("status-bpjs")).toBe("BPJS belum dikonfigurasi");
  });

  it("says BPJS is configured but untested when credentials exist and no call was made", () => {
    renderBar({ bpjs_configured: true, bpjs_online: null });
    expect(text("status-bpjs")).toBe("BPJS terkonfigurasi");
    expect(text("status-bpjs")).not.toContain("belum");
  });

  it("shows the MODE DEMO badge only in demo mode", () => {
    renderBar({ demo_mode: true });
    expect(text("status-demo")).toBe("MODE DEMO");
  });

  it("says there was never a sync when last_sync_at is null", () => {
    renderBar({ last_sync_at: null });
    expect(text("status-sync")).toBe("Belum pernah sinkron");
  });

  it("says so when the clerk or desk id is empty", () => {
    renderBar({ clerk: "", desk_id: "" });
    expect(text("status-clerk")).toBe("Petugas belum diisi");
    expect(text("status-desk")).toBe("ID loket belum diisi");
  });

  it("flags a failed status load and keeps the last known values", () => {
    renderBar({ clerk: "Budi" }, "Tidak terhubung");
    expect(text("status-error")).toBe("⚠ Status tidak dapat dimuat");
    expect(screen.getByTestId("status-error").getAttribute("title")).toBe("Tidak terhubung");
    expect(text("status-clerk")).toBe("Petugas: Budi");
  });

  it("shows nothing invented before the first status arrives", () => {
    render(StatusBar, { status: null, error: null });
    expect(screen.getByText("Memuat status…")).toBeTruthy();
    expect(screen.queryByTestId("status-desk")).toBeNull();
  });
});
