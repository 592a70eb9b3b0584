/** One order for staff: lines, tickets, payment, refunds, PDFs and e-mails; refund (in full,
 * by ticket or by amount), cancel, resend an e-mail, render the PDFs again, correct the
 * customer's name or e-mail address. */
import { useRef, useState, type FormEvent } from "react";
import { api, call, type Schemas } from "../api/client";
import { ApiRefusal } from "../api/problems";
import { money } from "../format";
import { useInterval, useTitle } from "../hooks";
import { Link } from "../router";
import { RefundAttempt, deskRefund, leftToRefund, refundBody, type RefundChoice } from "./refund";
import { seatName } from "../seatmap";
import { emailName, storedPdfs } from "./labels";
import { ticketsPdf } from "./staffApi";
import { ConfirmButton, Field, Outcome, ProblemMessage, useAction, useLoad, useStaff, when } from "./ui";

type Order = Schemas["OrderOut"];

export function OrderDetailPage({ orderId }: { orderId: string }) {
  const { headers } = useStaff();
  const path = { params: { path: { order_id: orderId } } };
  const details = useLoad(() => call(() => api.GET("/v1/orders/{order_id}/details", { headers, ...path })), orderId);
  // refunds settle, PDFs render and e-mails go out after the page opened: keep it current
  useInterval(details.reload, 4000);
  const order = details.data?.order;
  useTitle(order ? `Order ${order.order_number}` : "Order");
  const action = useAction();

  const cancel = () =>
    action.run(async () => {
      await call(() => api.POST("/v1/orders/{order_id}/cancel", { headers, ...path }));
      details.reload();
      return "Order cancelled.";
    });
  const render = () =>
    action.run(async () => {
      await call(() => api.POST("/v1/documents/orders/{order_id}/render", { headers, ...path }));
      details.reload();
      return "The PDFs are being rendered again.";
    });
  const openPdf = () =>
    action.run(async () => {
      const url = await ticketsPdf(orderId, headers);
      if (!url) return "The tickets PDF is still being prepared.";
      window.open(url, "_blank", "noopener");
      return "The tickets PDF opened in a new tab.";
    });

  if (details.error && !details.data)
    return (
      <section>
        <h1>Order</h1>
        <ProblemMessage error={details.error} />
        <Link href="/console/orders">Back to the search</Link>
      </section>
    );
  if (!details.data || !order) return <p role="status">Loading the order…</p>;
  const d = details.data;
  return (
    <section>
      <h1>Order {order.order_number}</h1>
      {details.error !== null && (
        // a refresh failed: what was shown stays, and so do the forms being filled in
        <div className="notice">
          <p>This order could not be refreshed just now; it is shown as last read.</p>
          <ProblemMessage error={details.error} />
        </div>
      )}
      <p>
        <Link href="/console/orders">Back to the search</Link>
      </p>
      {d.performance_cancelled && <CancelledShow order={order} />}
      <dl className="facts">
        <dt>Status</dt>
        <dd data-testid="order-status">{order.status}</dd>
        <dt>Customer</dt>
        <dd>
          {order.customer.name} {order.customer.email && `· ${order.customer.email}`}
        </dd>
        <dt>Event</dt>
        <dd>{order.event_name ?? "—"}</dd>
        <dt>Total</dt>
        <dd>{order.total ? money(order.total.amount, order.total.currency) : "—"}</dd>
        <dt>Payment</dt>
        <dd>
          {order.payment_method ?? "online"} · {order.payment.status}
          {d.sold_by && ` · sold at the desk by ${d.sold_by}`}
        </dd>
        <dt>Placed / paid</dt>
        <dd>
          {when(order.created_at)} / {when(order.paid_at)}
        </dd>
      </dl>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => void openPdf()} disabled={action.busy}>
          Open the tickets PDF
        </button>
        <button type="button" className="secondary" onClick={() => void render()} disabled={action.busy}>
          Render the PDFs again
        </button>
        {order.status === "pending_payment" && (
          <ConfirmButton label="Cancel the order" question="Cancel this unpaid order?" confirm="Yes, cancel it" onConfirm={() => void cancel()} />
        )}
      </div>
      <Outcome error={action.error} done={action.done} />
      <CustomerForm order={order} onSaved={details.reload} />
      <Tickets order={order} />
      {/* kept once all is refunded: the clerk still reads how the last refund went */}
      {["paid", "partially_refunded", "refunded"].includes(order.status) && (
        <RefundForm order={order} onRefunded={details.reload} />
      )}
      <Refunds order={order} onChanged={details.reload} />
      <Emails records={d.emails} onResent={details.reload} />
      <section aria-labelledby="documents">
        <h2 id="documents">Documents</h2>
        {(d.documents.records ?? []).length > 0 && <StoredPdfs records={d.documents.records ?? []} order={order} />}
        {order.tickets_document ? (
          <p>
            Tickets PDF: {order.tickets_document.status}
            {order.tickets_document.version ? `, version ${order.tickets_document.version}` : ""}
            {order.tickets_document.last_error ? ` — ${order.tickets_document.last_error}` : ""}
          </p>
        ) : (
          !(d.documents.records ?? []).length && <p className="muted">No PDF yet.</p>
        )}
        {!d.documents.available && <p className="warning">The documents service did not answer: {d.documents.error}</p>}
      </section>
    </section>
  );
}

