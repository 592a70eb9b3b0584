import { afterEach, describe, expect, it } from "vitest";
import { act, cleanup, renderHook, waitFor } from "@testing-library/react";
import { useLoad } from "./ui";

afterEach(cleanup);

/** A fetcher whose answers the test gives, one per call, in order. */
function server() {
  const pending: { resolve: (value: number) => void; reject: (error: Error) => void }[] = [];
  return {
    calls: () => pending.length,
    fetcher: () => new Promise<number>((resolve, reject) => pending.push({ resolve, reject })),
    answer: (n: number, value: number) => pending[n]!.resolve(value),
    fail: (n: number) => pending[n]!.reject(new Error("did not answer")),
  };
}

describe("useLoad", () => {
  it("shows a slow answer however often it is asked again meanwhile, then asks once more", async () => {
    const slow = server();
    const { result } = renderHook(() => useLoad(slow.fetcher, "ord_1"));
    expect(slow.calls()).toBe(1);
    act(() => result.current.reload()); // the 4-second poll, while the first is on its way
    act(() => result.current.reload());
    expect(slow.calls()).toBe(1);
    await act(async () => slow.answer(0, 1));
    expect(result.current.data).toBe(1); // before: thrown away, the page stayed on "Loading"
    await waitFor(() => expect(slow.calls()).toBe(2)); // the reloads asked for: one more
    await act(async () => slow.answer(1, 2));
    expect(result.current.data).toBe(2);
  });

  it("keeps what it showed when a reload fails, the error beside it", async () => {
    const flaky = server();
    const { result } = renderHook(() => useLoad(flaky.fetcher, "ord_1"));
    await act(async () => flaky.answer(0, 1));
    act(() => result.current.reload());
    await act(async () => flaky.fail(1));
    expect(result.current.data).toBe(1);
    expect(result.current.error).toBeInstanceOf(Error);
    act(() => result.current.reload());
    await act(async () => flaky.answer(2, 3));
    expect([result.current.data, result.current.error]).toEqual([3, null]);
  });
});
