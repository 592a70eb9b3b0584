import { afterEach, describe, expect, it, vi } from "vitest";
import { act, renderHook } from "@testing-library/react";
import { askBeforeLeaving, navigate, orderUrl, parseRoute, useRoute } from "./router";

afterEach(() => {
  askBeforeLeaving(null);
  vi.restoreAllMocks();
});

describe("leaving a page that holds something", () => {
  it("asks first, and stays when the answer is no", () => {
    window.history.replaceState(null, "", "/box-office");
    askBeforeLeaving("The last sale's answer did not arrive. Leave anyway?");
    const ask = vi.spyOn(window, "confirm").mockReturnValueOnce(false).mockReturnValueOnce(true);
    navigate("/console/orders");
    expect(window.location.pathname).toBe("/box-office");
    navigate("/console/orders");
    expect(window.location.pathname).toBe("/console/orders");
    expect(ask).toHaveBeenCalledTimes(2);
  });

  it("undoes Back when the answer is no, and follows it when yes", () => {
    navigate("/box-office");
    const { result } = renderHook(() => useRoute());
    askBeforeLeaving("The last sale's answer did not arrive. Leave anyway?");
    const ask = vi.spyOn(window, "confirm").mockReturnValueOnce(false).mockReturnValueOnce(true);
    const back = (to: string) =>
      act(() => {
        window.history.replaceState(null, "", to); // where the browser's Back has gone
        window.dispatchEvent(new PopStateEvent("popstate"));
      });
    back("/console/orders");
    expect(window.location.pathname).toBe("/box-office"); // stayed: the desk is shown again
    expect(result.current).toEqual({ page: "staff", area: "box-office", rest: [] });
    back("/console/orders");
    expect(window.location.pathname).toBe("/console/orders");
    expect(ask).toHaveBeenCalledTimes(2);
  });

  it("goes at once when nothing is held", () => {
    const ask = vi.spyOn(window, "confirm");
    navigate("/console/events");
    expect(window.location.pathname).toBe("/console/events");
    expect(ask).not.toHaveBeenCalled();
  });
});

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
