/** The server's clock as this tab estimates it from the ``Date`` of its answers: countdowns to a
 * hold's expiry and a sale's opening run on it, so a device whose clock is off neither drops the
 * buyer's reservation on screen at once nor shows one the server has let go. */

let offsetMs = 0;

/** Learn from one answer: its ``Date`` header, and when the request left and the answer came. */
export function learnServerTime(dateHeader: string | null, sentAt: number, receivedAt: number): void {
  const server = dateHeader ? Date.parse(dateHeader) : Number.NaN;
  if (!Number.isFinite(server)) return;
  // the header has whole seconds: the server's moment was within the second after it
  const measured = server + 500 - (sentAt + receivedAt) / 2;
  offsetMs = Math.abs(measured) > 2000 ? measured : 0; // a second or two is noise, not skew
}

/** Milliseconds since the epoch on the server's clock. */
export function serverNow(): number {
  return Date.now() + offsetMs;
}
