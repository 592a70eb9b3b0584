/** Confirming a PaymentIntent from the browser with the publishable key and the client secret,
 * as Stripe.js does; in development it talks to the Stripe emulator. No card data ever reaches
 * our own services. */

export const TEST_CARDS = [
  { id: "pm_card_visa", label: "Visa ending 4242 (succeeds)" },
  { id: "pm_card_mastercard", label: "Mastercard ending 4444 (succeeds)" },
  { id: "pm_card_chargeDeclined", label: "Visa ending 0002 (declined)" },
  { id: "pm_card_chargeDeclinedInsufficientFunds", label: "Visa ending 9995 (insufficient funds)" },
] as const;

export type ConfirmOutcome =
  | { kind: "succeeded" }
  | { kind: "declined"; message: string }
  | { kind: "error"; message: string };

export function intentId(clientSecret: string): string {
  return clientSecret.split("_secret_")[0] ?? clientSecret;
}

interface StripeError {
  type?: string;
  code?: string;
  decline_code?: string;
  message?: string;
  payment_intent?: { status?: string };
}

const DECLINES: Record<string, string> = {
  insufficient_funds: "Your card has insufficient funds.",
  generic_decline: "Your card was declined.",
  lost_card: "Your card was declined (reported lost).",
  expired_card: "Your card has expired.",
};

export function outcomeOf(status: number, body: { status?: string; error?: StripeError }): ConfirmOutcome {
  if (status === 200 && body.status === "succeeded") return { kind: "succeeded" };
  const error = body.error;
  // a second press after the first one succeeded: Stripe says the intent already succeeded
  if (error?.code === "payment_intent_unexpected_state" && error.payment_intent?.status === "succeeded") {
    return { kind: "succeeded" };
  }
  if (error?.type === "card_error") {
    const why = (error.decline_code && DECLINES[error.decline_code]) ?? error.message ?? "Your card was declined.";
    return { kind: "declined", message: `${why} No money was taken. Try another card.` };
  }
  if (status === 200) return { kind: "error", message: `The payment is ${body.status ?? "pending"}.` };
  return { kind: "error", message: "The payment service did not answer. Please try again." };
}

export async function confirmWithEmulator(
  emulatorUrl: string,
  publishableKey: string,
  clientSecret: string,
  paymentMethod: string,
): Promise<ConfirmOutcome> {
  const form = new URLSearchParams({
    key: publishableKey,
    client_secret: clientSecret,
    payment_method: paymentMethod,
  });
  let response: Response;
  try {
    response = await fetch(`${emulatorUrl}/v1/payment_intents/${intentId(clientSecret)}/confirm`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: form,
    });
  } catch {
    return { kind: "error", message: "We could not reach the payment service. Please try again." };
  }
  return outcomeOf(response.status, await response.json().catch(() => ({})));
}
