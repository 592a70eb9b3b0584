import { describe, expect, it } from "vitest";
import { intentId, outcomeOf } from "./payments";

describe("confirming at Stripe (or the emulator)", () => {
  it("reads the intent id out of the client secret", () => {
    expect(intentId("pi_123_secret_abc")).toBe("pi_123");
  });
  it("says why a card was declined and that nothing was taken", () => {
    const declined = outcomeOf(402, {
      error: { type: "card_error", code: "card_declined", decline_code: "insufficient_funds" },
    });
    expect(declined).toEqual({
      kind: "declined",
      message: "Your card has insufficient funds. No money was taken. Try another card.",
    });
  });
  it("counts a second press on an intent that already succeeded as paid", () => {
    const again = outcomeOf(400, {
      error: { code: "payment_intent_unexpected_state", payment_intent: { status: "succeeded" } },
    });
    expect(again.kind).toBe("succeeded");
    expect(outcomeOf(200, { status: "succeeded" }).kind).toBe("succeeded");
    expect(outcomeOf(500, {}).kind).toBe("error");
  });
});
