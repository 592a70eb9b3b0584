"""What the orders routes, handlers and loops share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import Depends, Request

from ticketing_orders.settings import OrdersSettings
from ticketing_runtime.database import Database
from ticketing_runtime.identity import Identity, require_roles
from ticketing_runtime.internal_http import ServiceClient


@dataclass
class Orders:
    database: Database
    inventory: ServiceClient
    payments: ServiceClient
    documents: ServiceClient
    notifications: ServiceClient
    settings: OrdersSettings
    ticket_key: Ed25519PrivateKey


async def orders(request: Request) -> Orders:
    found: Orders = request.app.state.orders
    return found


OrdersDep = Annotated[Orders, Depends(orders)]
Scanner = Annotated[Identity, Depends(require_roles("scanner"))]
Staff = Annotated[Identity, Depends(require_roles("staff"))]
