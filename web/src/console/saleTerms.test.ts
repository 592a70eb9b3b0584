import { describe, expect, it } from "vitest";
import { changedTerms, termsOf } from "./saleTerms";

const show = { sales_open_at: "2030-03-01T09:00:30Z", sales_close_at: "2030-03-20T19:00:00Z", max_per_order: 8 };

describe("changedTerms", () => {
  it("sends nothing for a form left alone, though the window had seconds", () => {
    const saved = termsOf(show);
    expect(changedTerms(saved, { ...saved })).toEqual({});
  });

  it("sends only what was edited, times as instants", () => {
    const saved = termsOf(show);
    const edited = { ...saved, closesAt: "2030-03-21T20:15", maxPerOrder: 4 };
    expect(changedTerms(saved, edited)).toEqual({
      sales_close_at: new Date("2030-03-21T20:15").toISOString(),
      max_per_order: 4,
    });
  });
});
