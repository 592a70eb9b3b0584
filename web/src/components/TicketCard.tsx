import { useEffect, useState, type ReactNode } from "react";
import QRCode from "qrcode";
import type { Schemas } from "../api/client";

interface Props {
  ticket: Schemas["TicketOut"];
  eventName: string;
  holder: string;
  tierName: string;
  seat: string | null;
  pdf: ReactNode;
}

/** One ticket with its QR code, drawn in the browser from the signed secret. */
export function TicketCard({ ticket, eventName, holder, tierName, seat, pdf }: Props) {
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    void QRCode.toDataURL(ticket.secret, { errorCorrectionLevel: "M", margin: 4, width: 240 }).then(setQr);
  }, [ticket.secret]);
  const usable = ticket.status === "valid";
  return (
    <li className="ticket panel">
      {qr && usable && (
        <img src={qr} width={240} height={240} alt={`QR code of ticket ${ticket.ticket_number}`} className="qr" data-ticket-id={ticket.ticket_id} />
      )}
      <dl>
        <dt>Ticket</dt>
        <dd>{ticket.ticket_number}</dd>
        <dt>Event</dt>
        <dd>{eventName}</dd>
        <dt>Holder</dt>
        <dd>{holder}</dd>
        <dt>{seat ? "Seat" : "Admission"}</dt>
        <dd>{seat ? `${seat} (${tierName})` : `${tierName}, general admission`}</dd>
        {!usable && (
          <>
            <dt>Status</dt>
            <dd>{ticket.status === "used" ? "already used at the door" : ticket.status}</dd>
          </>
        )}
      </dl>
      <p>{pdf}</p>
    </li>
  );
}
