/** Events: create, add performances (seated or general admission) with their sales windows,
 * change those windows, add tiers and price zones, publish and cancel with a confirmation. */
import { useState, type FormEvent } from "react";
import { api, call, type Schemas } from "../api/client";
import { counted, knownZone, money } from "../format";
import { useTitle } from "../hooks";
import { amountExample, parseAmount } from "./refund";
import { changedTerms, holdSeconds, holdTime, holdTimeProblem, termsOf, type Terms } from "./saleTerms";
import { ConfirmButton, CursorPager, Field, Outcome, ProblemMessage, useAction, useCursors, useLoad, useStaff } from "./ui";
import { whenIn, zonedInput, zonedInstant, zonedTimeNote } from "./zonedTime";

type StaffEvent = Schemas["StaffEventOut"];
type StaffPerformance = Schemas["StaffPerformanceOut"];
type Venue = Schemas["VenueSummaryOut"];

// events a page: a venue's years of shows stay quick to open
const PAGE = 20;

export function EventsPage() {
  useTitle("Events");
  const { headers } = useStaff();
  const [search, setSearch] = useState("");
  const cursors = useCursors();
  const start = cursors.start;
  const query = { limit: PAGE, ...(search.trim() ? { q: search.trim() } : {}), ...(start ? { starting_after: start } : {}) };
  const events = useLoad(() => call(() => api.GET("/v1/events/all", { headers, params: { query } })), JSON.stringify(query));
  const venues = useLoad(() => call(() => api.GET("/v1/venues", { headers })), "venues");
  const created = () => {
    cursors.reset();
    events.reload();
  };
  return (
    <section>
      <h1>Events</h1>
      <ProblemMessage error={events.error ?? venues.error} />
      <NewEvent onCreated={created} />
      <Field label="Find events by name">
        <input
          type="search"
          value={search}
          maxLength={200}
          onChange={(e) => {
            setSearch(e.target.value);
            cursors.reset();
          }}
        />
      </Field>
      <p role="status">
        {events.data && (events.data.data.length ? `Events, newest first, page ${cursors.page}` : "No events found.")}
      </p>
      {(events.data?.data ?? []).map((e) => (
        <EventPanel key={e.event_id} event={e} venues={venues.data ?? []} onChanged={events.reload} />
      ))}
      <CursorPager
        cursors={cursors}
        hasMore={events.data?.has_more}
        last={events.data?.data.at(-1)?.event_id}
        labels={["Newer events", "Older events"]}
      />
    </section>
  );
}

function NewEvent({ onCreated }: { onCreated: () => void }) {
  const { headers } = useStaff();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [zone, setZone] = useState("Europe/Amsterdam");
  const action = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      await call(() => api.POST("/v1/events", { headers, body: { name, description, time_zone: zone, refund_returns_capacity: true } }));
      setName("");
      setDescription("");
      onCreated();
      return `Event "${name}" created as a draft.`;
    });
  };
  return (
    <form onSubmit={submit} className="panel" aria-labelledby="new-event">
      <h2 id="new-event">New event</h2>
      <Field label="Event name">
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
      </Field>
      <Field label="Description">
        <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={2} />
      </Field>
      <Field label="Event time zone">
        <input value={zone} onChange={(e) => setZone(e.target.value)} required />
      </Field>
      <button type="submit" disabled={action.busy}>
        Create event
      </button>
      <Outcome error={action.error} done={action.done} />
    </form>
  );
}

