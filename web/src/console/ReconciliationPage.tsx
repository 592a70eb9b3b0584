/** Reconciliation reports (admins): inventory's Redis against its Postgres truth (and the
 * rebuild), what payments and documents report, and the e-mails notifications parked (sent
 * again together once the cause is fixed). */
import { useState, type FormEvent } from "react";
import { api, call } from "../api/client";
import { useTitle } from "../hooks";
import { Report } from "./report";
import { ConfirmButton, Field, Outcome, ProblemMessage, useAction, useLoad, useStaff } from "./ui";

export function ReconciliationPage() {
  useTitle("Reconciliation");
  const { headers } = useStaff();
  const [performanceId, setPerformanceId] = useState("");
  const [asked, setAsked] = useState("");
  const inventory = useLoad(
    () =>
      call(() =>
        api.GET("/v1/admin/inventory/reconciliation", {
          headers,
          params: { query: asked ? { performance_id: asked } : {} },
        }),
      ),
    asked,
  );
  const payments = useLoad(() => call(() => api.GET("/v1/admin/services/payments/reconciliation", { headers })), "payments");
  const documents = useLoad(() => call(() => api.GET("/v1/admin/services/documents/reconciliation", { headers })), "documents");
  const notifications = useLoad(
    () => call(() => api.GET("/v1/admin/services/notifications/reconciliation", { headers })),
    "notifications",
  );
  const rebuild = useAction();
  const resend = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAsked(performanceId.trim());
  };
  return (
    <section>
      <h1>Reconciliation</h1>
      <section className="panel" aria-labelledby="inv-report">
        <h2 id="inv-report">Inventory</h2>
        <form onSubmit={submit} className="inline-form" aria-label="One performance">
          <Field label="Performance id (optional)">
            <input value={performanceId} onChange={(e) => setPerformanceId(e.target.value)} placeholder="prf_…" />
          </Field>
          <button type="submit">Show report</button>
        </form>
        <ProblemMessage error={inventory.error} />
        {inventory.data && <Report value={inventory.data} name="inventory report" />}
        <ConfirmButton
          label="Rebuild Redis from Postgres"
          question="Rebuild every performance's holds store from the database?"
          confirm="Yes, rebuild"
          onConfirm={() =>
            void rebuild.run(async () => {
              await call(() => api.POST("/v1/admin/inventory/rebuild", { headers }));
              inventory.reload();
              return "Rebuilt.";
            })
          }
        />
        <Outcome error={rebuild.error} done={rebuild.done} />
      </section>
      <section className="panel" aria-labelledby="pay-report">
        <h2 id="pay-report">Payments</h2>
        <ProblemMessage error={payments.error} />
        {payments.data && <Report value={payments.data} name="payments report" />}
      </section>
      <section className="panel" aria-labelledby="doc-report">
        <h2 id="doc-report">Documents</h2>
        <ProblemMessage error={documents.error} />
        {documents.data && <Report value={documents.data} name="documents report" />}
      </section>
      <section className="panel" aria-labelledby="mail-report">
        <h2 id="mail-report">E-mails</h2>
        <ProblemMessage error={notifications.error} />
        {notifications.data && <Report value={notifications.data} name="e-mails report" />}
        {notifications.data && notifications.data.parked_emails > 0 && (
          <ConfirmButton
            label="Send the parked e-mails again"
            question={`Send ${notifications.data.parked_emails} parked e-mails again? Fix the cause first (the mail server, an address).`}
            confirm="Yes, send them again"
            onConfirm={() =>
              void resend.run(async () => {
                const done = await call(() =>
                  api.POST("/v1/admin/services/notifications/parked/resend", { headers }),
                );
                notifications.reload();
                return `${done.resent} e-mails are on their way again.`;
              })
            }
          />
        )}
        <Outcome error={resend.error} done={resend.done} />
      </section>
    </section>
  );
}

