/** The audit log (admins): every staff action with who, when, what and the request id,
 * filtered by order, staff member or action, newest first, a page at a time. */
import { useEffect, useRef, useState, type FormEvent } from "react";
import { api, call, type Schemas } from "../api/client";
import { useTitle } from "../hooks";
import { Field, Pager, ProblemMessage, useStaff, when } from "./ui";

type Entry = Schemas["AuditEntryOut"];

/** A staff token's subject is ``staff:<name>``: a bare name means that. */
export function actorOf(typed: string): string {
  return typed.includes(":") ? typed : `staff:${typed}`;
}

export function AuditPage() {
  useTitle("Audit log");
  const { headers } = useStaff();
  const initial = new URLSearchParams(window.location.search);
  const [orderId, setOrderId] = useState(initial.get("order_id") ?? "");
  const [actor, setActor] = useState(initial.get("actor") ?? "");
  const [action, setAction] = useState(initial.get("action") ?? "");
  const [pages, setPages] = useState<string[]>([]);
  const [found, setFound] = useState<{ data: Entry[]; has_more: boolean } | null>(null);
  const [error, setError] = useState<unknown>(null);

  // the filters of the entries on screen: another page is of those, not of what was typed since
  const [shown, setShown] = useState({ orderId, actor, action });
  const load = async (after: string | null, filters: typeof shown) => {
    setError(null);
    const query = {
      limit: 50,
      ...(filters.orderId.trim() ? { order_id: filters.orderId.trim() } : {}),
      ...(filters.actor.trim() ? { actor: actorOf(filters.actor.trim()) } : {}),
      ...(filters.action.trim() ? { action: filters.action.trim() } : {}),
      ...(after ? { starting_after: after } : {}),
    };
    try {
      setFound(await call(() => api.GET("/v1/admin/audit", { headers, params: { query } })));
    } catch (failed) {
      setError(failed);
    }
  };
  // a link here with filters (from an order, from staff access) shows its entries at once
  const linked = useRef(initial.size > 0);
  useEffect(() => {
    if (!linked.current) return;
    linked.current = false;
    void load(null, shown);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setPages([]);
    const filters = { orderId, actor, action };
    setShown(filters);
    void load(null, filters);
  };
  return (
    <section>
      <h1>Audit log</h1>
      <form onSubmit={submit} className="panel" aria-label="Filter the audit log">
        <div className="row-fields">
          <Field label="Order id">
            <input value={orderId} onChange={(e) => setOrderId(e.target.value)} placeholder="ord_…" />
          </Field>
          <Field label="Staff member" hint="The name in their token, or staff:name">
            <input value={actor} onChange={(e) => setActor(e.target.value)} />
          </Field>
          <Field label="Action" hint="For example orders.refund.created">
            <input value={action} onChange={(e) => setAction(e.target.value)} />
          </Field>
        </div>
        <button type="submit">Show entries</button>
      </form>
      <ProblemMessage error={error} />
      {found && (
        <>
          <table className="data audit">
            <caption>{found.data.length ? `Audit entries, page ${pages.length + 1}` : "No entry matches."}</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Details</th>
                <th scope="col">Request id</th>
              </tr>
            </thead>
            <tbody>
              {found.data.map((e) => (
                <tr key={e.audit_id} data-action={e.action}>
                  <td>{when(e.occurred_at)}</td>
                  <td data-testid="actor">
                    {e.actor} <span className="muted">({e.actor_roles.join(", ")})</span>
                  </td>
                  <td>{e.action}</td>
                  <td>
                    {e.target_type} {e.target_id}
                  </td>
                  <td>
                    <code className="details">{JSON.stringify(e.details)}</code>
                  </td>
                  <td>
                    <code>{e.request_id ?? "—"}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager
            back={pages.length > 0}
            more={found.has_more}
            onBack={() => {
              const before = pages.slice(0, -1);
              setPages(before);
              void load(before.at(-1) ?? null, shown);
            }}
            onMore={() => {
              const last = found.data.at(-1)?.audit_id;
              if (!last) return;
              setPages((p) => [...p, last]);
              void load(last, shown);
            }}
          />
        </>
      )}
    </section>
  );
}
