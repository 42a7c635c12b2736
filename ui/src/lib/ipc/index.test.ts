import { mockIPC } from "@tauri-apps/api/mocks";
import { describe, expect, it } from "vitest";
import { IPC_UNAVAILABLE_MESSAGE, IpcFailure, ipc } from "./index";
import { makeSettings, makeStatus } from "../../test/backend";

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
});
