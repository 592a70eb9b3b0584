/** Staff access (admins): a bearer token for a clerk, a steward's phone or another admin, for a
 * shift. Shown once: the admin copies it to the person, who pastes it at sign-in. The tokens
 * issued are listed, and one can be withdrawn (a lost phone, someone who left). */
import { useEffect, useState, type FormEvent } from "react";
import QRCode from "qrcode";
import { api, call, type Schemas } from "../api/client";
import { Link } from "../router";
import { signInLink } from "../signInLink";
import { useTitle } from "../hooks";
import { CursorPager, Field, Outcome, ProblemMessage, useAction, useCursors, useLoad, useStaff, when } from "./ui";

type Issued = Schemas["StaffTokenOut"];
type Listed = Schemas["IssuedStaffTokenOut"];
type Role = "staff" | "scanner" | "admin";

export const ROLE_CHOICES: { role: Role; label: string; where: string }[] = [
  { role: "staff", label: "Console and box office (staff)", where: "/console or /box-office" },
  { role: "scanner", label: "Door scanner (scanner)", where: "/scanner on the steward's phone, or scan the QR code below with its camera" },
  { role: "admin", label: "Admin (everything, and staff access)", where: "/console" },
];

/** Hours as the API's seconds; a fraction of an hour is kept to the second. */
export function ttlSeconds(hours: number): number {
  return Math.round(hours * 3600);
}

