import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Door } from "./door";
import { Refused, Unreachable, type DoorApi } from "./doorApi";
import type { UploadResult } from "./offlineQueue";
import { forgetOtherPerformances, load, save } from "./storage";

// signed by orders' signer with the seed 01 02 … 20 (see ticketCode.test.ts)
const PUBLIC_KEY = "ebVWLo/mVPlAeLES6KmLp5AfhTrmlb7X4OORC60ElmQ=";
const PERFORMANCE = "prf_01JDOORTEST";
// another key (the seed 100 … 131): what a rotation brings in
const ROTATED_IN = "C7w0aldmfDgBIL2cf9flHSxf3+o3zS9b9AWyxr9vLXg=";
const TICKET =
  "dGt0XzAxSkRPT1JURVNUfHByZl8wMUpET09SVEVTVHx8MQ." +
  "v7LL57szprv6LW6gqMNf0t9ysp2rwkPy1NWkBICbCasn7N9C2b2Wba8Eg7tSjyxPsi_8E4pmMeoUv8iGLE0LCQ";
const SEATED_TICKET = // tkt_01JSEATED, same performance
  "dGt0XzAxSlNFQVRFRHxwcmZfMDFKRE9PUlRFU1R8c2VhdF9BXzNfMTJ8Mg." +
  "XyJAUgZz49aOvH7jMRaCqoXyziHQ09da7lnFlIhPa4ku8AOSuv0N3zQ_yMAzFgC2-ztR8Kba8fWrhfluA6fCCg";

/** A server that can be cut off; it counts the scans it applied by (device, nonce). */
function fakeServer() {
  const server = {
    reachable: true,
    checkIns: 0,
    result: "ok",
    applied: new Map<string, UploadResult>(),
    uploads: 0,
    revoked: [] as { ticket_id: string; reason: string; revoked_at: string }[],
    admitted: [] as { ticket_id: string; used_at: string }[],
    reset: [] as { ticket_id: string; reset_at: string }[],
    keys: [PUBLIC_KEY],
    admissionsAsked: [] as (string | null)[],
    api: undefined as unknown as DoorApi,
  };
  const need = () => {
    if (!server.reachable) throw new Unreachable("offline");
  };
  server.api = {
    checkIn: async () => {
      need();
      server.checkIns++;
      return { result: server.result, detail: "admit", ticket_id: "tkt_01JDOORTEST" };
    },
    checkInByNumber: async () => (need(), { result: "ok", detail: "admit" }),
    revocations: async (_, after) => {
      need();
      const page = server.revoked.slice(after);
      return { revoked: page, cursor: server.revoked.length, has_more: false };
    },
    upload: async (device, _, scans) => {
      need();
      server.uploads++;
      return scans.map((scan) => {
        const key = `${device}/${scan.nonce}`;
        const first = server.applied.get(key);
        if (first) return { ...first, replayed: true };
        const result = { nonce: scan.nonce, outcome: "ok", detail: "admit", replayed: false };
        server.applied.set(key, result);
        return result;
      });
    },
    admissions: async (_, since) => {
      need();
      server.admissionsAsked.push(since);
      return { admitted: server.admitted, reset: server.reset, next_since: "2026-12-02T19:00:00Z" };
    },
    publicKeys: async () => (need(), server.keys),
    performances: async () => [],
  };
  return server;
}

