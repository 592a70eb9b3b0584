/** The door's calls to the API, each with a short timeout: a door cannot wait for a network
 * that is gone, it falls back to checking on the device. */
import type { ServerCheckin } from "./answers";
import type { UploadResult } from "./offlineQueue";
import type { RevocationPage } from "./revocations";
import { localDateTime } from "../format";

export const ONLINE_TIMEOUT_MS = 2500; // one scan: the holder is waiting
export const SYNC_TIMEOUT_MS = 10_000; // uploads and downloads, in the background

/** The network did not answer (offline, timeout, or a 5xx from a server in trouble). */
export class Unreachable extends Error {}

/** The server refused the request (4xx): not a network problem, retrying does not help. */
export class Refused extends Error {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(detail);
  }
}

export interface DoorApi {
  /** ``deviceId``: this device, so that its upload of a scan whose answer was lost counts once */
  checkIn(secret: string, performanceId: string, deviceId: string): Promise<ServerCheckin>;
  /** ``key``: the entry's, sent again when the same number is typed after a lost answer */
  checkInByNumber(ticketNumber: string, performanceId: string, key: string): Promise<ServerCheckin>;
  revocations(performanceId: string, after: number): Promise<RevocationPage>;
  /** tickets admitted at any door since ``since`` (null: all), and where the next read begins */
  admissions(performanceId: string, since: string | null): Promise<AdmissionsPage>;
  upload(
    deviceId: string,
    performanceId: string,
    scans: { nonce: string; secret: string; scanned_at: string }[],
  ): Promise<UploadResult[]>;
  /** every key a ticket may be signed with, the current one first */
  publicKeys(): Promise<string[]>;
  performances(): Promise<PerformanceChoice[]>;
}

export interface AdmissionsPage {
  admitted: { ticket_id: string; used_at: string }[];
  reset: { ticket_id: string; reset_at: string }[]; // check-ins staff undid: admitted again
  next_since: string;
}

export interface PerformanceChoice {
  performanceId: string;
  label: string;
  startsAt: string;
}

export function doorApi(token: () => string, timeoutMs = ONLINE_TIMEOUT_MS): DoorApi {
  async function request<T>(
    method: string,
    path: string,
    body?: unknown,
    timeout: number = timeoutMs,
    headers: Record<string, string> = {},
  ): Promise<T> {
    // navigator.onLine is not asked: it is false on devices with only a loopback or a captive
    // network and true behind a dead Wi-Fi; only an answer in time tells
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers: {
          Authorization: `Bearer ${token()}`,
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeout),
        cache: "no-store",
      });
    } catch {
      throw new Unreachable("no answer");
    }
    if (response.status >= 500 || response.status === 429) throw new Unreachable(`answered ${response.status}`);
    if (!response.ok) {
      const problem = (await response.json().catch(() => ({}))) as { detail?: string };
      throw new Refused(response.status, problem.detail ?? `answered ${response.status}`);
    }
    return (await response.json()) as T;
  }

  return {
    checkIn: (secret, performanceId, deviceId) =>
      request("POST", "/v1/checkin", { secret, performance_id: performanceId, device_id: deviceId }),
    checkInByNumber: (ticketNumber, performanceId, key) =>
      request(
        "POST",
        "/v1/checkin/by-number",
        { ticket_number: ticketNumber, performance_id: performanceId },
        timeoutMs,
        { "Idempotency-Key": key },
      ),
    revocations: (performanceId, after) =>
      request(
        "GET",
        `/v1/checkin/performances/${encodeURIComponent(performanceId)}/revocations?after=${after}`,
        undefined,
        SYNC_TIMEOUT_MS,
      ),
    admissions: (performanceId, since) =>
      request(
        "GET",
        `/v1/checkin/performances/${encodeURIComponent(performanceId)}/admissions` +
          (since ? `?since=${encodeURIComponent(since)}` : ""),
        undefined,
        SYNC_TIMEOUT_MS,
      ),
    upload: async (deviceId, performanceId, scans) =>
      (
        await request<{ results: UploadResult[] }>("POST", "/v1/checkin/offline-scans", {
          device_id: deviceId,
          performance_id: performanceId,
          scans,
        }, SYNC_TIMEOUT_MS)
      ).results,
    publicKeys: async () => {
      const published = await request<{ public_key: string; public_keys?: string[] }>(
        "GET",
        "/v1/tickets/public-key",
        undefined,
        SYNC_TIMEOUT_MS,
      );
      return published.public_keys?.length ? published.public_keys : [published.public_key];
    },
    performances: async () => {
      const events = await request<
        { name: string; performances: { performance_id: string; starts_at: string; time_zone: string }[] }[]
      >("GET", "/v1/events", undefined, SYNC_TIMEOUT_MS);
      return events
        .flatMap((event) =>
          event.performances.map((show) => ({
            performanceId: show.performance_id,
            startsAt: show.starts_at,
            // the venue's clock, as the tickets print it: a steward's phone may be set to any zone
            label: `${event.name} — ${localDateTime(show.starts_at, show.time_zone)}`,
          })),
        )
        .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    },
  };
}
