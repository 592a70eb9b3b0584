/** The staff token pasted at sign-in: only its claims are read here (the services verify it). */

export interface StaffClaims {
  subject: string;
  roles: string[];
  expiresAt: number; // ms since the epoch
}

export function claimsOfToken(token: string): StaffClaims | null {
  const body = token.trim().split(".")[1];
  if (!body) return null;
  try {
    const plain = body.replace(/-/g, "+").replace(/_/g, "/");
    const json = JSON.parse(atob(plain + "=".repeat((4 - (plain.length % 4)) % 4))) as {
      sub?: unknown;
      roles?: unknown;
      exp?: unknown;
    };
    if (typeof json.sub !== "string" || !Array.isArray(json.roles) || typeof json.exp !== "number")
      return null;
    return {
      subject: json.sub,
      roles: json.roles.filter((r): r is string => typeof r === "string"),
      expiresAt: json.exp * 1000,
    };
  } catch {
    return null;
  }
}

/** Why this token cannot open the scanner, or null when it can. */
export function refusalOf(claims: StaffClaims | null, now: number = Date.now()): string | null {
  if (!claims) return "This is not a staff token.";
  if (!claims.roles.includes("scanner")) return "This token has no scanner role.";
  if (claims.expiresAt <= now) return "This token has expired: ask for a new one.";
  return null;
}
