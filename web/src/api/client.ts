/** The typed API client (paths and bodies from the committed OpenAPI document) and the
 * customer's session, kept for the tab's lifetime. */
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";
import { ApiRefusal, type Problem } from "./problems";

export type Schemas = components["schemas"];
export type PublicEvent = Schemas["PublicEventOut"];
export type Show = Schemas["ShowOut"];
export type Performance = Schemas["PublicPerformanceOut"];
export type Tier = Schemas["PublicTierOut"];
export type Seat = Schemas["SeatOut"];
export type Hold = Schemas["HoldOut"];
export type HoldRequest = Schemas["HoldIn"];
export type Order = Schemas["OrderOut"];
export type Money = Schemas["Money"];

export const api = createClient<paths>({ baseUrl: "" });

const SESSION_KEY = "ticketing.session";

/** A customer session's bearer token: one per tab, made on first use. */
export async function sessionToken(): Promise<string> {
  const kept = sessionStorage.getItem(SESSION_KEY);
  if (kept) {
    const { token, expires_at } = JSON.parse(kept) as { token: string; expires_at: string };
    if (Date.parse(expires_at) - Date.now() > 60_000) return token;
  }
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
  throw new ApiRefusal(asProblem(result.response.status, result.error));
}

function asProblem(status: number, body: unknown): Problem {
  if (body && typeof body === "object" && "type" in body) return body as Problem;
  return { type: "about:blank", title: "Error", status, detail: String(body ?? "") };
}

/** Fetch a network failure as a refusal too, so pages show one kind of message. */
export async function call<T>(request: () => Promise<Answered<T>>): Promise<T> {
  let result: Answered<T>;
  try {
    result = await request();
  } catch {
    throw new ApiRefusal({
      type: "network",
      title: "Network error",
      status: 0,
      detail: "we could not reach the box office",
    });
  }
  return answer(result);
}
