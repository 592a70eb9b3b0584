/** The typed API client (paths and bodies from the committed OpenAPI document) and the
 * customer's session, kept for the tab's lifetime. */
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";
import { ApiRefusal, EDGE_BUSY, ORDER_IN_PROGRESS, STOCK_UNAVAILABLE, type Problem } from "./problems";
import { learnServerTime, serverNow } from "../serverClock";

export type Schemas = components["schemas"];
export type PublicEvent = Schemas["PublicEventOut"];
export type Show = Schemas["ListedShowOut"];
export type Performance = Schemas["PublicPerformanceOut"];
export type Tier = Schemas["PublicTierOut"];
export type Seat = Schemas["SeatOut"];
export type Hold = Schemas["HoldOut"];
export type HoldRequest = Schemas["HoldIn"];
export type Order = Schemas["OrderOut"];
export type Money = Schemas["Money"];

export const api = createClient<paths>({ baseUrl: "" });

const SESSION_KEY = "ticketing.session";

let minting: Promise<string> | null = null;

/** A customer session's bearer token: one per tab, made on first use (the performance page
 * asks for it as it opens, so buyers waiting for the sale to open do not all mint at its first
 * second). Calls made while one is minted wait for that one: a second session would hide the
 * holds made under the first. Its expiry is judged on the server's clock. */
export async function sessionToken(): Promise<string> {
  const kept = sessionStorage.getItem(SESSION_KEY);
  if (kept) {
    const { token, expires_at } = JSON.parse(kept) as { token: string; expires_at: string };
    if (Date.parse(expires_at) - serverNow() > 60_000) return token;
  }
  minting ??= mint().finally(() => {
    minting = null;
  });
  return minting;
}

async function mint(): Promise<string> {
  const made = answer(await api.POST("/v1/sessions"));
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(made));
  return made.token;
}

export async function asCustomer(): Promise<{ Authorization: string }> {
  return { Authorization: `Bearer ${await sessionToken()}` };
}

interface Answered<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The body of a 2xx answer, or an ``ApiRefusal`` carrying the problem document. */
export function answer<T>(result: Answered<T>): T {
  if (result.response.ok && result.data !== undefined) return result.data;
  throw new ApiRefusal(asProblem(result.response.status, result.error), retryAfter(result.response));
}

function retryAfter(response: Response): number | null {
  const given = response.headers.get("Retry-After");
  const seconds = Number(given);
  return given !== null && Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}

function asProblem(status: number, body: unknown): Problem {
  if (body && typeof body === "object" && "type" in body) return body as Problem;
  return { type: "about:blank", title: "Error", status, detail: String(body ?? "") };
}

/** Tries after the edge's first "too many requests" (the sale's opening second), and the
 * longest wait it honours before giving the refusal to the page. */
export const BUSY_RETRIES = 3;
const MOST_BUSY_WAIT_S = 5;

/** Refusals of a request sent again as it was: the edge's burst refusal (no service saw it),
 * inventory's seat store not answering (nothing held), and an order still being placed under
 * the same key (sent again, its key answers that one order). */
const SEND_AGAIN = new Set([EDGE_BUSY, STOCK_UNAVAILABLE, ORDER_IN_PROGRESS]);

/** Send ``request``; a network failure is a refusal too, so pages show one kind of message.
 * A refusal in ``SEND_AGAIN`` is sent again after its ``Retry-After`` and up to half as long
 * again at random, so the buyers refused in one second do not all come back in the same next
 * one (``onBusy`` hears the wait, to tell the customer); every other refusal, a service's own
 * 429 included, goes straight to the page. */
export async function call<T>(request: () => Promise<Answered<T>>, onBusy?: (waitS: number) => void): Promise<T> {
  for (let retries = 0; ; retries += 1) {
    try {
      return answer(await sent(request));
    } catch (refusal) {
      const wait = busyWait(refusal);
      if (wait === null || retries >= BUSY_RETRIES) throw refusal;
      onBusy?.(wait);
      await new Promise((resume) => setTimeout(resume, wait * 1000 * (1 + Math.random() / 2)));
    }
  }
}

async function sent<T>(request: () => Promise<Answered<T>>): Promise<Answered<T>> {
  try {
    const sentAt = Date.now();
    const result = await request();
    learnServerTime(result.response.headers.get("Date"), sentAt, Date.now());
    return result;
  } catch (failure) {
    if (failure instanceof ApiRefusal) throw failure; // made inside the request (a session's mint)
    throw new ApiRefusal({
      type: "network",
      title: "Network error",
      status: 0,
      detail: "we could not reach the box office",
    });
  }
}

function busyWait(refusal: unknown): number | null {
  if (!(refusal instanceof ApiRefusal) || !SEND_AGAIN.has(refusal.problem.type)) return null;
  return Math.min(refusal.retryAfterS ?? 1, MOST_BUSY_WAIT_S);
}
