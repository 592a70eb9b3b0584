/** Words for what other services record about an order, as the console shows them. */

const EMAILS: Record<string, string> = {
  order_confirmation: "Order confirmation",
  payment_link: "Payment link",
  payment_failed: "Payment failed",
  order_expired: "Order expired",
  refund_done: "Refund confirmation",
  refund_failed: "Refund could not go back to the card",
  late_payment_refunded: "Late payment refunded",
  unwanted_payment_refunded: "Payment after cancellation refunded",
  performance_cancelled: "Performance cancelled, refunded",
  performance_cancelled_unpaid: "Performance cancelled, unpaid order cancelled",
  performance_cancelled_at_desk: "Performance cancelled, refund at the box office",
  order_links: "Links to their orders (they asked)",
};

/** The e-mail a notification template sends, in words (an unknown one by its name). */
export function emailName(template: string): string {
  return EMAILS[template] ?? template.replaceAll("_", " ");
}

export interface StoredPdf {
  id: string;
  what: string; // "Whole order" or "Ticket <number>"
  version: string;
  size: string;
  created_at: string | null;
  superseded_at: string | null;
}

function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

/** The PDFs documents stored for an order (records as it sends them), current ones first. */
export function storedPdfs(records: Record<string, unknown>[], ticketNumbers: Map<string, string>): StoredPdf[] {
  const rows = records.map((r) => {
    const ticket = text(r.ticket_id);
    const bytes = typeof r.size_bytes === "number" ? r.size_bytes : null;
    return {
      id: text(r.document_id) ?? "",
      what: ticket ? `Ticket ${ticketNumbers.get(ticket) ?? ticket}` : "Whole order",
      version: r.version === undefined || r.version === null ? "—" : String(r.version),
      size: bytes === null ? "—" : bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`,
      created_at: text(r.created_at),
      superseded_at: text(r.superseded_at),
    };
  });
  const current = (p: StoredPdf) => (p.superseded_at ? 1 : 0);
  return rows.sort((a, b) => current(a) - current(b) || (b.created_at ?? "").localeCompare(a.created_at ?? ""));
}