function EventPanel({ event, venues, onChanged }: { event: StaffEvent; venues: Venue[]; onChanged: () => void }) {
  const { headers } = useStaff();
  const action = useAction();
  const path = { params: { path: { event_id: event.event_id } } };
  const publish = () =>
    action.run(async () => {
      await call(() => api.POST("/v1/events/{event_id}/publish", { headers, ...path }));
      onChanged();
      return `"${event.name}" is published.`;
    });
  const cancel = () =>
    action.run(async () => {
      await call(() => api.POST("/v1/events/{event_id}/cancel", { headers, ...path }));
      onChanged();
      return `"${event.name}" is cancelled.`;
    });
  const headingId = `event-${event.event_id}`;
  return (
    <article className="panel" aria-labelledby={headingId} data-event-id={event.event_id}>
      <h2 id={headingId}>
        {event.name} <span className={`badge badge-${event.status}`}>{event.status}</span>
      </h2>
      <p className="muted">
        {event.time_zone} · {counted(event.performances.length, "performance")}
      </p>
      <div className="actions">
        {event.status === "draft" && (
          <ConfirmButton
            label={`Publish ${event.name}`}
            question="Publish? It goes on the storefront and sales open in their windows."
            confirm="Yes, publish"
            onConfirm={() => void publish()}
            disabled={action.busy}
          />
        )}
        {event.status !== "cancelled" && (
          <ConfirmButton
            label={`Cancel ${event.name}`}
            question="Cancel the whole event? Sales stop at once, unpaid orders are cancelled and card orders refunded in full; this cannot be undone."
            confirm="Yes, cancel the event"
            onConfirm={() => void cancel()}
            disabled={action.busy}
          />
        )}
      </div>
      <Outcome error={action.error} done={action.done} />
      {event.performances.map((p) => (
        <PerformancePanel key={p.performance_id} show={p} eventZone={event.time_zone} venues={venues} onChanged={onChanged} />
      ))}
      {event.status !== "cancelled" && <NewPerformance event={event} venues={venues} onCreated={onChanged} />}
    </article>
  );
}

/** A performance's clock: its venue's zone, else its event's (as the storefront shows it). */
function zoneOf(venue: Venue | undefined, eventZone: string): string {
  return knownZone(venue?.time_zone ?? eventZone);
}

function NewPerformance({ event, venues, onCreated }: { event: StaffEvent; venues: Venue[]; onCreated: () => void }) {
  const { headers } = useStaff();
  const [venueId, setVenueId] = useState("");
  const zone = zoneOf(venues.find((v) => v.venue_id === venueId), event.time_zone);
  const [startsAt, setStartsAt] = useState(() => `${zonedInput(new Date(Date.now() + 30 * 86_400_000), zone).slice(0, 10)}T20:00`);
  const [endsAt, setEndsAt] = useState(() => zonedInput(new Date(Date.parse(zonedInstant(startsAt, zone)) + 2 * 3_600_000), zone));
  const [terms, setTerms] = useState<Terms>(() => ({ opensAt: zonedInput(new Date(Date.now() - 60_000), zone), closesAt: startsAt, maxPerOrder: 10, holdMinutes: 10 }));
  const chooseVenue = (next: string) => {
    // the same instants on the new venue's clock: defaults such as "sales open now" stay true
    const to = zoneOf(venues.find((v) => v.venue_id === next), event.time_zone);
    const moved = (local: string) => zonedInput(new Date(zonedInstant(local, zone)), to);
    setStartsAt(moved(startsAt));
    setEndsAt(moved(endsAt));
    setTerms({ ...terms, opensAt: moved(terms.opensAt), closesAt: moved(terms.closesAt) });
    setVenueId(next);
  };
  const instant = (local: string) => zonedInstant(local, zone);
  const moveStart = (next: string) => {
    // the end and the close of sales move with the start: left on the form's first date, a
    // show moved to tonight stayed on sale for weeks after it (to its old end)
    const by = Date.parse(zonedInstant(next, zone)) - Date.parse(instant(startsAt));
    const shifted = (local: string) => zonedInput(new Date(Date.parse(instant(local)) + by), zone);
    if (Number.isFinite(by)) {
      setEndsAt(shifted(endsAt));
      setTerms({ ...terms, closesAt: shifted(terms.closesAt) });
    }
    setStartsAt(next);
  };
  const action = useAction();
  const id = (what: string) => `${what}-${event.event_id}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void action.run(async () => {
      const holdProblem = holdTimeProblem(terms.holdMinutes);
      if (holdProblem) throw new Error(holdProblem);
      await call(() =>
        api.POST("/v1/events/{event_id}/performances", {
          headers,
          params: { path: { event_id: event.event_id } },
          body: {
            venue_id: venueId || null,
            starts_at: instant(startsAt),
            ends_at: instant(endsAt),
            sales_open_at: instant(terms.opensAt),
            sales_close_at: instant(terms.closesAt),
            max_per_order: terms.maxPerOrder,
            hold_ttl_s: holdSeconds(terms.holdMinutes),
          },
        }),
      );
      onCreated();
      return venueId ? "Seated performance added." : "General-admission performance added.";
    });
  };
  return (
    <form onSubmit={submit} className="subpanel" aria-labelledby={id("new-show")}>
      <h3 id={id("new-show")}>New performance of {event.name}</h3>
      <Field label="Seating" hint="A venue's seat map makes it seated; none is general admission">
        <select value={venueId} onChange={(e) => chooseVenue(e.target.value)}>
          <option value="">General admission (no seat map)</option>
          {venues.map((v) => (
            <option key={v.venue_id} value={v.venue_id}>
              Seated at {v.name} ({counted(v.seats, "seat")})
            </option>
          ))}
        </select>
      </Field>
      <div className="row-fields">
        <Field label="Starts at" hint={zonedTimeNote(startsAt, zone) ?? `On the venue's clock (${zone})`}>
          <input type="datetime-local" value={startsAt} onChange={(e) => moveStart(e.target.value)} required />
        </Field>
        <Field label="Ends at" hint={zonedTimeNote(endsAt, zone) ?? undefined}>
          <input type="datetime-local" value={endsAt} onChange={(e) => setEndsAt(e.target.value)} required />
        </Field>
        <TermsFields terms={terms} onChange={setTerms} />
      </div>
      <button type="submit" disabled={action.busy}>
        Add performance
      </button>
      <Outcome error={action.error} done={action.done} />
    </form>
  );
}

