import { describe, expect, it } from "vitest";
import { SCREENS, screenForShortcut } from "./screens";

const key = (over: Partial<KeyboardEvent>) => ({
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  key: "",
  code: "",
  ...over,
});

describe("screenForShortcut", () => {
  it("maps Alt+1 … Alt+6 to the six screens in nav order", () => {
    const ids = ["1", "2", "3", "4", "5", "6"].map((d) => screenForShortcut(key({ altKey: true, key: d, code: `Digit${d}` })));
    expect(ids).toEqual(["antrean", "kuota", "saldo", "laporan", "sinkronisasi", "pengaturan"]);
    expect(SCREENS.map((s) => s.label)).toEqual(["Antrean", "Kuota", "Saldo", "Laporan", "Sinkronisasi", "Pengaturan"]);
  });

  it("reads the physical key when the layout changes `key` under Alt", () => {
    expect(screenForShortcut(key({ altKey: true, key: "¡", code: "Digit1" }))).toBe("antrean");
    expect(screenForShortcut(key({ altKey: true, key: "6", code: "Numpad6" }))).toBe("pengaturan");
  });

  it("ignores digits without Alt, with other modifiers, and Alt+7", () => {
    expect(screenForShortcut(key({ key: "2", code: "Digit2" }))).toBeNull();
    expect(screenForShortcut(key({ altKey: true, ctrlKey: true, key: "2", code: "Digit2" }))).toBeNull();
    expect(screenForShortcut(key({ altKey: true, shiftKey: true, key: "2", code: "Digit2" }))).toBeNull();
    expect(screenForShortcut(key({ altKey: true, key: "7", code: "Digit7" }))).toBeNull();
  });
});
