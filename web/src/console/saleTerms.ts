/** A performance's sale terms as the console's forms hold them, and the change to send. */
import type { Schemas } from "../api/client";
import { instant, localInput } from "./ui";

/** Local times to the minute, as ``datetime-local`` inputs hold them. */
export type Terms = { opensAt: string; closesAt: string; maxPerOrder: number };

export function termsOf(show: Pick<Schemas["StaffPerformanceOut"], "sales_open_at" | "sales_close_at" | "max_per_order">): Terms {
  return { opensAt: localInput(new Date(show.sales_open_at)), closesAt: localInput(new Date(show.sales_close_at)), maxPerOrder: show.max_per_order };
}

/** Only the terms edited, so that a window left alone keeps its seconds. */
export function changedTerms(saved: Terms, edited: Terms): Schemas["SaleTermsIn"] {
  return {
    ...(edited.opensAt !== saved.opensAt ? { sales_open_at: instant(edited.opensAt) } : {}),
    ...(edited.closesAt !== saved.closesAt ? { sales_close_at: instant(edited.closesAt) } : {}),
    ...(edited.maxPerOrder !== saved.maxPerOrder ? { max_per_order: edited.maxPerOrder } : {}),
  };
}
