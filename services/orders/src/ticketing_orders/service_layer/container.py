"""What the orders use cases, routes, handlers and loops share: built once by ``main``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_orders.domain.model import Order
from ticketing_orders.settings import OrdersSettings
from ticketing_runtime.database import Database
from ticketing_runtime.internal_http import ServiceClient

#: the order as its placement answers it (JSON): replayed as is for a repeated Idempotency-Key
OrderPresenter = Callable[[AsyncSession, Order], Awaitable[dict[str, Any]]]


@dataclass
class Orders:
    database: Database
    inventory: ServiceClient
    payments: ServiceClient
    documents: ServiceClient
    notifications: ServiceClient
    settings: OrdersSettings
    ticket_key: Ed25519PrivateKey
    present: OrderPresenter
    #: public keys of signing keys retired by a rotation: the tickets they signed still scan
    retired_ticket_keys: tuple[Ed25519PublicKey, ...] = ()

    def ticket_public_keys(self) -> tuple[Ed25519PublicKey, ...]:
        """What verifies a ticket: the current key first, then the retired ones."""
        return (self.ticket_key.public_key(), *self.retired_ticket_keys)

    async def close(self) -> None:
        for client in (self.inventory, self.payments, self.documents, self.notifications):
            await client.close()
