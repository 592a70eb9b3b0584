/** An iCalendar event (RFC 5545) for an order's performance, as the confirmation e-mail
 * attaches: the same UID, so a calendar that has the e-mail's keeps one entry. */
import type { Order, Performance } from "./api/client";

export function invitation(
  order: Pick<Order, "order_id" | "order_number">,
  show: Pick<Performance, "event_name" | "starts_at" | "ends_at" | "venue_name" | "venue_address">,
  pageUrl: string,
  now: Date = new Date(),
): string {
  const place = [show.venue_name, show.venue_address].filter(Boolean).join(", ");
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Tickets//Storefront//EN",
    "METHOD:PUBLISH",
    "BEGIN:VEVENT",
    `UID:${order.order_id}@tickets`,
    `DTSTAMP:${utc(now.toISOString())}`,
    `DTSTART:${utc(show.starts_at)}`,
    `DTEND:${utc(show.ends_at)}`,
    `SUMMARY:${text(show.event_name)}`,
    ...(place ? [`LOCATION:${text(place)}`] : []),
    `DESCRIPTION:${text(`Order ${order.order_number}: ${pageUrl}`)}`,
    `URL:${pageUrl}`,
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return lines.map(fold).join("\r\n") + "\r\n";
}

/** ``20261121T190000Z`` from any ISO 8601 moment. */
function utc(iso: string): string {
  return new Date(iso).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** A TEXT value: backslash, semicolon, comma and newline escaped. */
function text(value: string): string {
  return value.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, "\\n");
}

/** Lines longer than 75 octets continue on the next, after one space (never inside a character). */
function fold(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let part = "";
  for (const char of line) {
    const limit = parts.length === 0 ? 75 : 74;
    if (encoder.encode(part + char).length > limit) {
      parts.push(part);
      part = "";
    }
    part += char;
  }
  parts.push(part);
  return parts.join("\r\n ");
}
