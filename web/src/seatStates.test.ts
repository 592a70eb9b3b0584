import { describe, expect, it } from "vitest";
import type { Seat } from "./api/client";
import { withStates } from "./seatStates";

const seat = (seat_id: string, state: string): Seat =>
  ({ seat_id, section: "Stalls", row: "A", number: 1, x: 0, y: 0, accessible: false, tier_id: "t", state }) as Seat;

describe("withStates", () => {
  it("takes the server's states: a seat it does not name is available again", () => {
    const before = [seat("A1", "available"), seat("A2", "held"), seat("A3", "sold")];
    const after = withStates(before, { A1: "held", A3: "sold" });
    expect(after.map((s) => s.state)).toEqual(["held", "available", "sold"]);
    expect(after[2]).toBe(before[2]); // unchanged: the same seat, not redrawn
  });
});
