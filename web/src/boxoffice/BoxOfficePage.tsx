/** The box office: one screen for a clerk with a queue. Pick the performance once; then for
 * each customer: seats on the map or quantities, a name (e-mail optional), how they pay, Sell,
 * Print. Enter sells from any field; "Next customer" clears everything but the performance. */
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { api, call, type Order, type HoldRequest, type Performance, type PublicEvent, type Schemas, type Seat } from "../api/client";
import { counted, localDateTime, money } from "../format";
import { useInterval, useLatestRead, usePolling, useTitle } from "../hooks";
import { SeatMap } from "../components/SeatMap";
import { seatName } from "../seatmap";
import { withStates } from "../seatStates";
import { ticketsPdf } from "../console/staffApi";
import { Field, ProblemMessage, useLoad, useStaff } from "../console/ui";
import { Link, askBeforeLeaving } from "../router";
import { TillPanel } from "./Till";
import {
  DeskSale,
  deskTotal,
  emailProblem,
  fieldsRefused,
  methodName,
  PAYMENT_METHODS,
  refusedForGood,
  takenSeats,
  type PaymentMethod,
} from "./desk";

type BoxOfficeOrder = Schemas["BoxOfficeSaleIn"];
const EVENTS_RETRY_MS = 3000;

export function BoxOfficePage() {
  useTitle("Box office");
  const events = useLoad(() => call(() => api.GET("/v1/events")), "events");
  const fromUrl = new URLSearchParams(window.location.search).get("performance") ?? "";
  const [performanceId, setPerformanceId] = useState(fromUrl);
  const [unsure, setUnsure] = useState(false);
  const shows = useMemo(() => onSale(events.data ?? []), [events.data]);
  const { error: eventsError, reload: reloadEvents } = events;
  useEffect(() => {
    // one failed read left the desk with no performance to sell, until someone reloaded
    if (!eventsError) return;
    const timer = window.setTimeout(reloadEvents, EVENTS_RETRY_MS);
    return () => window.clearTimeout(timer);
  }, [eventsError, reloadEvents]);
  return (
    <section className="box-office">
      <h1>Box office</h1>
      {eventsError !== null && (
        <div className="warning">
          <p>The performances could not be loaded. Trying again every few seconds.</p>
          <ProblemMessage error={eventsError} />
        </div>
      )}
      <Field label="Performance" hint={unsure ? "Finish the sale whose answer did not arrive first" : undefined}>
        <select value={performanceId} onChange={(e) => setPerformanceId(e.target.value)} disabled={unsure} autoFocus>
          <option value="">Choose the performance…</option>
          {shows.map((s) => (
            <option key={s.performance_id} value={s.performance_id}>
              {s.label}
            </option>
          ))}
        </select>
      </Field>
      {performanceId && <Desk key={performanceId} performanceId={performanceId} onUnsure={setUnsure} />}
      <TillPanel />
    </section>
  );
}

function onSale(events: PublicEvent[]): { performance_id: string; label: string }[] {
  return events.flatMap((e) =>
    e.performances.map((p) => ({
      performance_id: p.performance_id,
      label: `${e.name} — ${localDateTime(p.starts_at, p.time_zone)}`, // on the venue's clock
    })),
  );
}

/** While a sale's answer is lost, leaving the page would lose the sale from sight. */
const LEAVING_UNSURE =
  "The last sale's answer did not arrive: it may have gone through. Leave the desk anyway? Press Sell again first to finish it.";

function useWarnBeforeLeaving(warn: boolean): void {
  useEffect(() => {
    if (!warn) return;
    const stay = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", stay);
    // the staff screens' own links too: the desk forgot the sale, and selling again sold twice
    askBeforeLeaving(LEAVING_UNSURE);
    return () => {
      window.removeEventListener("beforeunload", stay);
      askBeforeLeaving(null);
    };
  }, [warn]);
}

