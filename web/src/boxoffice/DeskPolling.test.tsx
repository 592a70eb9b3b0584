import { afterEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, render, screen } from "@testing-library/react";

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  window.history.replaceState(null, "", "/");
});

const PERFORMANCE = {
  performance_id: "prf_1",
  event_name: "Hamlet",
  starts_at: "2026-12-24T19:00:00Z",
  time_zone: "Europe/Amsterdam",
  max_per_order: 10,
  tiers: [
    { tier_id: "tier_1", name: "Stalls", seated: true, available: 2, price: { amount: 4000, currency: "EUR" } },
  ],
};
const seat = (seat_id: string, number: number) => ({
  seat_id,
  section: "Stalls",
  row: "A",
  number,
  x: number,
  y: 0,
  accessible: false,
  tier_id: "tier_1",
  state: "available",
});

describe("the box-office desk", () => {
  it("asks a seated show's seat map once, then only which seats are taken", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
    const asked: string[] = [];
    const answers: Record<string, unknown> = {
      "/v1/events": [],
      "/v1/performances/prf_1": PERFORMANCE,
      "/v1/performances/prf_1/seats": { performance_id: "prf_1", seats: [seat("A1", 1), seat("A2", 2)] },
      "/v1/performances/prf_1/seat-states": { taken: { A2: "held" } },
    };
    vi.stubGlobal(
      "fetch",
      vi.fn(async (input: RequestInfo | URL) => {
        const url = new URL(String(input instanceof Request ? input.url : input), "http://edge");
        asked.push(url.pathname);
        const body = answers[url.pathname] ?? [];
        return new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
      }),
    );
    // Node's Request takes no relative URL, which the browser resolves against the page
    vi.stubGlobal(
      "Request",
      class extends Request {
        constructor(input: RequestInfo | URL, init?: RequestInit) {
          super(typeof input === "string" ? new URL(input, "http://edge").href : input, init);
        }
      },
    );
    window.history.replaceState(null, "", "/box-office?performance=prf_1");
    // imported once fetch is stubbed: the API client takes the fetch there is when it is made
    const { StaffContext } = await import("../console/ui");
    const { BoxOfficePage } = await import("./BoxOfficePage");
    render(
      <StaffContext.Provider value={{ token: "t", subject: "staff:ann", roles: ["staff"] }}>
        <BoxOfficePage />
      </StaffContext.Provider>,
    );
    await act(async () => {
      await vi.advanceTimersByTimeAsync(100); // the first read's answers (the fetch awaits no timer)
    });
    expect(asked).toContain("/v1/performances/prf_1/seats");

    for (let poll = 0; poll < 3; poll++) {
      await act(async () => {
        await vi.advanceTimersByTimeAsync(5000);
      });
    }

    const seatReads = asked.filter((path) => path.startsWith("/v1/performances/prf_1/seat"));
    // before: the whole map every 5 s from every desk, megabytes for a large hall
    expect(seatReads.filter((path) => path.endsWith("/seats"))).toHaveLength(1);
    expect(seatReads.filter((path) => path.endsWith("/seat-states")).length).toBeGreaterThanOrEqual(3);
    expect(screen.getAllByText(/Hamlet/).length).toBeGreaterThan(0);
  });
});
