import { describe, expect, it } from "vitest";
import { orderUrl, parseRoute } from "./router";

describe("routes", () => {
  it("carry the order's token in the fragment", () => {
    expect(orderUrl("orders", "ord_1", "t/k+n")).toBe("/orders/ord_1#token=t%2Fk%2Bn");
    expect(parseRoute("/orders/ord_1", "#token=t%2Fk%2Bn")).toEqual({
      page: "order",
      orderId: "ord_1",
      token: "t/k+n",
    });
    expect(parseRoute("/checkout/ord_1", "")).toEqual({ page: "checkout", orderId: "ord_1", token: null });
  });
  it("send anything unknown to the not-found page", () => {
    expect(parseRoute("/", "")).toEqual({ page: "browse" });
    expect(parseRoute("/performances/p1", "")).toEqual({ page: "performance", performanceId: "p1" });
    expect(parseRoute("/nope/x/y", "")).toEqual({ page: "not-found" });
    expect(parseRoute("/scanner", "")).toEqual({ page: "scanner" });
    expect(parseRoute("/scanner/", "")).toEqual({ page: "scanner" });
    expect(parseRoute("/find-my-tickets", "")).toEqual({ page: "find-tickets" });
    expect(parseRoute("/find-my-tickets/x", "")).toEqual({ page: "not-found" });
  });
});
