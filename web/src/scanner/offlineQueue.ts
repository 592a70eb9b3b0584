/** Scans decided on the device while the network was down, each with its own nonce: an upload
 * retried (its answer lost) sends the same nonces, and the server counts each scan once. */

export interface QueuedScan {
  nonce: string;
  secret: string;
  scannedAt: string;
  performanceId: string;
  ticketId: string | null;
}

export interface UploadResult {
  nonce: string;
  outcome: string;
  detail: string;
  ticket_id?: string | null;
  ticket_number?: string | null;
  first_used_at?: string | null;
  first_used_on?: string | null;
  replayed: boolean;
}

export type Uploader = (
  performanceId: string,
  scans: { nonce: string; secret: string; scanned_at: string }[],
) => Promise<UploadResult[]>;

export const BATCH = 500; // the server's limit per upload

export function newNonce(): string {
  return crypto.randomUUID();
}

export function queued(
  secret: string,
  performanceId: string,
  ticketId: string | null,
  at: Date = new Date(),
  nonce: string = newNonce(),
): QueuedScan {
  return { nonce, secret, scannedAt: at.toISOString(), performanceId, ticketId };
}

/** Scans answered by the server leave the queue; the rest stay, in order. */
export function settle(queue: QueuedScan[], results: UploadResult[]): QueuedScan[] {
  const answered = new Set(results.map((r) => r.nonce));
  return queue.filter((scan) => !answered.has(scan.nonce));
}

/** Upload the oldest batch of one performance. A failure throws and leaves the queue as it
 * was: the retry sends the very same nonces. */
export async function uploadNext(
  queue: QueuedScan[],
  upload: Uploader,
): Promise<{ queue: QueuedScan[]; results: UploadResult[] }> {
  const first = queue[0];
  if (!first) return { queue, results: [] };
  const batch = queue.filter((s) => s.performanceId === first.performanceId).slice(0, BATCH);
  const results = await upload(
    first.performanceId,
    batch.map((s) => ({ nonce: s.nonce, secret: s.secret, scanned_at: s.scannedAt })),
  );
  return { queue: settle(queue, results), results };
}
