import { counted } from "./format";

interface TierLeft {
  tier_id: string;
  name: string;
  available: number;
}

/** The general-admission quantities chosen, cut to what is left of each tier now, and what to
 * tell the buyer of each cut (``null``: nothing changed). A tier that sold down while the buyer
 * looked kept its number, and "Reserve 4 tickets" answered "Sold out". */
export function cutToWhatIsLeft(
  chosen: Record<string, number>,
  tiers: TierLeft[],
): { chosen: Record<string, number>; said: string | null } {
  const notes: string[] = [];
  const cut: Record<string, number> = { ...chosen };
  for (const tier of tiers) {
    const wanted = chosen[tier.tier_id] ?? 0;
    const left = Math.max(tier.available, 0);
    if (wanted <= left) continue;
    cut[tier.tier_id] = left;
    notes.push(
      left === 0
        ? `${tier.name} has just sold out.`
        : `Only ${counted(left, "ticket")} left for ${tier.name}: your choice is now ${left}.`,
    );
  }
  return notes.length ? { chosen: cut, said: notes.join(" ") } : { chosen, said: null };
}
