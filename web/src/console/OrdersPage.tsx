/** Order search: e-mail, name, number, performance, status and dates, a page at a time. */
import { useState, type FormEvent } from "react";
import { api, call, type Schemas } from "../api/client";
import { money } from "../format";
import { useTitle } from "../hooks";
import { Link } from "../router";
import { Field, instant, Pager, ProblemMessage, useStaff, when } from "./ui";

type Summary = Schemas["OrderSummaryOut"];

const STATUSES = ["pending_payment", "paid", "partially_refunded", "refunded", "expired", "cancelled"] as const;

interface Filters {
  email?: string;
  name?: string;
  order_number?: string;
  performance_id?: string;
  status?: (typeof STATUSES)[number];
  created_from?: string;
  created_to?: string;
}

function searchQuery(filters: Filters): Filters {
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v)) as Filters;
}

const NO_FILTERS = { email: "", name: "", order_number: "", performance_id: "", status: "", from: "", to: "" };
type FormFilters = typeof NO_FILTERS;

export function OrdersPage() {
  useTitle("Orders");
  const { headers } = useStaff();
  const [form, setForm] = useState(NO_FILTERS);
  // the filters of the search on screen: a page is of those, not of what was typed since
  const [searched, setSearched] = useState(NO_FILTERS);
  const [pages, setPages] = useState<string[]>([]); // starting_after of each page shown before
  const [found, setFound] = useState<{ data: Summary[]; has_more: boolean } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const search = async (after: string | null, filters: FormFilters) => {
    setBusy(true);
    setError(null);
    try {
      const query = {
        ...searchQuery({
          email: filters.email.trim(),
          name: filters.name.trim(),
          order_number: filters.order_number.trim(),
          performance_id: filters.performance_id.trim(),
          status: (filters.status || undefined) as Filters["status"],
          created_from: filters.from ? instant(filters.from) : undefined,
          created_to: filters.to ? instant(filters.to) : undefined,
        }),
        limit: 20,
        ...(after ? { starting_after: after } : {}),
      };
      setFound(await call(() => api.GET("/v1/orders", { headers, params: { query } })));
    } catch (failed) {
      setError(failed);
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setPages([]);
    setSearched(form);
    void search(null, form);
  };
  const next = () => {
    const last = found?.data.at(-1)?.order_id;
    if (!last) return;
    setPages((p) => [...p, last]);
    void search(last, searched);
  };
  const previous = () => {
    const before = pages.slice(0, -1);
    setPages(before);
    void search(before.at(-1) ?? null, searched);
  };
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));

  return (
    <section>
      <h1>Orders</h1>
      <form onSubmit={submit} className="panel search" aria-label="Search orders">
        <div className="row-fields">
          <Field label="Customer e-mail">
            <input type="search" value={form.email} onChange={set("email")} />
          </Field>
          <Field label="Customer name" hint="Any part of it">
            <input type="search" value={form.name} onChange={set("name")} />
          </Field>
          <Field label="Order number" hint="Or a ticket's number">
            <input type="search" value={form.order_number} onChange={set("order_number")} placeholder="ORD-…" />
          </Field>
          <Field label="Performance id">
            <input type="search" value={form.performance_id} onChange={set("performance_id")} placeholder="prf_…" />
          </Field>
          <Field label="Status">
            <select value={form.status} onChange={set("status")}>
              <option value="">Any status</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s.replace("_", " ")}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Placed from">
            <input type="datetime-local" value={form.from} onChange={set("from")} />
          </Field>
          <Field label="Placed before">
            <input type="datetime-local" value={form.to} onChange={set("to")} />
          </Field>
        </div>
        <button type="submit" disabled={busy}>
          Search
        </button>
      </form>
      <ProblemMessage error={error} />
      {found && (
        <>
          <table className="data">
            <caption>
              {found.data.length ? `Orders, page ${pages.length + 1}` : "No order matches."}
            </caption>
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Customer</th>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Total</th>
                <th scope="col">Placed</th>
              </tr>
            </thead>
            <tbody>
              {found.data.map((o) => (
                <tr key={o.order_id}>
                  <td>
                    <Link href={`/console/orders/${encodeURIComponent(o.order_id)}`}>{o.order_number}</Link>
                  </td>
                  <td>
                    {o.customer_name}
                    {o.customer_email && <span className="muted"> · {o.customer_email}</span>}
                  </td>
                  <td>{o.event_name ?? "—"}</td>
                  <td>
                    {o.status}
                    {o.payment_method && <span className="muted"> ({o.payment_method})</span>}
                  </td>
                  <td>{o.total ? money(o.total.amount, o.total.currency) : "—"}</td>
                  <td>{when(o.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager back={pages.length > 0} more={found.has_more} onBack={previous} onMore={next} busy={busy} />
        </>
      )}
    </section>
  );
}
