import { useEffect, useRef, useState } from "react";
import { serverNow } from "./serverClock";

export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Tickets`;
  }, [title]);
}

/** Run ``tick`` now and every ``ms`` while mounted (and ``enabled``). */
export function useInterval(tick: () => void, ms: number, enabled = true): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!enabled) return;
    latest.current();
    const id = window.setInterval(() => latest.current(), ms);
    return () => window.clearInterval(id);
  }, [ms, enabled]);
}

/** Seconds until ``iso`` (null: none) on the server's clock, updated every quarter second. */
export function useSecondsLeft(iso: string | null | undefined): number | null {
  const [now, setNow] = useState(() => serverNow());
  useInterval(() => setNow(serverNow()), 250, Boolean(iso));
  return iso ? (Date.parse(iso) - now) / 1000 : null;
}
