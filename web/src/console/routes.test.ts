import { describe, expect, it } from "vitest";
import { parseRoute } from "../router";

describe("staff routes", () => {
  it("send /console/… and /box-office to the staff app with the rest of the path", () => {
    expect(parseRoute("/console", "")).toEqual({ page: "staff", area: "console", rest: [] });
    expect(parseRoute("/console/orders/ord_1", "")).toEqual({ page: "staff", area: "console", rest: ["orders", "ord_1"] });
    expect(parseRoute("/box-office", "")).toEqual({ page: "staff", area: "box-office", rest: [] });
  });
});
