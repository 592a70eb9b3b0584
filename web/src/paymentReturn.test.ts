import { beforeEach, describe, expect, it } from "vitest";
import {
  paymentReturnUrl,
  recalledCheckoutToken,
  rememberCheckoutToken,
  returnedFromPayment,
} from "./paymentReturn";

describe("the way back from a payment that left the page", () => {
  beforeEach(() => sessionStorage.clear());

  it("keeps the order's token out of the return URL", () => {
    expect(paymentReturnUrl("ord_1 2", "https://shop.example")).toBe(
      "https://shop.example/checkout/ord_1%202",
    );
  });

  it("finds the token of the order it was remembered for, and no other", () => {
    rememberCheckoutToken("ord_1", "tok_1");
    expect(recalledCheckoutToken("ord_1")).toBe("tok_1");
    expect(recalledCheckoutToken("ord_2")).toBeNull();
  });

  it("reads Stripe's redirect status", () => {
    const back = "?payment_intent=pi_1&payment_intent_client_secret=pi_1_secret&redirect_status=";
    expect(returnedFromPayment(back + "succeeded")).toBe("paid");
    expect(returnedFromPayment(back + "processing")).toBe("paid");
    expect(returnedFromPayment(back + "failed")).toBe("failed");
    expect(returnedFromPayment(back + "requires_action")).toBeNull();
    expect(returnedFromPayment("")).toBeNull();
  });
});
