/** What the scanner keeps on the device (localStorage: small, synchronous, survives a reload and
 * a lost network). Everything is per browser profile; nothing here is a secret but the token. */

const PREFIX = "ticketing.scanner.";

export function load<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(PREFIX + key);
    return raw === null ? fallback : (JSON.parse(raw) as T);
  } catch {
    return fallback;
  }
}

/** What is kept per performance (``used.<id>``, ``revocations.<id>``, ``admitted-since.<id>``): a steward's phone
 * gathers it show after show until the browser's storage is full. */
const PER_PERFORMANCE = /^(?:used|revocations|admitted-since)\.(.+)$/;
const STALE_MS = 24 * 3600 * 1000;

function performanceOf(storageKey: string): string | null {
  const match = storageKey.startsWith(PREFIX) ? PER_PERFORMANCE.exec(storageKey.slice(PREFIX.length)) : null;
  return match?.[1] ?? null;
}

/** Forget what is kept for performances other than ``performanceId``: all of it (``stale``
 * false), or only what was last synced more than a day ago. */
export function forgetOtherPerformances(performanceId: string | null, stale = true, now = Date.now()): void {
  const others = new Set<string>();
  for (let i = 0; i < localStorage.length; i++) {
    const found = performanceOf(localStorage.key(i) ?? "");
    if (found !== null && found !== performanceId) others.add(found);
  }
  for (const other of others) {
    const syncedAt = load<{ syncedAt?: string | null } | null>(`revocations.${other}`, null)?.syncedAt;
    // never synced: how old it is cannot be told, and its admissions may be the only record
    if (stale && (!syncedAt || now - Date.parse(syncedAt) < STALE_MS)) continue;
    forget(`used.${other}`);
    forget(`revocations.${other}`);
    forget(`admitted-since.${other}`);
  }
}

/** The performance this device scans for now: what it keeps is never forgotten to make room,
 * whatever is being stored (a shared key such as ``queue`` belongs to no performance). */
let scanning: string | null = null;

export function scanningFor(performanceId: string): void {
  scanning = performanceId;
}

/** Store ``value``; when the storage is full, what other performances kept is forgotten and it
 * is tried once more (then the error is the caller's). */
export function save(key: string, value: unknown): void {
  const text = JSON.stringify(value);
  try {
    localStorage.setItem(PREFIX + key, text);
  } catch {
    forgetOtherPerformances(performanceOf(PREFIX + key) ?? scanning, false);
    localStorage.setItem(PREFIX + key, text);
  }
}

export function forget(key: string): void {
  localStorage.removeItem(PREFIX + key);
}

export function deviceId(): string {
  let id = load<string | null>("device", null);
  if (!id) {
    id = `scanner-${crypto.randomUUID().slice(0, 8)}`;
    save("device", id);
  }
  return id;
}
