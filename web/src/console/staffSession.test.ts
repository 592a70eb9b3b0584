import { describe, expect, it } from "vitest";
import { opens, roleName } from "./staffSession";

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
