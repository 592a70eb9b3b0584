import { useEffect, useRef, useState } from "react";
import { api, asCustomer, call, type Hold, type Performance } from "../api/client";
import { ApiRefusal, explain } from "../api/problems";
import { countdown, money } from "../format";
import { useSecondsLeft } from "../hooks";
import { navigate } from "../router";
import { CheckoutAttempt } from "../checkout";
import { keepHold, keptHold, orderPage, placementToSend } from "../keptHold";

// warned this long before the hold runs out: time to ask for more with one press (WCAG 2.2.1)
const WARN_AT_S = 120;

interface Props {
  hold: Hold;
  show: Performance;
  seatLabel: (seatId: string) => string;
  tierName: (tierId: string) => string;
  onChange: (hold: Hold) => void;
  onExpired: () => void;
  onReleased: () => void;
}

export function HoldPanel({ hold, show, seatLabel, tierName, onChange, onExpired, onReleased }: Props) {
  const left = useSecondsLeft(hold.expires_at) ?? 0;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const attempt = useRef(new CheckoutAttempt());
  const expired = left <= 0;
  useEffect(() => {
    if (expired && !busy) onExpired();
  }, [expired, busy, onExpired]);

  const path = { params: { path: { hold_id: hold.hold_id } } };
  const [extending, setExtending] = useState(false);
  async function extend() {
    if (extending) return; // a double press asks once (a second ask is refused: extended once)
    setExtending(true);
    setError(null);
    try {
      onChange(await call(async () => api.POST("/v1/holds/{hold_id}/extend", { ...path, headers: await asCustomer() })));
    } catch (e) {
      setError(explain(e));
    } finally {
      setExtending(false);
    }
  }
  async function release() {
    setError(null);
    try {
      await call(async () => api.DELETE("/v1/holds/{hold_id}", { ...path, headers: await asCustomer() }));
    } catch (e) {
      const gone = e instanceof ApiRefusal && (e.problem.status === 404 || e.problem.status === 410);
      if (!gone) {
        // not heard (the network, a busy server): the seats are still held, say so
        setError(explain(e));
        return;
      }
    }
    onReleased();
  }
  // where a keyboard or screen-reader user is taken when the reservation appears, and when
  // the button they pressed ("I need more time") goes
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [hold.hold_id, hold.extended]);
  async function placeOrder(form: HTMLFormElement) {
    const data = new FormData(form);
    const coupon = String(data.get("coupon") ?? "").trim();
    const body = {
      hold_id: hold.hold_id,
      customer: { name: String(data.get("name")).trim(), email: String(data.get("email")).trim() },
      ...(coupon ? { coupon } : {}),
    };
    setBusy(true);
    setError(null);
    try {
      const sending = placementToSend(keptHold(show.performance_id), hold.hold_id, () => ({
        key: attempt.current.keyFor(body),
        body,
      }));
      // kept before asking: a reload while the answer is on its way asks again with this key
      keepHold(show.performance_id, { holdId: hold.hold_id, placing: sending });
      const order = await call(async () =>
        api.POST("/v1/orders", {
          body: sending.body,
          params: { header: { "Idempotency-Key": sending.key } },
          headers: await asCustomer(),
        }),
      );
      const checkoutUrl = orderPage(order);
      if (!checkoutUrl) throw new Error("the order came back without its access token");
      keepHold(show.performance_id, { holdId: hold.hold_id, checkoutUrl });
      navigate(checkoutUrl);
    } catch (e) {
      // a refusal (a coupon, a form field) ends this attempt; a timeout or a 5xx keeps the key,
      // so pressing again retries the same placement instead of making a second order
      if (e instanceof ApiRefusal && e.problem.status >= 400 && e.problem.status < 500 && e.problem.status !== 409) {
        attempt.current.refused();
        keepHold(show.performance_id, { holdId: hold.hold_id }); // no order: the next press is the form's
      }
      setError(explain(e));
      setBusy(false);
    }
  }

  const price = (tierId: string) => {
    const tier = show.tiers.find((t) => t.tier_id === tierId);
    return tier ? money(tier.price.amount, tier.price.currency) : "";
  };

  return (
    <section className="panel hold" aria-labelledby="hold-title">
      <h2 id="hold-title" ref={heading} tabIndex={-1}>
        Your reservation
      </h2>
      <p className="timer" role="timer" aria-live="off">
        Held for you for <strong>{countdown(left)}</strong>
        {hold.extended && " (extended once)"}
      </p>
      {/* a live region in place before its words, so screen readers announce them */}
      <div aria-live="polite">
        {left > 0 && left <= WARN_AT_S && (
          <p className="warning">
            {hold.extended
              ? "Less than 2 minutes left to place your order."
              : "Less than 2 minutes left. Need longer? Press “I need more time” below."}
          </p>
        )}
      </div>
      <ul className="lines">
        {hold.lines.map((line) =>
          line.seat_ids.length ? (
            line.seat_ids.map((id) => (
              <li key={id}>
                {seatLabel(id)} · {tierName(line.tier_id)} · {price(line.tier_id)}
              </li>
            ))
          ) : (
            <li key={line.tier_id}>
              {line.quantity} × {tierName(line.tier_id)} · {price(line.tier_id)} each
            </li>
          ),
        )}
      </ul>
      <p className="actions">
        {!hold.extended && (
          <button type="button" className="secondary" onClick={() => void extend()} disabled={extending}>
            I need more time
          </button>
        )}
        <button type="button" className="secondary" onClick={() => void release()} disabled={busy}>
          Cancel reservation
        </button>
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) void placeOrder(e.currentTarget);
        }}
        aria-labelledby="checkout-title"
      >
        <h3 id="checkout-title">Your details</h3>
        <p className="field">
          <label htmlFor="name">Full name</label>
          <input id="name" name="name" autoComplete="name" required maxLength={200} />
        </p>
        <p className="field">
          <label htmlFor="email">E-mail (your tickets are sent there)</label>
          <input id="email" name="email" type="email" autoComplete="email" required maxLength={254} />
        </p>
        <p className="field">
          <label htmlFor="coupon">Coupon code (optional)</label>
          <input id="coupon" name="coupon" autoComplete="off" maxLength={64} />
        </p>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy} aria-disabled={busy}>
          {busy ? "Placing your order…" : "Place order"}
        </button>
        <p className="muted">You will see the total, with any discount, before you pay.</p>
      </form>
    </section>
  );
}
