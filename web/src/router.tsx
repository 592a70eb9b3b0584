/** A tiny history router: four routes do not need a library. The order token lives in the
 * URL fragment (#token=…), which browsers never send to a server, so no log holds it. */
import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from "react";

export type Route =
  | { page: "browse" }
  | { page: "performance"; performanceId: string }
  | { page: "checkout"; orderId: string; token: string | null }
  | { page: "order"; orderId: string; token: string | null }
  | { page: "find-tickets" }
  | { page: "staff"; area: "console" | "box-office"; rest: string[] }
  | { page: "scanner" }
  | { page: "not-found" };

export function parseRoute(pathname: string, hash: string): Route {
  const token = new URLSearchParams(hash.replace(/^#/, "")).get("token");
  const parts = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { page: "browse" };
  if (parts[0] === "scanner") return { page: "scanner" }; // the door scanner (web/src/scanner)
  if (parts.length === 1 && parts[0] === FIND_TICKETS.slice(1)) return { page: "find-tickets" };
  const [head, id] = parts;
  if (head === "console" || head === "box-office") return { page: "staff", area: head, rest: parts.slice(1) };
  if (parts.length === 2 && id) {
    if (head === "performances") return { page: "performance", performanceId: id };
    if (head === "checkout") return { page: "checkout", orderId: id, token };
    if (head === "orders") return { page: "order", orderId: id, token };
  }
  return { page: "not-found" };
}

/** Where a customer who lost their e-mails asks for their order links again. */
export const FIND_TICKETS = "/find-my-tickets";

export function orderUrl(kind: "checkout" | "orders", orderId: string, token: string): string {
  return `/${kind}/${encodeURIComponent(orderId)}#token=${encodeURIComponent(token)}`;
}

const listeners = new Set<() => void>();
let leaveQuestion: string | null = null;
/** The address of what is shown: where Back or Forward is undone to when the person stays. */
let shownUrl = typeof window === "undefined" ? "/" : here();

function here(): string {
  return window.location.pathname + window.location.search + window.location.hash;
}

/** While ``question`` is set, going elsewhere in the app asks it first (the page holds what
 * leaving would forget: a sale whose answer was lost); ``null``: no more asking. */
export function askBeforeLeaving(question: string | null): void {
  leaveQuestion = question;
}

/** Whether the page may be left now: nothing to ask, or the person said yes. */
export function mayLeave(): boolean {
  return leaveQuestion === null || window.confirm(leaveQuestion);
}

/** Go to ``to``; ``replace``: in place of the current entry (a page that forwards by itself,
 * so that Back does not land on it and forward again). */
export function navigate(to: string, { replace = false }: { replace?: boolean } = {}): void {
  if (!mayLeave()) return;
  if (replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  shownUrl = here();
  window.scrollTo(0, 0);
  listeners.forEach((listener) => listener());
}

export function useRoute(): Route {
  const read = () => parseRoute(window.location.pathname, window.location.hash);
  const [route, setRoute] = useState<Route>(read);
  useEffect(() => {
    const update = () => setRoute(read());
    // Back or Forward has moved the address already: staying puts the shown page's back
    const moved = () => {
      if (!mayLeave()) {
        window.history.pushState(null, "", shownUrl);
        return;
      }
      shownUrl = here();
      update();
    };
    listeners.add(update);
    window.addEventListener("popstate", moved);
    return () => {
      listeners.delete(update);
      window.removeEventListener("popstate", moved);
    };
  }, []);
  return route;
}

export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(props.href);
  };
  return <a {...props} onClick={onClick} />;
}
