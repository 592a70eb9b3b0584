import { describe, expect, it } from "vitest";
import { opens, refusedOwnToken, roleName } from "./staffSession";

describe("opens", () => {
  it("lets admins everywhere, staff in the console and box office, scanners nowhere", () => {
    expect(opens(["admin"], "admin")).toBe(true);
    expect(opens(["staff"], "console")).toBe(true);
    expect(opens(["staff"], "box-office")).toBe(true);
    expect(opens(["staff"], "admin")).toBe(false);
    expect(opens(["scanner"], "console")).toBe(false);
    expect(opens([], "box-office")).toBe(false);
    expect(roleName(["staff", "admin"])).toBe("admin");
  });
});

describe("refusedOwnToken", () => {
  const member = { token: "tok-anna", subject: "staff:anna", roles: ["staff"] };
  const sent = (authorization?: string) =>
    new Request("http://x/v1/orders", authorization ? { headers: { Authorization: authorization } } : {});
  it("is the signed-in member's own token answered 401, and nothing else", () => {
    expect(refusedOwnToken(sent("Bearer tok-anna"), 401, member)).toBe(true);
    expect(refusedOwnToken(sent("Bearer tok-anna"), 403, member)).toBe(false); // a role, not the token
    expect(refusedOwnToken(sent("Bearer tok-other"), 401, member)).toBe(false); // a sign-in attempt
    expect(refusedOwnToken(sent(), 401, member)).toBe(false);
    expect(refusedOwnToken(sent("Bearer tok-anna"), 401, null)).toBe(false);
  });
});
