/** When a code the camera sees counts as a scan, and which answer the steward sees. */

import type { Answer } from "./answers";

export const REPEAT_MS = 3000;

/** A code held in front of the camera is one scan however long it stays: it counts again only
 * once it has been out of sight for ``repeatMs`` (counting from when it was first seen would
 * re-scan a ticket held still every few seconds: "Admit", then "Already used"). */
export function newSightings(repeatMs = REPEAT_MS): (code: string | null, now: number) => boolean {
  let last = { code: "", seenAt: Number.NEGATIVE_INFINITY };
  return (code, now) => {
    if (!code) return false;
    const fresh = code !== last.code || now - last.seenAt > repeatMs;
    last = { code, seenAt: now };
    return fresh;
  };
}

/** Answers in the order the codes were scanned: a slow answer for an earlier code never replaces
 * the answer for a later one (a forgery's "Invalid" overwritten by the ticket before's "Admit"),
 * and a check that fails outright still gets an answer, never silence. */
export function newTurns(show: (answer: Answer) => void): (check: () => Promise<Answer>) => Promise<void> {
  let latest = 0;
  return async (check) => {
    const turn = ++latest;
    let answer: Answer;
    try {
      answer = await check();
    } catch (error) {
      const why = error instanceof Error ? error.message : "unknown error";
      answer = { kind: "invalid", detail: `not checked (${why}): scan again`, offline: false };
    }
    if (turn === latest) show(answer);
  };
}
