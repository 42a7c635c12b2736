import { describe, expect, it } from "vitest";
import { formatRatioBp, formatWib } from "./format";

describe("formatWib", () => {
  it("shows a UTC instant in WIB (UTC+7)", () => {
    expect(formatWib("2026-01-19T01:00:00Z")).toBe("19/01/2026 08:00 WIB");
  });

  it("rolls over to the next WIB day", () => {
    expect(formatWib("2026-01-18T17:30:00Z")).toBe("19/01/2026 00:30 WIB");
    expect(formatWib("2025-12-31T16:59:00Z")).toBe("31/12/2025 23:59 WIB");
    expect(formatWib("2025-12-31T17:00:00Z")).toBe("01/01/2026 00:00 WIB");
  });

  it("accepts an instant written with an offset", () => {
    expect(formatWib("2026-03-05T09:07:00+07:00")).toBe("05/03/2026 09:07 WIB");
    expect(formatWib("2026-03-05T09:07:45.123456Z")).toBe("05/03/2026 16:07 WIB");
  });

  it("returns null for text that is not an instant", () => {
    expect(formatWib("kemarin")).toBeNull();
  });
});

describe("formatRatioBp", () => {
  it.each([
    [3000, "0.30"],
    [0, "0.00"],
    [10000, "1.00"],
    [2550, "0.255"],
    [3333, "0.3333"],
    [500, "0.05"],
  ])("%i bp → %s", (bp, text) => {
    expect(formatRatioBp(bp)).toBe(text);
  });
});
