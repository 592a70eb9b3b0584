import { describe, expect, it } from "vitest";
import { cutToWhatIsLeft } from "./chosenQuantities";

const tiers = [
  { tier_id: "floor", name: "Floor", available: 2 },
  { tier_id: "balcony", name: "Balcony", available: 0 },
  { tier_id: "box", name: "Box", available: 9 },
];

describe("the quantities chosen", () => {
  it("are cut to what is left, and the buyer is told", () => {
    const { chosen, said } = cutToWhatIsLeft({ floor: 4, balcony: 1, box: 3 }, tiers);
    expect(chosen).toEqual({ floor: 2, balcony: 0, box: 3 });
    expect(said).toBe("Only 2 tickets left for Floor: your choice is now 2. Balcony has just sold out.");
  });

  it("stay as they are while there is enough", () => {
    const before = { floor: 2, box: 9 };
    expect(cutToWhatIsLeft(before, tiers)).toEqual({ chosen: before, said: null });
  });
});
