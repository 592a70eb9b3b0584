/** Venues: create one, import its seats from CSV with a preview first, see its seat map. */
import { useMemo, useState, type FormEvent } from "react";
import { api, call } from "../api/client";
import { useTitle } from "../hooks";
import { counted } from "../format";
import { parseSeatCsv, seatFileText } from "./csv";
import { SeatPreview } from "./SeatPreview";
import { postCsv } from "./staffApi";
import { Field, Outcome, ProblemMessage, useAction, useLoad, useStaff } from "./ui";

const EXAMPLE = "section,row,number,x,y,accessible\nStalls,A,1,0,0,yes\nStalls,A,2,1,0,\n";

export function VenuesPage() {
  useTitle("Venues");
  const { headers } = useStaff();
  const venues = useLoad(() => call(() => api.GET("/v1/venues", { headers })), "venues");
  const [chosen, setChosen] = useState<string | null>(null);
  const create = useAction();
  const [name, setName] = useState("");
  const [zone, setZone] = useState("Europe/Amsterdam");
  const [address, setAddress] = useState("");

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void create.run(async () => {
      const made = await call(() =>
        api.POST("/v1/venues", { headers, body: { name, time_zone: zone, address: address || null } }),
      );
      setName("");
      setAddress("");
      venues.reload();
      setChosen(String(made.venue_id));
      return `Venue "${String(made.name)}" created.`;
    });
  };

  return (
    <section>
      <h1>Venues</h1>
      <ProblemMessage error={venues.error} />
      <table className="data">
        <caption>Every venue</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Time zone</th>
            <th scope="col">Seats</th>
            <th scope="col">Seat map</th>
          </tr>
        </thead>
        <tbody>
          {(venues.data ?? []).map((v) => (
            <tr key={v.venue_id}>
              <td>{v.name}</td>
              <td>{v.time_zone}</td>
              <td>{v.seats}</td>
              <td>
                <button type="button" className="link" onClick={() => setChosen(v.venue_id)}>
                  Seats of {v.name}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form onSubmit={submit} className="panel" aria-labelledby="new-venue">
        <h2 id="new-venue">New venue</h2>
        <Field label="Venue name">
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
        </Field>
        <Field label="Venue time zone" hint="An IANA name, like Europe/Amsterdam">
          <input value={zone} onChange={(e) => setZone(e.target.value)} required />
        </Field>
        <Field label="Address">
          <textarea value={address} onChange={(e) => setAddress(e.target.value)} rows={2} />
        </Field>
        <button type="submit" disabled={create.busy}>
          Create venue
        </button>
        <Outcome error={create.error} done={create.done} />
      </form>
      {chosen && (
        <VenueSeats
          key={chosen}
          venueId={chosen}
          name={venues.data?.find((v) => v.venue_id === chosen)?.name ?? chosen}
          onImported={venues.reload}
        />
      )}
    </section>
  );
}

function VenueSeats({ venueId, name, onImported }: { venueId: string; name: string; onImported: () => void }) {
  const { headers } = useStaff();
  const stored = useLoad(
    () =>
      call(() =>
        api.GET("/v1/venues/{venue_id}/seats", { headers, params: { path: { venue_id: venueId } } }),
      ),
    venueId,
  );
  const [csv, setCsv] = useState("");
  const preview = useMemo(() => (csv.trim() ? parseSeatCsv(csv) : null), [csv]);
  const upload = useAction();

  const [unreadable, setUnreadable] = useState<string | null>(null);
  const readFile = async (file: File | undefined) => {
    if (!file) return;
    setUnreadable(null);
    setCsv("");
    const read = await seatFileText(file);
    if (read.ok) setCsv(read.text);
    else setUnreadable(read.error);
  };
  const importSeats = () =>
    upload.run(async () => {
      const done = await postCsv<{ imported: number }>(`/v1/venues/${encodeURIComponent(venueId)}/seats`, csv, headers);
      setCsv("");
      stored.reload();
      onImported();
      return `${counted(done.imported, "seat")} imported into ${name}.`;
    });

  return (
    <section className="panel" aria-labelledby="venue-seats">
      <h2 id="venue-seats">Seats of {name}</h2>
      <ProblemMessage error={stored.error} />
      {stored.data && <SeatPreview seats={stored.data.seats} title={`Seat map of ${name}`} />}
      <h3>Import seats from CSV</h3>
      <p className="muted">
        One seat a line, with a header: <code>section,row,number</code> and optionally <code>x,y</code> (its place)
        and <code>accessible</code> (yes for a wheelchair place). Seats already in the venue are refused.
      </p>
      <Field label="CSV file">
        <input type="file" accept=".csv,text/csv" onChange={(e) => void readFile(e.target.files?.[0])} />
      </Field>
      <Field label="Seats as CSV" hint={`For example: ${EXAMPLE.split("\n")[0]}`}>
        <textarea
          value={csv}
          onChange={(e) => {
            setUnreadable(null); // what is typed or pasted is the file now
            setCsv(e.target.value);
          }}
          rows={6}
          spellCheck={false}
        />
      </Field>
      {unreadable && (
        <p role="alert" className="error">
          {unreadable}
        </p>
      )}
      {preview && !preview.ok && (
        <p role="alert" className="error">
          {preview.error}
        </p>
      )}
      {preview?.ok && (
        <>
          <p role="status">
            Preview: {counted(preview.seats.length, "seat")} in{" "}
            {preview.sections.map((s) => `${s.name} (${s.seats})`).join(", ")}.
          </p>
          <SeatPreview seats={preview.seats} title="Preview of the CSV" />
        </>
      )}
      <button type="button" disabled={!preview?.ok || upload.busy} onClick={() => void importSeats()}>
        Import these seats
      </button>
      <Outcome error={upload.error} done={upload.done} />
    </section>
  );
}
