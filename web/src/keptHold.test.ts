import { beforeEach, describe, expect, it } from "vitest";
import type { Hold } from "./api/client";
import { forgetHold, keepHold, keptHold, placementToSend, restored } from "./keptHold";

const now = new Date("2030-03-01T09:00:00Z");
function hold(status: string, expiresAt = "2030-03-01T09:05:00Z"): Hold {
  return { hold_id: "hld_1", performance_id: "prf_1", status, lines: [], quantity: 2, expires_at: expiresAt, extended: false, contiguous: null } as Hold;
}

describe("a kept hold", () => {
  beforeEach(() => sessionStorage.clear());

  it("is kept per performance and forgotten", () => {
    keepHold("prf_1", { holdId: "hld_1" });
    expect(keptHold("prf_1")).toEqual({ holdId: "hld_1" });
    expect(keptHold("prf_2")).toBeNull();
    forgetHold("prf_1");
    expect(keptHold("prf_1")).toBeNull();
  });

  it("reads as nothing when the stored value is not one", () => {
    sessionStorage.setItem("ticketing.hold.prf_1", "{not json");
    expect(keptHold("prf_1")).toBeNull();
    sessionStorage.setItem("ticketing.hold.prf_1", JSON.stringify({ hold: 3 }));
    expect(keptHold("prf_1")).toBeNull();
  });

  it("comes back as the reservation while it is held and unexpired", () => {
    expect(restored(hold("held"), { holdId: "hld_1" }, now)).toMatchObject({ kind: "held" });
    expect(restored(hold("held", "2030-03-01T08:59:59Z"), { holdId: "hld_1" }, now)).toEqual({ kind: "gone" });
  });

  it("comes back as the way to the payment once an order is paying for it", () => {
    const kept = { holdId: "hld_1", checkoutUrl: "/checkout/ord_1#token=t" };
    expect(restored(hold("pinned"), kept, now)).toEqual({ kind: "ordered", checkoutUrl: kept.checkoutUrl });
    expect(restored(hold("pinned"), { holdId: "hld_1" }, now)).toEqual({ kind: "gone" });
  });

  it("comes back as the order to ask for again when its answer was never seen", () => {
    const placing = { key: "key-1", body: { hold_id: "hld_1", customer: { name: "Ana", email: "ana@example.com" } } };
    expect(restored(hold("pinned"), { holdId: "hld_1", placing }, now)).toEqual({ kind: "placing", placing });
    // still held: the placement was refused (or never reached orders), the seats are the buyer's
    expect(restored(hold("held"), { holdId: "hld_1", placing }, now)).toMatchObject({ kind: "held" });
  });

  it("is gone once sold, released, expired or unknown", () => {
    for (const status of ["committed", "released", "expired"]) {
      expect(restored(hold(status), { holdId: "hld_1", checkoutUrl: "/checkout/x" }, now)).toEqual({ kind: "gone" });
    }
    expect(restored(null, { holdId: "hld_1" }, now)).toEqual({ kind: "gone" });
  });

  it("sends the order asked before for this hold again as it was, its answer unseen", () => {
    const first = { key: "key-1", body: { hold_id: "hld_1", customer: { name: "Ana", email: "ana@exmple.com" } } };
    const edited = { key: "key-2", body: { hold_id: "hld_1", customer: { name: "Ana", email: "ana@example.com" } } };
    // the e-mail fixed after a lost answer: a new key would be refused as a second order
    expect(placementToSend({ holdId: "hld_1", placing: first }, "hld_1", () => edited)).toEqual(first);
    expect(placementToSend({ holdId: "hld_1" }, "hld_1", () => edited)).toEqual(edited);
    expect(placementToSend({ holdId: "hld_0", placing: first }, "hld_1", () => edited)).toEqual(edited);
    expect(placementToSend(null, "hld_1", () => edited)).toEqual(edited);
  });
});
