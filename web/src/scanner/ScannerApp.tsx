/** The door scanner (/scanner/): sign in with a scanner token, pick the performance, scan. */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type FormEvent, type Ref } from "react";
import { titleOf, toneOf, type Answer } from "./answers";
import { Camera } from "./Camera";
import { Door } from "./door";
import { doorApi, Refused, type PerformanceChoice } from "./doorApi";
import { signal, unlockSound } from "./feedback";
import { installScannerApp } from "./install";
import { newTurns } from "./sightings";
import { deviceId, forget, load, save } from "./storage";
import { claimsOfToken, expiryNotice, refusalOf } from "./token";
import { useLinkedToken } from "../signInLink";
import "./scanner.css";

interface Chosen {
  performanceId: string;
  label: string;
}

const SIGNED_OUT_BY_SERVER =
  "The server refused this phone's token: it was withdrawn or has expired. Ask an admin for a new one.";

export default function ScannerApp() {
  const [token, setToken] = useState<string | null>(() => load<string | null>("token", null));
  // a sign-in link (the QR code an admin showed): its token replaces the kept one if it can scan
  const [linked] = useLinkedToken();
  const [linkRefused, setLinkRefused] = useState<string | null>(null);
  useEffect(() => {
    if (!linked) return;
    const refusal = refusalOf(claimsOfToken(linked));
    setLinkRefused(refusal);
    if (refusal) return;
    save("token", linked);
    setToken(linked);
  }, [linked]);
  const [chosen, setChosen] = useState<Chosen | null>(() => load<Chosen | null>("performance", null));
  // the show scanned before "Change performance": the way back when the list cannot load
  // (offline at the door, the picker was a dead end)
  const [previous, setPrevious] = useState<Chosen | null>(null);
  useEffect(() => installScannerApp(), []);
  useEffect(() => {
    document.title = "Door scanner";
  }, []);
  // why the server signed this phone out (its token withdrawn or expired), for the sign-in
  const [signedOutWhy, setSignedOutWhy] = useState<string | null>(null);
  const signOut = useCallback((why: string | null = null) => {
    forget("token");
    setToken(null);
    setSignedOutWhy(why);
  }, []);
  const signedOutByServer = useCallback(() => signOut(SIGNED_OUT_BY_SERVER), [signOut]);
  return (
    <div className="scanner">
      <a className="skip" href="#scanner-main">
        Skip to content
      </a>
      <header className="scanner-bar">
        <span className="scanner-brand">Door scanner</span>
        {token && (
          <button type="button" className="scanner-link" onClick={() => signOut()}>
            Sign out
          </button>
        )}
      </header>
      <main id="scanner-main" tabIndex={-1}>
        {!token && <SignIn onSignedIn={setToken} refused={linkRefused ?? signedOutWhy} />}
        {token && !chosen && (
          <PickPerformance
            token={token}
            back={previous}
            onChosen={(choice) => {
              save("performance", choice);
              setChosen(choice);
            }}
          />
        )}
        {token && chosen && (
          <ScanScreen
            token={token}
            chosen={chosen}
            onChange={() => {
              forget("performance");
              setPrevious(chosen);
              setChosen(null);
            }}
            onSignedOut={signedOutByServer}
          />
        )}
      </main>
    </div>
  );
}

function SignIn({ onSignedIn, refused }: { onSignedIn: (token: string) => void; refused: string | null }) {
  const [text, setText] = useState("");
  const [pastedRefusal, setRefusal] = useState<string | null>(null);
  const refusal = pastedRefusal ?? refused;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const pasted = text.trim();
    const why = refusalOf(claimsOfToken(pasted));
    if (why) {
      setRefusal(why);
      return;
    }
    save("token", pasted);
    onSignedIn(pasted);
  };
  return (
    <form className="scanner-card" onSubmit={submit}>
      <h1>Sign in</h1>
      <label htmlFor="scanner-token">Scanner token</label>
      <textarea id="scanner-token" rows={4} value={text} onChange={(e) => setText(e.target.value)} />
      {refusal && (
        <p role="alert" className="scanner-error">
          {refusal}
        </p>
      )}
      <button className="scanner-button" type="submit">
        Sign in
      </button>
    </form>
  );
}

