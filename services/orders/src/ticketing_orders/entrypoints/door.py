"""Admitting tickets: one scan online, a scan a device made offline, a ticket typed by number.
The server is the final word: a ticket is used once, whatever the devices did meanwhile."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ticketing_contracts import TicketCheckedInV1
from ticketing_orders.adapters import door_repository as door
from ticketing_orders.adapters import orders_repository as repo
from ticketing_orders.domain import tickets
from ticketing_orders.domain.checkin import CheckinResult, TicketStatus, decide
from ticketing_orders.entrypoints.deps import Orders
from ticketing_orders.entrypoints.staff_schemas import OfflineScanIn, OfflineScanOut
from ticketing_runtime.database import UnitOfWork
from ticketing_runtime.identity import Identity

DETAIL = {
    CheckinResult.OK: "admit",
    CheckinResult.ALREADY_USED: "this ticket was already used",
    CheckinResult.REFUNDED: "this ticket was refunded",
    CheckinResult.VOIDED: "this ticket was voided",
    CheckinResult.WRONG_PERFORMANCE: "this ticket is for another performance",
    CheckinResult.INVALID: "not a valid ticket",
}
CONFLICT = "conflict"
Ticket = dict[str, Any]


async def admit(
    uow: UnitOfWork,
    ticket: Ticket,
    performance_id: str,
    scanner: Identity,
    *,
    device_id: str | None = None,
    at: datetime | None = None,
) -> tuple[CheckinResult, Ticket]:
    """Decide, and for an admissible ticket mark it used (as of ``at`` for an offline scan);
    a scan that loses the race to another answers as the ticket now is."""
    result = decide(TicketStatus(ticket["status"]), ticket["performance_id"], performance_id)
    if result is not CheckinResult.OK:
        return result, ticket
    if at is None:
        used_at = await repo.mark_used(uow.session, ticket["ticket_id"], scanner.subject)
    else:
        used_at = await door.mark_used_at(
            uow.session, ticket["ticket_id"], scanner.subject, device_id or "", at
        )
    if used_at is None:  # another scan won the race
        ticket = await repo.ticket(uow.session, ticket["ticket_id"]) or ticket
        status = TicketStatus(ticket["status"])
        return decide(status, ticket["performance_id"], performance_id), ticket
    ticket = {**ticket, "status": "used", "used_at": used_at, "used_device": device_id}
    await uow.publish(
        TicketCheckedInV1(
            ticket_id=ticket["ticket_id"],
            order_id=ticket["order_id"],
            performance_id=ticket["performance_id"],
            checked_in_at=used_at,
            scanner=scanner.subject,
        )
    )
    return CheckinResult.OK, ticket


async def apply_offline_scan(
    orders: Orders, scanner: Identity, device_id: str, performance_id: str, scan: OfflineScanIn
) -> OfflineScanOut:
    """One offline scan, once per (device, nonce): a repeated upload answers the first outcome."""
    async with orders.database.unit_of_work() as uow:
        fresh = await door.claim_nonce(
            uow.session,
            device_id=device_id,
            nonce=scan.nonce,
            scanner=scanner.subject,
            performance_id=performance_id,
            scanned_at=scan.scanned_at,
        )
        if not fresh:
            return await _first_answer(uow, device_id, scan.nonce)
        answer = await _offline_outcome(orders, uow, scanner, device_id, performance_id, scan)
        await door.settle_offline_scan(
            uow.session,
            device_id,
            scan.nonce,
            outcome=answer.outcome,
            detail=answer.detail,
            ticket_id=answer.ticket_id,
        )
        await uow.commit()
    return answer


async def _offline_outcome(
    orders: Orders,
    uow: UnitOfWork,
    scanner: Identity,
    device_id: str,
    performance_id: str,
    scan: OfflineScanIn,
) -> OfflineScanOut:
    def out(outcome: str, detail: str, ticket: Ticket | None) -> OfflineScanOut:
        return _scan_out(scan.nonce, outcome, detail, ticket, replayed=False)

    try:
        claims = tickets.verify(orders.ticket_key.public_key(), scan.secret)
    except tickets.InvalidSecret:
        return out(CheckinResult.INVALID, DETAIL[CheckinResult.INVALID], None)
    ticket = await repo.ticket(uow.session, claims.ticket_id)
    if ticket is None or ticket["version"] != claims.version:
        return out(CheckinResult.INVALID, "this ticket was reissued", None)
    at = min(scan.scanned_at, datetime.now(UTC))  # a device clock ahead never dates the future
    result, ticket = await admit(uow, ticket, performance_id, scanner, device_id=device_id, at=at)
    if result is CheckinResult.ALREADY_USED and ticket["used_device"] != device_id:
        return out(CONFLICT, "admitted on another device too: counted once", ticket)
    return out(result, DETAIL[result], ticket)


async def _first_answer(uow: UnitOfWork, device_id: str, nonce: str) -> OfflineScanOut:
    row = await door.offline_scan(uow.session, device_id, nonce)
    assert row is not None  # the nonce was claimed, and claims are never deleted
    ticket = await repo.ticket(uow.session, row["ticket_id"]) if row["ticket_id"] else None
    return _scan_out(nonce, row["outcome"], row["detail"], ticket, replayed=True)


def _scan_out(
    nonce: str, outcome: str, detail: str, ticket: Ticket | None, *, replayed: bool
) -> OfflineScanOut:
    conflict = outcome == CONFLICT and ticket is not None
    return OfflineScanOut(
        nonce=nonce,
        outcome=outcome,
        detail=detail,
        ticket_id=ticket["ticket_id"] if ticket else None,
        first_used_at=ticket["used_at"] if conflict and ticket else None,
        first_used_on=(ticket["used_device"] or "online") if conflict and ticket else None,
        replayed=replayed,
    )
