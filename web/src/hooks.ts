import { useCallback, useEffect, useRef, useState } from "react";
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

/** ``poll`` now, then ``everyMs`` after each answer, while mounted (and ``enabled``): never two
 * at once, so a slow server is asked no faster than it answers (a fixed interval piled up
 * requests behind a slow one on sale day), and none while the page is hidden (a background
 * tab asks again within ``everyMs`` of being shown). */
export function usePolling(poll: () => Promise<unknown>, everyMs: number, enabled = true): void {
  const latest = useRef(poll);
  latest.current = poll;
  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let timer: number | undefined;
    const run = async (): Promise<void> => {
      try {
        if (!document.hidden) await latest.current();
      } catch {
        // the page's poll shows its own errors; the next one is still due
      }
      if (!stopped) timer = window.setTimeout(() => void run(), everyMs);
    };
    void run();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [everyMs, enabled]);
}

/** For reads whose answers may come back out of order (the poll, and a refresh after a sale):
 * ``begin()`` as each is asked returns whether it is still the latest one asked, to be checked
 * once its answer is in; an older answer is dropped rather than shown over a newer one. */
export function useLatestRead(): () => () => boolean {
  const asked = useRef(0);
  return useCallback(() => {
    const mine = ++asked.current;
    return () => mine === asked.current;
  }, []);
}

/** Seconds until ``iso`` (null: none) on the server's clock, updated every quarter second. */
export function useSecondsLeft(iso: string | null | undefined): number | null {
  const [now, setNow] = useState(() => serverNow());
  useInterval(() => setNow(serverNow()), 250, Boolean(iso));
  return iso ? (Date.parse(iso) - now) / 1000 : null;
}
