import { describe, expect, it } from "vitest";
import { RefundAttempt, amountExample, deskRefund, leftToRefund, parseAmount, refundBody } from "./refund";

describe("parseAmount", () => {
  it("reads amounts with up to two decimals into minor units", () => {
    expect(parseAmount("12.50", "EUR")).toBe(1250);
    expect(parseAmount("12,5", "EUR")).toBe(1250);
    expect(parseAmount("3", "EUR")).toBe(300);
    expect(parseAmount("0.07", "EUR")).toBe(7);
    expect(parseAmount("1.234", "EUR")).toBeNull();
    expect(parseAmount("-1", "EUR")).toBeNull();
    expect(parseAmount("abc", "EUR")).toBeNull();
  });

  it("counts the minor units each currency has: none for yen, three for dinar", () => {
    expect(parseAmount("5000", "JPY")).toBe(5000); // ¥5,000, not ¥500,000
    expect(parseAmount("50.5", "JPY")).toBeNull();
    expect(parseAmount("12.5", "KWD")).toBe(12500);
    expect(parseAmount("12.500", "KWD")).toBe(12500);
    expect(parseAmount("1.2345", "KWD")).toBeNull();
    expect([amountExample("EUR"), amountExample("JPY"), amountExample("KWD")]).toEqual([
      "12.50",
      "1250",
      "12.500",
    ]);
  });
});

describe("leftToRefund", () => {
  it("counts every refund made, a failed one too: its money is owed by hand", () => {
    const refunds = [{ amount: { amount: 2500 }, status: "failed" }, { amount: { amount: 1000 }, status: "succeeded" }];
    expect(leftToRefund(5000, refunds)).toBe(1500); // the server's figure: 2500 was offered
    expect(leftToRefund(5000, [])).toBe(5000);
  });
});

describe("refundBody", () => {
  it("sends nothing for a full refund, the tickets or the amount otherwise", () => {
    expect(refundBody({ kind: "full" }, 5000, "", "EUR")).toEqual({ ok: true, body: {} });
    expect(refundBody({ kind: "tickets", ticketIds: ["t1"] }, 5000, " ill ", "EUR")).toEqual({
      ok: true,
      body: { ticket_ids: ["t1"], reason: "ill" },
    });
    expect(refundBody({ kind: "amount", text: "10" }, 5000, "", "EUR")).toEqual({ ok: true, body: { amount: 1000 } });
  });

  it("refuses what cannot be refunded", () => {
    expect(refundBody({ kind: "amount", text: "50.01" }, 5000, "", "EUR")).toEqual({
      ok: false,
      error: "At most €50.00 is left to refund.",
    });
    expect(refundBody({ kind: "amount", text: "0" }, 5000, "", "EUR").ok).toBe(false);
    expect(refundBody({ kind: "amount", text: "ten" }, 5000, "", "EUR").ok).toBe(false);
    expect(refundBody({ kind: "tickets", ticketIds: [] }, 5000, "", "EUR").ok).toBe(false);
    // nothing left to pay back (complimentary, 100 % coupon): the tickets can still be voided
    expect(refundBody({ kind: "full" }, 0, "", "EUR")).toEqual({ ok: true, body: {} });
    expect(refundBody({ kind: "tickets", ticketIds: ["t1"] }, 0, "", "EUR")).toEqual({
      ok: true,
      body: { ticket_ids: ["t1"] },
    });
    expect(refundBody({ kind: "amount", text: "1" }, 0, "", "EUR").ok).toBe(false);
    expect(refundBody({ kind: "amount", text: "1000" }, 800, "", "JPY")).toEqual({
      ok: false,
      error: "At most JP¥800 is left to refund.",
    });
  });
});

describe("deskRefund", () => {
  it("tells the clerk to hand back a desk sale's money, which nothing pays back by itself", () => {
    expect(deskRefund("cash").question).toContain("back in cash yourself");
    expect(deskRefund("cash").done("€40.00", "succeeded")).toBe("Refund of €40.00 recorded: give €40.00 back in cash now.");
    expect(deskRefund("card_terminal").done("€40.00", "succeeded")).toContain("on the card terminal now");
    expect(deskRefund("complimentary").question).toContain("nothing is paid back");
    expect(deskRefund(null).done("€25.00", "pending")).toBe("Refund of €25.00: pending.");
    expect(deskRefund(undefined).question).toContain("back to the card");
  });
});


describe("RefundAttempt", () => {
  let n = 0;
  const key = () => `key-${++n}`;

  it("sends the first request again, reason and all, while its answer is unknown", () => {
    const attempt = new RefundAttempt();
    const first = attempt.requestFor({ amount: 1000 }, key);
    const edited = attempt.requestFor({ amount: 1000, reason: "late bus" }, key);
    expect(edited).toEqual(first);
    expect(edited.body).toEqual({ amount: 1000 });
  });

  it("makes another amount or choice of tickets another refund, and starts afresh once answered", () => {
    const attempt = new RefundAttempt();
    const first = attempt.requestFor({ ticket_ids: ["tkt_1"] }, key);
    const other = attempt.requestFor({ ticket_ids: ["tkt_1", "tkt_2"] }, key);
    expect(other.key).not.toBe(first.key);
    attempt.answered();
    expect(attempt.requestFor({ ticket_ids: ["tkt_1", "tkt_2"] }, key).key).not.toBe(other.key);
  });
});
