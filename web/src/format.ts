/** Money and local times, formatted with Intl (the venue's time zone, not the browser's). */
import { minorUnitDigits } from "./currencies";

const LOCALE = "en-GB";

/** ``amount`` in minor units (cents): 2500 EUR → "€25.00". */
export function money(amount: number, currency: string): string {
  const digits = minorUnitDigits(currency); // Stripe's: the price shown is the one charged
  const shown = { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits } as const;
  return new Intl.NumberFormat(LOCALE, shown).format(amount / 10 ** digits);
}

/** ``timeZone`` if this browser knows it, else UTC (as documents and e-mails fall back): one
 * event with a zone nobody knows must not blank the whole programme. */
export function knownZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat(LOCALE, { timeZone });
    return timeZone;
  } catch {
    return "UTC";
  }
}

/** "Saturday, 12 December 2026 at 20:00 CET", in ``timeZone`` (UTC, said so, if unknown). */
export function localDateTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALE, {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: knownZone(timeZone),
    timeZoneName: "short",
  }).format(new Date(iso));
}

/** 125 → "2:05". */
export function countdown(seconds: number): string {
  const left = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
}

/** ``text`` without its closing full stop, to go inside a sentence of ours ("declined.."). */
export function clause(text: string): string {
  return text.trim().replace(/[.\s]+$/u, "");
}

/** "1 performance", "3 performances": a count with its noun (English plural in -s). */
export function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
