/** What the refund form may send: everything left, chosen tickets, or an amount. */

import { minorUnitDigits } from "../currencies";
import { money } from "../format";

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
  const digits = minorUnitDigits(currency);
  const cleaned = text.trim().replace(",", ".");
  const decimals = digits > 0 ? `(\\.\\d{1,${digits}})?` : "";
  if (!new RegExp(`^\\d+${decimals}$`).test(cleaned)) return null;
  const [whole = "0", fraction = ""] = cleaned.split(".");
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
}

/** How an amount of ``currency`` is typed: "12.50", "1250" (JPY), "12.500" (KWD). */
export function amountExample(currency: string): string {
  const digits = minorUnitDigits(currency);
  return digits === 0 ? "1250" : (12.5).toFixed(digits);
}

/** What is left to refund (minor units): what was paid minus every refund made, a failed one
 * too, as the server counts it (its money is owed by hand: paid back another way, never
 * refunded a second time). */
export function leftToRefund(paid: number, refunds: readonly { amount: { amount: number } }[]): number {
  return paid - refunds.reduce((n, r) => n + r.amount.amount, 0);
}

/** ``refundable``: what was paid minus what was refunded already (minor units). */
export function refundBody(
  choice: RefundChoice,
  refundable: number,
  reason: string,
  currency: string,
): RefundBody {
  const because = reason.trim() ? { reason: reason.trim() } : {};
  // no money left (complimentary tickets, a 100 % coupon, an amount given back before): tickets
  // can still be voided, which frees their seats and stops them at the door
  if (refundable <= 0 && choice.kind === "amount") {
    return { ok: false, error: "No money is left to refund on this order; its tickets can still be refunded." };
  }
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

/** How the refund of an order is asked and reported: money a desk sale took goes back by hand
 * (the system records it; nothing is paid back by itself), a card payment goes back to the card. */
export function deskRefund(paymentMethod: string | null | undefined): {
  question: string;
  done: (amount: string, status: string) => string;
} {
  switch (paymentMethod) {
    case "cash":
      return {
        question: "Refund now? Give the money back in cash yourself; refunded tickets stop working.",
        done: (amount) => `Refund of ${amount} recorded: give ${amount} back in cash now.`,
      };
    case "card_terminal":
      return {
        question: "Refund now? Refund the money on the card terminal yourself; refunded tickets stop working.",
        done: (amount) => `Refund of ${amount} recorded: refund ${amount} on the card terminal now.`,
      };
    case "complimentary":
      return {
        question: "Refund now? The tickets were free: nothing is paid back, refunded tickets stop working.",
        done: () => "Refunded: the tickets stop working and their seats are free again.",
      };
    default:
      return {
        question: "Refund now? The money goes back to the card it was paid with, and refunded tickets stop working.",
        done: (amount, status) => `Refund of ${amount}: ${status}.`,
      };
  }
}


type Body = { ticket_ids?: string[]; amount?: number; reason?: string };

/** The refund request to send: a refund asked for again while the answer to the first is
 * unknown (a timeout, a lost answer) is the first request as it was sent, under its key, even
 * if only the reason was edited since (a new key would make a second refund of the same money);
 * another selection or amount is another refund, under a key of its own. */
export class RefundAttempt {
  private sent: { key: string; body: Body; what: string } | null = null;

  requestFor(body: Body, newKey: () => string = () => crypto.randomUUID()): { key: string; body: Body } {
    const what = JSON.stringify({ ticket_ids: body.ticket_ids, amount: body.amount });
    if (this.sent?.what !== what) this.sent = { key: newKey(), body, what };
    return { key: this.sent.key, body: this.sent.body };
  }

  /** Made (or refused for good): the next press is a new refund. */
  answered(): void {
    this.sent = null;
  }
}
