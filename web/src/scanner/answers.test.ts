import { describe, expect, it } from "vitest";
import { fromServer, kindOf, offlineAnswer, titleOf, toneOf, type DoorMemory } from "./answers";

const claims = { ticketId: "tkt_1", performanceId: "prf_1", seatId: null, version: 1 };
const empty: DoorMemory = { revoked: {}, used: {} };

describe("answers", () => {
  it("classify every server result, and anything unknown as invalid", () => {
    for (const result of ["ok", "already_used", "refunded", "voided", "wrong_performance", "cancelled", "invalid", "conflict"]) {
      expect(kindOf(result)).toBe(result);
    }
    expect(kindOf("something_new")).toBe("invalid");
    const used = fromServer({
      result: "already_used",
      detail: "this ticket was already used",
      ticket_id: "tkt_1",
      used_at: "2026-12-02T20:01:00Z",
    });
    expect(used).toMatchObject({ kind: "already_used", offline: false, usedAt: "2026-12-02T20:01:00Z" });
  });

  it("colour admissions green, refusals red and doubts amber", () => {
    expect(toneOf("ok")).toBe("go");
    for (const kind of ["already_used", "refunded", "voided", "cancelled", "invalid"] as const) expect(toneOf(kind)).toBe("stop");
    for (const kind of ["wrong_performance", "conflict", "needs_network"] as const) expect(toneOf(kind)).toBe("warn");
    expect(titleOf("ok")).toBe("Admit");
    expect(titleOf("refunded")).toBe("Refunded");
  });

  it("decide offline from the signature, the performance, the revocation list and this device", () => {
    expect(offlineAnswer(null, "prf_1", empty).kind).toBe("invalid");
    expect(offlineAnswer(claims, "prf_2", empty).kind).toBe("wrong_performance");
    const revoked = { revoked: { tkt_1: { reason: "refunded" } }, used: {} };
    expect(offlineAnswer(claims, "prf_1", revoked).kind).toBe("refunded");
    const voided = { revoked: { tkt_1: { reason: "voided" } }, used: {} };
    expect(offlineAnswer(claims, "prf_1", voided).kind).toBe("voided");
    const used = { revoked: {}, used: { tkt_1: "2026-12-02T20:00:00Z" } };
    expect(offlineAnswer(claims, "prf_1", used)).toMatchObject({
      kind: "already_used",
      usedAt: "2026-12-02T20:00:00Z",
    });
    expect(offlineAnswer(claims, "prf_1", empty)).toMatchObject({ kind: "ok", offline: true, ticketId: "tkt_1" });
    // a cancelled performance admits nobody: a desk ticket the box office has yet to refund too
    expect(offlineAnswer(claims, "prf_1", { ...empty, cancelled: true }).kind).toBe("cancelled");
    expect(offlineAnswer(claims, "prf_2", { ...empty, cancelled: true }).kind).toBe("wrong_performance");
  });
});
