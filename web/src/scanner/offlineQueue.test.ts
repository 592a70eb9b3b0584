import { describe, expect, it } from "vitest";
import { queued, settle, uploadNext, type QueuedScan, type UploadResult, type Uploader } from "./offlineQueue";

const at = new Date("2026-12-02T19:30:00Z");

function okFor(scans: { nonce: string }[]): UploadResult[] {
  return scans.map((s) => ({ nonce: s.nonce, outcome: "ok", detail: "admit", replayed: false }));
}

describe("the offline queue", () => {
  it("gives every scan its own nonce, even the same ticket twice", () => {
    const one = queued("secret-1", "prf_1", "tkt_1", at);
    const again = queued("secret-1", "prf_1", "tkt_1", at);
    expect(one.nonce).not.toBe(again.nonce);
    expect(one.nonce.length).toBeGreaterThanOrEqual(8);
    expect(one.scannedAt).toBe("2026-12-02T19:30:00.000Z");
  });

  it("keeps everything after a failed upload and retries with the same nonces", async () => {
    const queue: QueuedScan[] = [queued("s1", "prf_1", "t1", at), queued("s2", "prf_1", "t2", at)];
    const sent: string[][] = [];
    let failures = 2;
    const flaky: Uploader = async (_, scans) => {
      sent.push(scans.map((s) => s.nonce));
      if (failures-- > 0) throw new Error("the answer was lost");
      return okFor(scans);
    };
    await expect(uploadNext(queue, flaky)).rejects.toThrow();
    await expect(uploadNext(queue, flaky)).rejects.toThrow();
    const done = await uploadNext(queue, flaky);
    expect(done.queue).toEqual([]);
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((nonces) => nonces.join()))).toEqual(new Set([queue.map((s) => s.nonce).join()]));
  });

  it("uploads one performance at a time and keeps the rest in order", async () => {
    const queue = [queued("s1", "prf_1", "t1", at), queued("s2", "prf_2", "t2", at), queued("s3", "prf_1", "t3", at)];
    const seen: string[] = [];
    const { queue: left, results } = await uploadNext(queue, async (performanceId, scans) => {
      seen.push(performanceId);
      return okFor(scans);
    });
    expect(seen).toEqual(["prf_1"]);
    expect(results.map((r) => r.nonce)).toEqual([queue[0]?.nonce, queue[2]?.nonce]);
    expect(left).toEqual([queue[1]]);
  });

  it("drops only the scans the server answered", () => {
    const queue = [queued("s1", "prf_1", "t1", at), queued("s2", "prf_1", "t2", at)];
    expect(settle(queue, okFor([queue[1] as QueuedScan]))).toEqual([queue[0]]);
  });
});
