import { describe, expect, it } from "vitest";
import { EMPTY_REVOCATIONS, mergeRevocations, syncRevocations, type RevocationPage } from "./revocations";

const entry = (ticket_id: string, reason = "refunded") => ({ ticket_id, reason, revoked_at: "2026-12-02T19:00:00Z" });

describe("the revocation list", () => {
  it("adds each delta and moves the cursor forward", () => {
    const first = mergeRevocations(EMPTY_REVOCATIONS, { revoked: [entry("a")], cursor: 1, has_more: false }, 0);
    const second = mergeRevocations(first, { revoked: [entry("b", "voided")], cursor: 2, has_more: false }, 1);
    expect(second.cursor).toBe(2);
    expect(Object.keys(second.revoked).sort()).toEqual(["a", "b"]);
    expect(second.revoked.b?.reason).toBe("voided");
    const nothingNew = mergeRevocations(second, { revoked: [], cursor: 2, has_more: false }, 2);
    expect(nothingNew.cursor).toBe(2);
    expect(Object.keys(nothingNew.revoked)).toHaveLength(2);
  });

  it("keeps a cancellation for good, and a device's older list reads as not cancelled", () => {
    const kept = { cursor: 4, revoked: {}, syncedAt: null }; // saved before the server said it
    const told = mergeRevocations(kept, { revoked: [], cursor: 4, has_more: false, performance_cancelled: true }, 4);
    expect(told.cancelled).toBe(true);
    const older = mergeRevocations(told, { revoked: [], cursor: 4, has_more: false }, 4);
    expect(older.cancelled).toBe(true);
    expect(mergeRevocations(kept, { revoked: [], cursor: 4, has_more: false }, 4).cancelled).toBe(false);
  });

  it("ignores a late answer to an older request and never moves the cursor back", () => {
    const now = mergeRevocations(EMPTY_REVOCATIONS, { revoked: [entry("a"), entry("b")], cursor: 2, has_more: false }, 0);
    const late = mergeRevocations(now, { revoked: [entry("a")], cursor: 1, has_more: false }, 0);
    expect(late).toBe(now);
  });

  it("asks again with the cursor while the server has more", async () => {
    const pages: Record<number, RevocationPage> = {
      0: { revoked: [entry("a"), entry("b")], cursor: 2, has_more: true },
      2: { revoked: [entry("c")], cursor: 3, has_more: false },
    };
    const asked: number[] = [];
    const synced = await syncRevocations(EMPTY_REVOCATIONS, async (after) => {
      asked.push(after);
      const page = pages[after];
      if (!page) throw new Error(`unexpected cursor ${after}`);
      return page;
    });
    expect(asked).toEqual([0, 2]);
    expect(synced.cursor).toBe(3);
    expect(Object.keys(synced.revoked).sort()).toEqual(["a", "b", "c"]);
    expect(synced.syncedAt).not.toBeNull();
  });
});
