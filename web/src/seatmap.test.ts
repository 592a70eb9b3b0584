import { describe, expect, it } from "vitest";
import type { Seat } from "./api/client";
import { layout, nearest, readingOrder, seatingAdvice, seatName } from "./seatmap";

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

describe("seating advice", () => {
  // row A: seats 1-6 side by side, an aisle, then 7-8; seat 6 is sold
  const row = [1, 2, 3, 4, 5, 6].map((n) => seat("A", n, n, 0));
  const hall = [...row, seat("A", 7, 9, 0), seat("A", 8, 10, 0)].map((s) =>
    s.number === 6 ? { ...s, state: "sold" } : s,
  );
  const ids = (...numbers: number[]) => numbers.map((n) => `Stalls-A${n}`);
  const alone = (n: number) =>
    `Your choice leaves Stalls, row A, seat ${n} on its own, and a single seat is rarely sold: ` +
    "could you move over by one?";
  const apart = "Your seats are not all next to each other (2 groups).";

  it("says nothing of seats that strand nobody", () => {
    expect(seatingAdvice(hall, [])).toEqual([]);
    expect(seatingAdvice(hall, ids(1, 2))).toEqual([]);
    expect(seatingAdvice(hall, ids(4, 5))).toEqual([]); // 1 to 3 stay together
    expect(seatingAdvice(hall, ids(7, 8))).toEqual([]); // the aisle is no gap
  });
  it("names a seat left alone between chosen and taken seats, or at the row's end", () => {
    expect(seatingAdvice(hall, ids(2, 3))).toEqual([alone(1)]);
    expect(seatingAdvice(hall, ids(4))).toEqual([alone(5)]);
    expect(seatingAdvice(hall, ids(7))).toEqual([alone(8)]);
  });
  it("says when the chosen seats are not side by side", () => {
    expect(seatingAdvice(hall, ids(1, 3))).toEqual([alone(2), apart]);
    expect(seatingAdvice(hall, ids(2, 4))).toEqual([
      "Your choice leaves Stalls, row A, seat 1; Stalls, row A, seat 3; Stalls, row A, seat 5 " +
        "each on its own, and single seats are rarely sold: could you choose seats side by side?",
      apart,
    ]);
    expect(seatingAdvice(hall, ids(5, 7))).toEqual([alone(8), apart]);
  });
});
