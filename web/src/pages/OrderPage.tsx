import { useCallback, useEffect, useState } from "react";
import type { Order, Performance } from "../api/client";
import { performanceOf, readOrder, seatLabels } from "../api/orders";
import { ApiRefusal, explain } from "../api/problems";
import { money } from "../format";
import { usePolling, useTitle } from "../hooks";
import { Link, orderUrl } from "../router";
import { OrderSummary } from "../components/OrderSummary";
import { TicketCard } from "../components/TicketCard";
import { NotFound } from "./NotFound";
import { followEvery, orderStory, refundState } from "../orderStory";
import { invitation } from "../calendar";

// tickets that still let someone in: only these belong in a calendar
const LIVE = new Set(["valid", "used"]);

export function OrderPage({ orderId, token }: { orderId: string; token: string | null }) {
  const [order, setOrder] = useState<Order | null>(null);
  const [seats, setSeats] = useState(new Map<string, string>());
  const [show, setShow] = useState<Performance | null>(null);
  const [missing, setMissing] = useState(!token);
  const [error, setError] = useState<string | null>(null);
  useTitle(order?.status === "paid" ? "Your tickets" : "Your order");

  const load = useCallback(async () => {
    if (!token) return;
    try {
      setOrder(await readOrder(orderId, token));
      setError(null);
    } catch (e) {
      if (e instanceof ApiRefusal && e.problem.status === 404) setMissing(true);
      else setError(explain(e));
    }
  }, [orderId, token]);
  // follow the order until nothing the customer waits for can happen to it any more (an expired
  // one a while longer: a payment made in its last seconds pays it)
  const every = order ? followEvery(order) : 1500;
  usePolling(load, every ?? 1500, !missing && every !== null);
  useEffect(() => {
    if (!order) return;
    void seatLabels(order).then(setSeats, () => undefined);
    void performanceOf(order).then(setShow, () => undefined);
  }, [order?.order_id]); // eslint-disable-line react-hooks/exhaustive-deps

  if (missing || !token) return <NotFound what="order" />;
  if (!order) return <p aria-live="polite">{error ?? "Loading your order…"}</p>;
  const story = orderStory(order, every !== null);
  const payable = order.status === "pending_payment" && order.payment.status === "failed";
  const liveTickets = order.tickets.some((t) => LIVE.has(t.status));
  const tier = (id: string) => order.lines.find((l) => l.tier_id === id)?.tier_name ?? "";

  return (
    <section aria-labelledby="order-h1">
      <h1 id="order-h1">{story.title}</h1>
      <div aria-live="polite">
        <p className={story.tone}>{story.text}</p>
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      {payable && (
        <p>
          <Link href={orderUrl("checkout", orderId, token)}>Pay again</Link>
        </p>
      )}
      {story.payAgain && (
        <p>
          <Link href="/">Choose tickets again</Link>
        </p>
      )}
      {order.tickets.length > 0 && (
        <section aria-labelledby="tickets-title">
          <h2 id="tickets-title">Tickets</h2>
          <p>
            {liveTickets && (
              <PdfLink orderId={orderId} token={token} path="tickets.pdf" label="Download all tickets (PDF)" />
            )}
            {show && show.status !== "cancelled" && liveTickets && (
              <>
                {" · "}
                <CalendarLink order={order} show={show} />
              </>
            )}
          </p>
          <ul className="tickets">
            {order.tickets.map((t) => (
              <TicketCard
                key={t.ticket_id}
                ticket={t}
                eventName={order.event_name ?? ""}
                holder={order.customer.name}
                tierName={tier(t.tier_id)}
                seat={t.seat_id ? seats.get(t.seat_id) ?? null : null}
                pdf={
                  LIVE.has(t.status) ? (
                    <PdfLink
                      orderId={orderId}
                      token={token}
                      path={`tickets/${t.ticket_id}.pdf`}
                      label={`PDF of ticket ${t.ticket_number}`}
                    />
                  ) : null
                }
              />
            ))}
          </ul>
        </section>
      )}
      <OrderSummary order={order} seats={seats} show={show} />
      {order.refunds.length > 0 && (
        <section className="panel" aria-labelledby="refunds-title">
          <h2 id="refunds-title">Refunds</h2>
          <ul>
            {order.refunds.map((r) => (
              <li key={r.refund_id}>
                {money(r.amount.amount, r.amount.currency)}: {refundState(r.status)}
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}

/** The PDF is fetched with the token in a header (never in a URL the edge would log). */
function PdfLink({ orderId, token, path, label }: { orderId: string; token: string; path: string; label: string }) {
  const [state, setState] = useState<"idle" | "loading" | "not-ready" | "refunded" | "failed">("idle");
  async function open() {
    if (state === "loading") return; // one download at a time
    setState("loading");
    const answer = await fetch(`/v1/orders/${encodeURIComponent(orderId)}/${path}`, {
      headers: { "X-Order-Token": token },
    }).catch(() => null);
    if (!answer?.ok) {
      // 404: not rendered yet (it is on its way); 410: refunded; no answer or another: failed
      setState(answer?.status === 404 ? "not-ready" : answer?.status === 410 ? "refunded" : "failed");
      return;
    }
    saveFile(await answer.blob(), path.replace("/", "-"));
    setState("idle");
  }
  return (
    <>
      <button type="button" className="link" onClick={() => void open()} disabled={state === "loading"}>
        {label}
      </button>
      {state === "not-ready" && (
        <span role="status"> The PDF is still being prepared; try again in a few seconds.</span>
      )}
      {state === "refunded" && <span role="status"> These tickets were refunded: they have no PDF.</span>}
      {state === "failed" && (
        <span role="status"> The PDF could not be downloaded just now. Check your connection and try again.</span>
      )}
    </>
  );
}

function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The performance in the customer's calendar (the same entry as the e-mail's invitation). */
function CalendarLink({ order, show }: { order: Order; show: Performance }) {
  function save() {
    const ics = invitation(order, show, window.location.origin);
    saveFile(new Blob([ics], { type: "text/calendar" }), `${order.order_number}.ics`);
  }
  return (
    <button type="button" className="link" onClick={save}>
      Add to calendar (.ics)
    </button>
  );
}