function PickPerformance({
  token,
  back,
  onChosen,
}: {
  token: string;
  back: Chosen | null;
  onChosen: (c: Chosen) => void;
}) {
  const [choices, setChoices] = useState<PerformanceChoice[] | null>(null);
  const [picked, setPicked] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    doorApi(() => token)
      .performances()
      .then((found) => live && setChoices(found))
      .catch(() => live && setProblem("The performances cannot be loaded: connect to the network."));
    return () => {
      live = false;
    };
  }, [token]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const choice = choices?.find((c) => c.performanceId === picked);
    if (choice) onChosen({ performanceId: choice.performanceId, label: choice.label });
  };
  return (
    <form className="scanner-card" onSubmit={submit}>
      <h1>Which performance?</h1>
      {problem && <p role="alert">{problem}</p>}
      {!choices && !problem && <p>Loading the performances…</p>}
      {choices && (
        <>
          <label htmlFor="scanner-performance">Performance</label>
          <select id="scanner-performance" value={picked} onChange={(e) => setPicked(e.target.value)}>
            <option value="">Choose…</option>
            {choices.map((c) => (
              <option key={c.performanceId} value={c.performanceId}>
                {c.label}
              </option>
            ))}
          </select>
          <button className="scanner-button" type="submit" disabled={!picked}>
            Start scanning
          </button>
          <p className="scanner-hint">A cancelled performance is not listed: nobody is admitted to it.</p>
        </>
      )}
      {back && (
        <button className="scanner-link" type="button" onClick={() => onChosen(back)}>
          Back to {back.label}
        </button>
      )}
    </form>
  );
}

const SYNC_EVERY_MS = 4000;
const LEAVING_UNSAVED =
  "This phone's storage is full: the offline scans not uploaded yet are kept only on this screen. Change performance anyway and lose them?";
/** How long an answer stands before the screen is ready for the next person. */
const ANSWER_SHOWN_MS = 6000;

