import { describe, expect, it } from "vitest";
import { CheckoutAttempt } from "./checkout";

describe("one Idempotency-Key per checkout attempt", () => {
  const keys = () => {
    let n = 0;
    return () => `key-${++n}`;
  };
  it("sends the same key when the same order is submitted twice (double click, retry)", () => {
    const attempt = new CheckoutAttempt(keys());
    const body = { hold_id: "h1", customer: { name: "Ada", email: "a@example.com" } };
    expect(attempt.keyFor(body)).toBe("key-1");
    expect(attempt.keyFor({ ...body })).toBe("key-1");
  });
  it("starts a new attempt after a refusal or when the form changed", () => {
    const attempt = new CheckoutAttempt(keys());
    const body = { hold_id: "h1", coupon: "BAD" };
    expect(attempt.keyFor(body)).toBe("key-1");
    attempt.refused();
    expect(attempt.keyFor(body)).toBe("key-2");
    expect(attempt.keyFor({ hold_id: "h1", coupon: "GOOD" })).toBe("key-3");
  });
});