function Desk({ performanceId, onUnsure }: { performanceId: string; onUnsure: (unsure: boolean) => void }) {
  const { headers } = useStaff();
  const [show, setShow] = useState<Performance | null>(null);
  const [seats, setSeats] = useState<Seat[]>([]);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [picked, setPicked] = useState<string[]>([]);
  const [quantities, setQuantities] = useState<Record<string, number>>({});
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [method, setMethod] = useState<PaymentMethod>("cash");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [sold, setSold] = useState<Order | null>(null);
  const [unsure, setUnsure] = useState(false);
  const [earlierSale, setEarlierSale] = useState(false);
  const [lastSale, setLastSale] = useState<Order | null>(null);
  const [refreshedAt, setRefreshedAt] = useState<Date | null>(null);
  const sale = useRef(new DeskSale());
  useEffect(() => onUnsure(unsure), [unsure, onUnsure]);
  useWarnBeforeLeaving(unsure);
  const nameField = useRef<HTMLInputElement>(null);
  const seated = show?.tiers.some((t) => t.seated) ?? false;
  const path = { params: { path: { performance_id: performanceId } } };

  const beginRead = useLatestRead();
  // the seats' places are asked once, then only which are taken (as the storefront does: the
  // whole map every 5 s from every desk was megabytes for a large hall on sale day)
  const placesKnown = useRef(false);
  const refresh = useCallback(async () => {
    const latest = beginRead(); // a refresh after a sale may overlap the poll
    try {
      const next = await call(() => api.GET("/v1/performances/{performance_id}", path));
      if (!latest()) return;
      setShow(next);
      if (next.tiers.some((t) => t.seated) && !placesKnown.current) {
        const map = await call(() => api.GET("/v1/performances/{performance_id}/seats", path));
        if (!latest()) return;
        setSeats(map.seats);
        placesKnown.current = true;
      } else if (next.tiers.some((t) => t.seated)) {
        const { taken } = await call(() => api.GET("/v1/performances/{performance_id}/seat-states", path));
        if (!latest()) return;
        setSeats((known) => withStates(known, taken));
      }
      setLoadError(null);
      setRefreshedAt(new Date());
    } catch (failed) {
      if (latest()) setLoadError(failed);
    }
    // path is made from performanceId
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [performanceId, beginRead]);
  usePolling(refresh, 5000); // and the older of two overlapping answers is never shown

  const tiers = show?.tiers ?? [];
  const total = deskTotal(tiers, seats, picked, quantities, method);
  const count = seated ? picked.length : Object.values(quantities).reduce((n, q) => n + q, 0);
  const tierName = (id: string | null | undefined) => tiers.find((t) => t.tier_id === id)?.name ?? "";
  const priceOf = (id: string | null | undefined) => {
    const t = tiers.find((x) => x.tier_id === id);
    return t ? money(t.price.amount, t.price.currency) : "";
  };

  const sell = async (event: FormEvent) => {
    event.preventDefault();
    if (!count) {
      setError(new Error("Choose seats or a quantity first."));
      return;
    }
    const wrongEmail = emailProblem(email);
    if (wrongEmail) {
      setError(new Error(wrongEmail));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await sellChoice();
    } finally {
      setBusy(false);
    }
  };

  /** An order request whose answer never came, sent again as it was: the order it made, or
   * null if the server refused it for good (nothing was sold); throws while still unknown. */
  const finishUnanswered = async (): Promise<Order | null> => {
    const unanswered = sale.current.unansweredOrder<BoxOfficeOrder>();
    if (!unanswered) return null;
    const asked = { headers, params: { header: { "Idempotency-Key": unanswered.key } }, body: unanswered.body };
    try {
      return await call(() => api.POST("/v1/orders/box-office", asked));
    } catch (failed) {
      if (refusedForGood(failed)) return null;
      throw failed;
    }
  };

  const sellChoice = async () => {
    const choice = seated
      ? { performance_id: performanceId, seats: picked }
      : {
          performance_id: performanceId,
          tiers: Object.entries(quantities)
            .filter(([, q]) => q > 0)
            .map(([tier_id, quantity]) => ({ tier_id, quantity })),
        };
    const stale = sale.current.staleHold(choice);
    if (stale) {
      // an unfinished try for other tickets: it may have sold, so it is finished first (the
      // customer's first tickets would else be paid, valid and out of the clerk's sight)
      let earlier: Order | null;
      try {
        earlier = await finishUnanswered();
      } catch (failed) {
        setError(failed); // still no answer: nothing else is sold meanwhile
        return;
      }
      if (earlier) {
        sale.current.finished();
        setUnsure(false);
        setEarlierSale(true);
        setSold(earlier);
        return;
      }
      // it did not sell: give its hold back (refused if it became an order)
      sale.current.finished();
      await api.DELETE("/v1/holds/{hold_id}", { headers, params: { path: { hold_id: stale } } }).catch(() => undefined);
    }
    const lostHold = sale.current.unansweredHold(choice);
    if (lostHold) {
      // the hold asked for the tickets chosen before may have been made: found with its key
      // and given back, rather than holding those seats out of sight until it expires
      const asked = { headers, params: { header: { "Idempotency-Key": lostHold.key } }, body: lostHold.body as HoldRequest };
      try {
        const found = await call(() => api.POST("/v1/holds", asked));
        await api.DELETE("/v1/holds/{hold_id}", { headers, params: { path: { hold_id: found.hold_id } } });
      } catch (failed) {
        if (!refusedForGood(failed)) {
          setError(failed); // still no answer: nothing else is held meanwhile
          return;
        }
      }
      sale.current.holdSettled();
    }
    let holdId = sale.current.keptHold(choice);
    try {
      if (!holdId) {
        const key = sale.current.holdKey(choice);
        const asked = { headers, params: { header: { "Idempotency-Key": key } }, body: choice };
        holdId = (await call(() => api.POST("/v1/holds", asked))).hold_id;
        sale.current.held(choice, holdId);
      }
      const asked = sale.current.orderRequest<BoxOfficeOrder>({
        hold_id: holdId,
        customer: { name, email: email.trim() || null },
        payment_method: method,
      });
      const order = await call(() =>
        api.POST("/v1/orders/box-office", {
          headers,
          params: { header: { "Idempotency-Key": asked.key } },
          body: asked.body,
        }),
      );
      sale.current.finished();
      setUnsure(false);
      setEarlierSale(false);
      setSold(order);
    } catch (failed) {
      const taken = takenSeats(failed);
      if (taken.length) {
        // named as the map names them, and off the selection: the clerk picks others at once
        const names = taken.map((id) => seats.find((s) => s.seat_id === id)).filter((s): s is Seat => Boolean(s));
        setPicked((now) => now.filter((id) => !taken.includes(id)));
        setError(new Error(`Just taken by someone else: ${names.map(seatName).join("; ") || taken.join(", ")}. Choose other seats.`));
      } else {
        setError(failed);
      }
      const kept = sale.current.keptHold(choice);
      if (!kept && refusedForGood(failed)) sale.current.holdSettled(); // no hold was made
      if (kept && fieldsRefused(failed)) {
        sale.current.fieldsRefused(); // the seats stay held while the clerk puts the form right
      } else if (kept && refusedForGood(failed)) {
        // the sale was refused: give the seats back at once rather than at the hold's expiry
        sale.current.finished();
        await api.DELETE("/v1/holds/{hold_id}", { headers, params: { path: { hold_id: kept } } }).catch(() => undefined);
      } else if (kept) {
        setUnsure(true); // the answer was lost: the same press again cannot sell twice
      }
      void refresh();
    }
  };

  const next = () => {
    sale.current.finished();
    setUnsure(false);
    setEarlierSale(false);
    setLastSale(sold);
    setSold(null);
    setPicked([]);
    setQuantities({});
    setName("");
    setEmail("");
    setMethod("cash");
    setError(null);
    void refresh();
  };
  useEffect(() => {
    if (!sold) nameField.current?.focus();
  }, [sold]);

  if (loadError && !show) return <ProblemMessage error={loadError} />;
  if (!show) return <p role="status">Loading the performance…</p>;
  if (sold) return <Sold order={sold} seats={seats} onNext={next} earlier={earlierSale} />;
  return (
    <form onSubmit={sell} className="desk" aria-label="Sell tickets">
      <h2>
        {show.event_name}, {localDateTime(show.starts_at, show.time_zone)}
      </h2>
      {lastSale && <LastSale order={lastSale} />}
      {loadError !== null && (
        <div className="warning" role="alert">
          <p>
            Could not refresh what is left
            {refreshedAt ? `: as of ${refreshedAt.toLocaleTimeString("en-GB")}` : ""}. Trying again every few seconds.
          </p>
          <ProblemMessage error={loadError} />
        </div>
      )}
      {seated ? (
        <>
        <h3 id="map-title">Seats</h3>
        <SeatMap
          seats={seats}
          picked={picked}
          max={show.max_per_order}
          tierName={tierName}
          priceOf={priceOf}
          onToggle={(id) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]))}
        />
        </>
      ) : (
        <fieldset>
          <legend>Quantities</legend>
          {tiers.map((t) => (
            <Field key={t.tier_id} label={`${t.name}, ${money(t.price.amount, t.price.currency)} (${t.available} left)`}>
              <input
                type="number"
                min={0}
                max={Math.min(t.available, show.max_per_order)}
                value={quantities[t.tier_id] ?? 0}
                onChange={(e) => setQuantities((q) => ({ ...q, [t.tier_id]: Math.max(0, Number(e.target.value) || 0) }))}
              />
            </Field>
          ))}
        </fieldset>
      )}
      {seated && (
        <p role="status">
          {picked.length
            ? `Chosen: ${picked.map((id) => seats.find((s) => s.seat_id === id)).filter((s): s is Seat => Boolean(s)).map(seatName).join("; ")}.`
            : "No seat chosen yet."}
        </p>
      )}
      {/* the answer lost, the sale may be made as it was sent: an edit now would never reach it
          (the same request is sent again), so the till would say cash for a card sale */}
      <fieldset disabled={unsure} className="plain">
      <div className="row-fields">
        <Field label="Customer name">
          <input ref={nameField} value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} autoComplete="off" />
        </Field>
        <Field label="E-mail (optional)" hint="Without one, nothing is sent: print the tickets">
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" />
        </Field>
      </div>
      <fieldset>
        <legend>Payment</legend>
        {PAYMENT_METHODS.map((m) => (
          <label key={m.value} className="choice">
            <input type="radio" name="payment-method" value={m.value} checked={method === m.value} onChange={() => setMethod(m.value)} /> {m.label}
          </label>
        ))}
      </fieldset>
      </fieldset>
      <p className="total">
        {counted(count, "ticket")} · to pay: <strong>{total}</strong>
      </p>
      <button type="submit" disabled={busy}>
        {busy ? "Selling…" : `Sell ${counted(count, "ticket")}`}
      </button>
      <ProblemMessage error={error} />
      {unsure && error !== null && (
        <p className="warning" role="status">
          The answer did not arrive, so this sale may have gone through. Press Sell again: it finishes
          the same sale, with the name and payment it was sent with, and never sells the tickets
          twice. Correct the order after it is sold if they changed.
        </p>
      )}
    </form>
  );
}

