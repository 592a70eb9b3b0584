/** What the door shows for a scan: one answer, whether it came from the server or from the
 * device's own checks while the network is down. */
import type { TicketClaims } from "./ticketCode";

export type AnswerKind =
  | "ok"
  | "already_used"
  | "refunded"
  | "voided"
  | "wrong_performance"
  | "cancelled"
  | "invalid"
  | "conflict"
  | "needs_network"
  | "not_checked"
  | "signed_out";

export type Tone = "go" | "stop" | "warn";

export interface Answer {
  kind: AnswerKind;
  detail: string;
  offline: boolean; // decided on the device: the server confirms it when the scan is uploaded
  ticketId?: string | null;
  ticketNumber?: string | null;
  usedAt?: string | null;
}

const LOOK: Record<AnswerKind, { title: string; tone: Tone }> = {
  ok: { title: "Admit", tone: "go" },
  already_used: { title: "Already used", tone: "stop" },
  refunded: { title: "Refunded", tone: "stop" },
  voided: { title: "Voided", tone: "stop" },
  wrong_performance: { title: "Wrong performance", tone: "warn" },
  cancelled: { title: "Show cancelled", tone: "stop" }, // nobody is admitted to it
  invalid: { title: "Invalid ticket", tone: "stop" },
  conflict: { title: "Conflict", tone: "warn" },
  needs_network: { title: "Needs the network", tone: "warn" },
  not_checked: { title: "Not checked", tone: "warn" }, // this device failed: scan again
  signed_out: { title: "Sign in again", tone: "warn" },
};

export function titleOf(kind: AnswerKind): string {
  return LOOK[kind].title;
}

export function toneOf(kind: AnswerKind): Tone {
  return LOOK[kind].tone;
}

const KNOWN = new Set<string>(Object.keys(LOOK));

export function kindOf(result: string): AnswerKind {
  return KNOWN.has(result) ? (result as AnswerKind) : "invalid";
}

export interface ServerCheckin {
  result: string;
  detail: string;
  ticket_id?: string | null;
  ticket_number?: string | null;
  used_at?: string | null;
}

export function fromServer(body: ServerCheckin): Answer {
  return {
    kind: kindOf(body.result),
    detail: body.detail,
    offline: false,
    ticketId: body.ticket_id ?? null,
    ticketNumber: body.ticket_number ?? null,
    usedAt: body.used_at ?? null,
  };
}

export interface DoorMemory {
  revoked: Record<string, { reason: string }>; // the performance's revocation list
  used: Record<string, string>; // ticket id → when this device admitted it
  cancelled?: boolean; // the performance was cancelled: nobody is admitted
}

/** The device's own answer: a good signature for this performance, not revoked, not admitted
 * here before. ``ok`` is provisional until the upload: another device may have admitted it. */
export function offlineAnswer(
  claims: TicketClaims | null,
  performanceId: string,
  memory: DoorMemory,
): Answer {
  if (!claims) return { kind: "invalid", detail: "not a valid ticket (signature)", offline: true };
  const ticketId = claims.ticketId;
  if (claims.performanceId !== performanceId)
    return { kind: "wrong_performance", detail: "this ticket is for another performance", offline: true, ticketId };
  if (memory.cancelled)
    return { kind: "cancelled", detail: "this performance was cancelled: nobody is admitted", offline: true, ticketId };
  const revoked = memory.revoked[ticketId];
  if (revoked) {
    const kind = revoked.reason === "voided" ? "voided" : "refunded";
    return { kind, detail: `this ticket was ${kind}`, offline: true, ticketId };
  }
  const usedAt = memory.used[ticketId];
  if (usedAt)
    // the device's memory holds this door's admissions and those the feed brought of the others
    return { kind: "already_used", detail: "already admitted, here or at another door", offline: true, ticketId, usedAt };
  return { kind: "ok", detail: "admit (checked on this device; uploaded when online)", offline: true, ticketId };
}
