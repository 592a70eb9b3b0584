/** What the refund form may send: everything left, chosen tickets, or an amount. */

export type RefundChoice =
  | { kind: "full" }
  | { kind: "tickets"; ticketIds: string[] }
  | { kind: "amount"; text: string };

export type RefundBody =
  | { ok: true; body: { ticket_ids?: string[]; amount?: number; reason?: string } }
  | { ok: false; error: string };

/** "12.50" → 1250 minor units (two decimals), or null when it is not an amount. */
export function parseAmount(text: string): number | null {
  const cleaned = text.trim().replace(",", ".");
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  const [whole = "0", cents = ""] = cleaned.split(".");
  return Number(whole) * 100 + Number(cents.padEnd(2, "0"));
}

/** ``refundable``: what was paid minus what was refunded already (minor units). */
export function refundBody(choice: RefundChoice, refundable: number, reason: string): RefundBody {
  const because = reason.trim() ? { reason: reason.trim() } : {};
  if (refundable <= 0) return { ok: false, error: "Nothing is left to refund on this order." };
  switch (choice.kind) {
    case "full":
      return { ok: true, body: { ...because } };
    case "tickets":
      if (!choice.ticketIds.length) return { ok: false, error: "Choose at least one ticket to refund." };
      return { ok: true, body: { ticket_ids: choice.ticketIds, ...because } };
    case "amount": {
      const amount = parseAmount(choice.text);
      if (amount === null) return { ok: false, error: "Enter the amount like 12.50." };
      if (amount <= 0) return { ok: false, error: "The amount must be more than zero." };
      if (amount > refundable)
        return { ok: false, error: `At most ${(refundable / 100).toFixed(2)} is left to refund.` };
      return { ok: true, body: { amount, ...because } };
    }
  }
}