export function StaffAccessPage() {
  useTitle("Staff access");
  const { headers } = useStaff();
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("staff");
  const [hours, setHours] = useState(8);
  const [issued, setIssued] = useState<(Issued & { where: string }) | null>(null);
  const [issues, setIssues] = useState(0);
  const action = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setIssued(null);
    void action.run(async () => {
      const made = await call(() =>
        api.POST("/v1/admin/staff-tokens", {
          headers,
          body: { name: name.trim(), roles: [role], ttl_s: ttlSeconds(hours) },
        }),
      );
      setIssued({ ...made, where: ROLE_CHOICES.find((c) => c.role === role)?.where ?? "/console" });
      setIssues((n) => n + 1);
      return undefined;
    });
  };
  return (
    <section aria-labelledby="access-title">
      <h1 id="access-title">Staff access</h1>
      <p className="muted">
        A token signs one person (or one scanner phone) in until it expires; keep it to the shift. If a phone
        is lost or someone leaves, withdraw their token below: every screen refuses it within seconds. Each
        one issued is in the <Link href="/console/audit?action=gateway.staff_token.issued">audit log</Link>;
        the token itself is shown only here, once.
      </p>
      <form onSubmit={submit} className="panel" aria-label="Issue a staff token">
        <div className="row-fields">
          <Field label="Name" hint="Letters, digits, . _ @ -; it shows in the audit log">
            <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={64} pattern="[A-Za-z0-9][A-Za-z0-9._@\-]*" />
          </Field>
          <Field label="Access">
            <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLE_CHOICES.map((c) => (
                <option key={c.role} value={c.role}>
                  {c.label}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Valid for (hours)" hint="At most 168 (a week)">
            <input type="number" min={0.1} max={168} step="any" value={hours} onChange={(e) => setHours(Number(e.target.value))} required />
          </Field>
        </div>
        <button type="submit" disabled={action.busy}>
          Issue token
        </button>
        <Outcome error={action.error} done={action.done} />
      </form>
      {issued && (
        <section className="panel" aria-labelledby="issued-title">
          <h2 id="issued-title">Token for {issued.subject}</h2>
          <p role="status" className="success">
            Issued for {issued.roles.join(", ")} until {when(issued.expires_at)}. Copy it now: it is not shown again.
            They paste it at sign-in on {issued.where}.
          </p>
          <Field label="Token">
            <textarea readOnly value={issued.token} rows={4} onFocus={(e) => e.currentTarget.select()} />
          </Field>
          <button type="button" className="secondary" onClick={() => void navigator.clipboard?.writeText(issued.token)}>
            Copy token
          </button>
          {issued.roles.includes("scanner") ? (
            <ScannerSignIn token={issued.token} />
          ) : (
            <p>
              Or send them their sign-in link, which opens{" "}
              {/* a new tab of its own: followed here, it would sign this admin out (and the
                  one-time token shown above would be gone) */}
              <a
                href={signInLink(window.location.origin, issued.roles.includes("admin") ? "/console" : "/box-office", issued.token)}
                target="_blank"
                rel="noopener noreferrer"
              >
                {issued.roles.includes("admin") ? "the console" : "the box office"}
              </a>{" "}
              signed in.
            </p>
          )}
        </section>
      )}
      <IssuedTokens reloadKey={issues} />
    </section>
  );
}

/** The tokens still valid or withdrawn before they expired, newest first, each withdrawable. */
function IssuedTokens({ reloadKey }: { reloadKey: number }) {
  const { headers } = useStaff();
  const cursors = useCursors();
  const start = cursors.start;
  const page = useLoad(
    () =>
      call(() =>
        api.GET("/v1/admin/staff-tokens", { headers, params: { query: { limit: 20, ...(start ? { starting_after: start } : {}) } } }),
      ),
    `${start ?? ""}:${reloadKey}`,
  );
  const action = useAction();
  const withdraw = (t: Listed, reason: string) =>
    action.run(async () => {
      await call(() =>
        api.POST("/v1/admin/staff-tokens/{token_id}/withdraw", { headers, params: { path: { token_id: t.token_id } }, body: { reason } }),
      );
      page.reload();
      return `${t.subject}'s token is withdrawn: every screen refuses it within seconds.`;
    });
  const tokens = page.data?.data ?? [];
  return (
    <section aria-labelledby="tokens-title">
      <h2 id="tokens-title">Tokens issued</h2>
      <ProblemMessage error={page.error} />
      <Outcome error={action.error} done={action.done} />
      {page.data && tokens.length === 0 ? (
        <p className="muted">No token issued here is still valid.</p>
      ) : (
        <table className="data">
          <caption>Staff tokens not yet expired, newest first</caption>
          <thead>
            <tr>
              <th scope="col">For</th>
              <th scope="col">Access</th>
              <th scope="col">Issued</th>
              <th scope="col">Expires</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.token_id}>
                <td>{t.subject.replace(/^staff:/, "")}</td>
                <td>{t.roles.join(", ")}</td>
                <td>
                  {when(t.issued_at)} by {t.issued_by.replace(/^staff:/, "")}
                </td>
                <td>{when(t.expires_at)}</td>
                <td>
                  {t.status === "withdrawn"
                    ? `withdrawn ${when(t.withdrawn_at)} by ${(t.withdrawn_by ?? "").replace(/^staff:/, "")}: ${t.withdrawal_reason ?? ""}`
                    : t.status}
                </td>
                <td className="actions">
                  {t.status === "active" && (
                    <WithdrawButton who={t.subject.replace(/^staff:/, "")} busy={action.busy} onWithdraw={(reason) => void withdraw(t, reason)} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <CursorPager cursors={cursors} hasMore={page.data?.has_more} last={tokens.at(-1)?.token_id} />
    </section>
  );
}

/** Asks why first (the reason goes to the audit log), then withdraws. */
function WithdrawButton({ who, busy, onWithdraw }: { who: string; busy: boolean; onWithdraw: (reason: string) => void }) {
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState("");
  if (!asking)
    return (
      <button type="button" className="secondary" disabled={busy} onClick={() => setAsking(true)}>
        Withdraw {who}&apos;s token
      </button>
    );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAsking(false);
    onWithdraw(reason.trim());
  };
  return (
    <form onSubmit={submit} className="confirm" aria-label={`Withdraw ${who}'s token`}>
      <Field label="Why">
        <input value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500} pattern=".*\S.*" autoFocus placeholder="phone lost at door 3" />
      </Field>{" "}
      <button type="submit">Withdraw now</button>{" "}
      <button type="button" className="secondary" onClick={() => setAsking(false)}>
        Keep it
      </button>
    </form>
  );
}

/** The steward points the phone's camera at this: the link opens the door scanner signed in. */
function ScannerSignIn({ token }: { token: string }) {
  const link = signInLink(window.location.origin, "/scanner/", token);
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    void QRCode.toDataURL(link, { errorCorrectionLevel: "L", margin: 4, width: 320 }).then(setQr);
  }, [link]);
  return (
    <figure className="sign-in-qr">
      {qr && <img src={qr} width={320} height={320} alt="QR code that signs a phone in to the door scanner" />}
      <figcaption>
        On the steward&apos;s phone, scan this with the camera: it opens the door scanner, signed in. Or send them{" "}
        <a href={link} target="_blank" rel="noopener noreferrer">
          the sign-in link
        </a>
        .
      </figcaption>
    </figure>
  );
}
