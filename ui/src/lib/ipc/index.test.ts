import { mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import { describe, expect, it, vi } from "vitest";
import { IPC_UNAVAILABLE_MESSAGE, IpcFailure, ipc } from "./index";
import { makeJob, makeSettings, makeStatus } from "../../test/backend";

describe("ipc seam", () => {
  it("unwraps an ok answer and passes the exact command and args", async () => {
    const seen: Array<[string, unknown]> = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      return cmd === "app_status" ? makeStatus({ clerk: "Budi" }) : makeSettings({ desk_id: "L07" });
    });

    await expect(ipc.appStatus()).resolves.toMatchObject({ clerk: "Budi" });
    await expect(ipc.setSetting("desk_id", "L07")).resolves.toMatchObject({ desk_id: "L07" });
    expect(seen).toEqual([
      ["app_status", {}],
      ["set_setting", { key: "desk_id", value: "L07" }],
    ]);
  });

  it("throws IpcFailure with the backend's code and message", async () => {
    mockIPC(() => Promise.reject({ code: "invalid_input", message: "ID loket wajib diisi." }));

    const err = await ipc.setSetting("desk_id", "").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IpcFailure);
    expect(err).toMatchObject({ code: "invalid_input", message: "ID loket wajib diisi." });
  });

  it("reports a missing Tauri bridge as ipc_unavailable", async () => {
    const err = await ipc.getSettings().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IpcFailure);
    expect(err).toMatchObject({ code: "ipc_unavailable", message: IPC_UNAVAILABLE_MESSAGE });
  });

  it("turns a thrown JS Error into ipc_unavailable with its detail", async () => {
    mockIPC(() => {
      throw new Error("jembatan putus");
    });
    const err = await ipc.appStatus().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "ipc_unavailable" });
    expect((err as Error).message).toContain("jembatan putus");
  });

  it("wraps an error answer of unknown shape as internal", async () => {
    mockIPC(() => Promise.reject("aduh"));
    await expect(ipc.sendTestNotification()).rejects.toMatchObject({ code: "internal" });
  });

  it("passes OPD arguments under the names Rust expects", async () => {
    const seen: Array<[string, unknown]> = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      return null;
    });
    await ipc.opdSessions("2026-01-19", null);
    await ipc.opdTokenAction(7, "no_show", null);
    await ipc.opdSetSlotCapacity(3, 5);
    await ipc.opdPrintTicket(7);
    expect(seen).toEqual([
      ["opd_sessions", { date: "2026-01-19", poli: null }],
      ["opd_token_action", { tokenId: 7, action: "no_show", reason: null }],
      ["opd_set_slot_capacity", { slotId: 3, capacity: 5 }],
      ["opd_print_ticket", { tokenId: 7 }],
    ]);
  });

  it("passes BPJS arguments under the names Rust expects", async () => {
    const seen: Array<[string, unknown]> = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      return null;
    });
    const input = { cons_id: "12345", secret: null, user_key: "k", env: "production" as const, base_url: "" };
    await ipc.bpjsCredentialsView();
    await ipc.bpjsSetCredentials(input);
    await ipc.bpjsTestConnection();
    await ipc.bpjsTestConnection("http://127.0.0.1:8080/antreanrs_dev");
    expect(seen).toEqual([
      ["bpjs_credentials_view", {}],
      ["bpjs_set_credentials", { input }],
      ["bpjs_test_connection", { urlOverride: null }],
      ["bpjs_test_connection", { urlOverride: "http://127.0.0.1:8080/antreanrs_dev" }],
    ]);
  });

  it("passes Saldo arguments under the names Rust expects", async () => {
    const seen: Array<[string, unknown]> = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      return cmd === "balance_search" || cmd === "balance_unpriced" ? [] : null;
    });
    await ipc.balanceSearch("budi");
    await ipc.balanceShow("00-12-34", null);
    await ipc.balanceShow("00-12-34", "2024-03");
    await ipc.balanceTransactions("00-12-34", "2024-01");
    await expect(ipc.balanceCurrent("00-12-34")).resolves.toBeNull();
    await ipc.balanceUnpriced();
    expect(seen).toEqual([
      ["balance_search", { query: "budi" }],
      ["balance_show", { noRm: "00-12-34", month: null }],
      ["balance_show", { noRm: "00-12-34", month: "2024-03" }],
      ["balance_transactions", { noRm: "00-12-34", month: "2024-01" }],
      ["balance_current", { noRm: "00-12-34" }],
      ["balance_unpriced", {}],
    ]);
  });

  it("passes outbox and alert arguments under the names Rust expects", async () => {
    const seen: Array<[string, unknown]> = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      return cmd === "opd_token_details" ? { sent_to_bpjs: true, missing: ["Nomor HP"] } : null;
    });
    const details = {
      nomorkartu: "0001234567890",
      nik: null,
      nohp: null,
      jeniskunjungan: 1,
      nomorreferensi: null,
      pasien_baru: true,
      norm: null,
    };
    await ipc.outboxStatus(200);
    await ipc.outboxRetry(4);
    await ipc.outboxRunNow();
    await expect(ipc.opdTokenDetails(7, details)).resolves.toEqual({ sent_to_bpjs: true, missing: ["Nomor HP"] });
    await ipc.opdTokenPatient(7);
    await ipc.alertsOpen();
    await ipc.alertDismiss(3);
    expect(seen).toEqual([
      ["outbox_status", { limit: 200 }],
      ["outbox_retry", { id: 4 }],
      ["outbox_run_now", {}],
      ["opd_token_details", { tokenId: 7, details }],
      ["opd_token_patient", { tokenId: 7 }],
      ["alerts_open", {}],
      ["alert_dismiss", { id: 3 }],
    ]);
  });

  it("passes sync, stats and SPM arguments under the names Rust expects", async () => {
    const seen: Array<[string, unknown]> = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      return null;
    });
    const job = makeJob().config;
    await ipc.syncJobs();
    await ipc.syncSaveJob(job, false);
    await ipc.syncRuns(null, 30);
    await ipc.syncRuns("BOOKING_PASIEN", 1);
    await ipc.syncCredentialsView();
    await ipc.syncSetCredentials("https://dash.rs.local", "tok", "key");
    await ipc.syncRunNow("BOOKING_PASIEN", null, null);
    await ipc.syncCancel("BOOKING_PASIEN");
    await ipc.statsBookings("specialization", "2026-01-19");
    await ipc.spmReport("dm", 2026);
    await ipc.spmMonth("ht", 2026, 3);
    await ipc.spmPatient("dm", "001234", 2026);
    await ipc.spmSetTarget("dm", 2026, 1200);
    await ipc.spmCsv("ht", 2025);
    expect(seen).toEqual([
      ["sync_jobs", {}],
      ["sync_save_job", { job, enabled: false }],
      ["sync_runs", { job: null, limit: 30 }],
      ["sync_runs", { job: "BOOKING_PASIEN", limit: 1 }],
      ["sync_credentials_view", {}],
      ["sync_set_credentials", { url: "https://dash.rs.local", token: "tok", apiKey: "key" }],
      ["sync_run_now", { job: "BOOKING_PASIEN", from: null, to: null }],
      ["sync_cancel", { job: "BOOKING_PASIEN" }],
      ["stats_bookings", { by: "specialization", date: "2026-01-19" }],
      ["spm_report", { program: "dm", year: 2026 }],
      ["spm_month", { program: "ht", year: 2026, month: 3 }],
      ["spm_patient", { program: "dm", norm: "001234", year: 2026 }],
      ["spm_set_target", { program: "dm", year: 2026, target: 1200 }],
      ["spm_csv", { program: "ht", year: 2025 }],
    ]);
  });

  it("delivers sync-progress payloads until unlistened", async () => {
    mockIPC(() => null, { shouldMockEvents: true });
    const cb = vi.fn();
    const unlisten = await ipc.onSyncProgress(cb);
    const progress = { run_id: 3, pages_done: 1, pages_total: 4, rows: 100, rows_per_second: 50 };
    await emit("sync-progress", { job: "BOOKING_PASIEN", progress });
    expect(cb).toHaveBeenCalledWith({ job: "BOOKING_PASIEN", progress });
    unlisten();
    await emit("sync-progress", { job: "BOOKING_PASIEN", progress });
    expect(cb).toHaveBeenCalledTimes(1);
  });

  it("delivers outbox-changed payloads until unlistened", async () => {
    mockIPC(() => null, { shouldMockEvents: true });
    const cb = vi.fn();
    const unlisten = await ipc.onOutboxChanged(cb);
    await emit("outbox-changed", { attempted: 2 });
    expect(cb).toHaveBeenCalledWith({ attempted: 2 });
    unlisten();
    await emit("outbox-changed", { attempted: 1 });
    expect(cb).toHaveBeenCalledTimes(1);
  });

  it("delivers queue-changed payloads until unlistened", async () => {
    mockIPC(() => null, { shouldMockEvents: true });
    const cb = vi.fn();
    const unlisten = await ipc.onQueueChanged(cb);
    await emit("queue-changed", { session_id: 4 });
    expect(cb).toHaveBeenCalledWith({ session_id: 4 });
    unlisten();
    await emit("queue-changed", { session_id: 5 });
    expect(cb).toHaveBeenCalledTimes(1);
  });

  it("listens to nothing outside the Tauri window", async () => {
    const unlisten = await ipc.onQueueChanged(() => {});
    expect(() => unlisten()).not.toThrow();
  });
});
