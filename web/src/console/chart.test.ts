import { describe, expect, it } from "vitest";
import { chartGeometry, fillHours, niceTicks } from "./chart";

describe("niceTicks", () => {
  it("uses round steps that reach the maximum", () => {
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(100)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(1)).toEqual([0, 1]);
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(3)).toEqual([0, 1, 2, 3]);
  });
});

describe("fillHours", () => {
  it("puts the hours without a sale in between at zero", () => {
    const filled = fillHours([
      { hour: "2026-12-01T12:00:00.000Z", tickets: 1, gross: 100 },
      { hour: "2026-12-01T10:00:00.000Z", tickets: 2, gross: 200 },
    ]);
    expect(filled.map((h) => [h.hour.slice(11, 13), h.tickets])).toEqual([
      ["10", 2],
      ["11", 0],
      ["12", 1],
    ]);
  });
});

describe("chartGeometry", () => {
  it("scales the tallest bar to the top tick and zero to the axis", () => {
    const g = chartGeometry(
      [
        { hour: "2026-12-01T10:00:00Z", tickets: 4, gross: 0 },
        { hour: "2026-12-01T11:00:00Z", tickets: 8, gross: 0 },
      ],
      400,
      200,
    );
    const [a, b] = g.bars;
    expect(g.ticks.at(-1)).toEqual({ value: 8, y: g.plot.top });
    expect(b!.y).toBeCloseTo(g.plot.top);
    expect(a!.height).toBeCloseTo(b!.height / 2);
    expect(a!.x + a!.width).toBeLessThan(b!.x);
    expect(chartGeometry([]).bars).toEqual([]);
  });
});