function PerformancePanel(props: { show: StaffPerformance; eventZone: string; venues: Venue[]; onChanged: () => void }) {
  const { show, venues, onChanged } = props;
  const { headers } = useStaff();
  const action = useAction();
  const venue = venues.find((v) => v.venue_id === show.venue_id);
  const zone = zoneOf(venue, props.eventZone);
  const when = (iso: string | null | undefined) => whenIn(iso, zone);
  const label = `${when(show.starts_at)}${venue ? ` at ${venue.name}` : ", general admission"}`;
  const cancel = () =>
    action.run(async () => {
      await call(() =>
        api.POST("/v1/performances/{performance_id}/cancel", {
          headers,
          params: { path: { performance_id: show.performance_id } },
        }),
      );
      onChanged();
      return "Performance cancelled.";
    });
  return (
    <section className="subpanel" aria-label={`Performance ${label}`} data-performance-id={show.performance_id}>
      <h3>
        {label} <span className="badge">{show.status}</span>
      </h3>
      <p className="muted">
        Sales {when(show.sales_open_at)} to {when(show.sales_close_at)} · up to {show.max_per_order} per order · seats held {holdTime(show.hold_ttl_s)} ·{" "}
        <code>{show.performance_id}</code>
      </p>
      <table className="data">
        <caption>Tiers</caption>
        <thead>
          <tr>
            <th scope="col">Tier</th>
            <th scope="col">Price</th>
            <th scope="col">Capacity</th>
            <th scope="col">Sold</th>
          </tr>
        </thead>
        <tbody>
          {show.tiers.map((t) => (
            <tr key={t.tier_id}>
              <td>{t.name}</td>
              <td>{money(t.price_amount, t.currency)}</td>
              <td>{t.capacity}</td>
              <td>{t.sold}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {show.status !== "cancelled" && (
        <>
          <SaleTerms show={show} zone={zone} onSaved={onChanged} />
          <NewTier show={show} seated={Boolean(venue)} onCreated={onChanged} />
          {venue && show.tiers.length > 0 && <PriceZones show={show} venueId={venue.venue_id} onSaved={onChanged} />}
          <ConfirmButton
            label="Cancel this performance"
            question="Cancel this performance? Sales stop at once, unpaid orders are cancelled and card orders refunded in full (desk sales are refunded at the desk); this cannot be undone."
            confirm="Yes, cancel it"
            onConfirm={() => void cancel()}
            disabled={action.busy}
          />
        </>
      )}
      <Outcome error={action.error} done={action.done} />
    </section>
  );
}

function SaleTerms({ show, zone, onSaved }: { show: StaffPerformance; zone: string; onSaved: () => void }) {
  const { headers } = useStaff();
  const saved = termsOf(show, zone);
  const when = (iso: string | null | undefined) => whenIn(iso, zone);
  const [terms, setTerms] = useState(saved);
  const action = useAction();
  const id = `terms-${show.performance_id}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void action.run(async () => {
      const holdProblem = holdTimeProblem(terms.holdMinutes);
      if (holdProblem) throw new Error(holdProblem);
      const body = changedTerms(saved, terms, zone);
      if (Object.keys(body).length === 0) throw new Error("Nothing changed: edit a field first.");
      const changed = await call(() =>
        api.PATCH("/v1/performances/{performance_id}", {
          headers,
          params: { path: { performance_id: show.performance_id } },
          body,
        }),
      );
      onSaved();
      return `Sales now open ${when(changed.sales_open_at)} and close ${when(changed.sales_close_at)}, seats held ${holdTime(changed.hold_ttl_s)}; the next hold sells under these terms.`;
    });
  };
  return (
    <form onSubmit={submit} className="subpanel" aria-labelledby={id}>
      <h4 id={id}>Sales window</h4>
      <p className="muted">Times on the venue's clock ({zone}).</p>
      <div className="row-fields">
        <TermsFields terms={terms} onChange={setTerms} />
      </div>
      <button type="submit" disabled={action.busy}>
        Save sales window
      </button>
      <Outcome error={action.error} done={action.done} />
    </form>
  );
}

function TermsFields({ terms, onChange }: { terms: Terms; onChange: (terms: Terms) => void }) {
  return (
    <>
      <Field label="Sales open at">
        <input type="datetime-local" value={terms.opensAt} onChange={(e) => onChange({ ...terms, opensAt: e.target.value })} required />
      </Field>
      <Field label="Sales close at">
        <input type="datetime-local" value={terms.closesAt} onChange={(e) => onChange({ ...terms, closesAt: e.target.value })} required />
      </Field>
      <Field label="Most tickets per order">
        <input type="number" min={1} max={100} value={terms.maxPerOrder} onChange={(e) => onChange({ ...terms, maxPerOrder: Number(e.target.value) })} />
      </Field>
      <Field label="Hold seats for (minutes)" hint="Time to pay (at most 60), then back on sale">
        <input type="number" max={60} step="any" value={terms.holdMinutes} onChange={(e) => onChange({ ...terms, holdMinutes: Number(e.target.value) })} required />
      </Field>
    </>
  );
}

function NewTier({ show, seated, onCreated }: { show: StaffPerformance; seated: boolean; onCreated: () => void }) {
  const { headers } = useStaff();
  const [name, setName] = useState("");
  const [price, setPrice] = useState("");
  const [currency, setCurrency] = useState("EUR");
  const [capacity, setCapacity] = useState(100);
  const action = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void action.run(async () => {
      // inside the action: a malformed currency code throws in Intl, and is shown
      const amount = parseAmount(price, currency);
      if (amount === null) throw new Error(`Enter the price like ${amountExample(currency)}.`);
      await call(() =>
        api.POST("/v1/performances/{performance_id}/tiers", {
          headers,
          params: { path: { performance_id: show.performance_id } },
          body: { name, price: { amount, currency }, capacity: seated ? 0 : capacity },
        }),
      );
      setName("");
      setPrice("");
      onCreated();
      return `Tier "${name}" added.`;
    });
  };
  return (
    <form onSubmit={submit} className="inline-form" aria-label="Add a tier">
      <Field label="Tier name">
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
      </Field>
      <Field label="Price">
        <input value={price} onChange={(e) => setPrice(e.target.value)} required inputMode="decimal" placeholder="25.00" />
      </Field>
      <Field label="Currency">
        <input value={currency} onChange={(e) => setCurrency(e.target.value.toUpperCase())} required maxLength={3} size={4} />
      </Field>
      {!seated && (
        <Field label="Capacity">
          <input type="number" min={0} value={capacity} onChange={(e) => setCapacity(Number(e.target.value))} />
        </Field>
      )}
      <button type="submit" disabled={action.busy}>
        Add tier
      </button>
      <Outcome error={action.error} done={action.done} />
    </form>
  );
}

interface Zone {
  tierId: string;
  section: string;
  rows: string;
}

function PriceZones({ show, venueId, onSaved }: { show: StaffPerformance; venueId: string; onSaved: () => void }) {
  const { headers } = useStaff();
  const venue = useLoad(
    () => call(() => api.GET("/v1/venues/{venue_id}", { headers, params: { path: { venue_id: venueId } } })),
    venueId,
  );
  const sections = ((venue.data?.sections as { name: string }[] | undefined) ?? []).map((s) => s.name);
  const first = show.tiers[0]?.tier_id ?? "";
  const [zones, setZones] = useState<Zone[]>([{ tierId: first, section: "", rows: "" }]);
  const action = useAction();
  const change = (i: number, patch: Partial<Zone>) =>
    setZones((all) => all.map((z, j) => (j === i ? { ...z, ...patch } : z)));
  const save = (e: FormEvent) => {
    e.preventDefault();
    void action.run(async () => {
      const body = {
        zones: zones.map((z) => ({
          tier_id: z.tierId,
          section: z.section || null,
          rows: z.rows.trim() ? z.rows.split(",").map((r) => r.trim()).filter(Boolean) : null,
        })),
      };
      const saved = await call(() =>
        api.PUT("/v1/performances/{performance_id}/price-zones", {
          headers,
          params: { path: { performance_id: show.performance_id } },
          body,
        }),
      );
      onSaved();
      const counts = Object.entries((saved as { seats_per_tier?: Record<string, number> }).seats_per_tier ?? {});
      const names = (id: string) => show.tiers.find((t) => t.tier_id === id)?.name ?? id;
      return `Price zones saved: ${counts.map(([id, n]) => `${names(id)} ${counted(n, "seat")}`).join(", ")}.`;
    });
  };
  return (
    <form onSubmit={save} className="subpanel" aria-label="Price zones">
      <h4>Price zones</h4>
      <p className="muted">Each zone gives a tier to a section (or every section) and some of its rows (or all).</p>
      {zones.map((z, i) => (
        <fieldset key={i} className="inline-form">
          <legend>Zone {i + 1}</legend>
          <Field label="Tier">
            <select value={z.tierId} onChange={(e) => change(i, { tierId: e.target.value })}>
              {show.tiers.map((t) => (
                <option key={t.tier_id} value={t.tier_id}>
                  {t.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Section">
            <select value={z.section} onChange={(e) => change(i, { section: e.target.value })}>
              <option value="">Every section</option>
              {sections.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Rows" hint="Comma-separated; empty for every row">
            <input value={z.rows} onChange={(e) => change(i, { rows: e.target.value })} />
          </Field>
        </fieldset>
      ))}
      <div className="actions">
        <button type="button" className="secondary" onClick={() => setZones((all) => [...all, { tierId: first, section: "", rows: "" }])}>
          Add a zone
        </button>
        <button type="submit" disabled={action.busy}>
          Save price zones
        </button>
      </div>
      <Outcome error={action.error ?? venue.error} done={action.done} />
    </form>
  );
}
