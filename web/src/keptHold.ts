/** The reservation a buyer made on a performance in this tab, so that a reload (or a phone that
 * discarded the tab, or Back from checkout) shows it again instead of leaving the seats held out
 * of the buyer's sight until they expire. Kept in sessionStorage: the lifetime of the session
 * the hold belongs to. */
import { useEffect, useRef } from "react";
import { api, asCustomer, call, type Hold, type HoldRequest, type Order, type Schemas } from "./api/client";
import { ApiRefusal } from "./api/problems";
import { orderUrl } from "./router";
import { serverNow } from "./serverClock";

const PREFIX = "ticketing.hold.";
const ASKING = "ticketing.hold-asking.";

/** An order asked for with this key and body, its answer not seen yet (a reload, a lost
 * response): asked again, the same key answers the same order instead of making another. */
export interface Placing {
  key: string;
  body: Schemas["OrderIn"];
}

export interface KeptHold {
  holdId: string;
  /** Where the order placed for this hold is paid, once there is one. */
  checkoutUrl?: string;
  placing?: Placing;
}

export type Restored =
  | { kind: "held"; hold: Hold }
  | { kind: "ordered"; checkoutUrl: string }
  | { kind: "placing"; placing: Placing }
  | { kind: "gone" };

export function keepHold(performanceId: string, kept: KeptHold): void {
  sessionStorage.setItem(PREFIX + performanceId, JSON.stringify(kept));
}

export function keptHold(performanceId: string): KeptHold | null {
  try {
    const kept = JSON.parse(sessionStorage.getItem(PREFIX + performanceId) ?? "null") as KeptHold | null;
    return kept && typeof kept.holdId === "string" ? kept : null;
  } catch {
    return null;
  }
}

export function forgetHold(performanceId: string): void {
  sessionStorage.removeItem(PREFIX + performanceId);
}

/** What "Place order" sends for ``holdId``: the request sent before for it, as it was, while
 * its answer is unknown (the server may have made that order: another body under a new key
 * would be a second order of the hold, refused, and the first out of the buyer's reach); else
 * this form's, made by ``fresh``. */
export function placementToSend(kept: KeptHold | null, holdId: string, fresh: () => Placing): Placing {
  const earlier = kept?.holdId === holdId ? kept.placing : undefined;
  return earlier ?? fresh();
}

/** What the page shows for a kept hold as the API has it now (``null``: not found). */
export function restored(hold: Hold | null, kept: KeptHold, now: Date): Restored {
  if (hold?.status === "held" && Date.parse(hold.expires_at) > now.getTime()) return { kind: "held", hold };
  if (hold?.status === "pinned" && kept.checkoutUrl) return { kind: "ordered", checkoutUrl: kept.checkoutUrl };
  if (hold?.status === "pinned" && kept.placing) return { kind: "placing", placing: kept.placing };
  return { kind: "gone" };
}

/** Once per performance page: the kept hold as the API has it now, handed to ``onRestored``
 * when there is something to show; a hold that is gone is forgotten. A network failure or a
 * 5xx keeps it for the next load. */
export function useRestoredHold(performanceId: string, onRestored: (outcome: Restored) => void): void {
  const handler = useRef(onRestored);
  handler.current = onRestored;
  useEffect(() => {
    const kept = keptHold(performanceId);
    if (!kept) return;
    let current = true;
    void (async () => {
      let found: Hold | null = null;
      try {
        const path = { params: { path: { hold_id: kept.holdId } } };
        found = await call(async () => api.GET("/v1/holds/{hold_id}", { ...path, headers: await asCustomer() }));
      } catch (e) {
        if (!(e instanceof ApiRefusal) || e.problem.status >= 500 || e.problem.status === 0) return;
      }
      if (!current) return;
      let outcome = restored(found, kept, new Date(serverNow()));
      if (outcome.kind === "placing") {
        const checkoutUrl = await placedBefore(outcome.placing);
        if (checkoutUrl === undefined || !current) return; // no answer again: the next load asks
        outcome = checkoutUrl ? { kind: "ordered", checkoutUrl } : { kind: "gone" };
        if (checkoutUrl) keepHold(performanceId, { holdId: kept.holdId, checkoutUrl });
      }
      if (outcome.kind === "gone") forgetHold(performanceId);
      else handler.current(outcome);
    })();
    return () => {
      current = false;
    };
  }, [performanceId]);
}

