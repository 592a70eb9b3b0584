import { describe, expect, it } from "vitest";
import { deskTotal } from "./desk";

const tiers = [
  { tier_id: "front", price: { amount: 4000, currency: "EUR" } },
  { tier_id: "back", price: { amount: 2500, currency: "EUR" } },
];
const seats = [
  { seat_id: "s1", tier_id: "front" },
  { seat_id: "s2", tier_id: "back" },
];

describe("deskTotal", () => {
  it("adds the chosen seats' and quantities' prices", () => {
    expect(deskTotal(tiers, seats, ["s1", "s2"], {}, "cash")).toBe(deskTotal(tiers, [], [], { front: 1, back: 1 }, "cash"));
    expect(deskTotal(tiers, seats, ["s1", "s2"], {}, "card_terminal")).toContain("65.00");
  });
  it("charges nothing for complimentary tickets", () => {
    expect(deskTotal(tiers, seats, ["s1"], {}, "complimentary")).toContain("0.00");
  });
});