/** How long the PDF may take before the clerk is told where to look (it renders in ~1 s). */
const PDF_SLOW_MS = 20_000;

function Sold({ order, seats, onNext, earlier }: { order: Order; seats: Seat[]; onNext: () => void; earlier: boolean }) {
  const { headers } = useStaff();
  const [pdf, setPdf] = useState<string | null>(null);
  const [printing, setPrinting] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [slow, setSlow] = useState(false);
  const printButton = useRef<HTMLButtonElement>(null);
  // on Print, not "Next customer": a second Enter must not clear the sale before it is printed
  useEffect(() => printButton.current?.focus(), []);
  useEffect(() => {
    const timer = window.setTimeout(() => setSlow(true), PDF_SLOW_MS);
    return () => window.clearTimeout(timer);
  }, []);
  // the PDF is rendered off the sale's path: ask until it is there, more slowly after a
  // failure (a service restarting), which the next answer clears
  useInterval(
    () => {
      ticketsPdf(order.order_id, headers).then(
        (url) => {
          setError(null);
          if (url) setPdf(url);
        },
        (failed: unknown) => setError(failed),
      );
    },
    error ? 5000 : 1000,
    !pdf,
  );
  const print = () => {
    if (pdf) {
      window.open(pdf, "_blank");
      setPrinting("The tickets PDF opened in a new tab: print it from there (Ctrl+P).");
    } else setPrinting("The tickets are still being printed to PDF; try again in a moment.");
  };
  const label = (id: string | null) => {
    const s = seats.find((x) => x.seat_id === id);
    return s ? seatName(s) : "general admission";
  };
  return (
    <section className="panel sold" aria-labelledby="sold">
      <h2 id="sold">
        Sold: order <span data-testid="order-number">{order.order_number}</span>
      </h2>
      {earlier && (
        <p className="warning" role="alert">
          The sale whose answer did not arrive had gone through: this is its order. The tickets chosen
          since were not sold; sell them as the next sale if the customer wants them too.
        </p>
      )}
      <p data-order-id={order.order_id}>
        {order.customer.name}, {counted(order.tickets.length, "ticket")}, {methodName(order.payment_method)}:{" "}
        <strong>{order.total ? money(order.total.amount, order.total.currency) : "—"}</strong>
        {order.status === "paid" ? " (paid)" : ` (${order.status.replace(/_/g, " ")})`}
      </p>
      <ul className="plain">
        {order.tickets.map((t) => (
          <li key={t.ticket_id}>
            Ticket {t.ticket_number}: {label(t.seat_id)}
          </li>
        ))}
      </ul>
      <div className="actions">
        <button type="button" onClick={print} ref={printButton}>
          Print tickets
        </button>
        <button type="button" className="secondary" onClick={onNext}>
          Next customer
        </button>
      </div>
      <p role="status">{printing ?? (pdf ? "The tickets PDF is ready." : "Preparing the tickets PDF…")}</p>
      {!pdf && slow && (
        <p className="warning" role="alert">
          The tickets PDF is taking longer than usual. The sale is made; open{" "}
          <Link href={`/console/orders/${encodeURIComponent(order.order_id)}`}>order {order.order_number}</Link> to see
          why and render it again, or print it from there later.
        </p>
      )}
      <ProblemMessage error={error} />
    </section>
  );
}

/** The sale before this one, to print again after "Next customer" was pressed too soon. */
function LastSale({ order }: { order: Order }) {
  const { headers } = useStaff();
  const [said, setSaid] = useState<string | null>(null);
  const reprint = async () => {
    try {
      const url = await ticketsPdf(order.order_id, headers);
      if (url) {
        window.open(url, "_blank");
        setSaid(null);
      } else setSaid("Its tickets are still being printed to PDF; try again in a moment.");
    } catch {
      setSaid("Its tickets PDF could not be fetched; open the order to print it.");
    }
  };
  return (
    <p className="last-sale">
      Last sale: <Link href={`/console/orders/${encodeURIComponent(order.order_id)}`}>order {order.order_number}</Link>,{" "}
      {order.customer.name} ·{" "}
      <button type="button" className="link" onClick={() => void reprint()}>
        Print its tickets again
      </button>
      {said && <span role="status"> {said}</span>}
    </p>
  );
}

