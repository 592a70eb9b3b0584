/** What the refund form may send: everything left, chosen tickets, or an amount. */

import { fractionDigits, money } from "../format";

export type RefundChoice =
  | { kind: "full" }
  | { kind: "tickets"; ticketIds: string[] }
  | { kind: "amount"; text: string };

export type RefundBody =
  | { ok: true; body: { ticket_ids?: string[]; amount?: number; reason?: string } }
  | { ok: false; error: string };

/** Text in the currency's major unit → minor units, as the API counts them: "12.50" EUR →
 * 1250, "5000" JPY → 5000 (no minor unit), "1.25" KWD → 1250 (three decimals); null when it is
 * not an amount of that currency. */
export function parseAmount(text: string, currency: string): number | null {
  const digits = fractionDigits(currency);
  const cleaned = text.trim().replace(",", ".");
  const decimals = digits > 0 ? `(\\.\\d{1,${digits}})?` : "";
  if (!new RegExp(`^\\d+${decimals}$`).test(cleaned)) return null;
  const [whole = "0", fraction = ""] = cleaned.split(".");
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
}

/** How an amount of ``currency`` is typed: "12.50", "1250" (JPY), "12.500" (KWD). */
export function amountExample(currency: string): string {
  const digits = fractionDigits(currency);
  return digits === 0 ? "1250" : (12.5).toFixed(digits);
}

/** ``refundable``: what was paid minus what was refunded already (minor units). */
export function refundBody(
  choice: RefundChoice,
  refundable: number,
  reason: string,
  currency: string,
): RefundBody {
  const because = reason.trim() ? { reason: reason.trim() } : {};
  if (refundable <= 0) return { ok: false, error: "Nothing is left to refund on this order." };
  switch (choice.kind) {
    case "full":
      return { ok: true, body: { ...because } };
    case "tickets":
      if (!choice.ticketIds.length) return { ok: false, error: "Choose at least one ticket to refund." };
      return { ok: true, body: { ticket_ids: choice.ticketIds, ...because } };
    case "amount": {
      const amount = parseAmount(choice.text, currency);
      if (amount === null)
        return { ok: false, error: `Enter the amount like ${amountExample(currency)}.` };
      if (amount <= 0) return { ok: false, error: "The amount must be more than zero." };
      if (amount > refundable)
        return { ok: false, error: `At most ${money(refundable, currency)} is left to refund.` };
      return { ok: true, body: { amount, ...because } };
    }
  }
}
