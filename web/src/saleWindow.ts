/** What a buyer should read about a performance's sales window before choosing tickets. */
import type { Performance } from "./api/client";
import { localDateTime } from "./format";

type Window = Pick<Performance, "sales_open_at" | "sales_close_at" | "starts_at" | "status" | "time_zone">;

/** A line saying why tickets cannot be bought now, or null while they can. It only informs:
 * the browser's clock may be wrong, so the controls stay usable and the server decides. */
export function saleNotice(show: Window, now: Date): string | null {
  if (show.status === "cancelled") return "This performance is cancelled.";
  if (new Date(show.starts_at) <= now) return "This performance has already started.";
  if (now < new Date(show.sales_open_at)) {
    return `Sales open on ${localDateTime(show.sales_open_at, show.time_zone)}. Keep this page open: it is ready the moment they do, no need to reload.`;
  }
  if (new Date(show.sales_close_at) <= now) return "Sales for this performance are closed.";
  return null;
}

/** For the programme: whether online sales are over (closed, or the performance has started),
 * so the line offers no "Tickets" button that would only lead to a refusal. */
export function salesOver(show: Pick<Window, "sales_close_at" | "starts_at">, now: Date): boolean {
  return new Date(show.sales_close_at) <= now || new Date(show.starts_at) <= now;
}

/** For the programme: "On sale from …" while the sale has not opened, else null. */
export function onSaleFrom(show: Pick<Window, "sales_open_at" | "time_zone">, now: Date): string | null {
  return now < new Date(show.sales_open_at) ? `On sale from ${localDateTime(show.sales_open_at, show.time_zone)}` : null;
}
