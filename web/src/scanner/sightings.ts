/** When a code the camera sees counts as a scan, and which answer the steward sees. */

import type { Answer } from "./answers";

export const REPEAT_MS = 3000;

/** A code held in front of the camera is one scan however long it stays: it counts again only
 * once it has been out of sight for ``repeatMs`` (counting from when it was first seen would
 * re-scan a ticket held still every few seconds: "Admit", then "Already used"). Each code is
 * followed on its own: two in view at once (a family's phones, a scrolled PDF) seen A, B, A
 * count once each, not A twice. */
export function newSightings(repeatMs = REPEAT_MS): (code: string | null, now: number) => boolean {
  const lastSeen = new Map<string, number>();
  return (code, now) => {
    if (!code) return false;
    for (const [seen, at] of lastSeen) if (now - at > repeatMs) lastSeen.delete(seen);
    const fresh = !lastSeen.has(code);
    lastSeen.set(code, now);
    return fresh;
  };
}

/** What the steward's screen is told besides the answer in turn. */
export interface TurnCallbacks {
  /** a check began: the last person's answer must not stand while this one is checked */
  checking?: () => void;
  /** an earlier code's answer that came after a later code's: shown aside, never lost */
  late?: (answer: Answer) => void;
}

/** Answers in the order the codes were scanned: a slow answer for an earlier code never replaces
 * the answer for a later one (a forgery's "Invalid" overwritten by the ticket before's "Admit"),
 * and a check that fails outright still gets an answer, never silence. */
export function newTurns(
  show: (answer: Answer) => void,
  callbacks: TurnCallbacks = {},
): (check: () => Promise<Answer>) => Promise<void> {
  let latest = 0;
  return async (check) => {
    const turn = ++latest;
    callbacks.checking?.();
    let answer: Answer;
    try {
      answer = await check();
    } catch (error) {
      const why = error instanceof Error ? error.message : "unknown error";
      // the device failed, not the ticket: "invalid" with a stop tone turned holders away
      answer = { kind: "not_checked", detail: `not checked (${why}): scan again`, offline: false };
    }
    if (turn === latest) show(answer);
    else callbacks.late?.(answer);
  };
}
