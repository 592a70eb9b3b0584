"""For scanners beyond one online scan: revocation lists, the admissions feed, offline uploads,
entry by number."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ticketing_orders.adapters import door_repository as door
from ticketing_orders.entrypoints.deps import OrdersDep, Scanner, Staff
from ticketing_orders.entrypoints.http_checkin import answer_for
from ticketing_orders.entrypoints.schemas import CheckinOut, TicketOut
from ticketing_orders.entrypoints.staff_schemas import (
    AdmissionListOut,
    AdmissionOut,
    CheckinResetIn,
    OfflineScanOut,
    OfflineUploadIn,
    OfflineUploadOut,
    ResetOut,
    RevocationListOut,
    RevocationOut,
    TicketLookupIn,
)
from ticketing_orders.entrypoints.views import ticket_out
from ticketing_orders.service_layer import checkin
from ticketing_orders.service_layer.checkin import OfflineOutcome
from ticketing_orders.service_layer.commands import (
    CheckInByNumber,
    OfflineScan,
    ResetCheckIn,
    UploadOfflineScans,
)
from ticketing_runtime.fields import INT64_MAX, Instant, OptionalIdempotencyKey, PathId

router = APIRouter(prefix="/v1/checkin", tags=["check-in"])


@router.get("/performances/{performance_id}/revocations", response_model=RevocationListOut)
async def revocations(
    performance_id: PathId,
    _: Scanner,
    orders: OrdersDep,
    after: Annotated[
        int, Query(ge=0, le=INT64_MAX, description="the cursor of the last download")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
) -> RevocationListOut:
    """Tickets of the performance refunded or voided since ``after`` (0: all of them), in the
    order they were revoked, so a scanner can refuse them offline; keep ``cursor`` for the next
    download (``has_more``: ask again at once). ``performance_cancelled``: refuse them all."""
    async with orders.database.unit_of_work() as uow:
        rows, has_more = await door.revocations_since(uow.session, performance_id, after, limit)
        cancelled = await door.is_cancelled(uow.session, performance_id)
    return RevocationListOut(
        performance_id=performance_id,
        revoked=[RevocationOut.model_validate(r) for r in rows],
        cursor=rows[-1]["seq"] if rows else after,
        has_more=has_more,
        performance_cancelled=cancelled,
    )


@router.get("/performances/{performance_id}/admissions", response_model=AdmissionListOut)
async def admissions(
    performance_id: PathId,
    _: Scanner,
    orders: OrdersDep,
    since: Annotated[
        Instant | None, Query(description="the next_since of the last download (none: all)")
    ] = None,
) -> AdmissionListOut:
    """Tickets of the performance admitted (at any door, online or uploaded from offline)
    since ``since``: a door that loses the network refuses them offline, where it knew only its
    own admissions and a screenshot of a ticket used at another door got in twice. And those
    whose check-in staff undid since, which every door admits again."""
    async with orders.database.unit_of_work() as uow:
        admitted, reset, next_since = await door.admitted_since(uow.session, performance_id, since)
    return AdmissionListOut(
        performance_id=performance_id,
        admitted=[AdmissionOut.model_validate(r) for r in admitted],
        reset=[ResetOut.model_validate(r) for r in reset],
        next_since=next_since,
    )


@router.post("/offline-scans", response_model=OfflineUploadOut)
async def upload_offline_scans(
    body: OfflineUploadIn, scanner: Scanner, orders: OrdersDep
) -> OfflineUploadOut:
    """Scans a device made while offline, in the order it made them. Each counts once per
    (``device_id``, ``nonce``): an upload retried answers the first outcomes (``replayed``).
    A ticket admitted by two devices is used once and the later upload gets ``conflict``."""
    command = UploadOfflineScans(
        device_id=body.device_id,
        performance_id=body.performance_id,
        scanner=scanner,
        scans=tuple(OfflineScan(s.nonce, s.secret, s.scanned_at) for s in body.scans),
    )
    outcomes = await checkin.upload_offline_scans(orders, command)
    return OfflineUploadOut(results=[_scan_out(outcome) for outcome in outcomes])


def _scan_out(outcome: OfflineOutcome) -> OfflineScanOut:
    ticket = outcome.ticket if outcome.is_conflict else None
    return OfflineScanOut(
        nonce=outcome.nonce,
        outcome=outcome.outcome,
        detail=outcome.detail,
        ticket_id=outcome.ticket.ticket_id if outcome.ticket else None,
        ticket_number=outcome.ticket.ticket_number if outcome.ticket else None,
        first_used_at=ticket.used_at if ticket else None,
        first_used_on=(ticket.used_device or "online") if ticket else None,
        replayed=outcome.replayed,
    )


@router.post("/by-number", response_model=CheckinOut, response_model_exclude_none=True)
async def check_in_by_number(
    body: TicketLookupIn,
    scanner: Scanner,
    orders: OrdersDep,
    idempotency_key: OptionalIdempotencyKey = None,
) -> CheckinOut:
    """Manual entry: the ticket number printed under the QR code (any case), admitted at most
    once like a scanned code. Send an ``Idempotency-Key`` per entry: the same entry asked again
    by the same scanner (its answer lost) answers ``ok`` again, not ``already_used`` for the
    holder it admitted."""
    command = CheckInByNumber(body.ticket_number, body.performance_id, scanner, idempotency_key)
    return answer_for(await checkin.check_in_by_number(orders, command))


@router.post("/tickets/{ticket_id}/reset", response_model=TicketOut)
async def reset_check_in(
    ticket_id: PathId, body: CheckinResetIn, staff: Staff, orders: OrdersDep
) -> TicketOut:
    """Override at the door (staff): a used ticket becomes valid again (scanned by mistake, the
    holder let out), recorded in the audit log with the reason. Refunded or voided tickets
    stay refused: no override admits them."""
    command = ResetCheckIn(ticket_id, body.reason, staff)
    return ticket_out(await checkin.reset_check_in(orders, command))
