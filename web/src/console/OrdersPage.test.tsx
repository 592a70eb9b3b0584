import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";

afterEach(() => {
  cleanup();
  sessionStorage.clear();
  vi.unstubAllGlobals();
});

function order(n: number) {
  return {
    order_id: `ord_${n}`,
    order_number: `ORD-20261204-AAAA${n}`,
    status: "paid",
    customer: { name: `Ada ${n}`, email: `ada${n}@example.com` },
    total: { amount: 2500, currency: "EUR" },
    created_at: "2026-12-04T10:00:00Z",
    performance_id: "prf_1",
  };
}

describe("the orders search", () => {
  it("pages through the search on screen, not through filters typed since", async () => {
    const asked: URL[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (input: RequestInfo | URL) => {
        const url = new URL(String(input instanceof Request ? input.url : input), "http://edge");
        asked.push(url);
        const body = url.pathname === "/v1/orders" ? { data: [order(asked.length)], has_more: true } : [];
        return new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
      }),
    );
    // Node's Request takes no relative URL, which the browser resolves against the page
    const BrowserRequest = class extends Request {
      constructor(input: RequestInfo | URL, init?: RequestInit) {
        super(typeof input === "string" ? new URL(input, "http://edge").href : input, init);
      }
    };
    vi.stubGlobal("Request", BrowserRequest);
    sessionStorage.setItem("ticketing.staff", JSON.stringify({ token: "t", subject: "ann", roles: ["staff"] }));
    // imported once fetch is stubbed: the API client takes the fetch there is when it is made
    const { StaffApp } = await import("./StaffApp");
    render(<StaffApp area="console" rest={["orders"]} />);

    fireEvent.change(screen.getByLabelText(/Customer name/), { target: { value: "Lovelace" } });
    fireEvent.submit(screen.getByRole("form", { name: "Search orders" }));
    await waitFor(() => expect(asked.map((u) => u.pathname)).toContain("/v1/orders"));
    fireEvent.change(screen.getByLabelText(/Customer name/), { target: { value: "Hopper" } }); // not searched
    fireEvent.click(await screen.findByRole("button", { name: /Next/ }));

    await waitFor(() => expect(asked.filter((u) => u.pathname === "/v1/orders")).toHaveLength(2));
    const [first, second] = asked.filter((u) => u.pathname === "/v1/orders");
    expect(first?.searchParams.get("name")).toBe("Lovelace");
    // before, page 2 was of "Hopper", started after an order of "Lovelace"
    expect(second?.searchParams.get("name")).toBe("Lovelace");
    expect(second?.searchParams.get("starting_after")).toMatch(/^ord_/);
  });
});
