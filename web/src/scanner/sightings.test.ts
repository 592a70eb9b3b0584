import { describe, expect, it } from "vitest";
import type { Answer } from "./answers";
import { newSightings, newTurns } from "./sightings";

describe("newSightings", () => {
  it("counts a code held in view once, and again only after it was out of sight", () => {
    const seen = newSightings(3000);
    const frames = [0, 200, 2900, 3100, 5000, 7900].map((at) => seen("tkt-A", at));
    expect(frames).toEqual([true, false, false, false, false, false]);
    expect(seen(null, 8100)).toBe(false);
    expect(seen("tkt-A", 12_500)).toBe(true); // out of sight since 7900
    expect(seen("tkt-B", 12_600)).toBe(true);
    // two codes in view at once (a family's phones): each counts once, not A again
    expect(seen("tkt-A", 12_700)).toBe(false);
    expect(seen("tkt-B", 12_800)).toBe(false);
    expect(seen("tkt-A", 16_000)).toBe(true); // out of sight for more than 3 s
  });
});

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

const admit: Answer = { kind: "ok", detail: "admit", offline: false };
const forged: Answer = { kind: "invalid", detail: "not a valid ticket", offline: false };

describe("newTurns", () => {
  it("never lets an earlier code's slow answer replace a later code's", async () => {
    const shown: Answer[] = [];
    const answer = newTurns((a) => shown.push(a));
    const first = deferred<Answer>();
    const second = deferred<Answer>();
    const slow = answer(() => first.promise);
    const quick = answer(() => second.promise);
    second.resolve(forged); // the later code answers first...
    await quick;
    first.resolve(admit); // ...and the earlier one after it
    await slow;
    expect(shown).toEqual([forged]);
  });

  it("says a check began at once, and shows an earlier code's late answer aside", async () => {
    const shown: Answer[] = [];
    const events: string[] = [];
    const answer = newTurns((a) => shown.push(a), {
      checking: () => events.push("checking"),
      late: (a) => events.push(`late ${a.kind}`),
    });
    const first = deferred<Answer>();
    const slow = answer(() => first.promise);
    expect(events).toEqual(["checking"]); // the last person's answer does not stand meanwhile
    await answer(() => Promise.resolve(admit));
    first.resolve(forged); // person A's refusal, after person B's admission
    await slow;
    expect(shown).toEqual([admit]);
    expect(events).toEqual(["checking", "checking", "late invalid"]);
  });

  it("answers a check that failed outright", async () => {
    const shown: Answer[] = [];
    const answer = newTurns((a) => shown.push(a));
    await answer(() => Promise.reject(new Error("storage full")));
    expect(shown.map((a) => [a.kind, a.detail])).toEqual([
      ["not_checked", "not checked (storage full): scan again"],
    ]);
  });
});
