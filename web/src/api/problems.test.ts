import { describe, expect, it } from "vitest";
import { ApiRefusal, explain } from "./problems";

const refusal = (code: string, status: number, extra: Record<string, unknown> = {}) =>
  new ApiRefusal({
    type: `https://docs.ticketing.example/problems/${code}`,
    title: "x",
    status,
    detail: "detail from the server",
    ...extra,
  });

describe("explain", () => {
  it("says how many remain when not enough are left", () => {
    expect(explain(refusal("not-enough-left", 409, { available: 3 }))).toBe(
      "Not enough tickets left: only 3 remain.",
    );
    expect(explain(refusal("not-enough-left", 409, { available: 0 }))).toMatch(/Sold out/);
  });
  it("names the seats that were just taken", () => {
    const names: Record<string, string> = { s1: "Stalls, row A, seat 1" };
    expect(explain(refusal("seat-taken", 409, { taken_seats: ["s1"] }), (id) => names[id] ?? id)).toBe(
      "Just taken by someone else: Stalls, row A, seat 1. Please pick other seats.",
    );
  });
  it("explains a refused coupon by its reason", () => {
    expect(explain(refusal("coupon-refused", 422, { reason: "expired" }))).toBe(
      "Coupon not accepted: this coupon has expired.",
    );
  });
  it("covers the per-order maximum and closed sales", () => {
    expect(explain(refusal("over-max-per-order", 409))).toMatch(/more than one order may hold/);
    expect(explain(refusal("sales-closed", 409))).toBe("Sales for this performance are closed.");
  });
  it("says an order already holds these tickets without showing the hold's id", () => {
    expect(explain(refusal("hold-has-order", 409))).toMatch(/^You already placed an order for these tickets/);
  });
  it("tells a hold being paid for or sold from an expired one", () => {
    const notActive = (hold_status?: string) =>
      explain(refusal("hold-not-active", 409, hold_status ? { hold_status } : {}));
    expect(notActive("pinned")).toMatch(/^You already placed an order for these tickets/);
    expect(notActive("committed")).toBe("These tickets are sold: your order is paid.");
    expect(notActive()).toMatch(/has expired/);
  });
  it("says a visitor holding as many reservations as they may what to do, tabs included", () => {
    const said = explain(refusal("too-many-live-holds", 409));
    expect(said).toMatch(/another tab or window/);
    expect(said).toMatch(/finish or cancel one/);
  });
  it("names the customer's own field in a refused form, not the server's path", () => {
    const email = { location: "body.customer.email", message: "value is not a valid email address: …" };
    expect(explain(refusal("validation-error", 422, { errors: [email] }))).toBe(
      "Please check your e-mail address (like name@example.com).",
    );
    const both = [email, { location: "body.customer.name", message: "too short" }];
    expect(explain(refusal("validation-error", 422, { errors: both }))).toBe(
      "Please check your e-mail address (like name@example.com) and your name.",
    );
    expect(explain(refusal("validation-error", 422, { detail: "dates out of order." }))).toBe(
      "Please check the form: dates out of order.",
    );
  });
  it("falls back on the server's detail, and never shows a stack or nothing", () => {
    expect(explain(refusal("something-new", 409))).toBe("Detail from the server.");
    expect(explain(new Error("boom"))).toBe("Something went wrong. Please try again.");
  });
});