beforeEach(() => {
  localStorage.clear();
  save("public-key", PUBLIC_KEY);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the door", () => {
  it("shows the server's admission when the device's storage is full", async () => {
    const server = fakeServer();
    const door = new Door(server.api, PERFORMANCE, "phone-a");
    vi.spyOn(Storage.prototype, "setItem").mockImplementation(() => {
      throw new DOMException("full", "QuotaExceededError");
    });
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    // before, the failed write turned the server's "admit" into a red "invalid"
    expect(await door.scan(TICKET)).toMatchObject({ kind: "ok", offline: false });
    expect(door.state.used).toHaveProperty("tkt_01JDOORTEST"); // kept in memory all the same
    expect(door.state.unsaved).toBe(true); // and the steward is told so (a reload loses it)
  });

  it("says so while offline admissions could not be stored, and no more once they are", async () => {
    const server = fakeServer();
    const door = new Door(server.api, PERFORMANCE, "phone-a");
    server.reachable = false;
    const full = vi.spyOn(Storage.prototype, "setItem").mockImplementation(() => {
      throw new DOMException("full", "QuotaExceededError");
    });
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    expect(await door.scan(TICKET)).toMatchObject({ kind: "ok", offline: true });
    expect(door.state.unsaved).toBe(true);
    full.mockRestore();
    expect(await door.scan(SEATED_TICKET)).toMatchObject({ kind: "ok", offline: true });
    expect(door.state.unsaved).toBe(false);
    expect(load("queue", [])).toHaveLength(2); // both stored once there was room
  });

  it("keeps refusing offline a ticket it admitted while the storage was full", async () => {
    const server = fakeServer();
    const door = new Door(server.api, PERFORMANCE, "phone-a");
    save(`used.${PERFORMANCE}`, { tkt_other: "2026-12-04T18:00:00Z" }); // what another tab stored
    server.reachable = false;
    const full = vi.spyOn(Storage.prototype, "setItem").mockImplementation(() => {
      throw new DOMException("full", "QuotaExceededError");
    });
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    expect(await door.scan(TICKET)).toMatchObject({ kind: "ok", offline: true });
    // before: the stored admissions were read back, without this one: a second "ok", and a
    // second person in on the same ticket
    expect((await door.scan(TICKET)).kind).toBe("already_used");
    server.reachable = true;
    await door.sync(); // the feed's read does not forget it either
    expect(door.state.unsaved).toBe(true);
    full.mockRestore();
    server.reachable = false;
    expect((await door.scan(TICKET)).kind).toBe("already_used");
  });

  it("answers online while the server answers, and on the device when it does not", async () => {
    const server = fakeServer();
    const door = new Door(server.api, PERFORMANCE, "phone-a");
    expect((await door.scan(TICKET)).offline).toBe(false);
    localStorage.clear();
    save("public-key", PUBLIC_KEY);
    const fresh = new Door(server.api, PERFORMANCE, "phone-a");
    server.reachable = false;
    const offline = await fresh.scan(TICKET);
    expect(offline).toMatchObject({ kind: "ok", offline: true });
    expect(fresh.state.online).toBe(false);
    expect(fresh.state.queue).toHaveLength(1);
    expect((await fresh.scan(TICKET)).kind).toBe("already_used"); // twice at this door
  });

  it("stays online and keeps syncing revocations when the server refuses an upload", async () => {
    const server = fakeServer();
    const door = new Door(server.api, PERFORMANCE, "phone-a");
    server.reachable = false;
    await door.scan(TICKET); // admitted offline, queued
    server.reachable = true;
    server.api.upload = async () => {
      throw new Refused(422, "scans.0.scanned_at: out of range");
    };
    server.revoked.push({ ticket_id: "tkt_other", reason: "refunded", revoked_at: "2026-12-02T19:00:00Z" });
    await door.sync();
    // before, the refusal ended the sync: offline for good, no revocation list, nothing said
    expect(door.state.online).toBe(true);
    expect(door.state.revocations.cursor).toBe(1);
    expect(door.state.queue).toHaveLength(1);
    expect(door.state.uploadRefused).toContain("out of range");
  });

  it("refuses every ticket offline once the server said the performance is cancelled", async () => {
    const server = fakeServer();
    const door = new Door(server.api, PERFORMANCE, "phone-a");
    server.result = "cancelled";
    expect((await door.scan(TICKET)).kind).toBe("cancelled");
    server.reachable = false;
    // before the next sync: another ticket, never scanned here, admitted offline
    expect((await door.scan(SEATED_TICKET)).kind).toBe("cancelled");
  });

  it("refuses offline a ticket another door admitted, learnt from the admissions feed", async () => {
    const server = fakeServer();
    const door = new Door(server.api, PERFORMANCE, "phone-a");
    server.admitted.push({ ticket_id: "tkt_01JDOORTEST", used_at: "2026-12-02T18:55:00Z" }); // door B
    await door.sync();
    await door.sync();
    expect(server.admissionsAsked).toEqual([null, "2026-12-02T19:00:00Z"]); // from where it left off
    server.reachable = false; // door A's Wi-Fi goes
    // before, door A knew only its own admissions: the screenshot got in a second time
    expect(await door.scan(TICKET)).toMatchObject({ kind: "already_used", offline: true });
    expect(door.state.queue).toHaveLength(0);
  });

  it("admits offline again a ticket whose check-in staff undid, learnt from the feed", async () => {
    const server = fakeServer();
    const door = new Door(server.api, PERFORMANCE, "phone-a");
    server.admitted.push({ ticket_id: "tkt_01JDOORTEST", used_at: "2026-12-02T18:55:00Z" });
    await door.sync();
    server.admitted = [];
    server.reset.push({ ticket_id: "tkt_01JDOORTEST", reset_at: "2026-12-02T18:58:00Z" }); // let out
    await door.sync();
    expect(door.state.used).not.toHaveProperty("tkt_01JDOORTEST");
    server.reachable = false;
    // before, every door that had synced refused the holder coming back in
    expect(await door.scan(TICKET)).toMatchObject({ kind: "ok", offline: true });
  });

  it("learns the admissions from an older server that names no resets", async () => {
    const server = fakeServer();
    const door = new Door(server.api, PERFORMANCE, "phone-a");
    const older = { admitted: [{ ticket_id: "tkt_01JDOORTEST", used_at: "2026-12-02T18:55:00Z" }], next_since: "x" };
    server.api.admissions = async () => older as unknown as Awaited<ReturnType<DoorApi["admissions"]>>;
    await door.sync();
    expect(door.state.used).toHaveProperty("tkt_01JDOORTEST");
  });

  it("keeps its own admission made after a reset the feed reports", async () => {
    const server = fakeServer();
    const door = new Door(server.api, PERFORMANCE, "phone-a");
    server.reachable = false;
    await door.scan(TICKET, new Date("2026-12-02T19:10:00Z")); // admitted here after the reset
    server.reachable = true;
    server.reset.push({ ticket_id: "tkt_01JDOORTEST", reset_at: "2026-12-02T18:58:00Z" });
    await door.sync();
    expect(door.state.used).toHaveProperty("tkt_01JDOORTEST");
  });

  it("keeps the revocations and keys it downloaded when the admissions feed fails", async () => {
    const server = fakeServer();
    const door = new Door(server.api, PERFORMANCE, "phone-a");
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    server.api.admissions = async () => {
      throw new Refused(404, "Not Found"); // an orders pod still waiting for its migration
    };
    server.keys = [ROTATED_IN, PUBLIC_KEY];
    server.revoked.push({ ticket_id: "tkt_other", reason: "refunded", revoked_at: "2026-12-02T19:00:00Z" });
    await door.sync();
    // before, the failed read threw away both: the doors stopped learning of refunds
    expect(door.state.revocations.cursor).toBe(1);
    expect(load("public-keys", [])).toEqual([ROTATED_IN, PUBLIC_KEY]);
    expect(door.state.online).toBe(true);
  });

  it("stays online when the admissions feed does not answer in time or answers 5xx", async () => {
    const server = fakeServer();
    const door = new Door(server.api, PERFORMANCE, "phone-a");
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    for (const failure of [new Unreachable("no answer"), new Unreachable("answered 503")]) {
      server.api.admissions = async () => {
        throw failure;
      };
      await door.sync();
      expect(door.state.online).toBe(true); // before: offline, every scan decided on the phone
      expect((await door.scan(TICKET)).offline).toBe(false);
    }
  });

  it("asks the server about a ticket signed by a key it does not know yet, while online", async () => {
    const server = fakeServer();
    localStorage.clear();
    save("public-keys", [ROTATED_IN]); // synced before the key that signed TICKET came in
    const door = new Door(server.api, PERFORMANCE, "phone-a");
    // before: "not a valid ticket" without asking, for every ticket sold since the rotation
    expect(await door.scan(TICKET)).toMatchObject({ kind: "ok", offline: false });
    expect(server.checkIns).toBe(1);
    server.reachable = false;
    await door.sync(); // offline now: the device cannot tell, and refuses as before
    expect((await door.scan(SEATED_TICKET)).kind).toBe("invalid");
  });

  it("queues a scan as it was checked, without a reader's trailing newline", async () => {
    const server = fakeServer();
    const door = new Door(server.api, PERFORMANCE, "phone-a");
    server.reachable = false;
    expect(await door.scan(`${TICKET}\r\n`)).toMatchObject({ kind: "ok", offline: true });
    expect(door.state.queue.map((s) => s.secret)).toEqual([TICKET]);
  });

  it("reads the feed again from where it was when the admissions could not be stored", async () => {
    const server = fakeServer();
    const door = new Door(server.api, PERFORMANCE, "phone-a");
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    server.admitted.push({ ticket_id: "tkt_01JDOORTEST", used_at: "2026-12-02T18:55:00Z" });
    const setItem = Storage.prototype.setItem;
    vi.spyOn(Storage.prototype, "setItem").mockImplementation(function (this: Storage, key, value) {
      if (key.includes("used.")) throw new DOMException("full", "QuotaExceededError");
      setItem.call(this, key, value);
    });
    await door.sync();
    expect(door.state.used).toHaveProperty("tkt_01JDOORTEST"); // in memory all the same
    expect(load("admitted-since." + PERFORMANCE, null)).toBeNull(); // not past what was lost
  });

  it("never forgets the current performance's admissions to make room for a shared key", async () => {
    const server = fakeServer();
    const door = new Door(server.api, PERFORMANCE, "phone-a");
    await door.scan(TICKET); // admitted online: used here
    save(`used.prf_OLD`, { tkt_old: "2026-12-01T19:00:00Z" });
    const setItem = Storage.prototype.setItem;
    let full = true;
    vi.spyOn(Storage.prototype, "setItem").mockImplementation(function (this: Storage, key, value) {
      if (key.endsWith(".public-keys") && full) {
        full = false; // room made: the second try goes in
        throw new DOMException("full", "QuotaExceededError");
      }
      setItem.call(this, key, value);
    });
    await door.sync();
    // before, making room for the keys forgot this performance's admissions too
    expect(load(`used.${PERFORMANCE}`, {})).toHaveProperty("tkt_01JDOORTEST");
    expect(load(`used.prf_OLD`, null)).toBeNull();
    server.reachable = false;
    expect(await door.scan(TICKET)).toMatchObject({ kind: "already_used", offline: true });
  });

  it("admits offline a ticket signed by a key a rotation retired, listed after the new one", async () => {
    const server = fakeServer();
    server.keys = [ROTATED_IN, PUBLIC_KEY]; // the new key first; the one that signed TICKET kept
    localStorage.clear();
    const door = new Door(server.api, PERFORMANCE, "phone-a");
    await door.sync();
    server.reachable = false;
    expect(await door.scan(TICKET)).toMatchObject({ kind: "ok", offline: true });
    server.keys = [ROTATED_IN]; // once its performances are over, the old key is dropped
    server.reachable = true;
    await door.sync();
    server.reachable = false;
    expect((await door.scan(SEATED_TICKET)).kind).toBe("invalid"); // its key dropped: refused
  });

  it("refuses offline what the synced revocation list names", async () => {
    const server = fakeServer();
    server.revoked.push({ ticket_id: "tkt_01JDOORTEST", reason: "refunded", revoked_at: "2026-12-02T19:00:00Z" });
    const door = new Door(server.api, PERFORMANCE, "phone-a");
    await door.sync();
    expect(door.state.revocations.cursor).toBe(1);
    server.reachable = false;
    expect(await door.scan(TICKET)).toMatchObject({ kind: "refunded", offline: true });
    expect(door.state.queue).toHaveLength(0);
  });

  it("uploads the queue when back, retried after a failure with the same nonces, once", async () => {
    const server = fakeServer();
    const door = new Door(server.api, PERFORMANCE, "phone-a");
    server.reachable = false;
    await door.scan(TICKET);
    const nonce = door.state.queue[0]?.nonce;
    await door.sync(); // still offline: nothing lost
    expect(door.state.queue.map((s) => s.nonce)).toEqual([nonce]);
    server.reachable = true;
    await door.sync();
    expect(door.state.queue).toEqual([]);
    expect(door.state.reports.map((r) => [r.nonce, r.outcome])).toEqual([[nonce, "ok"]]);
    expect(server.applied.size).toBe(1);
    // the queue survives a reload of the page (kept in localStorage)
    const reloaded = new Door(server.api, PERFORMANCE, "phone-a");
    expect(reloaded.state.reports).toHaveLength(1);
  });

  it("keeps a scan made offline (in another tab) while an upload is on its way", async () => {
    const server = fakeServer();
    const door = new Door(server.api, PERFORMANCE, "phone-a");
    const otherTab = new Door(server.api, PERFORMANCE, "phone-a");
    server.reachable = false;
    await door.scan(TICKET);
    const [first] = door.state.queue;
    server.reachable = true;
    let release!: () => void;
    const gate = new Promise<void>((done) => (release = done));
    const upload = server.api.upload;
    server.api.upload = async (...args) => {
      await gate; // a slow upload: the door goes on scanning meanwhile
      return upload(...args);
    };
    const syncing = door.sync();
    server.reachable = false;
    expect(await otherTab.scan(SEATED_TICKET)).toMatchObject({ kind: "ok", offline: true });
    const late = otherTab.state.queue.at(-1)!;
    server.reachable = true;
    release();
    await syncing;
    // uploaded in the next batch, not erased by the first batch's answer
    expect([...server.applied.keys()]).toEqual([`phone-a/${first!.nonce}`, `phone-a/${late.nonce}`]);
    expect(door.state.queue).toEqual([]);
  });

  it("two tabs of one phone keep each other's offline scans and admissions", async () => {
    const server = fakeServer();
    const [tabA, tabB] = [new Door(server.api, PERFORMANCE, "phone-a"), new Door(server.api, PERFORMANCE, "phone-a")];
    server.reachable = false;
    expect(await tabA.scan(TICKET)).toMatchObject({ kind: "ok", offline: true });
    // admitted in the other tab a moment ago: not admitted twice
    expect(await tabB.scan(TICKET)).toMatchObject({ kind: "already_used", offline: true });
    expect(await tabB.scan(SEATED_TICKET)).toMatchObject({ kind: "ok", offline: true });
    expect(tabB.state.queue.map((s) => s.ticketId)).toEqual(["tkt_01JDOORTEST", "tkt_01JSEATED"]);

    server.reachable = true;
    await tabA.sync(); // tab A uploads both: neither tab's save dropped the other's scan
    expect([...server.applied.values()].map((r) => r.outcome)).toEqual(["ok", "ok"]);
    expect(server.applied.size).toBe(2);
    await tabB.sync();
    expect(tabB.state.queue).toEqual([]);
    expect(server.applied.size).toBe(2);
    expect(new Door(server.api, PERFORMANCE, "phone-a").state.reports).toHaveLength(2);
  });

  it("asks the server again for a ticket it admitted online: staff may have undone it", async () => {
    const server = fakeServer();
    const door = new Door(server.api, PERFORMANCE, "phone-a");
    expect((await door.scan(TICKET)).kind).toBe("ok");
    // staff reset the check-in: the server admits it again, and this phone must not refuse it
    expect((await door.scan(TICKET)).kind).toBe("ok");
    expect(server.checkIns).toBe(2);
    server.result = "already_used";
    expect((await door.scan(TICKET)).kind).toBe("already_used");
    server.reachable = false; // and offline it is the device's memory that refuses it
    expect(await door.scan(TICKET)).toMatchObject({ kind: "already_used" });
  });

  it("says a ticket number needs the network when there is none", async () => {
    const server = fakeServer();
    server.reachable = false;
    const door = new Door(server.api, PERFORMANCE, "phone-a");
    expect((await door.byNumber("ORD-1-1")).kind).toBe("needs_network");
  });

  it("asks a number typed again after its answer was lost as the same entry, and a new one anew", async () => {
    const server = fakeServer();
    const keys: string[] = [];
    let answerLost = true;
    server.api.checkInByNumber = async (_number, _performance, key) => {
      keys.push(key);
      if (answerLost) {
        answerLost = false; // the server admitted the holder; the answer never came back
        throw new Unreachable("timeout");
      }
      return { result: "ok", detail: "admit" };
    };
    const door = new Door(server.api, PERFORMANCE, "phone-a");
    expect((await door.byNumber("ord-20261206-abcdef-1")).kind).toBe("needs_network");
    expect((await door.byNumber(" ORD-20261206-ABCDEF-1 ")).kind).toBe("ok");
    await door.byNumber("ORD-20261206-ABCDEF-1"); // answered before: another entry now
    await door.byNumber("ORD-20261206-ABCDEF-2");
    expect(keys[1]).toBe(keys[0]);
    expect(new Set(keys).size).toBe(3);
  });

  it("asks a number whose answer was lost minutes ago as a new entry", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const server = fakeServer();
    const keys: string[] = [];
    server.api.checkInByNumber = async (_number, _performance, key) => {
      keys.push(key);
      throw new Unreachable("timeout");
    };
    const door = new Door(server.api, PERFORMANCE, "phone-a");
    await door.byNumber("ORD-20261206-ABCDEF-1");
    vi.advanceTimersByTime(60_000);
    await door.byNumber("ORD-20261206-ABCDEF-1"); // within the window: the same entry
    vi.advanceTimersByTime(90_000); // 2.5 minutes after it was first asked
    await door.byNumber("ORD-20261206-ABCDEF-1"); // someone else showing that number, maybe
    vi.useRealTimers();
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it("answers on the device at once once it knows it is offline, until a sync reaches the server", async () => {
    const server = fakeServer();
    const door = new Door(server.api, PERFORMANCE, "phone-a");
    server.reachable = false;
    let asked = 0;
    const checkIn = server.api.checkIn;
    server.api.checkIn = async (...args) => (asked++, checkIn(...args));
    expect(await door.scan(TICKET)).toMatchObject({ kind: "ok", offline: true });
    expect(asked).toBe(1); // the first waited for the network's answer
    expect(await door.scan(SEATED_TICKET)).toMatchObject({ kind: "ok", offline: true });
    expect(asked).toBe(1); // the next did not: the queue at the door moves
    server.reachable = true;
    await door.sync();
    expect(door.state.online).toBe(true);
    await door.scan(TICKET);
    expect(asked).toBe(2); // online again: the server is asked
  });
});

describe("what the device keeps per performance", () => {
  const syncedAgo = (ms: number) => ({ cursor: 1, revoked: {}, syncedAt: new Date(Date.now() - ms).toISOString() });

  it("forgets other performances a day after their last sync, never this one's", () => {
    save("revocations.prf_old", syncedAgo(25 * 3600 * 1000));
    save("used.prf_old", { tkt_1: "2026-11-01T19:00:00Z" });
    save("revocations.prf_yesterday", syncedAgo(3600 * 1000));
    save("revocations.prf_now", syncedAgo(30 * 24 * 3600 * 1000));
    save("used.prf_now", { tkt_2: "2026-11-01T19:00:00Z" });
    forgetOtherPerformances("prf_now");
    expect(load("revocations.prf_old", null)).toBeNull();
    expect(load("used.prf_old", null)).toBeNull();
    expect(load("revocations.prf_yesterday", null)).not.toBeNull();
    expect(load("used.prf_now", null)).toEqual({ tkt_2: "2026-11-01T19:00:00Z" });
    expect(load("public-key", null)).toBe(PUBLIC_KEY);
  });

  it("keeps the admissions of a performance whose revocations never synced", () => {
    // admitted offline on a show chosen without the network, then the steward switched: its
    // admissions were forgotten at once, and the same tickets got in a second time
    save("revocations.prf_offline", { cursor: 0, revoked: {}, syncedAt: null });
    save("used.prf_offline", { tkt_1: "2026-12-04T19:00:00Z" });
    forgetOtherPerformances("prf_other");
    expect(load("used.prf_offline", null)).toEqual({ tkt_1: "2026-12-04T19:00:00Z" });
  });

  it("makes room by forgetting other performances when the storage is full", () => {
    save("used.prf_other", { tkt_1: "x" });
    const setItem = Storage.prototype.setItem;
    let refusals = 1;
    vi.spyOn(Storage.prototype, "setItem").mockImplementation(function (this: Storage, key, value) {
      if (refusals-- > 0) throw new DOMException("full", "QuotaExceededError");
      setItem.call(this, key, value);
    });
    save("used.prf_now", { tkt_2: "y" });
    expect(load("used.prf_now", null)).toEqual({ tkt_2: "y" });
    expect(load("used.prf_other", null)).toBeNull();
  });
});