/** The order the lost answer was about, asked for again with its key: its checkout page;
 * ``null`` when it was refused; ``undefined`` when there is still no answer. */
async function placedBefore(placing: Placing): Promise<string | null | undefined> {
  try {
    const order = await call(async () =>
      api.POST("/v1/orders", {
        body: placing.body,
        params: { header: { "Idempotency-Key": placing.key } },
        headers: await asCustomer(),
      }),
    );
    return orderPage(order);
  } catch (e) {
    return e instanceof ApiRefusal && e.problem.status >= 400 && e.problem.status < 500 ? null : undefined;
  }
}

/** Where a placed order goes next: its payment, or its tickets once paid (``null``: the answer
 * lacks the access token the page needs). */
export function orderPage(order: Order): string | null {
  if (!order.access_token) return null;
  return orderUrl(order.status === "paid" ? "orders" : "checkout", order.order_id, order.access_token);
}

/** A reservation asked for with this key and body, its answer not seen (a timeout, a reload
 * while it was on its way): asked again with the same key, the server answers the hold it
 * made, instead of a second one holding seats out of the buyer's sight until they expire. */
export interface Asking {
  key: string;
  body: HoldRequest;
}

export function rememberAsking(performanceId: string, asking: Asking): void {
  sessionStorage.setItem(ASKING + performanceId, JSON.stringify(asking));
}

export function forgetAsking(performanceId: string): void {
  sessionStorage.removeItem(ASKING + performanceId);
}

function askedBefore(performanceId: string): Asking | null {
  try {
    const asked = JSON.parse(sessionStorage.getItem(ASKING + performanceId) ?? "null") as Asking | null;
    return asked && typeof asked.key === "string" && asked.body ? asked : null;
  } catch {
    return null;
  }
}

/** Before another reservation than the one whose answer was lost (the buyer changed their
 * choice): that one asked again with its key, and given back if it was made: it held seats out
 * of the buyer's sight until they expired, and counted against the visitor's live holds.
 * ``false``: still no answer (the buyer asks again in a moment). */
export async function releaseUnanswered(performanceId: string, key: string): Promise<boolean> {
  const asked = askedBefore(performanceId);
  if (!asked || asked.key === key) return true;
  try {
    const headers = await asCustomer();
    const hold = await call(() =>
      api.POST("/v1/holds", { headers, params: { header: { "Idempotency-Key": asked.key } }, body: asked.body }),
    );
    if (hold.status === "held") {
      await call(() => api.DELETE("/v1/holds/{hold_id}", { headers, params: { path: { hold_id: hold.hold_id } } }));
    }
  } catch (e) {
    if (!(e instanceof ApiRefusal && e.problem.status >= 400 && e.problem.status < 500)) return false;
  }
  forgetAsking(performanceId);
  return true;
}

/** Once per performance page with no kept hold: a reservation whose answer was lost is asked
 * for again, and ``onHeld`` hears the hold. A refusal forgets it (nothing was held, or it is
 * gone); no answer keeps it for the next load. */
export function useAskedHold(performanceId: string, onHeld: (hold: Hold) => void): void {
  const handler = useRef(onHeld);
  handler.current = onHeld;
  useEffect(() => {
    const asked = askedBefore(performanceId);
    if (!asked || keptHold(performanceId)) return;
    let current = true;
    void (async () => {
      try {
        const hold = await call(async () =>
          api.POST("/v1/holds", {
            headers: await asCustomer(),
            params: { header: { "Idempotency-Key": asked.key } },
            body: asked.body,
          }),
        );
        forgetAsking(performanceId);
        keepHold(performanceId, { holdId: hold.hold_id });
        if (current) handler.current(hold);
      } catch (e) {
        if (e instanceof ApiRefusal && e.problem.status >= 400 && e.problem.status < 500) forgetAsking(performanceId);
      }
    })();
    return () => {
      current = false;
    };
  }, [performanceId]);
}
