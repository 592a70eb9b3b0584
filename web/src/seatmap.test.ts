import { describe, expect, it } from "vitest";
import type { Seat } from "./api/client";
import { layout, nearest, readingOrder, seatName } from "./seatmap";

const seat = (row: string, number: number, x: number, y: number, section = "Stalls"): Seat => ({
  seat_id: `${section}-${row}${number}`,
  section,
  row,
  number,
  x,
  y,
  accessible: number === 1,
  tier_id: "t",
  state: "available",
});

const seats = [seat("A", 1, 0, 0), seat("A", 2, 1, 0), seat("B", 1, 0, 1), seat("B", 2, 1, 1)];

describe("layout", () => {
  it("keeps the seats' relative places, scaled into the view box", () => {
    const drawn = layout(seats);
    const [a1, a2, b1] = drawn.seats;
    expect(a2!.cx - a1!.cx).toBeCloseTo(b1!.cy - a1!.cy);
    expect(a2!.cx).toBeGreaterThan(a1!.cx);
    expect(drawn.width).toBeGreaterThan(a2!.cx);
  });
  it("labels every row and every section", () => {
    const drawn = layout([...seats, seat("A", 1, 5, 0, "Balcony")]);
    expect(drawn.rows.map((r) => r.label).sort()).toEqual(["A", "A", "B"]);
    expect(drawn.sections.map((s) => s.name).sort()).toEqual(["Balcony", "Stalls"]);
  });
});

describe("keyboard moves", () => {
  it("go to the closest seat in the arrow's direction", () => {
    const drawn = layout(seats).seats;
    const [a1, a2, b1] = drawn;
    expect(nearest(drawn, a1!, [1, 0])?.seat_id).toBe(a2!.seat_id);
    expect(nearest(drawn, a1!, [0, 1])?.seat_id).toBe(b1!.seat_id);
    expect(nearest(drawn, a1!, [-1, 0])).toBeNull();
  });
});

describe("names and order", () => {
  it("read as a person says them, rows in natural order", () => {
    expect(seatName(seats[0]!)).toBe("Stalls, row A, seat 1");
    const rows = readingOrder([seat("10", 1, 0, 9), seat("2", 2, 1, 1), seat("2", 1, 0, 1)]);
    expect(rows.map((s) => `${s.row}-${s.number}`)).toEqual(["2-1", "2-2", "10-1"]);
  });
});
