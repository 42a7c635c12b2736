import { describe, expect, it } from "vitest";
import { balanceScale, rupiahShort, volumeText, yearMonthLabel, yearMonthShort } from "./saldo";

describe("months", () => {
  it("names a YYYY-MM month in Indonesian, long and short", () => {
    expect(yearMonthLabel("2024-03")).toBe("Maret 2024");
    expect(yearMonthShort("2024-08")).toBe("Agu 2024");
    expect(yearMonthLabel("2024-13")).toBe("2024-13");
    expect(yearMonthShort("bulan")).toBe("bulan");
  });
});

describe("volumeText", () => {
  it("writes jumlah × faktor = volume with decimal commas", () => {
    expect(volumeText("2.5", "1", "2.5")).toBe("2,5 × 1 = 2,5");
    expect(volumeText("3", "0.3333", "0.9999")).toBe("3 × 0,3333 = 0,9999");
  });
});

describe("rupiahShort", () => {
  it("shortens axis amounts to rb, jt and M", () => {
    expect([0, 750, 5_000, -250_000, 1_500_000, 2_000_000_000].map(rupiahShort)).toEqual(["0", "750", "5 rb", "-250 rb", "1,5 jt", "2 M"]);
  });
});

describe("balanceScale", () => {
  it("always takes zero in, with round steps", () => {
    expect(balanceScale([349_167, 236_667])).toEqual({
      min: 0,
      max: 400_000,
      step: 100_000,
      ticks: [0, 100_000, 200_000, 300_000, 400_000],
    });
    const minus = balanceScale([60_000, -5_000]);
    expect(minus.min).toBeLessThan(0);
    expect(minus.max).toBeGreaterThanOrEqual(60_000);
    expect(minus.ticks).toContain(0);
    expect(balanceScale([-120_000]).ticks).toEqual([-150_000, -100_000, -50_000, 0]);
  });

  it("has a span even when every value is zero", () => {
    expect(balanceScale([0, 0])).toEqual({ min: 0, max: 1, step: 1, ticks: [0, 1] });
    expect(balanceScale([])).toEqual({ min: 0, max: 1, step: 1, ticks: [0, 1] });
  });
});
