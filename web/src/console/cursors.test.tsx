import { afterEach, describe, expect, it } from "vitest";
import { act, cleanup, renderHook } from "@testing-library/react";
import { useCursors } from "./ui";

afterEach(cleanup);

describe("useCursors", () => {
  it("starts each page after the last item of the one before, and goes back one at a time", () => {
    const { result } = renderHook(() => useCursors());
    expect([result.current.start, result.current.page]).toEqual([undefined, 1]);
    act(() => result.current.forward("evt_b"));
    act(() => result.current.forward("evt_d"));
    expect([result.current.start, result.current.page]).toEqual(["evt_d", 3]);
    act(() => result.current.back());
    expect([result.current.start, result.current.page]).toEqual(["evt_b", 2]);
    act(() => result.current.reset());
    expect([result.current.start, result.current.page]).toEqual([undefined, 1]);
  });
  it("stays on the page when the page shown was empty", () => {
    const { result } = renderHook(() => useCursors());
    act(() => result.current.forward(undefined));
    expect(result.current.page).toBe(1);
  });
});
