/** An iCalendar event (RFC 5545) for an order's performance, as the confirmation e-mail
 * attaches: the same UID, so a calendar that has the e-mail's keeps one entry. It links to the
 * performance's public page, never to the order's: a calendar is shared and synced, and the
 * order's link (its token) opens the tickets. */
import type { Order, Performance } from "./api/client";

export function invitation(
  order: Pick<Order, "order_id" | "order_number">,
  show: Pick<
    Performance,
    "performance_id" | "event_name" | "starts_at" | "ends_at" | "venue_name" | "venue_address"
  >,
  origin: string,
  now: Date = new Date(),
): string {
  const pageUrl = `${origin}/performances/${encodeURIComponent(show.performance_id)}`;
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
    `DESCRIPTION:${text(`Order ${order.order_number}: your tickets are on its page (the link in your confirmation e-mail).`)}`,
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
