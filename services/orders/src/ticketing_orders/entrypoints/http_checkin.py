"""At the door: scanners check tickets in; anyone can fetch the key to verify them offline."""

from __future__ import annotations

from fastapi import APIRouter

from ticketing_orders.domain import tickets
from ticketing_orders.entrypoints.deps import OrdersDep, Scanner
from ticketing_orders.entrypoints.schemas import CheckinIn, CheckinOut
from ticketing_orders.service_layer import checkin
from ticketing_orders.service_layer.checkin import Admission
from ticketing_orders.service_layer.commands import CheckIn

router = APIRouter(tags=["check-in"])


@router.post("/v1/checkin", response_model=CheckinOut, response_model_exclude_none=True)
async def check_in(body: CheckinIn, scanner: Scanner, orders: OrdersDep) -> CheckinOut:
    """Verify the secret's signature and admit the ticket at most once (an answer, not an error,
    for every refusal: the scanner shows it)."""
    command = CheckIn(body.secret, body.performance_id, scanner, body.device_id)
    return answer_for(await checkin.check_in(orders, command))


def answer_for(admission: Admission) -> CheckinOut:
    answer = CheckinOut(result=admission.result, detail=admission.detail)
    if admission.ticket is None:
        return answer
    shown = ("ticket_id", "ticket_number", "seat_id", "used_at")
    return answer.model_copy(update={k: getattr(admission.ticket, k) for k in shown})


@router.get("/v1/tickets/public-key")
async def ticket_public_key(orders: OrdersDep) -> dict[str, str | list[str]]:
    """The Ed25519 public key that verifies ticket secrets (for offline scanners), and every key
    a ticket may be signed with (``public_keys``: the current one first, then those a rotation
    retired, whose tickets still scan)."""
    return {
        "algorithm": "Ed25519",
        "encoding": "base64 of the raw 32-byte key",
        "public_key": tickets.public_key_b64(orders.ticket_key),
        "public_keys": [tickets.public_key_b64(key) for key in orders.ticket_public_keys()],
        "secret_format": "base64url(ticket_id|performance_id|seat_id|version).base64url(signature)",
    }
