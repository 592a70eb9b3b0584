import { describe, expect, it } from "vitest";
import { clause, counted, countdown, localDateTime, money } from "./format";

describe("money", () => {
  it("formats minor units with the currency's own decimals", () => {
    expect(money(2500, "EUR")).toBe("€25.00");
    expect(money(1999, "GBP")).toBe("£19.99");
    expect(money(3000, "JPY")).toBe("JP¥3,000");
  });
  it("counts decimals as Stripe charges them, not as the browser's currency data would", () => {
    const spaced = (shown: string) => shown.replace(/\s/gu, " "); // Intl puts a no-break space
    expect(spaced(money(500000, "IDR"))).toBe("IDR 5,000.00"); // the browser's data: 0 decimals
    expect(spaced(money(12340, "KWD"))).toBe("KWD 12.340");
    expect(money(5000, "VND")).toBe("₫5,000");
  });
});

describe("localDateTime", () => {
  it("shows the moment in the venue's zone, not the browser's", () => {
    const iso = "2026-12-12T19:00:00Z";
    expect(localDateTime(iso, "Europe/Amsterdam")).toContain("20:00");
    expect(localDateTime(iso, "America/New_York")).toContain("14:00");
    expect(localDateTime(iso, "Europe/Amsterdam")).toBe("Saturday, 12 December 2026 at 20:00 CET");
  });
});

describe("an unknown time zone", () => {
  it("reads in UTC instead of throwing (one odd event must not blank the programme)", () => {
    expect(localDateTime("2026-12-12T19:00:00Z", "Mars/Olympus_Mons")).toContain("19:00 UTC");
  });
});

describe("countdown", () => {
  it("shows minutes and seconds, never below zero", () => {
    expect(countdown(125)).toBe("2:05");
    expect(countdown(0.2)).toBe("0:01");
    expect(countdown(-3)).toBe("0:00");
  });
});

describe("counted", () => {
  it("puts the noun in the plural except for one", () => {
    expect([0, 1, 3].map((n) => counted(n, "performance"))).toEqual(["0 performances", "1 performance", "3 performances"]);
  });
});

describe("clause", () => {
  it("drops a closing full stop so that a message goes inside our sentence once", () => {
    expect(clause("Your card was declined. ")).toBe("Your card was declined");
    expect(clause("e.g. this")).toBe("e.g. this");
  });
});
