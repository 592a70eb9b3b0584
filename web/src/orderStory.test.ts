import { describe, expect, it } from "vitest";
import type { Order } from "./api/client";
import { followEvery, LATE_PAYMENT_MS, orderStory, refundState } from "./orderStory";

type Refund = Order["refunds"][number];

function order(status: string, causes: Refund["cause"][] = []): Order {
  const refunds = causes.map(
    (cause, i): Refund => ({
      refund_id: `rfd_${i}`,
      amount: { amount: 5000, currency: "EUR" },
      ticket_ids: [],
      status: "succeeded",
      automatic: cause !== "staff",
      cause,
      reason: null,
      error: null,
      created_at: "2026-11-20T10:00:00Z",
    }),
  );
  return { status, refunds, event_name: "Hamlet", tickets: [], customer: { name: "Ada", email: "a@x.test" } } as unknown as Order;
}

describe("the order page's story", () => {
  it("says a refund was for a cancelled performance, not a late payment", () => {
    const story = orderStory(order("refunded", ["performance_cancelled"]));
    expect(story.title).toBe("Performance cancelled");
    expect(story.text).toContain("Hamlet was cancelled");
    expect(story.payAgain).toBe(false);
  });
  it("keeps the late-payment words for a late payment", () => {
    expect(orderStory(order("refunded", ["late_payment"])).text).toContain("after your reservation had expired");
  });
  it("says a staff refund plainly", () => {
    expect(orderStory(order("refunded", ["staff"])).title).toBe("Order refunded");
  });
  it("never says nothing was charged when a payment for a cancelled order was refunded", () => {
    const refunded = orderStory(order("cancelled", ["unwanted_payment"]));
    expect(refunded.text).toContain("we refunded the payment in full");
    expect(refunded.text).not.toContain("nothing was charged");
    expect(orderStory(order("cancelled")).text).toBe("This order was cancelled; nothing was charged.");
  });
});

describe("how long the order page follows an order", () => {
  const at = (status: string, more: Partial<Order> = {}) =>
    ({ ...order(status), payment_deadline: "2026-12-04T19:00:00Z", ...more }) as Order;
  const deadline = Date.parse("2026-12-04T19:00:00Z");

  it("follows an expired order a while: a payment made in its last seconds pays it", () => {
    // before, the page stopped at "expired, nothing was charged" and never showed the tickets
    expect(followEvery(at("expired"), deadline + 60_000)).toBe(10_000);
    expect(followEvery(at("cancelled"), deadline + 60_000)).toBe(10_000);
    expect(followEvery(at("expired"), deadline + LATE_PAYMENT_MS + 1)).toBeNull();
    expect(orderStory(at("expired"), true).text).toContain("If you paid in the last moments");
    expect(orderStory(at("expired"), false).text).not.toContain("last moments");
  });

  it("follows a pending refund, and stops once nothing more is awaited", () => {
    const refunds = order("refunded", ["staff"]).refunds;
    const pending = at("partially_refunded", { refunds: refunds.map((r) => ({ ...r, status: "pending" })) });
    expect(followEvery(pending, deadline)).toBe(5000);
    expect(refundState("pending")).toBe("on its way back to your card");
    expect(refundState("failed")).toContain("not gone through yet");
    expect(followEvery(at("refunded", { refunds }), deadline)).toBeNull();
    expect(followEvery(at("paid", { tickets: [{}] as Order["tickets"] }), deadline)).toBeNull();
    expect(followEvery(at("paid"), deadline)).toBe(1500); // tickets on their way
    expect(followEvery(at("pending_payment"), deadline)).toBe(1500);
  });
});