function StoredPdfs({ records, order }: { records: Record<string, unknown>[]; order: Order }) {
  const numbers = new Map(order.tickets.map((t) => [t.ticket_id, t.ticket_number]));
  return (
    <table className="data">
      <caption>PDFs stored for this order</caption>
      <thead>
        <tr>
          <th scope="col">PDF</th>
          <th scope="col">Version</th>
          <th scope="col">Size</th>
          <th scope="col">Stored</th>
          <th scope="col">State</th>
        </tr>
      </thead>
      <tbody>
        {storedPdfs(records, numbers).map((p) => (
          <tr key={p.id}>
            <td>{p.what}</td>
            <td>{p.version}</td>
            <td>{p.size}</td>
            <td>{when(p.created_at)}</td>
            <td>{p.superseded_at ? `replaced ${when(p.superseded_at)}` : "current"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Tickets({ order }: { order: Order }) {
  const tier = (id: string) => order.lines.find((l) => l.tier_id === id)?.tier_name ?? id;
  return (
    <table className="data">
      <caption>Tickets</caption>
      <thead>
        <tr>
          <th scope="col">Number</th>
          <th scope="col">Tier</th>
          <th scope="col">Seat</th>
          <th scope="col">Status</th>
          <th scope="col">Used</th>
        </tr>
      </thead>
      <tbody>
        {order.tickets.map((t) => (
          <tr key={t.ticket_id} data-ticket-id={t.ticket_id}>
            <td>{t.ticket_number}</td>
            <td>{tier(t.tier_id)}</td>
            <td>{t.seat ? seatName(t.seat) : t.seat_id ?? "general admission"}</td>
            <td data-testid="ticket-status">{t.status}</td>
            <td>{when(t.used_at)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The performance will not happen: what the clerk owes the customer in front of them (a card
 * order online was refunded by the cancellation itself). */
function CancelledShow({ order }: { order: Order }) {
  const owed = refundable(order);
  const currency = order.total?.currency ?? "EUR";
  const settled = order.status !== "paid" && order.status !== "partially_refunded";
  return (
    <p className="warning" role="status" data-testid="performance-cancelled">
      This performance was cancelled.{" "}
      {settled || owed <= 0
        ? "Nothing is owed on this order."
        : `${money(owed, currency)} is owed to the customer: refund it below${order.payment_method ? " at the desk" : ""}.`}
    </p>
  );
}

function refundable(order: Order): number {
  return leftToRefund(order.total?.amount ?? 0, order.refunds ?? []);
}

function RefundForm({ order, onRefunded }: { order: Order; onRefunded: () => void }) {
  const { headers } = useStaff();
  const [kind, setKind] = useState<RefundChoice["kind"]>("tickets");
  const [ticketIds, setTicketIds] = useState<string[]>([]);
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  // one Idempotency-Key per refund asked for: a retry of the same (a timeout, a double click)
  // sends it again; another selection is another refund, so it gets a key of its own
  const attempt = useRef(new RefundAttempt());
  const [invalid, setInvalid] = useState<string | null>(null);
  const action = useAction();
  // a used ticket cannot be refunded (the server refuses it): only the valid ones are offered
  const live = order.tickets.filter((t) => t.status === "valid");
  // a chosen ticket scanned at the door meanwhile leaves the list, and the choice with it (it
  // stayed chosen out of sight, and the refund was refused with nothing left to untick)
  const chosen = ticketIds.filter((id) => live.some((t) => t.ticket_id === id));
  const desk = deskRefund(order.payment_method);
  const left = refundable(order);
  const currency = order.total?.currency ?? "EUR";
  const choice: RefundChoice =
    kind === "full" ? { kind } : kind === "tickets" ? { kind, ticketIds: chosen } : { kind, text: amount };

  const submit = () => {
    const checked = refundBody(choice, left, reason, currency);
    if (!checked.ok) {
      setInvalid(checked.error);
      return;
    }
    setInvalid(null);
    const { key, body } = attempt.current.requestFor(checked.body);
    void action.run(async () => {
      let made;
      try {
        made = await call(() =>
          api.POST("/v1/orders/{order_id}/refunds", {
            headers: { ...headers, "Idempotency-Key": key },
            params: { path: { order_id: order.order_id } },
            body,
          }),
        );
      } catch (e) {
        // refused for its fields: nothing was made, a corrected request is another one (a 409
        // may be this very refund still being made: its key is kept)
        const refused = e instanceof ApiRefusal && e.problem.status < 500 && e.problem.status !== 409;
        if (refused) attempt.current.answered();
        throw e;
      }
      attempt.current.answered();
      setTicketIds([]);
      setAmount("");
      onRefunded();
      return desk.done(money(made.amount.amount, made.amount.currency), made.status);
    });
  };
  if (order.status === "refunded") {
    return (
      <section className="panel" aria-labelledby="refund">
        <h2 id="refund">Refund</h2>
        <p>Everything is refunded: nothing is left to refund.</p>
        <Outcome error={action.error} done={action.done} />
      </section>
    );
  }
  return (
    <section className="panel" aria-labelledby="refund">
      <h2 id="refund">Refund</h2>
      <p>Left to refund: {money(left, currency)}</p>
      <fieldset>
        <legend>What to refund</legend>
        {(
          [
            ["full", "Everything left (a used ticket stays paid)"],
            ["tickets", "Chosen tickets"],
            ["amount", "An amount (the tickets stay valid)"],
          ] as const
        ).map(([value, label]) => (
          <label key={value} className="choice">
            <input type="radio" name="refund-kind" value={value} checked={kind === value} onChange={() => setKind(value)} /> {label}
          </label>
        ))}
      </fieldset>
      {kind === "tickets" && (
        <fieldset>
          <legend>Tickets to refund</legend>
          {live.map((t) => (
            <label key={t.ticket_id} className="choice">
              <input
                type="checkbox"
                checked={chosen.includes(t.ticket_id)}
                onChange={(e) =>
                  setTicketIds((ids) => (e.target.checked ? [...ids, t.ticket_id] : ids.filter((i) => i !== t.ticket_id)))
                }
              />{" "}
              Ticket {t.ticket_number}, {order.lines.find((l) => l.tier_id === t.tier_id)?.tier_name ?? t.tier_id}
              {t.seat ? ` (${seatName(t.seat)})` : t.seat_id ? ` (seat ${t.seat_id})` : ""}
            </label>
          ))}
        </fieldset>
      )}
      {kind === "amount" && (
        <Field label={`Amount in ${currency}`}>
          <input value={amount} onChange={(e) => setAmount(e.target.value)} inputMode="decimal" placeholder="12.50" />
        </Field>
      )}
      <Field label="Reason (optional)">
        <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
      </Field>
      <ConfirmButton label="Refund" question={desk.question} confirm="Yes, refund" onConfirm={submit} disabled={action.busy} />
      {invalid && (
        <p role="alert" className="error">
          {invalid}
        </p>
      )}
      <Outcome error={action.error} done={action.done} />
    </section>
  );
}

function Refunds({ order, onChanged }: { order: Order; onChanged: () => void }) {
  const refunds = order.refunds ?? [];
  const failed = refunds.filter((r) => r.status === "failed");
  // said here, not in the form: once paid back, the refund is no longer failed and its form goes
  const [notice, setNotice] = useState<string | null>(null);
  if (!refunds.length) return null;
  return (
    <>
      <table className="data">
        <caption>Refunds</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Amount</th>
            <th scope="col">Tickets</th>
            <th scope="col">Status</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {refunds.map((r) => (
            <tr key={r.refund_id}>
              <td>{when(r.created_at)}</td>
              <td>{money(r.amount.amount, r.amount.currency)}</td>
              <td>{r.ticket_ids.length || "—"}</td>
              <td>
                {r.status}
                {r.error && ` — ${r.error}`}
              </td>
              <td>{r.reason ?? (r.automatic ? "automatic" : "—")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {failed.map((r) => (
        <PaidBackForm
          key={r.refund_id}
          order={order}
          refund={r}
          onSaved={(said) => {
            setNotice(said);
            onChanged();
          }}
        />
      ))}
      {notice && (
        <p role="status" className="success">
          {notice}
        </p>
      )}
    </>
  );
}

/** A refund Stripe failed: the money goes back another way, and staff record how. */
function PaidBackForm({
  order,
  refund,
  onSaved,
}: {
  order: Order;
  refund: Order["refunds"][number];
  onSaved: (said: string) => void;
}) {
  const { headers } = useStaff();
  const [note, setNote] = useState("");
  // out of the clerk's drawer or card terminal: their till counts it (it came up short before)
  const [fromTill, setFromTill] = useState<"" | "cash" | "card_terminal">("");
  const action = useAction();
  const amount = money(refund.amount.amount, refund.amount.currency);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      await call(() =>
        api.POST("/v1/orders/{order_id}/refunds/{refund_id}/paid-back", {
          headers,
          params: { path: { order_id: order.order_id, refund_id: refund.refund_id } },
          body: { note, ...(fromTill ? { from_till: fromTill } : {}) },
        }),
      );
      onSaved(`The refund of ${amount} is recorded as paid back.`);
      return undefined;
    });
  };
  return (
    <form className="panel" onSubmit={submit} aria-label={`Refund of ${amount} failed`}>
      <p className="warning">
        Stripe could not refund {amount}: give it back another way (a bank transfer, the Stripe dashboard, cash),
        then record how.
      </p>
      <Field label="How it was paid back">
        <input value={note} onChange={(e) => setNote(e.target.value)} minLength={3} maxLength={500} required />
      </Field>
      <Field label="From my till" hint="Cash from the drawer or a refund on the card terminal counts in My till">
        <select value={fromTill} onChange={(e) => setFromTill(e.target.value as typeof fromTill)}>
          <option value="">No (a bank transfer, the Stripe dashboard)</option>
          <option value="cash">Cash from my drawer</option>
          <option value="card_terminal">On my card terminal</option>
        </select>
      </Field>
      <button type="submit" disabled={action.busy}>
        Mark as paid back
      </button>
      <Outcome error={action.error} done={action.done} />
    </form>
  );
}

function Emails({ records, onResent }: { records: Schemas["ServiceRecords"]; onResent: () => void }) {
  const { headers } = useStaff();
  const action = useAction();
  const emails = (records.records ?? []) as Schemas["NotificationOut"][];
  const resend = (id: string) =>
    action.run(async () => {
      await call(() =>
        api.POST("/v1/notifications/{notification_id}/resend", { headers, params: { path: { notification_id: id } } }),
      );
      onResent();
      return "The e-mail will be sent again.";
    });
  return (
    <section aria-labelledby="emails">
      <h2 id="emails">E-mails</h2>
      {!records.available && <p className="warning">The notifications service did not answer: {records.error}</p>}
      {emails.length === 0 && records.available && <p className="muted">No e-mail for this order yet.</p>}
      <ul className="plain">
        {emails.map((n) => (
          <li key={n.notification_id}>
            {emailName(n.template)} to {n.recipient ?? "nobody"}: {n.status}
            {n.sent_at && ` at ${when(n.sent_at)}`}
            {n.last_error && <span className="muted"> ({n.last_error})</span>}{" "}
            <button type="button" className="secondary" disabled={action.busy} onClick={() => void resend(n.notification_id)}>
              Resend the {emailName(n.template).toLowerCase()}
            </button>
          </li>
        ))}
      </ul>
      <Outcome error={action.error} done={action.done} />
    </section>
  );
}

/** A mistyped name or address put right; e-mails sent from now on go to the new address. */
function CustomerForm({ order, onSaved }: { order: Order; onSaved: () => void }) {
  const { headers } = useStaff();
  const [name, setName] = useState(order.customer.name);
  const [email, setEmail] = useState(order.customer.email ?? "");
  const save = useAction();
  const changed = name.trim() !== order.customer.name || email.trim() !== (order.customer.email ?? "");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = {
      ...(name.trim() !== order.customer.name ? { name: name.trim() } : {}),
      ...(email.trim() !== (order.customer.email ?? "") ? { email: email.trim() } : {}),
    };
    void save.run(async () => {
      await call(() =>
        api.PATCH("/v1/orders/{order_id}/customer", { headers, params: { path: { order_id: order.order_id } }, body }),
      );
      onSaved();
      return "Saved. E-mails from now on go to this address: resend one below if it went to the old one.";
    });
  };
  return (
    <form className="panel inline-form" aria-labelledby="customer-form" onSubmit={submit}>
      <h2 id="customer-form">Customer details</h2>
      <Field label="Name">
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
      </Field>
      <Field label="E-mail address">
        <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} maxLength={254} />
      </Field>
      <button type="submit" className="secondary" disabled={save.busy || !changed}>
        Save the details
      </button>
      <Outcome error={save.error} done={save.done} />
    </form>
  );
}
