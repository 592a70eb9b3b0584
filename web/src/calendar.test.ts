import { describe, expect, it } from "vitest";
import { invitation } from "./calendar";

const order = { order_id: "ord_1", order_number: "ORD-20261121-ABCDEF" };
const show = {
  performance_id: "prf_1",
  event_name: "Rock, Paper; Scissors",
  starts_at: "2026-11-21T20:00:00+01:00",
  ends_at: "2026-11-21T22:30:00+01:00",
  venue_name: "Schaubühne",
  venue_address: "Kurfürstendamm 153, Berlin",
};
const page = "http://127.0.0.1:28080";
const stamp = new Date("2026-11-01T09:30:15.123Z");

describe("calendar invitation", () => {
  it("holds the performance in UTC with the e-mail's UID", () => {
    const ics = invitation(order, show, page, stamp);
    const lines = ics.split("\r\n");
    expect(lines[0]).toBe("BEGIN:VCALENDAR");
    expect(lines).toContain("UID:ord_1@tickets");
    expect(lines).toContain("DTSTAMP:20261101T093015Z");
    expect(lines).toContain("DTSTART:20261121T190000Z");
    expect(lines).toContain("DTEND:20261121T213000Z");
    expect(ics.endsWith("END:VCALENDAR\r\n")).toBe(true);
  });
  it("escapes text values", () => {
    const ics = invitation(order, show, page, stamp);
    expect(ics).toContain("SUMMARY:Rock\\, Paper\\; Scissors");
    expect(ics).toContain("LOCATION:Schaubühne\\, Kurfürstendamm 153\\, Berlin");
  });
  it("folds long lines at 75 octets without splitting a character", () => {
    const long = { ...show, event_name: "ü".repeat(100) };
    const ics = invitation(order, long, page, stamp);
    const physical = ics.split("\r\n");
    const encoder = new TextEncoder();
    for (const line of physical) expect(encoder.encode(line).length).toBeLessThanOrEqual(75);
    const unfolded = ics.replace(/\r\n /g, "");
    expect(unfolded).toContain(`SUMMARY:${"ü".repeat(100)}`);
  });
  it("links to the performance, never to the order and its token", () => {
    // a calendar is shared and synced: the order's link would open its tickets to everyone
    const ics = invitation(order, show, page, stamp).replace(/\r\n /g, "");
    expect(ics).toContain("URL:http://127.0.0.1:28080/performances/prf_1");
    expect(ics).not.toContain("token");
    expect(ics).not.toContain("/orders/");
  });
  it("leaves the location out when the performance has no venue", () => {
    const ics = invitation(order, { ...show, venue_name: null, venue_address: null }, page, stamp);
    expect(ics).not.toContain("LOCATION");
  });
});
