import { describe, expect, it } from "vitest";
import type { Order } from "./api/client";
import { orderStory } from "./orderStory";

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
