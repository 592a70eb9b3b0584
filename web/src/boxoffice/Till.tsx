/** The clerk's till at the end of a shift: their own desk sales and refunds since a moment,
 * per payment method (the cash to hand in, the card terminal's total, the free tickets). */
import { useState, type FormEvent, type SyntheticEvent } from "react";
import { api, call, type Schemas } from "../api/client";
import { money } from "../format";
import { Field, ProblemMessage, useStaff, when } from "../console/ui";
import { methodName } from "./desk";

type Till = Schemas["TillOut"];

/** Midnight of today on this computer's clock, as a datetime-local value. */
export function startOfToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}T00:00`;
}

export function TillPanel() {
  const { headers } = useStaff();
  const [since, setSince] = useState(startOfToday);
  const [sinceTyped, setSinceTyped] = useState(false);
  // a desk left open overnight: opened the next morning, the till counts from that midnight,
  // not from the one before (the previous shift's sales in this one's count)
  const opened = (event: SyntheticEvent<HTMLDetailsElement>) => {
    if (event.currentTarget.open && !sinceTyped) setSince(startOfToday());
  };
  const [till, setTill] = useState<Till | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const count = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const query = { since: new Date(since).toISOString() };
      setTill(await call(() => api.GET("/v1/orders/till", { headers, params: { query } })));
    } catch (failed) {
      setError(failed);
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="panel till" onToggle={opened}>
      <summary>My till</summary>
      <form onSubmit={count} aria-label="Count my till">
        <Field label="Since (my shift's start)">
          <input
            type="datetime-local"
            value={since}
            onChange={(e) => {
              setSince(e.target.value);
              setSinceTyped(true);
            }}
            required
          />
        </Field>
        <button type="submit" disabled={busy}>
          {busy ? "Counting…" : "Count my till"}
        </button>
      </form>
      <ProblemMessage error={error} />
      {till && (
        <table>
          <caption>
            My desk sales from {when(till.since)} to {when(till.until)}
          </caption>
          <thead>
            <tr>
              <th scope="col">Payment</th>
              <th scope="col">Sales</th>
              <th scope="col">Taken</th>
              <th scope="col">Refunds</th>
              <th scope="col">Given back</th>
              <th scope="col">To hand in</th>
            </tr>
          </thead>
          <tbody>
            {till.lines.length === 0 && (
              <tr>
                <td colSpan={6}>No desk sale or refund of yours in this time.</td>
              </tr>
            )}
            {till.lines.map((line) => (
              <tr key={`${line.payment_method}-${line.net.currency}`}>
                <th scope="row">{methodName(line.payment_method)}</th>
                <td>{line.sales}</td>
                <td>{money(line.taken.amount, line.taken.currency)}</td>
                <td>{line.refunds}</td>
                <td>{money(line.refunded.amount, line.refunded.currency)}</td>
                <td>
                  <strong>{money(line.net.amount, line.net.currency)}</strong>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}