function ScanScreen(props: { token: string; chosen: Chosen; onChange: () => void; onSignedOut: () => void }) {
  const { token, chosen, onSignedOut } = props;
  const door = useMemo(
    () => new Door(doorApi(() => token), chosen.performanceId, deviceId()),
    [token, chosen.performanceId],
  );
  const state = useSyncExternalStore(
    useCallback((listener) => door.subscribe(listener), [door]),
    () => door.state,
  );
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [answers, setAnswers] = useState(0); // how many answers shown: each scan gets a fresh one
  const [checking, setChecking] = useState(false);
  const [faded, setFaded] = useState(false);
  const [late, setLate] = useState<Answer | null>(null);
  useEffect(() => {
    // the answer stands long enough to be read, then the screen is ready for the next person:
    // a stale green must never greet someone whose ticket the camera did not read
    if (!answers) return;
    const timer = window.setTimeout(() => setFaded(true), ANSWER_SHOWN_MS);
    return () => window.clearTimeout(timer);
  }, [answers]);
  const cancelled = Boolean(state.revocations.cancelled);
  const answerNow = useRef(answer);
  useEffect(() => {
    answerNow.current = answer;
  });
  useEffect(() => {
    // an answer from before must not stand under the banner; the scan that told the door stays
    if (cancelled && answerNow.current?.kind !== "cancelled") setFaded(true);
  }, [cancelled]);
  const [code, setCode] = useState("");
  const [number, setNumber] = useState("");

  useEffect(() => {
    // a token withdrawn (or expired) mid-shift: sign out at the next sync, not the next scan
    const run = () =>
      void door.sync().catch((error: unknown) => {
        if (error instanceof Refused && error.status === 401) onSignedOut();
      });
    run();
    const timer = window.setInterval(run, SYNC_EVERY_MS);
    window.addEventListener("online", run);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener("online", run);
    };
  }, [door, onSignedOut]);

  const answerPanel = useRef<HTMLDivElement>(null);
  const show = (found: Answer) => {
    // on a phone the number form sits below the fold: the verdict must come into view
    answerPanel.current?.scrollIntoView?.({ block: "nearest" });
    setChecking(false);
    setFaded(false);
    setAnswer(found);
    setAnswers((count) => count + 1);
    signal(toneOf(found.kind));
    if (found.kind === "signed_out") onSignedOut();
  };
  const showRef = useRef(show);
  useEffect(() => {
    showRef.current = show;
  });
  const answerInTurn = useMemo(
    () =>
      newTurns((found) => showRef.current(found), {
        checking: () => setChecking(true),
        late: (found) => {
          // an earlier person's answer, come after the next one's: shown aside, an admission
          // too (dropped before: that holder, scanned again, got a red "already used")
          setLate(found);
          if (toneOf(found.kind) !== "go") signal(toneOf(found.kind)); // a go tone would pass for the current person's
        },
      }),
    [],
  );
  // never held back while a check is on its way: a handheld scanner types the next code and
  // Enter regardless, and a disabled button swallowed that Enter (the code stayed in the field
  // and the one after was appended to it); the turns put answers in order
  const check = (what: () => Promise<Answer>) => void answerInTurn(what);
  const onCode = useCallback(
    (scanned: string) => void answerInTurn(() => door.scan(scanned)),
    [door, answerInTurn],
  );
  const submitCode = (event: FormEvent) => {
    event.preventDefault();
    unlockSound();
    const scanned = code.trim();
    if (!scanned) return;
    setCode("");
    check(() => door.scan(scanned));
  };
  const submitNumber = (event: FormEvent) => {
    event.preventDefault();
    unlockSound();
    const typed = number.trim();
    if (!typed) return;
    setNumber(""); // ready for the next one, as the code field is
    check(() => door.byNumber(typed));
  };
  const [clock, setClock] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setClock(Date.now()), 30_000);
    return () => window.clearInterval(timer);
  }, []);
  const ending = expiryNotice(claimsOfToken(token), clock);
  const conflicts = state.reports.filter((r) => r.outcome === "conflict");
  const refused = state.reports.filter((r) => r.outcome !== "ok" && r.outcome !== "conflict");

  return (
    <div className="scanner-screen">
      <h1 className="scanner-performance">{chosen.label}</h1>
      <p className="scanner-status" data-online={state.online}>
        <span className="scanner-dot" aria-hidden="true" />
        {state.online ? "Online" : "Offline: checking tickets on this device"}
        {" · "}
        {state.queue.length === 0
          ? "nothing waiting to upload"
          : `${state.queue.length} scan${state.queue.length === 1 ? "" : "s"} waiting to upload`}
      </p>
      <p className="scanner-hint">
        Revocation list: {Object.keys(state.revocations.revoked).length} ticket(s)
        {state.revocations.syncedAt
          ? `, synced ${new Date(state.revocations.syncedAt).toLocaleTimeString("en-GB")}`
          : ", not synced yet"}
        {state.hasKey ? "" : " · ticket key not loaded yet"}
        {` · admitted so far (every door): ${Object.keys(state.used).length}`}
      </p>

      {ending && (
        <p className="scanner-error" role="alert">
          {ending}
        </p>
      )}
      {cancelled && (
        <p className="scanner-cancelled" role="alert">
          This performance was cancelled: admit nobody.
        </p>
      )}
      <AnswerPanel ref={answerPanel} answer={answer} count={answers} checking={checking} faded={faded} />
      {late && (
        <div className="scanner-late" role="alert">
          <p>
            <strong>Earlier scan: {titleOf(late.kind)}</strong>
            {late.ticketNumber ? ` (ticket ${late.ticketNumber})` : ""}: {late.detail}
          </p>
          <button type="button" className="scanner-link" onClick={() => setLate(null)}>
            Dismiss
          </button>
        </div>
      )}

      <Camera onCode={onCode} />

      <form className="scanner-card" onSubmit={submitCode}>
        <label htmlFor="scanner-code">Ticket code (handheld scanner or pasted)</label>
        <input
          id="scanner-code"
          autoComplete="off"
          spellCheck={false}
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
        <button className="scanner-button" type="submit">
          Check code
        </button>
      </form>

      <form className="scanner-card" onSubmit={submitNumber}>
        <label htmlFor="scanner-number">Ticket number (printed under the QR code)</label>
        <input
          id="scanner-number"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          value={number}
          onChange={(e) => setNumber(e.target.value)}
        />
        <button className="scanner-button" type="submit">
          Check in by number
        </button>
      </form>

      {state.unsaved && (
        <p className="scanner-error" role="alert">
          This phone&apos;s storage is full: {state.queue.length} offline scan(s) and today&apos;s admissions are
          kept only while this page stays open. Do not reload or close it; connect to the network to upload them.
        </p>
      )}
      <section className="scanner-card" aria-labelledby="uploads-heading">
        <h2 id="uploads-heading">Offline scans</h2>
        <p>
          {state.uploaded} uploaded this session; {state.queue.length} waiting.
        </p>
        {state.uploadRefused && (
          <p className="scanner-error" role="alert">
            The server refused the waiting scans ({state.uploadRefused}): they stay on this device.
            Tell a supervisor; scanning goes on.
          </p>
        )}
        {conflicts.length > 0 && (
          <>
            <h3>Conflicts</h3>
            <ul className="scanner-reports" aria-label="Conflicts">
              {conflicts.map((r) => (
                <li key={r.nonce}>
                  Ticket {r.ticket_number ?? r.ticket_id}: admitted first on {r.first_used_on ?? "another device"}
                  {r.first_used_at ? ` at ${new Date(r.first_used_at).toLocaleTimeString("en-GB")}` : ""}
                  {" — counted once."}
                </li>
              ))}
            </ul>
          </>
        )}
        {refused.length > 0 && (
          <>
            <h3>Refused by the server</h3>
            <ul className="scanner-reports" aria-label="Refused by the server">
              {refused.map((r) => (
                <li key={r.nonce}>
                  {r.ticket_number ? `Ticket ${r.ticket_number}` : (r.ticket_id ?? "unknown ticket")}:{" "}
                  {r.outcome.replace(/_/g, " ")} ({r.detail})
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <p>
        <button
          type="button"
          className="scanner-link"
          onClick={() => {
            // the scans the full storage refused live in this screen only
            if (state.unsaved && !window.confirm(LEAVING_UNSAVED)) return;
            props.onChange();
          }}
        >
          Change performance
        </button>
      </p>
      <p className="scanner-hint">Device {door.deviceId}</p>
    </div>
  );
}

function AnswerPanel({
  ref,
  answer,
  count,
  checking,
  faded,
}: {
  ref: Ref<HTMLDivElement>;
  answer: Answer | null;
  count: number;
  checking: boolean;
  faded: boolean;
}) {
  const shown = checking || faded ? null : answer;
  return (
    <div
      ref={ref}
      className="scanner-answer"
      data-answers={count}
      data-tone={shown ? toneOf(shown.kind) : "idle"}
      data-kind={answer?.kind ?? ""}
      data-checking={checking}
      role="status"
      aria-live="assertive"
      aria-atomic="true"
    >
      {checking ? (
        <p className="scanner-answer-title">Checking…</p>
      ) : shown ? (
        <>
          <p className="scanner-answer-title">{titleOf(shown.kind)}</p>
          <p>{shown.detail}</p>
          {shown.usedAt && (
            <p>
              {shown.kind === "ok" ? "Admitted" : "Used"}{" "}
              {new Date(shown.usedAt).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "medium" })}
            </p>
          )}
          {shown.ticketNumber && <p>Ticket {shown.ticketNumber}</p>}
          {shown.offline && <p className="scanner-answer-note">Checked on this device</p>}
        </>
      ) : (
        <>
          <p className="scanner-answer-title">Ready to scan</p>
          {answer && (
            <p className="scanner-answer-note">
              Last: {titleOf(answer.kind)}
              {answer.ticketNumber ? `, ticket ${answer.ticketNumber}` : ""}
            </p>
          )}
        </>
      )}
    </div>
  );
}
