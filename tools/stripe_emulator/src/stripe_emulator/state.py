"""The emulator's in-memory store: every object it ever created, keyed by id."""

from __future__ import annotations

import secrets
import string
import time
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]

_ALPHABET = string.ascii_letters + string.digits


def new_id(prefix: str, length: int = 24) -> str:
    """Stripe-looking ids: ``pi_`` + 24 random letters and digits."""
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(length))


def now() -> int:
    return int(time.time())


@dataclass
class State:
    payment_intents: dict[str, JSON] = field(default_factory=dict)
    charges: dict[str, JSON] = field(default_factory=dict)
    refunds: dict[str, JSON] = field(default_factory=dict)
    payment_methods: dict[str, JSON] = field(default_factory=dict)
    # refund id -> the status a refund of a test card that settles later comes to
    refunds_later: dict[str, str] = field(default_factory=dict)
    # insertion order is creation order; listing walks it backwards (newest first)
    events: dict[str, JSON] = field(default_factory=dict)

    def clear(self) -> None:
        self.payment_intents.clear()
        self.charges.clear()
        self.refunds.clear()
        self.payment_methods.clear()
        self.refunds_later.clear()
        self.events.clear()
