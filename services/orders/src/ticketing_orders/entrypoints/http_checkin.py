"""At the door: scanners check tickets in; anyone can fetch the key to verify them offline."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ticketing_orders.adapters import orders_repository as repo
from ticketing_orders.domain import tickets
from ticketing_orders.domain.checkin import CheckinResult
from ticketing_orders.entrypoints.deps import OrdersDep, Scanner
from ticketing_orders.entrypoints.door import DETAIL, admit
from ticketing_orders.entrypoints.schemas import CheckinIn, CheckinOut

router = APIRouter(tags=["check-in"])


@router.post("/v1/checkin", response_model=CheckinOut, response_model_exclude_none=True)
async def check_in(body: CheckinIn, scanner: Scanner, orders: OrdersDep) -> CheckinOut:
    """Verify the secret's signature and admit the ticket at most once (an answer, not an error,
    for every refusal: the scanner shows it)."""
    try:
        claims = tickets.verify(orders.ticket_key.public_key(), body.secret)
    except tickets.InvalidSecret:
        return CheckinOut(result=CheckinResult.INVALID, detail=DETAIL[CheckinResult.INVALID])
    async with orders.database.unit_of_work() as uow:
        ticket = await repo.ticket(uow.session, claims.ticket_id)
        if ticket is None or ticket["version"] != claims.version:
            return CheckinOut(result=CheckinResult.INVALID, detail="this ticket was reissued")
        result, ticket = await admit(uow, ticket, body.performance_id, scanner)
        await uow.commit()
    return answer_for(result, ticket)


def answer_for(result: CheckinResult, ticket: dict[str, Any]) -> CheckinOut:
    return CheckinOut(
        result=result,
        detail=DETAIL[result],
        ticket_id=ticket["ticket_id"],
        ticket_number=ticket["ticket_number"],
        seat_id=ticket["seat_id"],
        used_at=ticket["used_at"],
    )


@router.get("/v1/tickets/public-key")
async def ticket_public_key(orders: OrdersDep) -> dict[str, str]:
    """The Ed25519 public key that verifies ticket secrets (for offline scanners)."""
    return {
        "algorithm": "Ed25519",
        "encoding": "base64 of the raw 32-byte key",
        "public_key": tickets.public_key_b64(orders.ticket_key),
        "secret_format": "base64url(ticket_id|performance_id|seat_id|version).base64url(signature)",
    }
