import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { StaffContext } from "../console/ui";
import { TillPanel } from "./Till";

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const CLERK = { token: "t", subject: "staff:ann", roles: ["staff"] };

function openTill(): void {
  const panel = screen.getByText("My till").closest("details");
  if (!panel) throw new Error("no till panel");
  panel.open = !panel.open;
  fireEvent(panel, new Event("toggle"));
}

describe("My till", () => {
  it("counts from the midnight of the day it is opened, unless the clerk typed a start", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(2026, 11, 4, 21, 30)); // the desk opened in the evening
    render(
      <StaffContext.Provider value={CLERK}>
        <TillPanel />
      </StaffContext.Provider>,
    );
    const since = screen.getByLabelText("Since (my shift's start)") as HTMLInputElement;
    expect(since.value).toBe("2026-12-04T00:00");

    vi.setSystemTime(new Date(2026, 11, 5, 9, 0)); // left open overnight, opened next morning
    openTill();
    expect(since.value).toBe("2026-12-05T00:00"); // before: yesterday's sales in today's count

    fireEvent.change(since, { target: { value: "2026-12-05T08:30" } });
    openTill(); // closed
    vi.setSystemTime(new Date(2026, 11, 6, 9, 0));
    openTill();
    expect(since.value).toBe("2026-12-05T08:30"); // what the clerk typed stays
  });
});
