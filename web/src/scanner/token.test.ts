import { describe, expect, it } from "vitest";
import { claimsOfToken, expiryNotice, refusalOf } from "./token";

function tokenWith(claims: object): string {
  const part = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, "");
  return `${part({ alg: "EdDSA" })}.${part(claims)}.c2ln`;
}

describe("the scanner's sign-in", () => {
  const later = Math.floor(Date.now() / 1000) + 3600;
  it("lets a scanner token in", () => {
    expect(refusalOf(claimsOfToken(tokenWith({ sub: "staff:door", roles: ["scanner"], exp: later })))).toBeNull();
  });
  it("refuses other roles, expired tokens and garbage", () => {
    expect(refusalOf(claimsOfToken(tokenWith({ sub: "staff:x", roles: ["staff"], exp: later })))).toMatch(/no scanner role/);
    expect(refusalOf(claimsOfToken(tokenWith({ sub: "staff:x", roles: ["scanner"], exp: 1 })))).toMatch(/expired/);
    expect(refusalOf(claimsOfToken("not a token"))).toMatch(/not a staff token/);
  });
});

describe("the sign-in's end", () => {
  const claims = { subject: "staff:door", roles: ["scanner"], expiresAt: Date.parse("2026-12-04T23:00:00Z") };
  it("says nothing while it is more than half an hour off", () => {
    expect(expiryNotice(claims, Date.parse("2026-12-04T22:29:00Z"))).toBeNull();
  });
  it("warns in the last half hour, and says so once it ended", () => {
    expect(expiryNotice(claims, Date.parse("2026-12-04T22:35:00Z"))).toMatch(/ends at .* \(in 25 min\): ask for a new token now/);
    expect(expiryNotice(claims, Date.parse("2026-12-04T23:01:00Z"))).toMatch(/ended at .*: ask for a new token/);
    expect(expiryNotice(null)).toBeNull();
  });
});

