import { afterEach, describe, expect, it, vi } from "vitest";
import { BUSY_RETRIES, call } from "./client";
import { ApiRefusal, EDGE_BUSY, ORDER_IN_PROGRESS, STOCK_UNAVAILABLE, explain } from "./problems";

type Answer = { data?: { ok: true }; error?: unknown; response: Response };

function refused(status: number, type: string, retryAfter?: string): Answer {
  const headers = retryAfter === undefined ? undefined : { "Retry-After": retryAfter };
  return { error: { type, title: "Refused", status, detail: "refused" }, response: new Response(null, { status, headers }) };
}
const done: Answer = { data: { ok: true }, response: new Response(null, { status: 200 }) };

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("call", () => {
  it("sends again after the edge's burst refusal, waiting what Retry-After says", async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, "random").mockReturnValue(0);
    const answers = [refused(429, EDGE_BUSY, "2"), refused(429, EDGE_BUSY, "2"), done];
    const request = vi.fn(async () => answers.shift() as Answer);
    const waits: number[] = [];
    const result = call(request, (s) => waits.push(s));
    await vi.advanceTimersByTimeAsync(1999);
    expect(request).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2001);
    expect(await result).toEqual({ ok: true });
    expect(request).toHaveBeenCalledTimes(3);
    expect(waits).toEqual([2, 2]);
  });

  it("spreads the buyers refused in one second over up to half the wait again", async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, "random").mockReturnValue(0.99);
    const answers = [refused(429, EDGE_BUSY, "2"), done];
    const request = vi.fn(async () => answers.shift() as Answer);
    const result = call(request);
    await vi.advanceTimersByTimeAsync(2900); // without the spread: sent again at 2 s
    expect(request).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(await result).toEqual({ ok: true });
  });

  it("sends again a hold the seat store did not answer (nothing was held)", async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, "random").mockReturnValue(0);
    const answers = [refused(503, STOCK_UNAVAILABLE, "2"), done];
    const request = vi.fn(async () => answers.shift() as Answer);
    const result = call(request);
    await vi.advanceTimersByTimeAsync(2000);
    expect(await result).toEqual({ ok: true });
    expect(request).toHaveBeenCalledTimes(2);
  });

  it("sends again an order still being placed under the same key", async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, "random").mockReturnValue(0);
    const answers = [refused(409, ORDER_IN_PROGRESS, "1"), done];
    const request = vi.fn(async () => answers.shift() as Answer);
    const result = call(request);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await result).toEqual({ ok: true });
    expect(request).toHaveBeenCalledTimes(2);
  });

  it("gives up after its retries and hands the page the edge's refusal", async () => {
    const request = vi.fn(async () => refused(429, EDGE_BUSY, "0"));
    const failure = await call(request).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiRefusal);
    expect(request).toHaveBeenCalledTimes(1 + BUSY_RETRIES);
    expect(explain(failure)).toBe("Many people are buying right now. Please try again in a moment.");
  });

  it("never sends again a refusal a service made, though it is a 429 with Retry-After", async () => {
    const request = vi.fn(async () => refused(429, "https://docs.ticketing.example/problems/too-many-holds", "40"));
    const failure = await call(request).catch((e: unknown) => e);
    expect(request).toHaveBeenCalledTimes(1);
    expect(failure).toMatchObject({ retryAfterS: 40, problem: { status: 429 } });
  });

  it("keeps a refusal made inside the request (a session's mint) instead of calling it a network failure", async () => {
    const failure = await call(async () => {
      throw new ApiRefusal({ type: "https://docs.ticketing.example/problems/not-found", title: "Not Found", status: 404 });
    }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ problem: { status: 404 } });
  });

  it("calls a failed fetch a network failure", async () => {
    const failure = await call(async () => {
      throw new TypeError("Failed to fetch");
    }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ problem: { type: "network", status: 0 } });
  });
});
