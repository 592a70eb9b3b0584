"""The order's life as a state machine, and the names and secrets an order carries."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import datetime


class OrderStatus(StrEnum):
    PLACING = "placing"  # the Idempotency-Key is claimed; the hold is being pinned
    PENDING_PAYMENT = "pending_payment"
    PAID = "paid"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


S = OrderStatus
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.PLACING: frozenset({S.PENDING_PAYMENT}),
    S.PENDING_PAYMENT: frozenset({S.PAID, S.EXPIRED, S.CANCELLED}),
    # a payment that lands after the deadline: paid if inventory can still sell, else refunded
    S.EXPIRED: frozenset({S.PAID}),
    S.PAID: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.PARTIALLY_REFUNDED: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.REFUNDED: frozenset(),
    S.CANCELLED: frozenset(),
}
SETTLED = frozenset({S.PAID, S.PARTIALLY_REFUNDED, S.REFUNDED})


class IllegalTransition(Exception):
    def __init__(self, current: OrderStatus, wanted: OrderStatus) -> None:
        super().__init__(f"an order that is {current} cannot become {wanted}")
        self.current, self.wanted = current, wanted


def transition(current: OrderStatus, wanted: OrderStatus) -> OrderStatus:
    """``wanted`` if the order may move there from ``current``; raises ``IllegalTransition``."""
    if wanted not in TRANSITIONS[current]:
        raise IllegalTransition(current, wanted)
    return wanted


# no 0/O, 1/I/L: read aloud at a box office
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def order_number(now: datetime) -> str:
    """Human order number, e.g. ``ORD-20261123-7KQ2XM`` (the id stays the unguessable key)."""
    suffix = "".join(secrets.choice(_ALPHABET) for _ in range(6))
    return f"ORD-{now:%Y%m%d}-{suffix}"


def ticket_number(order_number: str, index: int) -> str:
    return f"{order_number}-{index + 1}"


_TYPED_NUMBER = re.compile(r"ORD-?(\d{8})-?([0-9A-Z]{6})(?:-?\d{1,3})?")


def order_number_typed(text: str) -> str:
    """The order number someone typed or read out: any case, spaces or dashes left out, or a
    ticket's number (the order's with ``-N``: what a ticket prints and the door shows)."""
    squeezed = "".join(text.split()).upper()
    typed = _TYPED_NUMBER.fullmatch(squeezed)
    return f"ORD-{typed[1]}-{typed[2]}" if typed else squeezed


def access_token_for(order_id: str, secret: str) -> str:
    """The order's access token: an HMAC of its id under the service's secret, so it can be
    derived again when an e-mail needs a link (no token is stored; only its digest, as before)."""
    mac = hmac.new(secret.encode(), f"order-access:{order_id}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode()


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str | None, digest: str) -> bool:
    return token is not None and hmac.compare_digest(token_digest(token), digest)


def request_fingerprint(body: dict[str, Any]) -> str:
    """Same body, same fingerprint (key order and spacing do not matter)."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()
