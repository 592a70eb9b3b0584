import { afterEach, expect, it, vi } from "vitest";
import { act, cleanup, render } from "@testing-library/react";
import type { Hold, Performance } from "../api/client";
import { HoldPanel } from "./HoldPanel";

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function panelExpiringIn(ms: number) {
  const hold = {
    hold_id: "hld_1",
    performance_id: "prf_1",
    status: "held",
    expires_at: new Date(Date.now() + ms).toISOString(),
    extended: false,
    lines: [{ tier_id: "tier_1", quantity: 1, seat_ids: [] }],
  } as unknown as Hold;
  const show = {
    performance_id: "prf_1",
    tiers: [{ tier_id: "tier_1", name: "Standing", price: { amount: 2500, currency: "EUR" } }],
  } as unknown as Performance;
  const noop = () => {};
  return render(
    <HoldPanel hold={hold} show={show} seatLabel={(s) => s} tierName={(t) => t} onChange={noop} onExpired={noop} onReleased={noop} />,
  );
}

it("says 'less than 2 minutes left' in a live region that was there before the words", () => {
  // screen readers announce changes to a live region, not one that appears with its words
  vi.useFakeTimers();
  const { container } = panelExpiringIn(180_000);
  const region = container.querySelector('[aria-live="polite"]');
  expect(region).not.toBeNull();
  expect(region?.textContent).toBe("");
  act(() => {
    vi.advanceTimersByTime(61_000);
  });
  expect(container.querySelector('[aria-live="polite"]')).toBe(region);
  expect(region?.textContent).toContain("Less than 2 minutes left");
});
