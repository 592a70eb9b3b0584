import { describe, expect, it } from "vitest";
import { startOfToday } from "./Till";

describe("the till's default start", () => {
  it("is midnight of today on this computer's clock", () => {
    expect(startOfToday(new Date(2026, 11, 4, 21, 37))).toBe("2026-12-04T00:00");
    expect(startOfToday(new Date(2027, 0, 9, 0, 5))).toBe("2027-01-09T00:00");
  });
});
