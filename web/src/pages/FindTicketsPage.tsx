import { useState, type FormEvent } from "react";
import { requestOrderLinks } from "../api/orders";
import { ApiRefusal, explain } from "../api/problems";
import { useTitle } from "../hooks";

/** "Find my tickets": the links to every order of an address, sent to that address. */
export function FindTicketsPage() {
  useTitle("Find my tickets");
  const [email, setEmail] = useState("");
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSending(true);
    setError(null);
    try {
      setSent(await requestOrderLinks(email.trim()));
    } catch (e) {
      setError(
        e instanceof ApiRefusal && e.problem.status === 429
          ? "You have asked several times already. Please wait a few minutes, then try again."
          : explain(e),
      );
    } finally {
      setSending(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="find-title">
      <h1 id="find-title">Find my tickets</h1>
      <p>
        Lost the e-mail with your tickets? Enter the address you bought them with: we will e-mail it a
        link to each of its orders.
      </p>
      <form onSubmit={(e) => void submit(e)} aria-describedby={error ? "find-error" : undefined}>
        <p className="field">
          <label htmlFor="find-email">E-mail address</label>
          <input
            id="find-email"
            type="email"
            autoComplete="email"
            required
            maxLength={254}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </p>
        <button type="submit" disabled={sending}>
          {sending ? "Sending…" : "E-mail me my links"}
        </button>
      </form>
      <div aria-live="polite">
        {sent && <p className="success">{sent}</p>}
        {error && (
          <p id="find-error" role="alert" className="error">
            {error}
          </p>
        )}
      </div>
    </section>
  );
}
