/** One Idempotency-Key per checkout attempt: a double click or a retry after a timeout sends
 * the same key with the same body, so the server answers the one order it made. A refusal ends
 * the attempt (the server freed the key); changing the form after that starts a new one. */
export class CheckoutAttempt {
  private key: string | null = null;
  private body: string | null = null;

  constructor(private readonly newKey: () => string = () => crypto.randomUUID()) {}

  keyFor(body: unknown): string {
    const fingerprint = JSON.stringify(body);
    if (this.key === null || this.body !== fingerprint) {
      this.key = this.newKey();
      this.body = fingerprint;
    }
    return this.key;
  }

  /** The attempt got a definitive refusal: the next press is a new attempt. */
  refused(): void {
    this.key = null;
    this.body = null;
  }
}
