import { describe, expect, it } from "vitest";
import { claimsOfToken, refusalOf } from "./token";

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
