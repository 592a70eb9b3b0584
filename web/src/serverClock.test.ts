import { afterEach, describe, expect, it, vi } from "vitest";
import { learnServerTime, serverNow } from "./serverClock";

describe("the server's clock", () => {
  afterEach(() => {
    vi.useRealTimers();
    learnServerTime("Thu, 01 Jan 2026 00:00:00 GMT", Date.parse("2026-01-01T00:00:00Z"), Date.parse("2026-01-01T00:00:00Z"));
  });

  it("follows a device clock that is 15 minutes fast, and ignores a second of noise", () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-12-03T09:15:00Z")); // the device says 09:15
    const now = Date.now();
    learnServerTime("Thu, 03 Dec 2026 09:00:00 GMT", now - 100, now); // the server said 09:00
    expect(new Date(serverNow()).toISOString()).toBe("2026-12-03T09:00:00.550Z");
    learnServerTime("Thu, 03 Dec 2026 09:15:00 GMT", now - 100, now);
    expect(serverNow()).toBe(Date.now());
    learnServerTime(null, now, now); // no header: what was learnt stays
    expect(serverNow()).toBe(Date.now());
  });
});
