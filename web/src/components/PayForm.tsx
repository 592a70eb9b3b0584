import { useEffect, useRef, useState } from "react";
import { storefrontConfig, type StorefrontConfig } from "../config";
import { confirmWithEmulator, TEST_CARDS } from "../payments";
import { StripePaymentElement } from "./StripePaymentElement";

interface Props {
  clientSecret: string;
  /** Where Stripe sends the shopper back after a payment method that left the page. */
  returnUrl: string;
  onPaid: () => void;
  /** A payment is being confirmed (true) or its answer came (false): the page keeps the form
   * while one is in flight, whatever its clock says (a bank's check may outlast the timer). */
  onPaying?: (paying: boolean) => void;
}

export function PayForm({ clientSecret, returnUrl, onPaid, onPaying }: Props) {
  const [config, setConfig] = useState<StorefrontConfig | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    storefrontConfig().then(setConfig, (error: Error) => setFailed(error.message));
  }, [attempt]);
  if (failed) {
    return (
      <p role="alert">
        The payment form could not be loaded: {failed}. Your reservation is kept.{" "}
        <button
          type="button"
          onClick={() => {
            setFailed(null);
            setAttempt((n) => n + 1);
          }}
        >
          Try again
        </button>
      </p>
    );
  }
  if (!config) return null;
  if (config.stripe.mode === "stripe") {
    return (
      <StripePaymentElement
        publishableKey={config.stripe.publishable_key}
        clientSecret={clientSecret}
        returnUrl={returnUrl}
        onPaid={onPaid}
        onPaying={onPaying}
      />
    );
  }
  return <EmulatorCardForm config={config} clientSecret={clientSecret} onPaid={onPaid} onPaying={onPaying} />;
}

/** Development and tests: Stripe's test payment methods, confirmed at the emulator (none of
 * them leaves the page, so there is no return URL). */
function EmulatorCardForm({
  config,
  clientSecret,
  onPaid,
  onPaying,
}: Omit<Props, "returnUrl"> & { config: StorefrontConfig }) {
  const [card, setCard] = useState<string>(TEST_CARDS[0].id);
  const [paying, setPaying] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(false);

  async function pay() {
    if (inFlight.current) return; // a double click confirms once
    inFlight.current = true;
    setPaying(true);
    onPaying?.(true);
    setError(null);
    const outcome = await confirmWithEmulator(
      config.stripe.emulator_url,
      config.stripe.publishable_key,
      clientSecret,
      card,
    );
    inFlight.current = false;
    setPaying(false);
    onPaying?.(false);
    if (outcome.kind === "succeeded") onPaid();
    else setError(outcome.message);
  }

  return (
    <form
      className="panel"
      aria-labelledby="pay-title"
      onSubmit={(e) => {
        e.preventDefault();
        void pay();
      }}
    >
      <h2 id="pay-title">Pay</h2>
      <fieldset>
        <legend>Test card (Stripe emulator: no real money)</legend>
        {TEST_CARDS.map((c) => (
          <p key={c.id} className="choice">
            <input
              type="radio"
              id={c.id}
              name="card"
              value={c.id}
              checked={card === c.id}
              onChange={() => setCard(c.id)}
            />{" "}
            <label htmlFor={c.id}>{c.label}</label>
          </p>
        ))}
      </fieldset>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={paying}>
        {paying ? "Paying…" : "Pay"}
      </button>
    </form>
  );
}
