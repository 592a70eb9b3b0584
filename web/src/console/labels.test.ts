import { describe, expect, it } from "vitest";
import { emailName, storedPdfs } from "./labels";

describe("emailName", () => {
  it("names every template notifications sends", () => {
    expect(emailName("order_confirmation")).toBe("Order confirmation");
    expect(emailName("refund_done")).toBe("Refund confirmation");
  });
  it("shows an unknown template by its name", () => {
    expect(emailName("seat_change")).toBe("seat change");
  });
});

describe("storedPdfs", () => {
  const numbers = new Map([["tkt_1", "K7Q-4RT"]]);
  const records = [
    { document_id: "doc_old", ticket_id: null, version: 1, size_bytes: 900, created_at: "2026-12-01T10:00:00Z", superseded_at: "2026-12-01T11:00:00Z" },
    { document_id: "doc_t", ticket_id: "tkt_1", version: 2, size_bytes: 20480, created_at: "2026-12-01T11:00:00Z", superseded_at: null },
    { document_id: "doc_new", ticket_id: null, version: 2, size_bytes: 40960, created_at: "2026-12-01T11:00:01Z", superseded_at: null },
  ];
  it("names each PDF by what it holds and its ticket's number, current ones first", () => {
    const rows = storedPdfs(records, numbers);
    expect(rows.map((r) => [r.id, r.what, r.version, r.size])).toEqual([
      ["doc_new", "Whole order", "2", "40.0 KB"],
      ["doc_t", "Ticket K7Q-4RT", "2", "20.0 KB"],
      ["doc_old", "Whole order", "1", "900 B"],
    ]);
  });
  it("keeps a ticket it does not know by its id and tolerates missing fields", () => {
    const [row] = storedPdfs([{ ticket_id: "tkt_9" }], numbers);
    expect(row).toMatchObject({ what: "Ticket tkt_9", version: "—", size: "—", created_at: null });
  });
});
