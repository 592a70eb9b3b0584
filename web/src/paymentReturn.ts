/** A payment method that leaves the page (a bank's or a wallet's page) ends with Stripe sending
 * the shopper back to a return URL of ours, with its own query added (`redirect_status`,
 * `payment_intent`, its client secret). The order's token stays out of that URL: a query reaches
 * server logs, and a fragment may not survive the round trip. This tab's sessionStorage keeps
 * it instead, for the checkout page to find on the way back. */

const PREFIX = "ticketing.checkout-token.";

export type Returned = "paid" | "failed" | null;

export function rememberCheckoutToken(orderId: string, token: string): void {
  sessionStorage.setItem(PREFIX + orderId, token);
}

export function recalledCheckoutToken(orderId: string): string | null {
  return sessionStorage.getItem(PREFIX + orderId);
}

/** Where Stripe sends the shopper back: the order's checkout page, without its token. */
export function paymentReturnUrl(orderId: string, origin: string = window.location.origin): string {
  return `${origin}/checkout/${encodeURIComponent(orderId)}`;
}

/** What the return URL's query says of the payment (`null`: not a return from a payment). A
 * payment still processing is taken as paid: the order follows when Stripe settles it. */
export function returnedFromPayment(search: string): Returned {
  const status = new URLSearchParams(search).get("redirect_status");
  if (status === "succeeded" || status === "processing") return "paid";
  return status === "failed" ? "failed" : null;
}

const RETURNED = "ticketing.payment-returned.";

/** What the last return from a payment said, kept for this tab: a reload (the query is gone by
 * then) still says the payment is being confirmed rather than offering the form again. */
export function rememberReturned(orderId: string, returned: Returned): void {
  if (returned) sessionStorage.setItem(RETURNED + orderId, returned);
  else sessionStorage.removeItem(RETURNED + orderId);
}

export function recalledReturned(orderId: string): Returned {
  const kept = sessionStorage.getItem(RETURNED + orderId);
  return kept === "paid" || kept === "failed" ? kept : null;
}
