import type { Money, Tier } from "./api/client";

export const FEW_LEFT = 10;

/** The lowest price among tiers that still have tickets (else among all tiers). */
export function fromPrice(tiers: Tier[]): Money | null {
  const open = tiers.filter((t) => t.available > 0);
  const candidates = open.length ? open : tiers;
  if (!candidates.length) return null;
  return candidates.reduce((a, b) => (b.price.amount < a.price.amount ? b : a)).price;
}

export function availabilityBadge(
  tiers: Tier[],
): { kind: "sold-out" | "few-left"; text: string } | null {
  const left = tiers.reduce((sum, t) => sum + t.available, 0);
  if (tiers.length && left === 0) return { kind: "sold-out", text: "Sold out" };
  if (left > 0 && left <= FEW_LEFT) return { kind: "few-left", text: `Only ${left} left` };
  return null;
}
