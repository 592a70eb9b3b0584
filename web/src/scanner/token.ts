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

/** Warned this long before the sign-in ends: time to fetch a new token before the queue. */
export const EXPIRY_WARNING_MS = 30 * 60 * 1000;

/** What the steward should read about the sign-in's end, or null while it is far off. */
export function expiryNotice(claims: StaffClaims | null, now: number = Date.now()): string | null {
  if (!claims) return null;
  const left = claims.expiresAt - now;
  if (left > EXPIRY_WARNING_MS) return null;
  const at = new Date(claims.expiresAt).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
  if (left <= 0) return `This phone's sign-in ended at ${at}: ask for a new token. Scans made offline stay on the phone.`;
  const minutes = Math.max(1, Math.round(left / 60_000));
  return `This phone's sign-in ends at ${at} (in ${minutes} min): ask for a new token now. Scans made offline stay on the phone.`;
}

