"""Admitting tickets: one scan online, a scan a device made offline, a ticket typed by number,
and staff making a used ticket valid again. The server is the final word: a ticket is used once,
whatever the devices did meanwhile."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from ticketing_contracts import TicketCheckedInV1, TicketCheckInResetV1
from ticketing_orders.adapters import door_repository as door
from ticketing_orders.adapters import orders_repository as repo
from ticketing_orders.domain import tickets
from ticketing_orders.domain.checkin import CheckinResult, decide, scan_time
from ticketing_orders.domain.errors import TicketNotUsed
from ticketing_orders.domain.model import Ticket, TicketStatus
from ticketing_orders.service_layer.commands import (
    CheckIn,
    CheckInByNumber,
    OfflineScan,
    ResetCheckIn,
    UploadOfflineScans,
)
from ticketing_orders.service_layer.container import Orders
from ticketing_runtime.audit import record_action
from ticketing_runtime.callers import Identity
from ticketing_runtime.database import UnitOfWork

DETAIL = {
    CheckinResult.OK: "admit",
    CheckinResult.ALREADY_USED: "this ticket was already used",
    CheckinResult.REFUNDED: "this ticket was refunded",
    CheckinResult.VOIDED: "this ticket was voided",
    CheckinResult.WRONG_PERFORMANCE: "this ticket is for another performance",
    CheckinResult.CANCELLED: "this performance was cancelled: nobody is admitted",
    CheckinResult.INVALID: "not a valid ticket",
}
CONFLICT = "conflict"
#: how long after this device's online check-in its offline admission of the same ticket counts
#: as that check-in's lost answer (the device waits 2.5 s; the rest is the clocks' disagreement)
LOST_ANSWER_WINDOW = timedelta(minutes=2)


@dataclass(frozen=True)
class Admission:
    """What the door answers: the result, why, and the ticket as it is now (when known)."""

    result: CheckinResult
    detail: str
    ticket: Ticket | None = None


@dataclass(frozen=True)
class OfflineOutcome:
    nonce: str
    outcome: str  # a ``CheckinResult``, or ``conflict``
    detail: str
    ticket: Ticket | None
    replayed: bool

    @property
    def is_conflict(self) -> bool:
        return self.outcome == CONFLICT and self.ticket is not None


def _invalid(detail: str = DETAIL[CheckinResult.INVALID]) -> Admission:
    return Admission(CheckinResult.INVALID, detail)


async def check_in(orders: Orders, command: CheckIn) -> Admission:
    """Verify the secret's signature and admit the ticket at most once (an answer, not an error,
    for every refusal: the scanner shows it)."""
    try:
        claims = tickets.verify_any(orders.ticket_public_keys(), command.secret)
    except tickets.InvalidSecret:
        return _invalid()
    async with orders.database.unit_of_work() as uow:
        ticket = await repo.ticket(uow.session, claims.ticket_id)
        if ticket is None or ticket.version != claims.version:
            return _invalid("this ticket was reissued")
        result, ticket = await admit(
            uow, ticket, command.performance_id, command.scanner, device_id=command.device_id
        )
        await uow.commit()
    return Admission(result, DETAIL[result], ticket)


async def check_in_by_number(orders: Orders, command: CheckInByNumber) -> Admission:
    """Manual entry: the ticket number printed under the QR code (any case), admitted at most
    once like a scanned code. The entry asked again with its ``request_key`` within
    ``LOST_ANSWER_WINDOW`` (its answer was lost: no QR code falls back to the device's own check
    here) answers "admit" again, for the holder that first request let in; later, the same key
    is a second entry (someone else showing that number), refused as used."""
    async with orders.database.unit_of_work() as uow:
        number = "".join(command.ticket_number.split()).upper()  # as the scanner keys entries
        ticket = await door.ticket_by_number(uow.session, number)
        if ticket is None:
            return _invalid("no ticket with this number")
        result, ticket = await admit(
            uow, ticket, command.performance_id, command.scanner, request_key=command.request_key
        )
        if result is CheckinResult.ALREADY_USED and await _asked_again(uow, ticket, command):
            result = CheckinResult.OK
        await uow.commit()
    return Admission(result, DETAIL[result], ticket)


async def _asked_again(uow: UnitOfWork, ticket: Ticket, command: CheckInByNumber) -> bool:
    if command.request_key is None:
        return False
    scanner, key = command.scanner.subject, command.request_key
    since = datetime.now(UTC) - LOST_ANSWER_WINDOW
    return await door.used_by_request(uow.session, ticket.ticket_id, scanner, key, since)


async def admit(
    uow: UnitOfWork,
    ticket: Ticket,
    performance_id: str,
    scanner: Identity,
    *,
    device_id: str | None = None,
    at: datetime | None = None,
    request_key: str | None = None,
) -> tuple[CheckinResult, Ticket]:
    """Decide, and for an admissible ticket mark it used (as of ``at`` for an offline scan);
    a scan that loses the race to another answers as the ticket now is."""
    result = decide(ticket.status, ticket.performance_id, performance_id)
    if result is CheckinResult.WRONG_PERFORMANCE:
        return result, ticket
    # before used or refunded: the steward has one thing to tell everyone at a cancelled
    # show's door, where most tickets were refunded by the cancellation itself
    if await door.is_cancelled(uow.session, performance_id):
        return CheckinResult.CANCELLED, ticket
    if result is not CheckinResult.OK:
        return result, ticket
    device = device_id if device_id is not None else (None if at is None else "")
    used_at = await repo.mark_used(
        uow.session,
        ticket.ticket_id,
        scanner.subject,
        device_id=device,
        at=at,
        request_key=request_key,
    )
    if used_at is None:  # another scan won the race
        ticket = await repo.ticket(uow.session, ticket.ticket_id) or ticket
        return decide(ticket.status, ticket.performance_id, performance_id), ticket
    ticket = replace(ticket, status=TicketStatus.USED, used_at=used_at, used_device=device_id)
    await uow.publish(
        TicketCheckedInV1(
            ticket_id=ticket.ticket_id,
            order_id=ticket.order_id,
            performance_id=ticket.performance_id,
            checked_in_at=used_at,
            scanner=scanner.subject,
        )
    )
    return CheckinResult.OK, ticket


async def upload_offline_scans(orders: Orders, command: UploadOfflineScans) -> list[OfflineOutcome]:
    """Scans a device made while offline, in the order it made them, each in its own
    transaction."""
    return [await _apply_offline_scan(orders, command, scan) for scan in command.scans]


async def _apply_offline_scan(
    orders: Orders, command: UploadOfflineScans, scan: OfflineScan
) -> OfflineOutcome:
    """One offline scan, once per (device, nonce): a repeated upload answers the first outcome."""
    scan = replace(scan, scanned_at=scan_time(scan.scanned_at, datetime.now(UTC)))
    async with orders.database.unit_of_work() as uow:
        fresh = await door.claim_nonce(
            uow.session,
            device_id=command.device_id,
            nonce=scan.nonce,
            scanner=command.scanner.subject,
            performance_id=command.performance_id,
            scanned_at=scan.scanned_at,
        )
        if not fresh:
            return await _first_answer(orders, uow, command, scan)
        answer = await _offline_outcome(orders, uow, command, scan)
        await door.settle_offline_scan(
            uow.session,
            command.device_id,
            scan.nonce,
            outcome=answer.outcome,
            detail=answer.detail,
            ticket_id=answer.ticket.ticket_id if answer.ticket else None,
        )
        await uow.commit()
    return answer


async def _offline_outcome(
    orders: Orders, uow: UnitOfWork, command: UploadOfflineScans, scan: OfflineScan
) -> OfflineOutcome:
    def out(outcome: str, detail: str, ticket: Ticket | None) -> OfflineOutcome:
        return OfflineOutcome(scan.nonce, outcome, detail, ticket, replayed=False)

    try:
        claims = tickets.verify_any(orders.ticket_public_keys(), scan.secret)
    except tickets.InvalidSecret:
        return out(CheckinResult.INVALID, DETAIL[CheckinResult.INVALID], None)
    ticket = await repo.ticket(uow.session, claims.ticket_id)
    if ticket is None or ticket.version != claims.version:
        return out(CheckinResult.INVALID, "this ticket was reissued", None)
    device_id = command.device_id
    result, ticket = await admit(
        uow,
        ticket,
        command.performance_id,
        command.scanner,
        device_id=device_id,
        at=scan.scanned_at,
    )
    if result is CheckinResult.ALREADY_USED and ticket.used_device != device_id:
        return out(CONFLICT, "admitted on another device too: counted once", ticket)
    if (
        result is CheckinResult.ALREADY_USED
        and _lost_answer_window(ticket, scan)
        and not await door.admitted_offline_here(
            uow.session, device_id, ticket.ticket_id, other_than=scan.nonce
        )
    ):
        # this device checked it in online and never heard the answer, then admitted the holder
        # offline at once: the one admission it is
        return out(CheckinResult.OK, "admitted once: this device's online answer was lost", ticket)
    return out(result, DETAIL[result], ticket)


def _lost_answer_window(ticket: Ticket, scan: OfflineScan) -> bool:
    """Whether the offline scan came right after the online check-in of the same device (the
    device waits a few seconds for an answer, then decides itself): a later one is a second
    entry, whatever the device remembered."""
    used_at = ticket.used_at
    return used_at is not None and abs(scan.scanned_at - used_at) <= LOST_ANSWER_WINDOW


#: a nonce sent again with another scan: the first scan's answer belongs to that scan only
NONCE_REUSED = "this device used this nonce for another scan: each scan takes a nonce of its own"


async def _first_answer(
    orders: Orders, uow: UnitOfWork, command: UploadOfflineScans, scan: OfflineScan
) -> OfflineOutcome:
    """The outcome the nonce's scan had, when this is that scan again (the same ticket at the
    same performance; a door whose token was renewed meanwhile may send it); another scan
    under the nonce is refused, never told the first one's "ok" for a ticket it never
    admitted."""
    row = await door.offline_scan(uow.session, command.device_id, scan.nonce)
    assert row is not None  # the nonce was claimed, and claims are never deleted
    try:
        ticket_id: str | None = tickets.verify_any(
            orders.ticket_public_keys(), scan.secret
        ).ticket_id
    except tickets.InvalidSecret:
        ticket_id = None
    same = row["performance_id"] == command.performance_id and row["ticket_id"] in (
        None,  # the first was refused, as it is again
        ticket_id,
    )
    if not same:
        return OfflineOutcome(scan.nonce, CheckinResult.INVALID, NONCE_REUSED, None, replayed=False)
    ticket = await repo.ticket(uow.session, row["ticket_id"]) if row["ticket_id"] else None
    return OfflineOutcome(scan.nonce, row["outcome"], row["detail"], ticket, replayed=True)


async def reset_check_in(orders: Orders, command: ResetCheckIn) -> Ticket:
    """Override at the door (staff): a used ticket becomes valid again, recorded in the audit
    log with the reason. Refunded or voided tickets stay refused: no override admits them."""
    async with orders.database.unit_of_work() as uow:
        reset = await door.reset_used(uow.session, command.ticket_id)
        if reset is None:
            raise TicketNotUsed(f"ticket {command.ticket_id!r} is unknown or not used")
        ticket, was_used_at = reset
        await uow.publish(
            TicketCheckInResetV1(
                ticket_id=ticket.ticket_id,
                order_id=ticket.order_id,
                performance_id=ticket.performance_id,
                was_checked_in_at=was_used_at,
                reset_at=datetime.now(UTC),
                reset_by=command.staff.subject,
                reason=command.reason,
            )
        )
        details = {"reason": command.reason, "was_used_at": was_used_at.isoformat()}
        target = ("ticket", command.ticket_id)
        action = "orders.checkin.reset"
        order_id = ticket.order_id
        await record_action(
            uow, command.staff, action, order_id=order_id, target=target, details=details
        )
        await uow.commit()
    return ticket
