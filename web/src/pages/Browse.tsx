import { useEffect, useState } from "react";
import { api, call, type Performance, type PublicEvent } from "../api/client";
import { explain } from "../api/problems";
import { localDateTime, money } from "../format";
import { useTitle } from "../hooks";
import { Link } from "../router";
import { availabilityBadge, fromPrice } from "../availability";
import { onSaleFrom, salesOver } from "../saleWindow";
import { serverNow } from "../serverClock";

interface Listing {
  event: PublicEvent;
  performances: Performance[];
}

export function Browse() {
  useTitle("What's on");
  const [listings, setListings] = useState<Listing[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [missed, setMissed] = useState(0);
  useEffect(() => {
    let live = true;
    (async () => {
      try {
        const events = await call(() => api.GET("/v1/events"));
        let failed = 0;
        // one performance that does not answer leaves the rest of the programme on screen
        const withShows = await Promise.all(
          events.map(async (event) => {
            const answers = await Promise.allSettled(
              event.performances.map((show) =>
                call(() =>
                  api.GET("/v1/performances/{performance_id}", {
                    params: { path: { performance_id: show.performance_id } },
                  }),
                ),
              ),
            );
            failed += answers.filter((a) => a.status === "rejected").length;
            const performances = answers.flatMap((a) => (a.status === "fulfilled" ? [a.value] : []));
            return { event, performances };
          }),
        );
        if (!live) return;
        setListings(withShows.filter((l) => l.performances.length > 0));
        setMissed(failed);
      } catch (e) {
        if (live) setError(explain(e));
      }
    })();
    return () => {
      live = false;
    };
  }, []);
  return (
    <section aria-labelledby="browse-title">
      <h1 id="browse-title">What's on</h1>
      {error && <p role="alert" className="error">{error}</p>}
      {!listings && !error && <p aria-live="polite">Loading the programme…</p>}
      {missed > 0 && (
        <p role="status" className="notice">
          {missed === 1 ? "One performance" : `${missed} performances`} could not be loaded just now: reload
          the page to see the whole programme.
        </p>
      )}
      {listings?.length === 0 && <p>Nothing is on sale right now. Come back soon.</p>}
      <ul className="events">
        {listings?.map(({ event, performances }) => (
          <li key={event.event_id} className="panel">
            <h2>{event.name}</h2>
            {event.description && <p>{event.description}</p>}
            <ul className="shows">
              {performances.map((show) => (
                <ShowLine key={show.performance_id} show={show} />
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ShowLine({ show }: { show: Performance }) {
  const price = fromPrice(show.tiers);
  const badge = availabilityBadge(show.tiers);
  const seated = show.tiers.some((t) => t.seated);
  const now = new Date(serverNow());
  const later = onSaleFrom(show, now);
  const over = salesOver(show, now);
  return (
    <li className="show">
      <div>
        <p className="when">{localDateTime(show.starts_at, show.time_zone)}</p>
        <p className="where">
          {show.venue_name ?? "General admission"}
          {seated ? " · reserved seating" : " · standing / free seating"}
        </p>
        {later && <p className="muted">{later}</p>}
      </div>
      <div className="show-actions">
        {price && <p className="price">from {money(price.amount, price.currency)}</p>}
        {badge && <span className={`badge badge-${badge.kind}`}>{badge.text}</span>}
        {over ? (
          <span className="muted">Online sales closed</span>
        ) : badge?.kind === "sold-out" ? (
          <span className="muted">No tickets left</span>
        ) : (
          <Link
            className="button"
            href={`/performances/${show.performance_id}`}
            aria-label={`Tickets for ${show.event_name}, ${localDateTime(show.starts_at, show.time_zone)}`}
          >
            Tickets
          </Link>
        )}
      </div>
    </li>
  );
}
