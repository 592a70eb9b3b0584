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
