/** The performance's revocation list, downloaded in deltas: the server answers what was revoked
 * after ``cursor``, in order, and the next cursor. Kept on the device for offline refusals. */

export interface Revocation {
  ticket_id: string;
  reason: string;
  revoked_at: string;
}

export interface RevocationPage {
  revoked: Revocation[];
  cursor: number;
  has_more: boolean;
  performance_cancelled?: boolean; // every ticket refused: the performance will not happen
}

export interface RevocationState {
  cursor: number;
  revoked: Record<string, { reason: string; revokedAt: string }>;
  syncedAt: string | null;
  cancelled?: boolean; // absent in what a device kept before the server said it
}

export const EMPTY_REVOCATIONS: RevocationState = { cursor: 0, revoked: {}, syncedAt: null, cancelled: false };

/** ``page`` added to ``state``; a page older than what the device has (a slow, earlier request
 * answering late) changes nothing, and the cursor never goes back. */
export function mergeRevocations(
  state: RevocationState,
  page: RevocationPage,
  asked: number,
  now: Date = new Date(),
): RevocationState {
  if (asked < state.cursor && page.cursor <= state.cursor) return state;
  const revoked = { ...state.revoked };
  for (const entry of page.revoked) {
    revoked[entry.ticket_id] = { reason: entry.reason, revokedAt: entry.revoked_at };
  }
  // a cancellation is for good: a page that does not say it (an older server) undoes nothing
  const cancelled = Boolean(state.cancelled) || Boolean(page.performance_cancelled);
  return { cursor: Math.max(state.cursor, page.cursor), revoked, syncedAt: now.toISOString(), cancelled };
}

/** Ask for pages until the server has nothing more (``has_more`` false). */
export async function syncRevocations(
  state: RevocationState,
  fetchPage: (after: number) => Promise<RevocationPage>,
  maxPages = 50,
): Promise<RevocationState> {
  let current = state;
  for (let i = 0; i < maxPages; i++) {
    const asked = current.cursor;
    const page = await fetchPage(asked);
    current = mergeRevocations(current, page, asked);
    if (!page.has_more || page.cursor === asked) break;
  }
  return current;
}
