import { describe, expect, it } from "vitest";
import { nobleVerify, verifyTicketCode, type Verifier } from "./ticketCode";

// made by orders' own signer (ticketing_orders.domain.tickets.sign) with the seed 01 02 … 20
const PUBLIC_KEY = "ebVWLo/mVPlAeLES6KmLp5AfhTrmlb7X4OORC60ElmQ=";
const GA =
  "dGt0XzAxSkRPT1JURVNUfHByZl8wMUpET09SVEVTVHx8MQ." +
  "v7LL57szprv6LW6gqMNf0t9ysp2rwkPy1NWkBICbCasn7N9C2b2Wba8Eg7tSjyxPsi_8E4pmMeoUv8iGLE0LCQ";
const SEATED =
  "dGt0XzAxSlNFQVRFRHxwcmZfMDFKRE9PUlRFU1R8c2VhdF9BXzNfMTJ8Mg." +
  "XyJAUgZz49aOvH7jMRaCqoXyziHQ09da7lnFlIhPa4ku8AOSuv0N3zQ_yMAzFgC2-ztR8Kba8fWrhfluA6fCCg";
const OTHER_KEY = "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=";

function forgeClaims(secret: string): string {
  // another performance in the payload, the original signature kept
  const [, signature] = secret.split(".");
  const payload = btoa("tkt_01JDOORTEST|prf_ELSEWHERE||1").replace(/=+$/, "");
  return `${payload.replace(/\+/g, "-").replace(/\//g, "_")}.${signature}`;
}

const verifiers: [string, Verifier | undefined][] = [
  ["WebCrypto (with its fallback)", undefined],
  ["@noble/ed25519 alone", nobleVerify],
];

describe.each(verifiers)("ticket codes verified offline by %s", (_, verifier) => {
  it("accepts a code signed by orders and reads its claims", async () => {
    expect(await verifyTicketCode(PUBLIC_KEY, GA, verifier)).toEqual({
      ticketId: "tkt_01JDOORTEST",
      performanceId: "prf_01JDOORTEST",
      seatId: null,
      version: 1,
    });
    expect(await verifyTicketCode(PUBLIC_KEY, ` ${SEATED}\n`, verifier)).toEqual({
      ticketId: "tkt_01JSEATED",
      performanceId: "prf_01JDOORTEST",
      seatId: "seat_A_3_12",
      version: 2,
    });
  });

  it("refuses a forged payload, a changed signature, another key and garbage", async () => {
    expect(await verifyTicketCode(PUBLIC_KEY, forgeClaims(GA), verifier)).toBeNull();
    const flipped = GA.slice(0, -3) + (GA.endsWith("QCQ") ? "ACQ" : "QCQ");
    expect(await verifyTicketCode(PUBLIC_KEY, flipped, verifier)).toBeNull();
    expect(await verifyTicketCode(OTHER_KEY, GA, verifier)).toBeNull();
    for (const garbage of ["", "garbage", "a.b.c", "!!!.???", GA.split(".")[0] ?? ""]) {
      expect(await verifyTicketCode(PUBLIC_KEY, garbage, verifier)).toBeNull();
    }
  });
});
