import { useCallback, useEffect, useRef, useState } from "react";
import type { Order, Performance } from "../api/client";
import { cancelOrder, performanceOf, readOrder, seatLabels } from "../api/orders";
import { ApiRefusal, explain } from "../api/problems";
import { clause, countdown } from "../format";
import { forgetHold } from "../keptHold";
import { usePolling, useSecondsLeft, useTitle } from "../hooks";
import { Link, navigate, orderUrl } from "../router";
import { OrderSummary } from "../components/OrderSummary";
import { PayForm } from "../components/PayForm";
import {
  paymentReturnUrl,
  recalledCheckoutToken,
  recalledReturned,
  rememberCheckoutToken,
  rememberReturned,
  returnedFromPayment,
  type Returned,
} from "../paymentReturn";
import { NotFound } from "./NotFound";

export function CheckoutPage(props: { orderId: string; token: string | null }) {
  useTitle("Checkout");
  const { orderId } = props;
  // back from a bank's page, the URL has Stripe's query and no token: this tab kept it
  const token = props.token ?? recalledCheckoutToken(orderId);
  // what the bank's page sent back, or (after a reload: the query is gone) what this tab kept
  const [returned, setReturned] = useState<Returned>(
    () => returnedFromPayment(window.location.search) ?? recalledReturned(orderId),
  );
  useEffect(() => rememberReturned(orderId, returned === "paid" ? returned : null), [orderId, returned]);
  const [paying, setPaying] = useState(false);
  // a payment tried on this page tells its own outcome: the polled one is about an earlier try
  const [triedHere, setTriedHere] = useState(false);
  useEffect(() => {
    if (!token) return;
    rememberCheckoutToken(orderId, token);
    const canonical = orderUrl("checkout", orderId, token);
    // the client secret in Stripe's query stays out of the history and of bookmarks
    if (window.location.search) window.history.replaceState(null, "", canonical);
  }, [orderId, token]);
  const [order, setOrder] = useState<Order | null>(null);
  const [seats, setSeats] = useState(new Map<string, string>());
  const [show, setShow] = useState<Performance | null>(null);
  const [missing, setMissing] = useState(!token);
  const [error, setError] = useState<string | null>(null);
  const left = useSecondsLeft(order?.payment_deadline);
  // back from the bank's page with a payment Stripe took: orders hears of it in a moment
  const confirming = returned === "paid" && order?.payment.status === "open";
  const paymentFailed = order?.payment.status === "failed";
  useEffect(() => {
    if (paymentFailed && returned === "paid") setReturned(null); // the bank took it back: said below
  }, [paymentFailed, returned]);

  const load = useCallback(async () => {
    if (!token) return;
    try {
      const next = await readOrder(orderId, token);
      setOrder(next);
      setError(null);
      // paid, expired or cancelled: the order page instead of this one (Back skips it)
      if (next.status !== "pending_payment") navigate(orderUrl("orders", orderId, token), { replace: true });
    } catch (e) {
      if (e instanceof ApiRefusal && e.problem.status === 404) setMissing(true);
      else setError(explain(e));
    }
  }, [orderId, token]);
  const waiting = !order || order.payment.status === "creating" || !order.payment.client_secret;
  // quickly while the payment is being prepared; then slowly, so that the page follows the
  // order to its end (paid from another tab, expired, cancelled) instead of going stale
  usePolling(load, waiting || confirming ? 2000 : 5000, !missing);
  // the form stays while a payment is in flight (a bank's check may outlast the timer: the
  // order waits for it), and a payment being confirmed is said so, not "run out"
  const expired = left !== null && left <= 0 && !paying && !confirming;
  useEffect(() => {
    if (!order) return;
    void seatLabels(order).then(setSeats, () => undefined);
    void performanceOf(order).then(setShow, () => undefined);
  }, [order?.order_id]); // eslint-disable-line react-hooks/exhaustive-deps

  if (missing || !token) return <NotFound what="order" />;
  if (!order) return <p aria-live="polite">{error ?? "Loading your order…"}</p>;

  return (
    <section aria-labelledby="checkout-h1">
      <h1 id="checkout-h1">Checkout</h1>
      {left !== null && left > 0 && (
        <p className="timer" role="timer">
          Please pay within <strong>{countdown(left)}</strong>: your tickets are kept until then.
        </p>
      )}
      {expired && (
        <p role="alert" className="error">
          The time to pay has run out: this order is expiring and the tickets go back on sale.{" "}
          <Link href="/">Start again</Link>
        </p>
      )}
      <OrderSummary order={order} seats={seats} show={show} />
      {error && <p role="alert" className="error">{error}</p>}
      {returned === "failed" && !expired && (
        <p role="alert" className="error">
          The payment was not completed, and nothing was charged. Please try again or choose
          another way to pay.
        </p>
      )}
      {returned !== "failed" && paymentFailed && !expired && !paying && !triedHere && (
        <p role="alert" className="error">
          Your last payment did not go through{order.payment.last_error ? `: ${clause(order.payment.last_error)}` : ""}.
          Nothing was charged. Please try again or choose another way to pay.
        </p>
      )}
      {expired ? null : order.payment.status === "creating" || !order.payment.client_secret ? (
        <p className="notice" aria-live="polite">
          We are preparing your payment. This page updates by itself; we also e-mail you a link
          to this page.
        </p>
      ) : confirming ? (
        <p className="notice" aria-live="polite">
          Thank you: your payment was received and we are confirming your order. This page
          shows your tickets by itself in a moment.
        </p>
      ) : (
        <PayForm
          clientSecret={order.payment.client_secret}
          returnUrl={paymentReturnUrl(orderId)}
          onPaid={() => navigate(orderUrl("orders", orderId, token), { replace: true })}
          onPaying={(now) => {
            setPaying(now);
            if (now) setTriedHere(true);
          }}
        />
      )}
      {!confirming && <GiveUp order={order} token={token} paying={paying} />}
    </section>
  );
}

