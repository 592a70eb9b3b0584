/** A customer's personal data (admins): everything orders keeps of an address, handed over as a
 * JSON file (the right of access), and the customer erased from every order and every service
 * (the right to erasure). Erasure cannot be undone and is refused while a ticket is still to be
 * used; the refusal names the orders. */
import { useState, type FormEvent } from "react";
import { api, call, type Schemas } from "../api/client";
import { useTitle } from "../hooks";
import { ConfirmButton, Field, Outcome, useAction, useStaff } from "./ui";

type Exported = Schemas["CustomerExportOut"];

/** The file an export is saved as: the address's local part is left out of the name. */
export function exportFileName(exportedAt: string): string {
  return `customer-data-${exportedAt.slice(0, 10)}.json`;
}

export function PersonalDataPage() {
  useTitle("Personal data");
  const { headers } = useStaff();
  const [email, setEmail] = useState("");
  const [exported, setExported] = useState<{ data: Exported; url: string } | null>(null);
  const action = useAction();
  const address = email.trim();

  const exportData = (e: FormEvent) => {
    e.preventDefault();
    if (exported) URL.revokeObjectURL(exported.url);
    setExported(null);
    void action.run(async () => {
      const data = await call(() => api.POST("/v1/admin/customers/export", { headers, body: { email: address } }));
      const file = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
      setExported({ data, url: URL.createObjectURL(file) });
      return data.orders.length ? undefined : `No order on record was bought with ${address}.`;
    });
  };
  const erase = () => {
    setExported(null);
    void action.run(async () => {
      const erased = await call(() => api.POST("/v1/admin/customers/erasure", { headers, body: { email: address } }));
      if (!erased.erased_orders.length) return `Nothing to erase: ${erased.detail}.`;
      return `Erased from ${erased.erased_orders.join(", ")}: the other services erase their copies in a moment.`;
    });
  };

  return (
    <section aria-labelledby="personal-data-title">
      <h1 id="personal-data-title">Personal data</h1>
      <p className="muted">
        For a customer who asks what we keep of them, or to be forgotten. Erasure keeps the orders, tickets and
        money for the accounts, without the person: the name becomes “(erased)”, the address goes, and their PDFs
        and e-mail records are deleted. It is refused while one of their tickets is still to be used.
      </p>
      <form onSubmit={exportData} className="panel" aria-label="A customer's personal data">
        <Field label="E-mail address" hint="The address they bought with (any case)">
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required maxLength={254} />
        </Field>
        <p className="actions">
          <button type="submit" disabled={action.busy || !address}>
            Export their data
          </button>{" "}
          <ConfirmButton
            label="Erase this customer"
            question={`Erase ${address || "this customer"} from every order? This cannot be undone.`}
            confirm="Yes, erase"
            onConfirm={erase}
            disabled={action.busy || !address}
          />
        </p>
      </form>
      <Outcome error={action.error} done={action.done} />
      {exported && exported.data.orders.length > 0 && (
        <div className="panel" role="region" aria-label="Exported data">
          <p>
            {exported.data.orders.length} order{exported.data.orders.length === 1 ? "" : "s"}:{" "}
            {exported.data.orders.map((o) => o.order.order_number).join(", ")}.
          </p>
          <a href={exported.url} download={exportFileName(exported.data.exported_at)}>
            Download the data (JSON)
          </a>
        </div>
      )}
    </section>
  );
}
