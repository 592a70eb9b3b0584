import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, render, screen, within } from "@testing-library/react";
import { StaffApp } from "./StaffApp";

// the screens' lists answer empty: this checks what each role is shown, not the API
function answerEmpty(): void {
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL) => {
      const url = String(input instanceof Request ? input.url : input);
      const body = url.includes("/v1/coupons") || url.includes("/v1/orders?") || url.includes("/v1/events/all") ? { data: [], has_more: false } : [];
      return new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
    }),
  );
}

function signedInAs(roles: string[]): void {
  sessionStorage.setItem("ticketing.staff", JSON.stringify({ token: "t", subject: "ann", roles }));
}

beforeEach(answerEmpty);
afterEach(() => {
  cleanup();
  sessionStorage.clear();
  vi.unstubAllGlobals();
});

describe("StaffApp", () => {
  it("asks for a token when nobody is signed in", () => {
    render(<StaffApp area="console" rest={[]} />);
    expect(screen.getByRole("heading", { name: "Staff console: sign in" })).toBeTruthy();
    expect(screen.getByLabelText("Staff token")).toBeTruthy();
  });

  it("shows staff their role and no admin screen", () => {
    signedInAs(["staff"]);
    render(<StaffApp area="console" rest={["audit"]} />);
    expect(screen.getByTestId("staff-role").textContent).toBe("staff");
    const nav = within(screen.getByRole("navigation", { name: "Staff screens" }));
    expect(nav.getByRole("link", { name: "Orders" })).toBeTruthy();
    expect(nav.queryByRole("link", { name: "Audit log" })).toBeNull();
    expect(screen.getByRole("alert").textContent).toBe("This screen is for admins only.");
  });

  it("opens the admin screens to admins", () => {
    signedInAs(["admin"]);
    render(<StaffApp area="console" rest={["parking-lots"]} />);
    expect(screen.getByRole("heading", { name: "Parking lots", level: 1 })).toBeTruthy();
    const nav = within(screen.getByRole("navigation", { name: "Staff screens" }));
    expect(nav.getByRole("link", { name: "Audit log" })).toBeTruthy();
  });

  it("refuses a kept scanner token", () => {
    signedInAs(["scanner"]);
    render(<StaffApp area="box-office" rest={[]} />);
    expect(screen.getByRole("heading", { name: "Box office: sign in" })).toBeTruthy();
  });

  it.each([
    [["events"], "Events"],
    [["venues"], "Venues"],
    [["sales"], "Sales"],
    [["orders"], "Orders"],
    [["coupons"], "Coupons"],
    [["audit"], "Audit log"],
    [["reconciliation"], "Reconciliation"],
    [["access"], "Staff access"],
  ])("renders /console/%s for an admin", (rest, heading) => {
    signedInAs(["admin"]);
    render(<StaffApp area="console" rest={rest} />);
    expect(screen.getByRole("heading", { name: heading, level: 1 })).toBeTruthy();
  });

  it("renders the box office", () => {
    signedInAs(["staff"]);
    render(<StaffApp area="box-office" rest={[]} />);
    expect(screen.getByRole("heading", { name: "Box office", level: 1 })).toBeTruthy();
    expect(screen.getByLabelText("Performance")).toBeTruthy();
  });
});
