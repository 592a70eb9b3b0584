/** The reservation a buyer made on a performance in this tab, so that a reload (or a phone that
 * discarded the tab, or Back from checkout) shows it again instead of leaving the seats held out
 * of the buyer's sight until they expire. Kept in sessionStorage: the lifetime of the session
 * the hold belongs to. */
import type { Hold } from "./api/client";

const PREFIX = "ticketing.hold.";

export interface KeptHold {
  holdId: string;
  /** Where the order placed for this hold is paid, once there is one. */
  checkoutUrl?: string;
}

export type Restored =
  | { kind: "held"; hold: Hold }
  | { kind: "ordered"; checkoutUrl: string }
  | { kind: "gone" };

export function keepHold(performanceId: string, kept: KeptHold): void {
  sessionStorage.setItem(PREFIX + performanceId, JSON.stringify(kept));
}

export function keptHold(performanceId: string): KeptHold | null {
  try {
    const kept = JSON.parse(sessionStorage.getItem(PREFIX + performanceId) ?? "null") as KeptHold | null;
    return kept && typeof kept.holdId === "string" ? kept : null;
  } catch {
    return null;
  }
}

export function forgetHold(performanceId: string): void {
  sessionStorage.removeItem(PREFIX + performanceId);
}

/** What the page shows for a kept hold as the API has it now (``null``: not found). */
export function restored(hold: Hold | null, kept: KeptHold, now: Date): Restored {
  if (hold?.status === "held" && Date.parse(hold.expires_at) > now.getTime()) return { kind: "held", hold };
  if (hold?.status === "pinned" && kept.checkoutUrl) return { kind: "ordered", checkoutUrl: kept.checkoutUrl };
  return { kind: "gone" };
}
