/** Times as the venue's clock shows them: staff type and read a performance's times in its own
 * zone (the venue's, else the event's), wherever their browser is. */

type WallClock = { year: number; month: number; day: number; hour: number; minute: number; second: number };

function wallClock(at: Date, timeZone: string): WallClock {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: part("year"), month: part("month"), day: part("day"), hour: part("hour"), minute: part("minute"), second: part("second") };
}

/** How far ``timeZone``'s clock is ahead of UTC at ``ms`` (milliseconds). */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(new Date(ms), timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
}

/** ``at`` as a ``datetime-local`` input shows it on ``timeZone``'s clock (to the minute). */
export function zonedInput(at: Date, timeZone: string): string {
  const w = wallClock(at, timeZone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

type Reading = { instant: number; happens: "once" | "twice" | "never" };

const DAY_MS = 86_400_000;

/** ``local`` on ``timeZone``'s clock: the instant, and whether the clock shows that time once,
 * twice (the night it goes back) or never (the hour it skips). The offsets a day either side
 * are the only ones a change of the clocks can give (a day: zones run from UTC-12 to +14). */
function read(local: string, timeZone: string): Reading {
  const [date = "", time = ""] = local.split("T");
  const [year = 0, month = 1, day = 1] = date.split("-").map(Number);
  const [hour = 0, minute = 0] = time.split(":").map(Number);
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  const before = asUtc - offsetAt(asUtc - DAY_MS, timeZone);
  const after = asUtc - offsetAt(asUtc + DAY_MS, timeZone);
  const shows = (instant: number) => zonedInput(new Date(instant), timeZone) === local.slice(0, 16);
  const found = [...new Set([before, after])].filter(shows).sort((a, b) => a - b);
  if (found.length === 0) return { instant: before, happens: "never" }; // the hour after, read on the old offset
  return { instant: found[0] ?? before, happens: found.length > 1 ? "twice" : "once" };
}

/** A ``datetime-local`` value read on ``timeZone``'s clock: the instant, as ISO. A time the
 * clock skips counts as the hour after; one it shows twice, as the first (as calendars read
 * it), in every zone alike. */
export function zonedInstant(local: string, timeZone: string): string {
  return new Date(read(local, timeZone).instant).toISOString();
}

/** What staff should know of ``local`` on that clock: it is skipped or shown twice that night
 * (``null``: neither). */
export function zonedTimeNote(local: string, timeZone: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/u.test(local)) return null;
  const reading = read(local, timeZone);
  const shown = whenIn(new Date(reading.instant).toISOString(), timeZone);
  if (reading.happens === "never")
    return `The clocks go forward that night: ${local.slice(11, 16)} does not exist there, so it is read as ${shown}.`;
  if (reading.happens === "twice")
    return `The clocks go back that night: ${local.slice(11, 16)} happens twice there; this is the first, ${shown}.`;
  return null;
}

/** "12 Dec 2026, 20:00 CET" on ``timeZone``'s clock; "—" for none. */
export function whenIn(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return "—";
  return new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
    timeZoneName: "short",
  }).format(new Date(iso));
}
