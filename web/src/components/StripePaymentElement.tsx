import { useEffect, useRef, useState } from "react";

/** Production: Stripe.js's Payment Element with the publishable key from configuration. The
 * card form lives in Stripe's iframe, so card data never reaches us. (Not exercised here: this
 * machine cannot reach js.stripe.com.) */

interface StripeJs {
  elements(options: { clientSecret: string }): StripeElements;
  confirmPayment(options: {
    elements: StripeElements;
    redirect: "if_required";
    confirmParams: { return_url: string };
  }): Promise<{ error?: { message?: string }; paymentIntent?: { status: string } }>;
}
interface StripeElements {
  create(kind: "payment"): { mount(element: HTMLElement): void; destroy(): void };
}
declare global {
  interface Window {
    Stripe?: (publishableKey: string) => StripeJs;
  }
}

function loadStripe(): Promise<NonNullable<Window["Stripe"]>> {
  return new Promise((resolve, reject) => {
    if (window.Stripe) return resolve(window.Stripe);
    const script = document.createElement("script");
    script.src = "https://js.stripe.com/v3/";
    script.onload = () => (window.Stripe ? resolve(window.Stripe) : reject(new Error("no Stripe")));
    script.onerror = () => reject(new Error("Stripe.js did not load"));
    document.head.appendChild(script);
  });
}

export function StripePaymentElement(props: {
  publishableKey: string;
  clientSecret: string;
  returnUrl: string;
  onPaid: () => void;
  onPaying?: (paying: boolean) => void;
}) {
  const mount = useRef<HTMLDivElement>(null);
  const stripe = useRef<{ js: StripeJs; elements: StripeElements } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [paying, setPaying] = useState(false);
  useEffect(() => {
    let element: { destroy(): void } | null = null;
    loadStripe().then(
      (Stripe) => {
        const js = Stripe(props.publishableKey);
        const elements = js.elements({ clientSecret: props.clientSecret });
        const payment = elements.create("payment");
        if (mount.current) payment.mount(mount.current);
        element = payment;
        stripe.current = { js, elements };
      },
      () => setError("The payment form could not load. Please reload the page."),
    );
    return () => element?.destroy();
  }, [props.publishableKey, props.clientSecret]);

  async function pay() {
    if (!stripe.current || paying) return;
    setPaying(true);
    props.onPaying?.(true);
    const { error: failed, paymentIntent } = await stripe.current.js.confirmPayment({
      elements: stripe.current.elements,
      redirect: "if_required",
      confirmParams: { return_url: props.returnUrl },
    });
    setPaying(false);
    props.onPaying?.(false);
    if (failed) setError(failed.message ?? "The payment failed. Try another card.");
    else if (paymentIntent?.status === "succeeded" || paymentIntent?.status === "processing") props.onPaid();
  }

  return (
    <form className="panel" aria-labelledby="pay-title" onSubmit={(e) => (e.preventDefault(), void pay())}>
      <h2 id="pay-title">Pay</h2>
      <div ref={mount} />
      {error && <p role="alert" className="error">{error}</p>}
      <button type="submit" disabled={paying}>
        {paying ? "Paying…" : "Pay"}
      </button>
    </form>
  );
}
