/** The staff side of the app: sign in with a pasted token, then the console (/console/…) or
 * the box office (/box-office). Each screen says what a role may not open. */
import { useCallback, useEffect, useState, type FormEvent } from "react";
import "./console.css";
import { Link, mayLeave } from "../router";
import { useLinkedToken } from "../signInLink";
import { useTitle } from "../hooks";
import { BoxOfficePage } from "../boxoffice/BoxOfficePage";
import { forgetStaff, keptStaff, opens, OWN_TOKEN_REFUSED, roleName, signIn, type Area, type StaffMember } from "./staffSession";
import { ProblemMessage, StaffContext } from "./ui";
import { VenuesPage } from "./VenuesPage";
import { EventsPage } from "./EventsPage";
import { SalesPage } from "./SalesPage";
import { OrdersPage } from "./OrdersPage";
import { OrderDetailPage } from "./OrderDetailPage";
import { CouponsPage } from "./CouponsPage";
import { AuditPage } from "./AuditPage";
import { PersonalDataPage } from "./PersonalDataPage";
import { StaffAccessPage } from "./StaffAccessPage";
import { ParkingLotsPage } from "./ParkingLotsPage";
import { ReconciliationPage } from "./ReconciliationPage";

interface Screen {
  path: string;
  label: string;
  area: Area;
}

const TOKEN_REFUSED =
  "You were signed out: the server refused your token (an admin withdrew it, or it has expired). Ask an admin for a new one.";

export const SCREENS: Screen[] = [
  { path: "/console/events", label: "Events", area: "console" },
  { path: "/console/venues", label: "Venues", area: "console" },
  { path: "/console/sales", label: "Sales", area: "console" },
  { path: "/console/orders", label: "Orders", area: "console" },
  { path: "/console/coupons", label: "Coupons", area: "console" },
  { path: "/box-office", label: "Box office", area: "box-office" },
  { path: "/console/audit", label: "Audit log", area: "admin" },
  { path: "/console/parking-lots", label: "Parking lots", area: "admin" },
  { path: "/console/reconciliation", label: "Reconciliation", area: "admin" },
  { path: "/console/access", label: "Staff access", area: "admin" },
  { path: "/console/personal-data", label: "Personal data", area: "admin" },
];

export function StaffApp({ area, rest }: { area: "console" | "box-office"; rest: string[] }) {
  const [linked, doneWithLink] = useLinkedToken();
  const [member, setMember] = useState<StaffMember | null>(() => (linked ? null : keptStaff()));
  const [refusedWhy, setRefusedWhy] = useState<string | null>(null);
  useEffect(() => {
    if (!linked) return;
    forgetStaff(); // the link's token replaces whoever was signed in here
    setMember(null);
  }, [linked]);
  useEffect(() => {
    const refused = () => {
      forgetStaff();
      setMember(null);
      setRefusedWhy(TOKEN_REFUSED);
    };
    window.addEventListener(OWN_TOKEN_REFUSED, refused);
    return () => window.removeEventListener(OWN_TOKEN_REFUSED, refused);
  }, []);
  if (!member || !opens(member.roles, "console"))
    return (
      <SignIn
        onSignedIn={(m) => {
          setRefusedWhy(null);
          setMember(m);
        }}
        area={area}
        linked={linked}
        refusedWhy={refusedWhy}
      />
    );
  const signOut = () => {
    if (!mayLeave()) return; // the desk's unfinished sale
    forgetStaff();
    doneWithLink();
    setMember(null);
  };
  return (
    <StaffContext.Provider value={member}>
      <div className="staff-bar">
        <p>
          Signed in as <strong>{member.subject}</strong>, role <strong data-testid="staff-role">{roleName(member.roles)}</strong>
        </p>
        <button type="button" className="secondary" onClick={signOut}>
          Sign out
        </button>
      </div>
      <nav aria-label="Staff screens" className="staff-nav">
        <ul>
          {SCREENS.filter((s) => opens(member.roles, s.area)).map((s) => (
            <li key={s.path}>
              <Link href={s.path}>{s.label}</Link>
            </li>
          ))}
        </ul>
      </nav>
      {area === "box-office" ? <BoxOfficePage /> : <ConsoleScreen rest={rest} roles={member.roles} />}
    </StaffContext.Provider>
  );
}

function ConsoleScreen({ rest, roles }: { rest: string[]; roles: string[] }) {
  const [screen = "events", id] = rest;
  const admin = ["audit", "parking-lots", "reconciliation", "access", "personal-data"].includes(screen);
  if (admin && !opens(roles, "admin")) return <Refused what="This screen is for admins only." />;
  switch (screen) {
    case "events":
      return <EventsPage />;
    case "venues":
      return <VenuesPage />;
    case "sales":
      return <SalesPage />;
    case "orders":
      return id ? <OrderDetailPage orderId={id} /> : <OrdersPage />;
    case "coupons":
      return <CouponsPage />;
    case "audit":
      return <AuditPage />;
    case "parking-lots":
      return <ParkingLotsPage />;
    case "reconciliation":
      return <ReconciliationPage />;
    case "access":
      return <StaffAccessPage />;
    case "personal-data":
      return <PersonalDataPage />;
    default:
      return <Refused what="There is no such console screen." />;
  }
}

function Refused({ what }: { what: string }) {
  useTitle("Not allowed");
  return (
    <section>
      <h1>Not allowed</h1>
      <p role="alert" className="error">
        {what}
      </p>
    </section>
  );
}

function SignIn(props: {
  onSignedIn: (m: StaffMember) => void;
  area: string;
  linked: string | null;
  refusedWhy: string | null;
}) {
  const { onSignedIn, area, linked, refusedWhy } = props;
  const [token, setToken] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const title = area === "box-office" ? "Box office" : "Staff console";
  useTitle(`${title}: sign in`);
  const tryToken = useCallback(
    async (given: string) => {
      setBusy(true);
      setError(null);
      try {
        onSignedIn(await signIn(given));
      } catch (failed) {
        setError(failed);
      } finally {
        setBusy(false);
      }
    },
    [onSignedIn],
  );
  useEffect(() => {
    if (linked) void tryToken(linked); // a sign-in link from Staff access
  }, [linked, tryToken]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void tryToken(token);
  };
  return (
    <section>
      <h1>{title}: sign in</h1>
      <p>
        Open the sign-in link an admin sent you (Staff access), or paste the staff token you were given. It
        is kept in this tab only, until you sign out or close it.
      </p>
      <form onSubmit={submit} className="panel">
        <label className="field">
          <span>Staff token</span>
          <textarea
            value={token}
            onChange={(e) => setToken(e.target.value)}
            rows={3}
            autoComplete="off"
            spellCheck={false}
            required
          />
        </label>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        <ProblemMessage error={error} />
        {!error && refusedWhy && (
          <p role="alert" className="error">
            {refusedWhy}
          </p>
        )}
      </form>
    </section>
  );
}
