import { describe, expect, it } from "vitest";
import { ApiRefusal } from "../api/problems";
import { problemText } from "./ui";

describe("problemText", () => {
  it("shows a problem's title, status, detail and each field's reason", () => {
    const refused = new ApiRefusal({
      type: "https://errors.example/validation",
      title: "Unprocessable",
      status: 422,
      detail: "1 invalid field",
      errors: [{ location: "body.customer.email", message: "not an e-mail address" }],
    });
    expect(problemText(refused)).toBe(
      "Unprocessable (422): 1 invalid field — body.customer.email: not an e-mail address",
    );
    expect(problemText(new Error("plain"))).toBe("plain");
  });
});

describe("actorOf", () => {
  it("reads a bare name as a staff token's subject", async () => {
    const { actorOf } = await import("./AuditPage");
    expect(actorOf("ann")).toBe("staff:ann");
    expect(actorOf("staff:ann")).toBe("staff:ann");
  });
});

describe("when", () => {
  it("says the zone of the time it shows, and a dash for none", async () => {
    const { when } = await import("./ui");
    const shown = when("2026-12-04T18:30:00Z");
    expect(shown).toMatch(/2026/);
    expect(shown).toMatch(/(UTC|GMT|[A-Z]{2,5}|[+-]\d)/);
    expect(shown).not.toBe(new Date("2026-12-04T18:30:00Z").toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" }));
    expect(when(null)).toBe("—");
  });
});
