/** The sales dashboard: per event and per performance, stock per tier (inventory's figures),
 * revenue per currency and check-ins (orders'), and a chart of sales per hour. */
import { useState } from "react";
import { api, call, type Schemas } from "../api/client";
import { counted, knownZone, money } from "../format";
import { useInterval, useTitle } from "../hooks";
import { SalesChart } from "./SalesChart";
import { Field, ProblemMessage, useLoad, useStaff } from "./ui";
import { whenIn } from "./zonedTime";

type Revenue = Schemas["RevenueOut"];

export function SalesPage() {
  useTitle("Sales");
  const { headers } = useStaff();
  const [search, setSearch] = useState("");
  const query = { limit: 100, ...(search.trim() ? { q: search.trim() } : {}) };
  const events = useLoad(() => call(() => api.GET("/v1/events/all", { headers, params: { query } })), JSON.stringify(query));
  const fromUrl = new URLSearchParams(window.location.search).get("event") ?? "";
  const [eventId, setEventId] = useState(fromUrl);
  const listed = events.data?.data ?? [];
  // the figures are only ever those of the event the list names: an event not listed (older
  // than the newest 100, or left out by a search) showed under another's name
  const listedChoice = listed.some((e) => e.event_id === eventId);
  const chosen = listedChoice ? eventId : (listed.find((e) => e.performances.length)?.event_id ?? "");
  const notListed = Boolean(eventId) && events.data !== null && !listedChoice;
  return (
    <section>
      <h1>Sales</h1>
      <ProblemMessage error={events.error} />
      <Field label="Find events by name">
        <input type="search" value={search} maxLength={200} onChange={(e) => setSearch(e.target.value)} />
      </Field>
      <Field label="Event">
        <select value={chosen} onChange={(e) => setEventId(e.target.value)}>
          {listed.map((e) => (
            <option key={e.event_id} value={e.event_id}>
              {e.name} ({e.status}, {counted(e.performances.length, "performance")})
            </option>
          ))}
        </select>
      </Field>
      {notListed && (
        <p className="notice" role="status">
          The event chosen is not among those listed{search.trim() ? " for this search" : " (the newest 100)"}: find it
          by name.
        </p>
      )}
      {chosen && <EventSales key={chosen} eventId={chosen} />}
    </section>
  );
}

function EventSales({ eventId }: { eventId: string }) {
  const { headers } = useStaff();
  const summary = useLoad(
    () => call(() => api.GET("/v1/orders/sales-summary", { headers, params: { query: { event_id: eventId } } })),
    eventId,
  );
  useInterval(summary.reload, 10_000);
  const s = summary.data;
  return (
    <>
      <ProblemMessage error={summary.error} />
      {s && (
        <>
          <dl className="figures" aria-label="Event totals">
            <Figure name="Capacity" value={s.capacity} />
            <Figure name="Sold" value={s.sold} id="event-sold" />
            <Figure name="Held" value={s.held} />
            <Figure name="Available" value={s.available} />
            <Figure name="Checked in" value={s.checked_in} />
          </dl>
          <RevenueTable revenue={s.revenue} caption="Revenue of the event" />
          {s.performances.map((p) => (
            <PerformanceSales key={p.performance_id} show={p} />
          ))}
        </>
      )}
    </>
  );
}

/** One performance's figures, its times on its venue's clock. */
function PerformanceSales({ show: p }: { show: Schemas["PerformanceSalesOut"] }) {
  const starts = whenIn(p.starts_at, knownZone(p.time_zone));
  return (
    <section className="panel" data-performance-id={p.performance_id} aria-labelledby={`sales-${p.performance_id}`}>
      <h2 id={`sales-${p.performance_id}`}>Performance of {starts}</h2>
      <p className="muted">
        {p.status} · checked in: <span data-testid="checked-in">{p.checked_in}</span>
      </p>
      <table className="data">
        <caption>Stock per tier</caption>
        <thead>
          <tr>
            <th scope="col">Tier</th>
            <th scope="col">Capacity</th>
            <th scope="col">Sold</th>
            <th scope="col">Held</th>
            <th scope="col">Available</th>
            <th scope="col">Tickets issued</th>
          </tr>
        </thead>
        <tbody>
          {p.tiers.map((t) => (
            <tr key={t.tier_id} data-tier-id={t.tier_id}>
              <td>{t.name}</td>
              <td>{t.capacity}</td>
              <td data-testid="tier-sold">{t.sold}</td>
              <td>{t.held}</td>
              <td>{t.available}</td>
              <td>{t.tickets_issued}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <RevenueTable revenue={p.revenue} caption="Revenue" />
      <SalesChart points={p.sales_per_hour} title={`Sales of the performance of ${starts}`} />
    </section>
  );
}

function Figure({ name, value, id }: { name: string; value: number; id?: string }) {
  return (
    <div>
      <dt>{name}</dt>
      <dd data-testid={id}>{value}</dd>
    </div>
  );
}

function RevenueTable({ revenue, caption }: { revenue: Revenue[]; caption: string }) {
  if (!revenue.length) return <p className="muted">{caption}: nothing sold yet.</p>;
  return (
    <table className="data revenue">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Currency</th>
          <th scope="col">Orders</th>
          <th scope="col">Gross</th>
          <th scope="col">Refunded</th>
          <th scope="col">Net</th>
        </tr>
      </thead>
      <tbody>
        {revenue.map((r) => (
          <tr key={r.currency} data-currency={r.currency}>
            <td>{r.currency}</td>
            <td data-testid="orders">{r.orders}</td>
            <td data-testid="gross" data-amount={r.gross}>{money(r.gross, r.currency)}</td>
            <td data-testid="refunded" data-amount={r.refunded}>{money(r.refunded, r.currency)}</td>
            <td data-testid="net" data-amount={r.net}>{money(r.net, r.currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
