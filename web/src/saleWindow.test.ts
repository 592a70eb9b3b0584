import { describe, expect, it } from "vitest";
import { onSaleFrom, saleNotice, salesOver } from "./saleWindow";

const show = {
  sales_open_at: "2026-12-12T08:00:00Z",
  sales_close_at: "2026-12-20T18:00:00Z",
  starts_at: "2026-12-20T19:00:00Z",
  status: "scheduled",
  time_zone: "Europe/Amsterdam",
};

describe("saleNotice", () => {
  it("says when sales open, in the venue's time, until they do", () => {
    expect(saleNotice(show, new Date("2026-12-12T07:59:00Z"))).toBe(
      "Sales open on Saturday, 12 December 2026 at 09:00 CET. Keep this page open: it is ready the moment they do, no need to reload.",
    );
    expect(saleNotice(show, new Date("2026-12-12T08:00:00Z"))).toBeNull();
  });

  it("says the sale is closed, the show started or cancelled", () => {
    expect(saleNotice(show, new Date("2026-12-20T18:00:00Z"))).toBe("Sales for this performance are closed.");
    expect(saleNotice(show, new Date("2026-12-20T19:00:00Z"))).toBe("This performance has already started.");
    expect(saleNotice({ ...show, status: "cancelled" }, new Date("2026-12-13T00:00:00Z"))).toBe("This performance is cancelled.");
  });
});

describe("salesOver", () => {
  it("is over once online sales close, and once the performance starts", () => {
    expect(salesOver(show, new Date("2026-12-20T17:59:00Z"))).toBe(false);
    expect(salesOver(show, new Date("2026-12-20T18:00:00Z"))).toBe(true);
    const closingLate = { ...show, sales_close_at: "2026-12-20T21:00:00Z" };
    expect(salesOver(closingLate, new Date("2026-12-20T19:30:00Z"))).toBe(true);
  });
});

describe("onSaleFrom", () => {
  it("names the opening in the venue's time until it passes", () => {
    expect(onSaleFrom(show, new Date("2026-12-12T07:00:00Z"))).toBe("On sale from Saturday, 12 December 2026 at 09:00 CET");
    expect(onSaleFrom(show, new Date("2026-12-12T08:00:01Z"))).toBeNull();
  });
});
