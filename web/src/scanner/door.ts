/** The door's engine: one scan answered online when the network answers in time, on the device
 * otherwise (signature, revocation list, this device's own admissions), never by a switch.
 * Offline admissions queue with their nonces and upload when the network is back; the server's
 * verdict on each (a conflict: another device admitted it first) is kept for staff to see. */
import { offlineAnswer, fromServer, type Answer, type DoorMemory, type ServerCheckin } from "./answers";
import { Refused, Unreachable, type AdmissionsPage, type DoorApi } from "./doorApi";
import { newNonce, queued, settle, uploadNext, type QueuedScan, type UploadResult } from "./offlineQueue";
import { EMPTY_REVOCATIONS, syncRevocations, type RevocationState } from "./revocations";
import { forgetOtherPerformances, load, save, scanningFor } from "./storage";
import { verifyWithAny } from "./ticketCode";

export interface Report extends UploadResult {
  reportedAt: string;
}

export interface DoorState {
  online: boolean;
  queue: QueuedScan[];
  revocations: RevocationState;
  used: Record<string, string>;
  reports: Report[]; // the server's verdicts on uploaded offline scans, newest first
  uploaded: number;
  hasKey: boolean;
  uploadRefused: string | null; // why the server refused the last upload (the scans stay queued)
  // the device's storage refused the queue or the admissions: they live only in this page, and
  // a reload (or the phone closing the tab) loses them
  unsaved: boolean;
}

const REPORTS_KEPT = 100;
const UNANSWERED_KEPT = 50;
/** How long a number whose answer was lost is the same entry (the server's window, orders'
 * ``LOST_ANSWER_WINDOW``): past it, the server counts the key as a second entry. */
const LOST_ANSWER_MS = 2 * 60 * 1000;

interface SharedChange {
  queued?: QueuedScan; // a scan admitted offline
  answered?: UploadResult[]; // the server's verdicts on uploaded scans
  used?: Record<string, string>; // ticket id -> when admitted
}

export class Door {
  private listeners = new Set<() => void>();
  private syncing: Promise<void> | null = null;
  // the storage refused the last write of the queue, or of the admissions: what this page holds
  // of it is the only copy, merged into what is read back until a write succeeds
  private queueUnsaved = false;
  private usedUnsaved = false;
  // ticket numbers asked whose answer did not come, with the key each was asked under and when:
  // typed again soon, a number is the same entry, and the server answers "admit" again if that
  // lost request let its holder in (a new entry was told "already used", the holder turned
  // away); later it is a new entry, someone else showing the number, as the server takes it
  private unanswered = new Map<string, { key: string; at: number }>();
  state: DoorState;