/** Changed one's mind: the seats go back on sale now, not when the time to pay runs out. */
function GiveUp({ order, token, paying }: { order: Order; token: string; paying: boolean }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  // "Keep my order" goes with the question: the focus comes back to the button that asked it
  const askAgain = useRef<HTMLButtonElement>(null);
  const kept = useRef(false);
  useEffect(() => {
    if (!asking && kept.current) askAgain.current?.focus();
  }, [asking]);
  const [error, setError] = useState<string | null>(null);

  async function cancel() {
    setBusy(true);
    try {
      await cancelOrder(order.order_id, token);
      if (order.performance_id) forgetHold(order.performance_id);
      navigate(orderUrl("orders", order.order_id, token), { replace: true });
    } catch (e) {
      if (e instanceof ApiRefusal && e.code === "order-not-cancellable") {
        // paid (the payment landed meanwhile), expired or cancelled: its page says which
        navigate(orderUrl("orders", order.order_id, token), { replace: true });
        return;
      }
      setError(explain(e));
      setBusy(false);
    }
  }

  if (!asking) {
    return (
      <p className="actions">
        {/* not while a payment is on its way: it would land on a cancelled order */}
        <button type="button" className="secondary" onClick={() => setAsking(true)} disabled={paying} ref={askAgain}>
          Cancel this order
        </button>
      </p>
    );
  }
  return (
    <div className="notice" role="group" aria-label="Cancel this order?">
      <p>Cancel this order? Its tickets go back on sale and nothing is charged.</p>
      {error && <p role="alert" className="error">{error}</p>}
      <p className="actions">
        <button type="button" onClick={() => void cancel()} disabled={busy || paying}>
          Yes, cancel the order
        </button>
        {/* focus on the safe choice: the button pressed to ask has gone */}
        <button
          type="button"
          className="secondary"
          onClick={() => {
            kept.current = true;
            setAsking(false);
          }}
          disabled={busy}
          autoFocus
        >
          Keep my order
        </button>
      </p>
    </div>
  );
}
