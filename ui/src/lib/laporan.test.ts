import { describe, expect, it } from "vitest";
import { chartScale, clip, countMax, lpText, parseTarget, patientStatusText, percentText } from "./laporan";

describe("laporan helpers", () => {
  it("shows the backend's percentage with a decimal comma and a percent sign", () => {
    expect(percentText({ percentage_text: "12,34" })).toBe("12,34%");
    expect(percentText({ percentage_text: null })).toBe("—");
    expect(lpText(1200, 3)).toBe("L 1.200 · P 3");
  });

  it("reads a target typed with thousands dots, and refuses the rest", () => {
    expect(parseTarget(" 1.200 ")).toEqual({ ok: true, value: 1200 });
    expect(parseTarget("10000000")).toEqual({ ok: true, value: 10_000_000 });
    for (const bad of ["", "0", "-5", "12,5", "10000001", "banyak"]) expect(parseTarget(bad).ok).toBe(false);
  });

  it("words a drill-down patient", () => {
    expect(patientStatusText({ standard: true, break_month: null })).toBe("Standar");
    expect(patientStatusText({ standard: false, break_month: 4 })).toBe("Tidak standar — putus sejak April");
  });

  it("scales the chart axes to round numbers, the percentage axis at least to the 100% target", () => {
    expect(chartScale([null, 12.34])).toEqual({ max: 100, step: 20 });
    expect(chartScale([150])).toEqual({ max: 160, step: 20 });
    expect(chartScale([420])).toEqual({ max: 500, step: 100 });
    expect(countMax([0])).toBe(1);
    expect(countMax([3, 1])).toBe(3);
    expect(countMax([12])).toBe(15);
    expect(countMax([87])).toBe(90);
    expect(clip("dr. Andi Wijaya, Sp.A", 8)).toBe("dr. And…");
  });
});