  constructor(
    private readonly api: DoorApi,
    readonly performanceId: string,
    readonly deviceId: string,
  ) {
    scanningFor(performanceId);
    forgetOtherPerformances(performanceId); // what earlier shows kept, a day after their last sync
    this.state = {
      online: true, // until a request goes unanswered
      queue: load<QueuedScan[]>("queue", []),
      revocations: load<RevocationState>(`revocations.${performanceId}`, EMPTY_REVOCATIONS),
      used: load<Record<string, string>>(`used.${performanceId}`, {}),
      reports: load<Report[]>("reports", []),
      uploaded: 0,
      hasKey: ticketKeys().length > 0,
      uploadRefused: null,
      unsaved: false,
    };
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private update(change: Partial<DoorState>): void {
    this.state = { ...this.state, ...change };
    keep(() => save(`revocations.${this.performanceId}`, this.state.revocations));
    this.listeners.forEach((listener) => listener());
  }

  /** The queue, the admissions and the reports are shared by every tab of this browser (a
   * steward may open the scanner twice): each change is made to what is stored, so one tab's
   * save never drops a scan or an admission another tab made meanwhile. */
  private shared(change: SharedChange = {}): Pick<DoorState, "queue" | "used" | "reports" | "unsaved"> {
    let queue = load<QueuedScan[]>("queue", []);
    if (this.queueUnsaved) {
      // the storage refused this page's last writes: what it queued lives only here, and must
      // not be dropped by reading the storage again (the next scan lost the one before it)
      const stored = new Set(queue.map((s) => s.nonce));
      queue = [...queue, ...this.state.queue.filter((s) => !stored.has(s.nonce))];
    }
    let reports = load<Report[]>("reports", []);
    if (change.queued) queue = [...queue, change.queued];
    if (change.answered) {
      queue = settle(queue, change.answered);
      const now = new Date().toISOString();
      const answered = change.answered.map((r) => ({ ...r, reportedAt: now })).reverse();
      reports = [...answered, ...reports].slice(0, REPORTS_KEPT);
    }
    // what is stored, as another tab may have changed it; what is in memory if nothing is
    const used = { ...this.storedUsed(), ...change.used };
    // kept in memory whatever the storage does: a full one costs only what a reload would keep
    if (change.queued || change.answered) this.queueUnsaved = !keep(() => save("queue", queue));
    if (change.answered) keep(() => save("reports", reports));
    if (change.used) this.usedUnsaved = !keep(() => save(this.usedKey, used));
    return { queue, used, reports, unsaved: this.queueUnsaved || this.usedUnsaved };
  }

  /** What the other doors admitted since the last read, counted as used here too: with the
   * network gone, this door refuses a screenshot of a ticket another door let in before. And
   * the check-ins staff undid since, forgotten here too (unless admitted here again after). The
   * feed's place is kept only with the admissions it brought: a full storage reads them again. */
  private async syncAdmissions(): Promise<void> {
    const sinceKey = `admitted-since.${this.performanceId}`;
    const page = await this.api.admissions(this.performanceId, load<string | null>(sinceKey, null));
    const admitted = Object.fromEntries(page.admitted.map((a) => [a.ticket_id, a.used_at]));
    const before = { ...this.storedUsed(), ...admitted };
    // an orders server older than the resets in the feed answers without them
    const resets = (page as Partial<AdmissionsPage>).reset ?? [];
    const resetAt = new Map(resets.map((r) => [r.ticket_id, Date.parse(r.reset_at)]));
    const used = Object.fromEntries(
      Object.entries(before).filter(([id, at]) => !(Date.parse(at) <= (resetAt.get(id) ?? -Infinity))),
    );
    const stored = keep(() => save(this.usedKey, used));
    this.usedUnsaved = !stored;
    this.update({ used, unsaved: this.queueUnsaved || this.usedUnsaved });
    if (stored) keep(() => save(sinceKey, page.next_since));
  }

  private get usedKey(): string {
    return `used.${this.performanceId}`;
  }

  /** The admissions as stored (another tab's a moment ago too), and those the storage refused,
   * which only this page holds. */
  private storedUsed(): Record<string, string> {
    const stored = load<Record<string, string>>(this.usedKey, this.state.used);
    return this.usedUnsaved ? { ...stored, ...this.state.used } : stored;
  }

  private memory(): DoorMemory {
    const { revoked, cancelled } = this.state.revocations;
    return { revoked, used: this.storedUsed(), cancelled: Boolean(cancelled) };
  }

  /** A scanned code: checked here first (a forgery needs no network, and a ticket this device
   * admitted offline is not the server's to decide until uploaded), then asked of the server,
   * or decided here if it does not answer. A ticket admitted online is asked again: staff may
   * have undone that check-in. */
  async scan(scanned: string, at: Date = new Date()): Promise<Answer> {
    // as it is checked: a reader's trailing newline queued with the scan made the server refuse
    // the whole upload, and every offline scan behind it stayed on the device
    const secret = scanned.trim();
    const keys = ticketKeys();
    const hasKey = keys.length > 0;
    const claims = hasKey ? await verifyWithAny(keys, secret) : null;
    if (hasKey) {
      const local = offlineAnswer(claims, this.performanceId, this.memory());
      // signed by no key the device knows: a forgery, or a key rotated in since the last sync
      // (every ticket sold since was refused until a sync brought it): the server decides
      const unknownSignature = claims === null && this.state.online;
      if (local.kind === "invalid" && !unknownSignature) return local;
      const waiting = this.state.queue.some((s) => s.ticketId === claims?.ticketId);
      if (local.kind === "already_used" && waiting) return local;
    }
    // known offline (the last request went unanswered): the device decides at once, rather
    // than making each person in the queue wait out the network's timeout; the sync every few
    // seconds finds the server again
    if (this.state.online || !hasKey) {
      const answer = await this.asked(() => this.api.checkIn(secret, this.performanceId, this.deviceId));
      if (answer) return answer;
    }
    if (!hasKey) {
      return {
        kind: "needs_network",
        detail: "this device has not loaded the ticket key yet: connect once",
        offline: true,
      };
    }
    const answer = offlineAnswer(claims, this.performanceId, this.memory());
    if (answer.kind === "ok" && claims) {
      const scan = queued(secret, this.performanceId, claims.ticketId, at);
      this.update(this.shared({ queued: scan, used: { [claims.ticketId]: scan.scannedAt } }));
    }
    return answer;
  }

  /** Manual entry: ticket numbers are looked up online (the device cannot map one offline). */
  async byNumber(ticketNumber: string): Promise<Answer> {
    const entry = ticketNumber.replace(/\s+/g, "").toUpperCase(); // as the server looks it up
    const lost = this.unanswered.get(entry);
    const key = lost && Date.now() - lost.at < LOST_ANSWER_MS ? lost.key : newNonce();
    const answer = await this.asked(() => this.api.checkInByNumber(ticketNumber, this.performanceId, key));
    this.unanswered.delete(entry);
    if (answer) return answer;
    this.unanswered.set(entry, { key, at: lost?.key === key ? lost.at : Date.now() });
    const oldest = this.unanswered.keys().next();
    if (this.unanswered.size > UNANSWERED_KEPT && !oldest.done) this.unanswered.delete(oldest.value);
    return {
      kind: "needs_network",
      detail: "no answer: type the number again once online (it is asked as the same entry), or scan the QR code",
      offline: true,
    };
  }

  /** The server's answer, learnt from; ``null`` when it did not answer (offline from now). */
  private async asked(ask: () => Promise<ServerCheckin>): Promise<Answer | null> {
    let checked: ServerCheckin;
    try {
      checked = await ask();
    } catch (error) {
      if (!(error instanceof Unreachable)) return refused(error);
      this.update({ online: false });
      return null;
    }
    // the server's verdict is shown whatever happens to what the device learns from it (a
    // storage failure showed a ticket the server had just admitted as "invalid")
    const answer = fromServer(checked);
    this.learn(answer);
    this.update({ online: true });
    return answer;
  }

  private learn(answer: Answer): void {
    if (answer.kind === "cancelled" && !answer.offline) {
      // the whole performance: refused offline too from now on, not only after the next sync
      this.update({ revocations: { ...this.state.revocations, cancelled: true } });
      return;
    }
    const ticketId = answer.ticketId;
    if (!ticketId) return;
    if (answer.kind === "ok" || answer.kind === "already_used") {
      this.update(this.shared({ used: { [ticketId]: answer.usedAt ?? new Date().toISOString() } }));
    } else if (answer.kind === "refunded" || answer.kind === "voided") {
      const revoked = { ...this.state.revocations.revoked, [ticketId]: { reason: answer.kind, revokedAt: "" } };
      this.update({ revocations: { ...this.state.revocations, revoked } });
    }
  }

  /** Upload what waits, then fetch the revocations since the cursor and the key. One at a time;
   * a failure leaves everything for the next try (the same nonces: counted once). */
  sync(): Promise<void> {
    this.syncing ??= this.syncOnce().finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    try {
      this.update(this.shared()); // with what other tabs queued
      while (this.state.queue.length > 0) {
        let results: UploadResult[];
        try {
          ({ results } = await uploadNext(this.state.queue, (performanceId, scans) =>
            this.api.upload(this.deviceId, performanceId, scans),
          ));
        } catch (error) {
          if (!(error instanceof Refused) || error.status === 401 || error.status === 403) throw error;
          // the server answered, and refused the scans: the door is online all the same, and
          // the revocations must keep coming; the scans stay queued, for staff to see why
          this.update({ online: true, uploadRefused: error.message });
          break;
        }
        this.update({
          // settled in the queue as stored now: scans made during the upload stay in it
          ...this.shared({ answered: results }),
          uploaded: this.state.uploaded + results.length,
          online: true,
          uploadRefused: null,
        });
      }
      const revocations = await syncRevocations(this.state.revocations, (after) =>
        this.api.revocations(this.performanceId, after),
      );
      this.update({ revocations, online: true });
      const keys = await this.api.publicKeys();
      keep(() => save("public-keys", keys)); // a full storage keeps the keys it had
      this.update({ hasKey: true });
      await this.syncAdmissions().catch(feedFailed);
    } catch (error) {
      if (error instanceof Unreachable) this.update({ online: false });
      else throw error;
    }
  }
}

/** The keys a ticket may be signed with, as last synced (a device synced before rotations
 * were published kept one, ``public-key``). */
function ticketKeys(): string[] {
  const keys = load<string[] | null>("public-keys", null);
  if (keys?.length) return keys;
  const one = load<string | null>("public-key", null);
  return one ? [one] : [];
}

/** A write to the device's storage that must not change the answer the steward is given;
 * whether it was stored. */
function keep(write: () => void): boolean {
  try {
    write();
    return true;
  } catch (error) {
    console.error("the scanner could not store this on the device", error);
    return false;
  }
}

/** A failed read of the admissions feed costs only what it would have brought (an older server
 * without it, a 5xx, a first read of a large venue past the timeout): the revocations and keys
 * just downloaded prove the server answers, so the door stays online (it used to go offline
 * and decide every scan on the device). A network really gone fails the next sync's first
 * request. */
function feedFailed(error: unknown): void {
  console.error("the scanner could not read the admissions feed", error);
}

function refused(error: unknown): Answer {
  if (error instanceof Refused && (error.status === 401 || error.status === 403)) {
    return { kind: "signed_out", detail: "the server refused this device's token: sign in again", offline: false };
  }
  return { kind: "invalid", detail: error instanceof Error ? error.message : "refused", offline: false };
}
