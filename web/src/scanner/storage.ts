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

export function save(key: string, value: unknown): void {
  localStorage.setItem(PREFIX + key, JSON.stringify(value));
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
