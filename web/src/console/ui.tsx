/** What every console and box-office screen shares: loading, problem+json messages,
 * confirmations, and the staff member's headers. */
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { ApiRefusal } from "../api/problems";
import { asStaff, type StaffMember } from "./staffSession";

export const StaffContext = createContext<StaffMember | null>(null);

export function useStaff(): { member: StaffMember; headers: { Authorization: string } } {
  const member = useContext(StaffContext);
  if (!member) throw new Error("useStaff outside a signed-in staff screen");
  return { member, headers: asStaff(member) };
}

/** A problem+json refusal in full: title, status, detail and each field's reason. */
export function problemText(error: unknown): string {
  if (!(error instanceof ApiRefusal)) return error instanceof Error ? error.message : String(error);
  const p = error.problem;
  const fields = Array.isArray(p.errors)
    ? (p.errors as { location?: string; message?: string }[])
        .map((e) => `${e.location ?? ""}: ${e.message ?? ""}`)
        .join("; ")
    : "";
  const status = p.status ? ` (${p.status})` : "";
  return `${p.title}${status}: ${p.detail ?? ""}${fields && !String(p.detail).includes(fields) ? ` — ${fields}` : ""}`;
}

export function ProblemMessage({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p role="alert" className="error">
      {problemText(error)}
    </p>
  );
}

export interface Loaded<T> {
  data: T | null;
  error: unknown;
  reload: () => void;
}

/** Load ``fetcher`` when ``key`` changes; ``reload`` asks again. One request at a time: a
 * reload asked while one is on its way runs once it is answered (a poll faster than a slow
 * server otherwise threw every answer away and never showed one). A failed reload keeps the
 * data shown, with the error beside it. */
export function useLoad<T>(fetcher: () => Promise<T>, key: string): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [round, setRound] = useState(0);
  const inFlight = useRef(false);
  const again = useRef(false);
  useEffect(() => {
    let live = true;
    inFlight.current = true;
    fetcher()
      .then(
        (found) => {
          if (live) {
            setData(found);
            setError(null);
          }
        },
        (failed: unknown) => live && setError(failed),
      )
      .finally(() => {
        if (!live) return;
        inFlight.current = false;
        if (again.current) {
          again.current = false;
          setRound((r) => r + 1);
        }
      });
    return () => {
      live = false;
      inFlight.current = false;
    };
    // the key names what the fetcher reads
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, round]);
  const reload = useCallback(() => {
    if (inFlight.current) again.current = true;
    else setRound((r) => r + 1);
  }, []);
  return { data, error, reload };
}

/** Run an action with a busy flag, its error and a success message. */
export function useAction(): {
  busy: boolean;
  error: unknown;
  done: string | null;
  run: (action: () => Promise<string | undefined>) => Promise<void>;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const run = useCallback(async (action: () => Promise<string | undefined>) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone((await action()) ?? null);
    } catch (failed) {
      setError(failed);
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, done, run };
}

export function Outcome({ error, done }: { error: unknown; done: string | null }) {
  return (
    <>
      <ProblemMessage error={error} />
      {done && (
        <p role="status" className="success">
          {done}
        </p>
      )}
    </>
  );
}

/** A button that asks first: the question and a confirm / keep pair replace it. */
export function ConfirmButton({
  label,
  question,
  confirm,
  onConfirm,
  disabled,
}: {
  label: string;
  question: string;
  confirm: string;
  onConfirm: () => void;
  disabled?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" className="secondary" disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  return (
    <span role="group" aria-label={`Confirm: ${label}`} className="confirm">
      <span className="warning">{question}</span>{" "}
      <button
        type="button"
        autoFocus
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirm}
      </button>{" "}
      <button type="button" className="secondary" onClick={() => setAsking(false)}>
        Keep it
      </button>
    </span>
  );
}

export function Field({ label, children, hint }: { label: string; children: ReactNode; hint?: string }) {
  return (
    <label className="field">
      <span>{label}</span>
      {children}
      {hint && <span className="muted">{hint}</span>}
    </label>
  );
}

/** A local date and time from a ``datetime-local`` input as an ISO instant with offset. */
export function instant(local: string): string {
  return new Date(local).toISOString();
}

/** ``Date`` as the value a ``datetime-local`` input shows (local time, minutes). */
export function localInput(when: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}T${pad(when.getHours())}:${pad(when.getMinutes())}`;
}

/** "4 Dec 2026, 18:30 CET" on this browser's clock, the zone said: a log's times (a performance's
 * times are on its venue's clock: ``whenIn``). */
export function when(iso: string | null | undefined): string {
  if (!iso) return "—";
  return new Date(iso).toLocaleString("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  });
}

/** The cursors of a list paged as Stripe pages: each page starts after the last item of the
 * one before (``starting_after``); ``start`` is the current page's, undefined on the first. */
export function useCursors(): {
  start: string | undefined;
  page: number;
  back: () => void;
  forward: (last: string | undefined) => void;
  reset: () => void;
} {
  const [after, setAfter] = useState<string[]>([]);
  return {
    start: after.at(-1),
    page: after.length + 1,
    back: () => setAfter((a) => a.slice(0, -1)),
    forward: (last) => last && setAfter((a) => [...a, last]),
    reset: () => setAfter([]),
  };
}

type Cursors = ReturnType<typeof useCursors>;

/** ``Pager`` for a list paged with ``useCursors``: the next page starts after ``last``. */
export function CursorPager({
  cursors,
  hasMore,
  last,
  labels,
}: {
  cursors: Cursors;
  hasMore: boolean | undefined;
  last: string | undefined;
  labels?: [string, string];
}) {
  return (
    <Pager
      back={cursors.page > 1}
      more={Boolean(hasMore)}
      onBack={cursors.back}
      onMore={() => cursors.forward(last)}
      labels={labels}
    />
  );
}

/** The buttons to the page before and after this one. */
export function Pager({
  back,
  more,
  onBack,
  onMore,
  busy = false,
  labels = ["Previous page", "Next page"],
}: {
  back: boolean;
  more: boolean;
  onBack: () => void;
  onMore: () => void;
  busy?: boolean;
  labels?: [string, string];
}) {
  return (
    <div className="actions">
      <button type="button" className="secondary" disabled={!back || busy} onClick={onBack}>
        {labels[0]}
      </button>
      <button type="button" className="secondary" disabled={!more || busy} onClick={onMore}>
        {labels[1]}
      </button>
    </div>
  );
}
