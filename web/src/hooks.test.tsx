import { afterEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, renderHook } from "@testing-library/react";
import { useLatestRead, usePolling } from "./hooks";

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("usePolling", () => {
  it("asks a slow server no faster than it answers", async () => {
    vi.useFakeTimers();
    let answer: () => void = () => {};
    const poll = vi.fn(() => new Promise<void>((resolve) => (answer = resolve)));
    renderHook(() => usePolling(poll, 1500));
    await act(async () => vi.advanceTimersByTimeAsync(10_000));
    expect(poll).toHaveBeenCalledTimes(1); // a fixed interval: seven requests in flight
    await act(async () => answer());
    await act(async () => vi.advanceTimersByTimeAsync(1499));
    expect(poll).toHaveBeenCalledTimes(1);
    await act(async () => vi.advanceTimersByTimeAsync(1));
    expect(poll).toHaveBeenCalledTimes(2); // 1.5 s after the answer
  });

  it("asks nothing while the page is hidden, and again once it is shown", async () => {
    vi.useFakeTimers();
    const hidden = vi.spyOn(document, "hidden", "get").mockReturnValue(true);
    const poll = vi.fn(async () => undefined);
    renderHook(() => usePolling(poll, 1000));
    await act(async () => vi.advanceTimersByTimeAsync(5000));
    expect(poll).not.toHaveBeenCalled();
    hidden.mockReturnValue(false);
    await act(async () => vi.advanceTimersByTimeAsync(1000));
    expect(poll).toHaveBeenCalledTimes(1);
  });

  it("stops when unmounted or disabled", async () => {
    vi.useFakeTimers();
    const poll = vi.fn(async () => undefined);
    const { rerender, unmount } = renderHook(({ on }) => usePolling(poll, 1000, on), {
      initialProps: { on: true },
    });
    await act(async () => vi.advanceTimersByTimeAsync(0));
    rerender({ on: false });
    await act(async () => vi.advanceTimersByTimeAsync(5000));
    expect(poll).toHaveBeenCalledTimes(1);
    unmount();
  });
});

describe("useLatestRead", () => {
  it("says which of two overlapping reads is the newer, whatever order they answer in", () => {
    const { result, rerender } = renderHook(() => useLatestRead());
    const older = result.current();
    const newer = result.current();
    rerender();
    expect(newer()).toBe(true);
    expect(older()).toBe(false); // its answer, come back last, is dropped
    expect(result.current()()).toBe(true);
  });
});
