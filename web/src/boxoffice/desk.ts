/** The box office's sums: what the customer at the desk pays for what is chosen. */
import type { Seat, Tier } from "../api/client";
import { ApiRefusal } from "../api/problems";
import { CheckoutAttempt } from "../checkout";
import { money } from "../format";

export type PaymentMethod = "cash" | "card_terminal" | "complimentary";

export const PAYMENT_METHODS: { value: PaymentMethod; label: string }[] = [
  { value: "cash", label: "Cash" },
  { value: "card_terminal", label: "Card terminal" },
  { value: "complimentary", label: "Complimentary (free)" },
];

/** A payment method as the clerk chose it ("Card terminal"), not its code. */
export function methodName(method: string | null | undefined): string {
  return PAYMENT_METHODS.find((m) => m.value === method)?.label ?? (method ?? "").replace(/_/g, " ");
}

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

/** One sale at the desk across retries. An answer lost after the order was asked for (a
 * timeout, a 5xx, the Wi-Fi) may have sold it: pressing Sell again re-sends the same hold and
 * Idempotency-Key, so the server answers the order it made instead of selling the tickets a
 * second time. A definite refusal, or another choice of tickets, starts a new sale. */
export class DeskSale {
  private readonly attempt: CheckoutAttempt;
  private readonly holding: CheckoutAttempt;
  private hold: { id: string; choice: string } | null = null;
  // the hold asked for and not answered yet: it may have been made
  private asked: { choice: string; body: unknown; key: string } | null = null;
  private sent: { body: { hold_id: string }; key: string } | null = null;

  constructor(newKey?: () => string) {
    this.attempt = new CheckoutAttempt(newKey);
    this.holding = new CheckoutAttempt(newKey);
  }

  /** The Idempotency-Key of the hold for ``choice``: asked again after a lost answer, the
   * server answers the hold it made instead of holding the seats a second time. */
  holdKey(choice: unknown): string {
    const key = this.holding.keyFor(choice);
    this.asked = { choice: JSON.stringify(choice), body: choice, key };
    return key;
  }

  /** The hold asked for other tickets whose answer never came, if any: it may hold them, out
   * of the clerk's sight, until it expires; asked again with its key, it is found and given back. */
  unansweredHold(choice: unknown): { body: unknown; key: string } | null {
    if (!this.asked || this.asked.choice === JSON.stringify(choice)) return null;
    return { body: this.asked.body, key: this.asked.key };
  }

  /** The unanswered hold was found and given back, or refused for good: nothing is held. */
  holdSettled(): void {
    this.asked = null;
    this.holding.refused();
  }

  /** The hold kept for this same choice of tickets by an unfinished try, if any. */
  keptHold(choice: unknown): string | null {
    return this.hold?.choice === JSON.stringify(choice) ? this.hold.id : null;
  }

  /** The hold kept by an unfinished try for another choice (to give back), if any. */
  staleHold(choice: unknown): string | null {
    return this.hold && this.hold.choice !== JSON.stringify(choice) ? this.hold.id : null;
  }

  held(choice: unknown, holdId: string): void {
    this.asked = null;
    this.hold = { id: holdId, choice: JSON.stringify(choice) };
    this.holding.refused(); // the next hold is another one
  }

  /** The order request for the hold: the one sent before for it, as it was, while its answer
   * is unknown (the server may have made that sale, and the clerk's edit since would be a
   * second order of the hold, which it refuses); else this one, under a new key. */
  orderRequest<B extends { hold_id: string }>(body: B): { body: B; key: string } {
    if (this.sent?.body.hold_id !== body.hold_id) this.sent = { body, key: this.attempt.keyFor(body) };
    return this.sent as { body: B; key: string };
  }

  /** The order request sent for the kept hold whose answer never came, if any: it may have
   * sold, so it is asked again, as it was, before anything else is sold or the hold given back. */
  unansweredOrder<B extends { hold_id: string }>(): { body: B; key: string } | null {
    const sent = this.hold && this.sent?.body.hold_id === this.hold.id ? this.sent : null;
    return sent as { body: B; key: string } | null;
  }

  /** The order's own fields were refused (a 422: an e-mail address the server cannot send to),
   * before any order was made: the hold stays for the corrected request, under a new key. */
  fieldsRefused(): void {
    this.sent = null;
    this.attempt.refused();
  }

  /** Sold, refused for good, or the clerk moved on: the next sale starts afresh. */
  finished(): void {
    this.hold = null;
    this.asked = null;
    this.sent = null;
    this.attempt.refused();
    this.holding.refused();
  }
}

/** A refusal the same request would get again (a 4xx but a timeout, a rate limit or a
 * placement still in progress): the sale did not happen. Anything else may have sold it. */
export function refusedForGood(error: unknown): boolean {
  if (!(error instanceof ApiRefusal)) return false;
  const { status } = error.problem;
  if (status < 400 || status >= 500 || status === 408 || status === 429) return false;
  return error.code !== "order-in-progress";
}

/** A refusal of the order's own fields (422), not of its hold: the seats stay held while the
 * clerk puts the form right. */
export function fieldsRefused(error: unknown): boolean {
  return error instanceof ApiRefusal && error.problem.status === 422;
}

/** What is wrong with an e-mail address the server would refuse (it sends only to an address
 * with a domain and ASCII before the @), or null: said before the sale is asked for. */
export function emailProblem(email: string): string | null {
  const address = email.trim();
  if (!address) return null;
  const at = address.lastIndexOf("@");
  if (at < 1 || at === address.length - 1) return `“${address}” is not an e-mail address.`;
  if (!/^[\x21-\x7e]+$/.test(address.slice(0, at))) {
    return `“${address}”: only plain letters, digits and punctuation can come before the @.`;
  }
  if (!/^[^\s@]+\.[^\s@.]{2,}$/.test(address.slice(at + 1))) {
    return `“${address}”: the part after the @ needs a full domain, such as example.com.`;
  }
  return null;
}

/** The seats a refusal says someone else took (``taken_seats`` of a 409), or none. */
export function takenSeats(error: unknown): string[] {
  if (!(error instanceof ApiRefusal)) return [];
  const taken = (error.problem as { taken_seats?: unknown }).taken_seats;
  return Array.isArray(taken) ? taken.filter((s): s is string => typeof s === "string") : [];
}
