import { describe, expect, it } from "vitest";
import { whenIn, zonedInput, zonedInstant } from "./zonedTime";

describe("zoned times", () => {
  it("reads what staff type on the venue's clock, wherever the browser is", () => {
    expect(zonedInstant("2026-12-12T20:00", "Asia/Tokyo")).toBe("2026-12-12T11:00:00.000Z");
    expect(zonedInstant("2026-12-12T20:00", "Europe/Amsterdam")).toBe("2026-12-12T19:00:00.000Z");
    expect(zonedInstant("2026-07-01T09:00", "Europe/Amsterdam")).toBe("2026-07-01T07:00:00.000Z");
    expect(zonedInstant("2026-07-01T09:00", "America/New_York")).toBe("2026-07-01T13:00:00.000Z");
    // summer time starts at 02:00 in Amsterdam on 29 March 2026: 02:30 does not exist
    expect(zonedInstant("2026-03-29T03:30", "Europe/Amsterdam")).toBe("2026-03-29T01:30:00.000Z");
  });

  it("shows an instant on that clock and back again unchanged", () => {
    const at = new Date("2026-12-12T11:00:00Z");
    expect(zonedInput(at, "Asia/Tokyo")).toBe("2026-12-12T20:00");
    expect(zonedInstant(zonedInput(at, "Asia/Tokyo"), "Asia/Tokyo")).toBe(at.toISOString());
    expect(whenIn(at.toISOString(), "Asia/Tokyo")).toBe("12 Dec 2026, 20:00 GMT+9");
    expect(whenIn(null, "Asia/Tokyo")).toBe("—");
  });
});
