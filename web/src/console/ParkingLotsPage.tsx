/** Parking lots (admins): the messages each service's consumer gave up on, with replay and
 * discard. */
import { api, call, type Schemas } from "../api/client";
import { useTitle } from "../hooks";
import { ConfirmButton, Outcome, ProblemMessage, useAction, useLoad, useStaff, when } from "./ui";

const SERVICES = ["inventory", "orders", "payments", "documents", "notifications"] as const;
type Service = (typeof SERVICES)[number];
type Parked = Schemas["ParkedMessage"];

export function ParkingLotsPage() {
  useTitle("Parking lots");
  return (
    <section>
      <h1>Parking lots</h1>
      <p className="muted">
        Messages a service failed to handle after every retry. Replay sends them back to the consumer; discard drops them for good.
      </p>
      {SERVICES.map((s) => (
        <ParkingLot key={s} service={s} />
      ))}
    </section>
  );
}

function ParkingLot({ service }: { service: Service }) {
  const { headers } = useStaff();
  const base = `/v1/admin/services/${service}/parking-lot` as const;
  const listed = useLoad(() => call(() => api.GET(base, { headers, params: { query: { limit: 100 } } })), service);
  const action = useAction();
  const ids = (messages: Parked[]) => messages.map((m) => m.message_id).filter((i): i is string => Boolean(i));
  const replay = (messageIds: string[] | null) =>
    action.run(async () => {
      const done = await call(() => api.POST(`${base}/replay`, { headers, body: { consumer: "events", message_ids: messageIds } }));
      listed.reload();
      return `${done.replayed.length} replayed, ${done.remaining} still parked.`;
    });
  const discard = (messageIds: string[]) =>
    action.run(async () => {
      await call(() => api.POST(`${base}/discard`, { headers, body: { consumer: "events", message_ids: messageIds } }));
      listed.reload();
      return `${messageIds.length} discarded.`;
    });
  const messages = listed.data ?? [];
  return (
    <section className="panel" aria-labelledby={`lot-${service}`}>
      <h2 id={`lot-${service}`}>
        {service}: {messages.length} parked
      </h2>
      <ProblemMessage error={listed.error} />
      {messages.length > 0 && (
        <>
          <table className="data">
            <caption>Parked messages of {service}</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Parked</th>
                <th scope="col">Attempts</th>
                <th scope="col">Reason</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m, i) => {
                const id = m.message_id;
                return (
                <tr key={id ?? i}>
                  <td>{m.event_type ?? "—"}</td>
                  <td>{when(m.parked_at)}</td>
                  <td>{m.attempts ?? "—"}</td>
                  <td>{m.reason ?? "—"}</td>
                  <td className="actions">
                    {id && (
                      <>
                        <button type="button" className="secondary" onClick={() => void replay([id])}>
                          Replay {m.event_type ?? "message"}
                        </button>
                        <ConfirmButton label={`Discard ${m.event_type ?? "message"}`} question="Drop it for good?" confirm="Yes, discard" onConfirm={() => void discard([id])} />
                      </>
                    )}
                  </td>
                </tr>
                );
              })}
            </tbody>
          </table>
          <div className="actions">
            <button type="button" onClick={() => void replay(null)} disabled={action.busy}>
              Replay all of {service}
            </button>
            <ConfirmButton label={`Discard all of ${service}`} question="Drop every parked message for good?" confirm="Yes, discard all" onConfirm={() => void discard(ids(messages))} />
          </div>
        </>
      )}
      <Outcome error={action.error} done={action.done} />
    </section>
  );
}
