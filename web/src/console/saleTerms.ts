/** A performance's sale terms as the console's forms hold them, and the change to send. */
import type { Schemas } from "../api/client";
import { zonedInput, zonedInstant } from "./zonedTime";

/** Times to the minute on the performance's clock (its venue's zone, else its event's), as
 * ``datetime-local`` inputs hold them; the hold time in minutes, as staff think of it (the API
 * counts seconds). */
export type Terms = { opensAt: string; closesAt: string; maxPerOrder: number; holdMinutes: number };

type Saved = Pick<Schemas["StaffPerformanceOut"], "sales_open_at" | "sales_close_at" | "max_per_order" | "hold_ttl_s">;

export function termsOf(show: Saved, timeZone: string): Terms {
  return {
    opensAt: zonedInput(new Date(show.sales_open_at), timeZone),
    closesAt: zonedInput(new Date(show.sales_close_at), timeZone),
    maxPerOrder: show.max_per_order,
    holdMinutes: show.hold_ttl_s / 60,
  };
}

/** Seconds for the API; a fraction of a minute is kept to the second. */
export function holdSeconds(minutes: number): number {
  return Math.round(minutes * 60);
}

/** Why a hold time typed in minutes cannot be taken, in the form's words (``null``: it can);
 * the API's own said "body.hold_ttl_s: … ≥ 2", a field in seconds the form does not show. */
export function holdTimeProblem(minutes: number): string | null {
  const seconds = holdSeconds(minutes);
  if (Number.isFinite(seconds) && seconds >= 2 && seconds <= 3600) return null;
  return "Hold seats for: from 2 seconds (0.04 minutes) to 60 minutes.";
}

/** How long a buyer's seats stay held, for people: "10 min", "1.5 min", "30 s". */
export function holdTime(seconds: number): string {
  return seconds < 60 ? `${seconds} s` : `${Number((seconds / 60).toFixed(2))} min`;
}

/** Only the terms edited, so that a window left alone keeps its seconds. */
export function changedTerms(saved: Terms, edited: Terms, timeZone: string): Schemas["SaleTermsIn"] {
  const at = (local: string) => zonedInstant(local, timeZone);
  return {
    ...(edited.opensAt !== saved.opensAt ? { sales_open_at: at(edited.opensAt) } : {}),
    ...(edited.closesAt !== saved.closesAt ? { sales_close_at: at(edited.closesAt) } : {}),
    ...(edited.maxPerOrder !== saved.maxPerOrder ? { max_per_order: edited.maxPerOrder } : {}),
    ...(holdSeconds(edited.holdMinutes) !== holdSeconds(saved.holdMinutes) ? { hold_ttl_s: holdSeconds(edited.holdMinutes) } : {}),
  };
}
