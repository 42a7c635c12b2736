// A fake Rust core for tests: canned answers per command, and a log of every IPC call with its exact args.
import { mockIPC } from "@tauri-apps/api/mocks";
import type { AppStatus, IpcError, Settings } from "../lib/ipc";

export type Call = { cmd: string; args: unknown };

export function makeStatus(over: Partial<AppStatus> = {}): AppStatus {
  return {
    hospital_name: "RSUD Sehat Sentosa",
    desk_id: "L01",
    clerk: "Siti Aminah",
    bpjs_online: true,
    demo_mode: false,
    last_sync_at: "2026-01-19T01:00:00Z",
    db_path: "/tmp/loket.sqlite3",
    version: "0.1.0",
    ...over,
  };
}

export function makeSettings(over: Partial<Settings> = {}): Settings {
  return {
    hospital_name: "RSUD Sehat Sentosa",
    kode_ppk: "0123R001",
    desk_id: "L01",
    clerk: "Siti Aminah",
    polis: [
      { kode: "ANA", nama: "Anak" },
      { kode: "INT", nama: "Penyakit Dalam" },
    ],
    nonjkn_ratio_bp: 3000,
    minutes_per_patient: 6,
    weight_emergency: 100,
    weight_paid: 20,
    weight_follow_up: 10,
    weight_walk_in: 0,
    weight_online: 5,
    schedule_refresh_time: "05:30",
    ...over,
  };
}

type Handler = (args: Record<string, unknown>) => unknown;

/** Installs mockIPC. `handlers` override the defaults; return `reject(code, message)` to answer with an error. */
export function fakeBackend(handlers: Record<string, Handler> = {}) {
  const calls: Call[] = [];
  const defaults: Record<string, Handler> = {
    app_status: () => makeStatus(),
    get_settings: () => makeSettings(),
    set_setting: () => makeSettings(),
    send_test_notification: () => null,
  };
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    const handler = handlers[cmd] ?? defaults[cmd];
    if (!handler) return reject("internal", `perintah tak dikenal: ${cmd}`);
    return handler((args ?? {}) as Record<string, unknown>);
  });
  return {
    calls,
    callsTo: (cmd: string) => calls.filter((c) => c.cmd === cmd).map((c) => c.args),
  };
}

/** The way a Tauri command answers `Err(IpcError)`: the invoke promise rejects with the plain object. */
export function reject(code: IpcError["code"], message: string): Promise<never> {
  return Promise.reject({ code, message } satisfies IpcError);
}
