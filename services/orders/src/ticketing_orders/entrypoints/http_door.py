"""For scanners beyond one online scan: revocation lists, offline uploads, entry by number."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ticketing_orders.adapters import door_repository as door
from ticketing_orders.domain.checkin import CheckinResult
from ticketing_orders.entrypoints.deps import OrdersDep, Scanner, Staff
from ticketing_orders.entrypoints.door import admit, apply_offline_scan
from ticketing_orders.entrypoints.http_checkin import answer_for
from ticketing_orders.entrypoints.schemas import CheckinOut, TicketOut
from ticketing_orders.entrypoints.staff_schemas import (
    CheckinResetIn,
    OfflineUploadIn,
    OfflineUploadOut,
    RevocationListOut,
    RevocationOut,
    TicketLookupIn,
)
from ticketing_runtime.audit import record_action
from ticketing_runtime.problems import Problem

router = APIRouter(prefix="/v1/checkin", tags=["check-in"])


@router.get("/performances/{performance_id}/revocations", response_model=RevocationListOut)
async def revocations(
    performance_id: str,
    _: Scanner,
    orders: OrdersDep,
    after: Annotated[int, Query(ge=0, description="the cursor of the last download")] = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
) -> RevocationListOut:
    """Tickets of the performance refunded or voided since ``after`` (0: all of them), in the
    order they were revoked, so a scanner can refuse them offline; keep ``cursor`` for the next
    download (``has_more``: ask again at once)."""
    async with orders.database.unit_of_work() as uow:
        rows, has_more = await door.revocations_since(uow.session, performance_id, after, limit)
    return RevocationListOut(
        performance_id=performance_id,
        revoked=[RevocationOut.model_validate(r) for r in rows],
        cursor=rows[-1]["seq"] if rows else after,
        has_more=has_more,
    )


@router.post("/offline-scans", response_model=OfflineUploadOut)
async def upload_offline_scans(
    body: OfflineUploadIn, scanner: Scanner, orders: OrdersDep
) -> OfflineUploadOut:
    """Scans a device made while offline, in the order it made them. Each counts once per
    (``device_id``, ``nonce``): an upload retried answers the first outcomes (``replayed``).
    A ticket admitted by two devices is used once and the later upload gets ``conflict``."""
    results = [
        await apply_offline_scan(orders, scanner, body.device_id, body.performance_id, scan)
        for scan in body.scans
    ]
    return OfflineUploadOut(results=results)


@router.post("/by-number", response_model=CheckinOut, response_model_exclude_none=True)
async def check_in_by_number(
    body: TicketLookupIn, scanner: Scanner, orders: OrdersDep
) -> CheckinOut:
    """Manual entry: the ticket number printed under the QR code (any case), admitted at most
    once like a scanned code."""
    async with orders.database.unit_of_work() as uow:
        ticket = await door.ticket_by_number(uow.session, body.ticket_number.strip().upper())
        if ticket is None:
            return CheckinOut(result=CheckinResult.INVALID, detail="no ticket with this number")
        result, ticket = await admit(uow, ticket, body.performance_id, scanner)
        await uow.commit()
    return answer_for(result, ticket)


@router.post("/tickets/{ticket_id}/reset", response_model=TicketOut)
async def reset_check_in(
    ticket_id: str, body: CheckinResetIn, staff: Staff, orders: OrdersDep
) -> TicketOut:
    """Override at the door (staff): a used ticket becomes valid again (scanned by mistake, the
    holder let out), recorded in the audit log with the reason. Refunded or voided tickets
    stay refused: no override admits them."""
    async with orders.database.unit_of_work() as uow:
        ticket = await door.reset_used(uow.session, ticket_id)
        if ticket is None:
            raise Problem(409, "ticket-not-used", f"ticket {ticket_id!r} is unknown or not used")
        await record_action(
            uow,
            staff,
            "orders.checkin.reset",
            order_id=ticket["order_id"],
            target=("ticket", ticket_id),
            details={"reason": body.reason, "was_used_at": ticket["was_used_at"].isoformat()},
        )
        await uow.commit()
    return TicketOut.model_validate(ticket)
