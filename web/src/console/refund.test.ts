import { describe, expect, it } from "vitest";
import { parseAmount, refundBody } from "./refund";

describe("parseAmount", () => {
  it("reads amounts with up to two decimals into minor units", () => {
    expect(parseAmount("12.50")).toBe(1250);
    expect(parseAmount("12,5")).toBe(1250);
    expect(parseAmount("3")).toBe(300);
    expect(parseAmount("0.07")).toBe(7);
    expect(parseAmount("1.234")).toBeNull();
    expect(parseAmount("-1")).toBeNull();
    expect(parseAmount("abc")).toBeNull();
  });
});

describe("refundBody", () => {
  it("sends nothing for a full refund, the tickets or the amount otherwise", () => {
    expect(refundBody({ kind: "full" }, 5000, "")).toEqual({ ok: true, body: {} });
    expect(refundBody({ kind: "tickets", ticketIds: ["t1"] }, 5000, " ill ")).toEqual({
      ok: true,
      body: { ticket_ids: ["t1"], reason: "ill" },
    });
    expect(refundBody({ kind: "amount", text: "10" }, 5000, "")).toEqual({ ok: true, body: { amount: 1000 } });
  });

  it("refuses what cannot be refunded", () => {
    expect(refundBody({ kind: "amount", text: "50.01" }, 5000, "")).toEqual({
      ok: false,
      error: "At most 50.00 is left to refund.",
    });
    expect(refundBody({ kind: "amount", text: "0" }, 5000, "").ok).toBe(false);
    expect(refundBody({ kind: "amount", text: "ten" }, 5000, "").ok).toBe(false);
    expect(refundBody({ kind: "tickets", ticketIds: [] }, 5000, "").ok).toBe(false);
    expect(refundBody({ kind: "full" }, 0, "").ok).toBe(false);
  });
});
