import { describe, expect, it } from "vitest";
import { whenIn, zonedInput, zonedInstant, zonedTimeNote } from "./zonedTime";

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

  it("reads a time the clock skips or shows twice alike in every zone, and says so", () => {
    // skipped: the hour after (New York read 02:30 as 01:30 EST, London as 02:30 BST)
    expect(zonedInstant("2027-03-28T01:30", "Europe/London")).toBe("2027-03-28T01:30:00.000Z");
    expect(zonedInstant("2027-03-14T02:30", "America/New_York")).toBe("2027-03-14T07:30:00.000Z");
    // shown twice: the first, as calendars read it (London took the second, New York the first)
    expect(zonedInstant("2027-10-31T01:30", "Europe/London")).toBe("2027-10-31T00:30:00.000Z");
    expect(zonedInstant("2027-11-07T01:30", "America/New_York")).toBe("2027-11-07T05:30:00.000Z");
    expect(zonedInstant("2027-04-04T02:30", "Australia/Sydney")).toBe("2027-04-03T15:30:00.000Z");
    // beyond UTC+12 (a sample half a day away missed Auckland's changes)
    expect(zonedInstant("2027-04-04T02:30", "Pacific/Auckland")).toBe("2027-04-03T13:30:00.000Z");
    expect(zonedInstant("2027-09-26T02:30", "Pacific/Auckland")).toBe("2027-09-25T14:30:00.000Z");
    expect(zonedTimeNote("2027-04-04T02:30", "Pacific/Auckland")).toContain("happens twice");
    expect(zonedTimeNote("2027-03-14T02:30", "America/New_York")).toBe(
      "The clocks go forward that night: 02:30 does not exist there, so it is read as 14 Mar 2027, 03:30 GMT-4.",
    );
    expect(zonedTimeNote("2027-10-31T01:30", "Europe/London")).toBe(
      "The clocks go back that night: 01:30 happens twice there; this is the first, 31 Oct 2027, 01:30 BST.",
    );
    expect(zonedTimeNote("2027-10-31T20:00", "Europe/London")).toBeNull();
    expect(zonedTimeNote("", "Europe/London")).toBeNull();
  });
});
