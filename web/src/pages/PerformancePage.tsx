import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  api,
  asCustomer,
  call,
  type Hold,
  type HoldRequest,
  type Performance,
  type Seat,
  sessionToken,
} from "../api/client";
import { ApiRefusal, explain } from "../api/problems";
import { counted, localDateTime, money } from "../format";
import { useLatestRead, usePolling, useTitle } from "../hooks";
import { cutToWhatIsLeft } from "../chosenQuantities";
import { withStates } from "../seatStates";
import { seatingAdvice, seatName } from "../seatmap";
import { SeatMap } from "../components/SeatMap";
import { HoldPanel } from "../components/HoldPanel";
import { saleNotice } from "../saleWindow";
import {
  forgetAsking,
  forgetHold,
  keepHold,
  releaseUnanswered,
  rememberAsking,
  useAskedHold,
  useRestoredHold,
} from "../keptHold";
import { CheckoutAttempt } from "../checkout";
import { Link } from "../router";
import { serverNow } from "../serverClock";
import { NotFound } from "./NotFound";

const REFRESH_MS = 3000;

export function PerformancePage({ performanceId }: { performanceId: string }) {
  const [show, setShow] = useState<Performance | null>(null);
  const [seats, setSeats] = useState<Seat[]>([]);
  const [missing, setMissing] = useState(false);
  const [hold, setHold] = useState<Hold | null>(null);
  const [picked, setPicked] = useState<string[]>([]);
  const [quantities, setQuantities] = useState<Record<string, number>>({});
  const [together, setTogether] = useState(2);
  const [message, setMessage] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // one Idempotency-Key per reservation asked for: pressing again after a lost answer gets the
  // hold the first press made, instead of holding the seats twice (and out of sight)
  const holdAttempt = useRef(new CheckoutAttempt());
  const [now, setNow] = useState(() => new Date(serverNow()));
  const [ordered, setOrdered] = useState<string | null>(null);
  useTitle(show ? show.event_name : "Tickets");

  // the session now, while the buyer looks (or waits for the sale to open), not at the press
  useEffect(() => {
    void sessionToken().catch(() => undefined); // no session yet: the press mints one
  }, []);
  // a reservation asked for before a reload, its answer lost: asked again with its key
  useAskedHold(performanceId, (made) => {
    setHold(made);
    setNotice("We kept your reservation.");
  });
  // a reload, Back from checkout or a discarded tab: the reservation made here comes back
  useRestoredHold(performanceId, (outcome) => {
    if (outcome.kind === "held") {
      setHold(outcome.hold);
      setNotice("We kept your reservation.");
    } else if (outcome.kind === "ordered") {
      setOrdered(outcome.checkoutUrl);
    }
  });

  const seated = show?.tiers.some((t) => t.seated) ?? false;
  const [unreachable, setUnreachable] = useState<string | null>(null);
  // the seats' places are asked once; then only which seats are taken (a few bytes a taken
  // seat, not the whole map every few seconds: 3 MB for a 20,000-seat hall)
  const placesKnown = useRef(false);
  const beginRead = useLatestRead();
  const refresh = useCallback(async () => {
    const latest = beginRead(); // a refresh after a hold may overlap the poll: the newer wins
    try {
      const path = { params: { path: { performance_id: performanceId } } };
      const next = await call(() => api.GET("/v1/performances/{performance_id}", path));
      if (!latest()) return;
      setShow(next);
      setNow(new Date(serverNow()));
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
      setUnreachable(null);
    } catch (e) {
      if (!latest()) return;
      if (e instanceof ApiRefusal && e.problem.status === 404) setMissing(true);
      else setUnreachable(explain(e));
    }
  }, [performanceId, beginRead]);
  usePolling(refresh, REFRESH_MS, !missing);
  // the reservation panel went (released, expired) with the focus in it: the focus goes to
  // what the page says instead of to the top of the page
  const said = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!hold && document.activeElement === document.body) said.current?.focus();
  }, [hold]);
  // a tier sold down while the buyer looked: their choice follows, and they are told; not
  // while they hold it, nor by a read from then, when what was left did not count their own
  // tickets ("just sold out" greeted the buyer of the last one)
  const readWhileHeld = useRef<Performance | null>(null);
  useEffect(() => {
    if (hold) readWhileHeld.current = show;
  }, [hold, show]);
  useEffect(() => {
    if (!show || hold || show === readWhileHeld.current) return;
    const { chosen, said } = cutToWhatIsLeft(quantities, show.tiers.filter((t) => !t.seated));
    if (!said) return;
    setQuantities(chosen);
    setNotice(said);
  }, [show, quantities, hold]);

  const byId = useMemo(() => new Map(seats.map((s) => [s.seat_id, s])), [seats]);
  const advice = useMemo(() => seatingAdvice(seats, picked), [seats, picked]);
  const nameOf = (id: string) => {
    const seat = byId.get(id);
    return seat ? seatName(seat) : id;
  };

  if (missing) return <NotFound />;
  if (!show && unreachable) {
    return (
      <p role="alert">
        This performance cannot be loaded right now. {unreachable} We try again every few seconds.
      </p>
    );
  }
  if (!show) return <p aria-live="polite">Loading the performance…</p>;

  const tierName = (id: string | null | undefined) =>
    show.tiers.find((t) => t.tier_id === id)?.name ?? "";
  const gaTiers = show.tiers.filter((t) => !t.seated);
  const max = show.max_per_order;
  const notOnSale = saleNotice(show, now);

  async function place(body: Omit<HoldRequest, "performance_id">, what: string) {
    setBusy(true);
    setMessage(null);
    setNotice(null);
    try {
      const wanted = { performance_id: performanceId, ...body };
      const key = holdAttempt.current.keyFor(wanted);
      if (!(await releaseUnanswered(performanceId, key))) {
        setMessage("We have not heard back about your last reservation yet. Please press again in a moment.");
        return;
      }
      rememberAsking(performanceId, { key, body: wanted });
      const made = await call(
        async () =>
          api.POST("/v1/holds", {
            headers: await asCustomer(),
            params: { header: { "Idempotency-Key": key } },
            body: wanted,
          }),
        (waitS) => setNotice(`Many people are buying right now: trying again in ${waitS} s…`),
      );
      holdAttempt.current.refused(); // held: the next reservation is a new one
      forgetAsking(performanceId);
      setHold(made);
      keepHold(performanceId, { holdId: made.hold_id });
      setOrdered(null);
      setPicked([]);
      if (made.contiguous === false) {
        setNotice(
          `We could not find ${counted(made.quantity, "seat")} side by side; these are the best available, not all together.`,
        );
      } else if (made.contiguous === true) {
        setNotice(`${counted(made.quantity, "seat")} together, held for you.`);
      } else {
        setNotice(`${what} held for you.`);
      }
      void refresh();
    } catch (e) {
      // refused (sold out, taken): the next press is a new request; no answer: the same one
      if (e instanceof ApiRefusal && e.problem.status >= 400 && e.problem.status < 500) {
        holdAttempt.current.refused();
        forgetAsking(performanceId);
      }
      setMessage(explain(e, nameOf));
      void refresh();
    } finally {
      setBusy(false);
    }
  }

  const gaCount = Object.values(quantities).reduce((a, b) => a + b, 0);
  const onExpired = () => {
    const what = hold?.lines.some((line) => line.seat_ids.length) ? "seats" : "tickets";
    forgetHold(performanceId);
    setHold(null);
    setNotice(null);
    setMessage(`Your reservation expired: the ${what} went back on sale. You can choose again.`);
    void refresh();
  };
  const onReleased = () => {
    forgetHold(performanceId);
    setHold(null);
    setNotice("Reservation cancelled: the tickets went back on sale.");
    void refresh();
  };

  return (
    <section aria-labelledby="show-title">
      <h1 id="show-title">{show.event_name}</h1>
      <p className="when">{localDateTime(show.starts_at, show.time_zone)}</p>
      {show.venue_name && (
        <p className="where">
          {show.venue_name}
          {show.venue_address ? `, ${show.venue_address}` : ""}
        </p>
      )}
      {unreachable && (
        <p role="status" className="notice">
          Availability may be out of date. {unreachable} We keep trying.
        </p>
      )}
      {!hold && ordered && (
        <p role="status" className="notice">
          You already placed an order for these tickets: <Link href={ordered}>continue to payment</Link>.
        </p>
      )}
      {!hold && notOnSale && (
        <p role="status" className="notice">
          {notOnSale}
        </p>
      )}
      <div className="live" aria-live="polite" tabIndex={-1} ref={said}>
        {message && (
          <p role="alert" className="error">
            {message}
          </p>
        )}
        {notice && <p className="notice">{notice}</p>}
      </div>

      {hold ? (
        <HoldPanel
          hold={hold}
          show={show}
          seatLabel={nameOf}
          tierName={tierName}
          onChange={setHold}
          onExpired={onExpired}
          onReleased={onReleased}
        />
      ) : (
        <>
          <h2>Prices</h2>
          <ul className="tiers">
            {show.tiers.map((t) => (
              <li key={t.tier_id}>
                <span>{t.name}</span> <strong>{money(t.price.amount, t.price.currency)}</strong>{" "}
                <span className={t.available === 0 ? "badge badge-sold-out" : "muted"}>
                  {t.available === 0 ? "Sold out" : `${t.available} available`}
                </span>
              </li>
            ))}
          </ul>

          {gaTiers.length > 0 && (
            <form
              className="panel"
              aria-labelledby="ga-title"
              onSubmit={(e) => {
                e.preventDefault();
                const tiers = Object.entries(quantities)
                  .filter(([, q]) => q > 0)
                  .map(([tier_id, quantity]) => ({ tier_id, quantity }));
                void place({ tiers }, counted(gaCount, "ticket"));
              }}
            >
              <h2 id="ga-title">General admission</h2>
              {gaTiers.map((t) => (
                <p key={t.tier_id} className="field">
                  <label htmlFor={`q-${t.tier_id}`}>
                    {t.name} ({money(t.price.amount, t.price.currency)})
                  </label>
                  <select
                    id={`q-${t.tier_id}`}
                    value={quantities[t.tier_id] ?? 0}
                    disabled={t.available === 0}
                    onChange={(e) =>
                      setQuantities({ ...quantities, [t.tier_id]: Number(e.target.value) })
                    }
                  >
                    {Array.from({ length: Math.min(max, Math.max(t.available, 0)) + 1 }, (_, i) => (
                      <option key={i} value={i}>
                        {i}
                      </option>
                    ))}
                  </select>
                </p>
              ))}
              <button type="submit" disabled={busy || gaCount === 0}>
                Reserve {gaCount > 0 ? counted(gaCount, "ticket") : "tickets"}
              </button>
            </form>
          )}

          {seated && (
            <>
              <form
                className="panel"
                aria-labelledby="best-title"
                onSubmit={(e) => {
                  e.preventDefault();
                  void place({ best_available: { quantity: together } }, counted(together, "seat"));
                }}
              >
                <h2 id="best-title">Best available seats</h2>
                <p className="field">
                  <label htmlFor="together">Number of seats together</label>
                  <select
                    id="together"
                    value={together}
                    onChange={(e) => setTogether(Number(e.target.value))}
                  >
                    {Array.from({ length: max }, (_, i) => (
                      <option key={i + 1} value={i + 1}>
                        {i + 1}
                      </option>
                    ))}
                  </select>
                </p>
                <button type="submit" disabled={busy}>
                  Find the best {together} together
                </button>
              </form>

              <div className="panel">
                <h2 id="map-title">Or choose your seats</h2>
                <SeatMap
                  seats={seats}
                  picked={picked}
                  max={max}
                  tierName={tierName}
                  priceOf={(tierId) => {
                    const tier = show.tiers.find((t) => t.tier_id === tierId);
                    return tier ? money(tier.price.amount, tier.price.currency) : "";
                  }}
                  onToggle={(id) =>
                    setPicked((now) =>
                      now.includes(id) ? now.filter((x) => x !== id) : [...now, id],
                    )
                  }
                />
                <div aria-live="polite">
                  <p>
                    {picked.length === 0
                      ? "No seats chosen yet."
                      : `Chosen: ${picked.map(nameOf).join("; ")}.`}
                  </p>
                  {advice.map((words) => (
                    <p key={words} className="notice">
                      {words}
                    </p>
                  ))}
                </div>
                <button
                  type="button"
                  disabled={busy || picked.length === 0}
                  onClick={() => void place({ seats: picked }, counted(picked.length, "seat"))}
                >
                  Reserve {picked.length || ""} {picked.length === 1 ? "seat" : "seats"}
                </button>
              </div>
            </>
          )}
        </>
      )}
    </section>
  );
}
