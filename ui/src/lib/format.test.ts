import { describe, expect, it } from "vitest";
import {
  formatCount,
  formatDateLong,
  formatDateShort,
  formatDecimal,
  formatRatioBp,
  formatRupiah,
  formatTimeWib,
  formatWib,
  formatWibShort,
  isIsoDate,
  monthName,
  monthShort,
  shiftDate,
  todayWib,
} from "./format";

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

describe("WIB calendar helpers", () => {
  it("takes today's date in WIB, not UTC", () => {
    expect(todayWib(Date.parse("2026-01-18T16:59:59Z"))).toBe("2026-01-18");
    expect(todayWib(Date.parse("2026-01-18T17:00:00Z"))).toBe("2026-01-19");
  });

  it("shifts dates across month and year ends and rejects non-dates", () => {
    expect(shiftDate("2026-01-31", 1)).toBe("2026-02-01");
    expect(shiftDate("2026-01-01", -1)).toBe("2025-12-31");
    expect(shiftDate("2026-02-30", 1)).toBe("2026-02-30");
    expect(isIsoDate("2028-02-29")).toBe(true);
    expect(isIsoDate("2026-02-29")).toBe(false);
    expect(isIsoDate("19/01/2026")).toBe(false);
  });

  it("writes a date out in Bahasa Indonesia", () => {
    expect(formatDateLong("2026-01-19")).toBe("Senin, 19 Januari 2026");
    expect(formatDateLong("2026-08-17")).toBe("Senin, 17 Agustus 2026");
  });

  it("shows an event instant as a WIB wall-clock time with seconds", () => {
    expect(formatTimeWib("2026-01-19T01:02:03Z")).toBe("08:02:03");
    expect(formatTimeWib("2026-01-19T23:59:59.5+07:00")).toBe("23:59:59");
    expect(formatTimeWib("2026-01-18T17:00:00Z")).toBe("00:00:00");
    expect(formatTimeWib("tadi")).toBeNull();
  });
});

describe("formatWibShort", () => {
  const now = Date.parse("2026-01-19T03:00:00Z"); // 10:00 WIB, Monday 19 January

  it("shows only the WIB clock for an instant on today's WIB date", () => {
    expect(formatWibShort("2026-01-19T01:05:00Z", now)).toBe("08:05 WIB");
    // 00:30 WIB on the 19th is still the 18th in UTC.
    expect(formatWibShort("2026-01-18T17:30:00Z", now)).toBe("00:30 WIB");
  });

  it("adds the date for another WIB day, and returns null for non-instants", () => {
    expect(formatWibShort("2026-01-18T16:50:00Z", now)).toBe("18/01/2026 23:50 WIB");
    expect(formatWibShort("2026-01-20T01:00:00Z", now)).toBe("20/01/2026 08:00 WIB");
    expect(formatWibShort("besok", now)).toBeNull();
  });
});

describe("months and counts", () => {
  it("names months in Indonesian, long and short", () => {
    expect([1, 8, 12].map(monthName)).toEqual(["Januari", "Agustus", "Desember"]);
    expect([1, 3, 8, 12].map(monthShort)).toEqual(["Jan", "Mar", "Agu", "Des"]);
    expect(monthName(13)).toBe("13");
  });

  it("writes counts with thousands dots", () => {
    expect([0, 999, 1000, 1234567, -1200].map(formatCount)).toEqual(["0", "999", "1.000", "1.234.567", "-1.200"]);
  });
});

describe("formatDateShort", () => {
  it("writes a date day first", () => {
    expect(formatDateShort("2026-01-19")).toBe("19/01/2026");
    expect(formatDateShort("kemarin")).toBe("kemarin");
  });
});

describe("rupiah and decimals", () => {
  it("writes whole rupiah with thousands dots and the sign before Rp", () => {
    expect([0, 500, 1234567, -5000, -1].map(formatRupiah)).toEqual(["Rp 0", "Rp 500", "Rp 1.234.567", "-Rp 5.000", "-Rp 1"]);
  });

  it("writes the backend's decimal strings with a decimal comma", () => {
    expect(["2", "2.5", "3.9999", "1234.5", "-0.25", "2.50000000", "0.0", "-0", "007"].map(formatDecimal)).toEqual([
      "2",
      "2,5",
      "3,9999",
      "1.234,5",
      "-0,25",
      "2,5",
      "0",
      "0",
      "7",
    ]);
    expect(formatDecimal("n/a")).toBe("n/a");
  });
});
