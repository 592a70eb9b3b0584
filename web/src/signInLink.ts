/** Sign-in links: a staff token in a URL's fragment (``#token=…``), which the browser never
 * sends to a server. The console shows them under Staff access (a QR code for a steward's
 * phone, a link for a clerk); the page they open keeps the token and clears the address. */
import { useCallback, useEffect, useState } from "react";

export function signInLink(origin: string, path: "/scanner/" | "/box-office" | "/console", token: string): string {
  return `${origin}${path}#token=${encodeURIComponent(token)}`;
}

/** The token of a sign-in link's fragment, or null. */
export function tokenInLink(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, "")).get("token");
  return token && token.trim() ? token.trim() : null;
}

/** This page's sign-in token, taken out of the address bar at once so that no history entry
 * keeps it. */
export function takeLinkedToken(): string | null {
  const token = tokenInLink(window.location.hash);
  if (token) window.history.replaceState(null, "", window.location.pathname + window.location.search);
  return token;
}

/** The latest sign-in token the address brought (on load, or when a link is opened in a tab
 * already on this page: a fragment change does not reload it), and a way to be done with it,
 * so that signing out does not sign the same link in again. */
export function useLinkedToken(): [string | null, () => void] {
  const [token, setToken] = useState(takeLinkedToken);
  useEffect(() => {
    const taken = () => {
      const linked = takeLinkedToken();
      if (linked) setToken(linked);
    };
    window.addEventListener("hashchange", taken);
    return () => window.removeEventListener("hashchange", taken);
  }, []);
  return [token, useCallback(() => setToken(null), [])];
}
