import { describe, expect, it } from "vitest";
import { changedTerms, holdTime, holdTimeProblem, termsOf } from "./saleTerms";

const show = { sales_open_at: "2030-03-01T09:00:30Z", sales_close_at: "2030-03-20T19:00:00Z", max_per_order: 8, hold_ttl_s: 600 };

describe("changedTerms", () => {
  it("sends nothing for a form left alone, though the window had seconds", () => {
    const saved = termsOf(show, "Asia/Tokyo");
    expect(changedTerms(saved, { ...saved }, "Asia/Tokyo")).toEqual({});
  });

  it("reads the saved window on the venue's clock", () => {
    expect(termsOf(show, "Asia/Tokyo").closesAt).toBe("2030-03-21T04:00");
  });

  it("sends only what was edited, times as instants", () => {
    const saved = termsOf(show, "Asia/Tokyo");
    const edited = { ...saved, closesAt: "2030-03-21T20:15", maxPerOrder: 4 };
    expect(changedTerms(saved, edited, "Asia/Tokyo")).toEqual({
      sales_close_at: "2030-03-21T11:15:00.000Z", // 20:15 in Tokyo, wherever the browser is
      max_per_order: 4,
    });
  });
});

describe("the hold time", () => {
  it("is edited in minutes and sent in seconds, only when changed", () => {
    const saved = termsOf(show, "Asia/Tokyo");
    expect(saved.holdMinutes).toBe(10);
    expect(changedTerms(saved, { ...saved, holdMinutes: 2.5 }, "Asia/Tokyo")).toEqual({ hold_ttl_s: 150 });
  });

  it("keeps a hold of a few seconds as it is when the form is left alone", () => {
    const saved = termsOf({ ...show, hold_ttl_s: 2 }, "Asia/Tokyo");
    expect(changedTerms(saved, { ...saved }, "Asia/Tokyo")).toEqual({});
  });

  it("reads as minutes, or as seconds under one minute", () => {
    expect(holdTime(600)).toBe("10 min");
    expect(holdTime(90)).toBe("1.5 min");
    expect(holdTime(100)).toBe("1.67 min");
    expect(holdTime(30)).toBe("30 s");
  });
});

describe("holdTimeProblem", () => {
  it("speaks of the form's minutes, within the API's 2 seconds to an hour", () => {
    expect(holdTimeProblem(10)).toBeNull();
    expect(holdTimeProblem(0.5)).toBeNull();
    expect(holdTimeProblem(60)).toBeNull();
    for (const minutes of [0, 0.01, 61, Number.NaN])
      expect(holdTimeProblem(minutes)).toBe("Hold seats for: from 2 seconds (0.04 minutes) to 60 minutes.");
  });
});
