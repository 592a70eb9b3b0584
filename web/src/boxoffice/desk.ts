/** The box office's sums: what the customer at the desk pays for what is chosen. */
import type { Seat, Tier } from "../api/client";
import { money } from "../format";

export type PaymentMethod = "cash" | "card_terminal" | "complimentary";

export const PAYMENT_METHODS: { value: PaymentMethod; label: string }[] = [
  { value: "cash", label: "Cash" },
  { value: "card_terminal", label: "Card terminal" },
  { value: "complimentary", label: "Complimentary (free)" },
];

/** The total in words ("€80.00"); complimentary tickets cost nothing. */
export function deskTotal(
  tiers: Pick<Tier, "tier_id" | "price">[],
  seats: Pick<Seat, "seat_id" | "tier_id">[],
  picked: string[],
  quantities: Record<string, number>,
  method: PaymentMethod,
): string {
  const currency = tiers[0]?.price.currency ?? "EUR";
  if (method === "complimentary") return money(0, currency);
  const price = (tierId: string | null | undefined) => tiers.find((t) => t.tier_id === tierId)?.price.amount ?? 0;
  const seated = picked.reduce((sum, id) => sum + price(seats.find((s) => s.seat_id === id)?.tier_id), 0);
  const general = Object.entries(quantities).reduce((sum, [tierId, q]) => sum + price(tierId) * q, 0);
  return money(seated + general, currency);
}
