/** Ticket secrets verified offline: ``base64url(ticket_id|performance_id|seat_id|version)`` +
 * ``.`` + ``base64url(Ed25519 signature)``, checked with the key orders publishes at
 * ``GET /v1/tickets/public-key``. WebCrypto's Ed25519 where the browser has it, otherwise
 * @noble/ed25519 (some devices lack it: a signed ticket must never fail offline for that). */
import { verifyAsync } from "@noble/ed25519";

export interface TicketClaims {
  ticketId: string;
  performanceId: string;
  seatId: string | null;
  version: number;
}

export function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  const plain = text.replace(/-/g, "+").replace(/_/g, "/");
  try {
    const binary = atob(plain + "=".repeat((4 - (plain.length % 4)) % 4));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return null;
  }
}

export function fromBase64(text: string): Uint8Array | null {
  return fromBase64Url(text.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""));
}

function claimsOf(payload: Uint8Array): TicketClaims | null {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(payload);
  } catch {
    return null;
  }
  const parts = text.split("|");
  if (parts.length !== 4) return null;
  const [ticketId, performanceId, seatId, version] = parts as [string, string, string, string];
  if (!ticketId || !performanceId || !/^\d+$/.test(version)) return null;
  return { ticketId, performanceId, seatId: seatId || null, version: Number(version) };
}

async function webCryptoVerify(
  key: Uint8Array<ArrayBuffer>,
  signature: Uint8Array<ArrayBuffer>,
  payload: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  const imported = await crypto.subtle.importKey("raw", key, { name: "Ed25519" }, false, [
    "verify",
  ]);
  return crypto.subtle.verify({ name: "Ed25519" }, imported, signature, payload);
}

export type Verifier = (key: Uint8Array, signature: Uint8Array, payload: Uint8Array) => Promise<boolean>;

/** WebCrypto first; any failure of WebCrypto itself (no Ed25519 on this device) falls back to
 * the pure-JS verifier, which gives the same answer. */
export const verifySignature: Verifier = async (key, signature, payload) => {
  if (signature.length !== 64 || key.length !== 32) return false;
  try {
    return await webCryptoVerify(
      new Uint8Array(key),
      new Uint8Array(signature),
      new Uint8Array(payload),
    );
  } catch {
    return nobleVerify(key, signature, payload);
  }
};

export const nobleVerify: Verifier = async (key, signature, payload) => {
  try {
    return await verifyAsync(signature, payload, key);
  } catch {
    return false;
  }
};

/** The ticket's claims if ``secret`` carries a good signature by ``publicKey`` (base64 of the raw
 * 32-byte key, as published), else null. */
export async function verifyTicketCode(
  publicKey: string,
  secret: string,
  verify: Verifier = verifySignature,
): Promise<TicketClaims | null> {
  const pieces = secret.trim().split(".");
  if (pieces.length !== 2) return null;
  const [payloadText, signatureText] = pieces as [string, string];
  const payload = fromBase64Url(payloadText);
  const signature = fromBase64Url(signatureText);
  const key = fromBase64(publicKey);
  if (!payload || !signature || !key) return null;
  if (!(await verify(key, signature, payload))) return null;
  return claimsOf(payload);
}

/** The ticket's claims if ``secret`` is signed by any of ``publicKeys`` (the current key first,
 * then those a rotation retired: tickets sold before it still scan), else null. */
export async function verifyWithAny(
  publicKeys: readonly string[],
  secret: string,
  verify: Verifier = verifySignature,
): Promise<TicketClaims | null> {
  for (const key of publicKeys) {
    const claims = await verifyTicketCode(key, secret, verify);
    if (claims) return claims;
  }
  return null;
}

