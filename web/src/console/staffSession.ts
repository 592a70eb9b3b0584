/** The staff member's pasted token, kept for the tab's lifetime (sessionStorage), and who it
 * says they are (asked of the gateway's /v1/me, so an expired or forged token is refused). */
import { api, call } from "../api/client";
import { ApiRefusal } from "../api/problems";

export interface StaffMember {
  token: string;
  subject: string;
  roles: string[];
}

const KEY = "ticketing.staff";

export function keptStaff(): StaffMember | null {
  const kept = sessionStorage.getItem(KEY);
  if (!kept) return null;
  try {
    return JSON.parse(kept) as StaffMember;
  } catch {
    return null;
  }
}

export function forgetStaff(): void {
  sessionStorage.removeItem(KEY);
}

export type Area = "console" | "box-office" | "admin";

/** Which areas a token's roles open: admins everything, staff the console and the box office;
 * scanners (the door) and customers none of these. */
export function opens(roles: string[], area: Area): boolean {
  if (roles.includes("admin")) return true;
  return area !== "admin" && roles.includes("staff");
}

export function roleName(roles: string[]): string {
  if (roles.includes("admin")) return "admin";
  if (roles.includes("staff")) return "staff";
  return roles.join(", ") || "no role";
}

/** Ask the gateway who the token is; keep it only when it is a staff member's. */
export async function signIn(pasted: string): Promise<StaffMember> {
  const token = pasted.trim().replace(/^Bearer\s+/i, "");
  if (!token) throw refusal("Paste your staff token first.");
  const me = await call(() => api.GET("/v1/me", { headers: { Authorization: `Bearer ${token}` } }));
  if (me.kind !== "staff") throw refusal("This is a customer session, not a staff token.");
  if (!opens(me.roles, "console"))
    throw refusal(`A ${roleName(me.roles)} token cannot open the console or the box office.`);
  const member = { token, subject: me.subject, roles: me.roles };
  sessionStorage.setItem(KEY, JSON.stringify(member));
  return member;
}

function refusal(detail: string): ApiRefusal {
  return new ApiRefusal({ type: "sign-in-refused", title: "Refused", status: 403, detail });
}

/** Fired on ``window`` when the gateway refuses the signed-in member's own token (401): an
 * admin withdrew it, or its shift ended. The staff pages then sign out and say why. */
export const OWN_TOKEN_REFUSED = "ticketing:staff-token-refused";

/** Whether ``request`` carried the kept staff token and was answered 401. */
export function refusedOwnToken(request: Request, status: number, kept: StaffMember | null): boolean {
  return status === 401 && kept !== null && request.headers.get("Authorization") === `Bearer ${kept.token}`;
}

api.use({
  onResponse({ request, response }) {
    if (refusedOwnToken(request, response.status, keptStaff())) window.dispatchEvent(new Event(OWN_TOKEN_REFUSED));
  },
});

export function asStaff(member: StaffMember): { Authorization: string } {
  return { Authorization: `Bearer ${member.token}` };
}
