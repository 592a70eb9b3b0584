"""Links to a customer's orders, e-mailed to the address they were bought with ("find my
tickets"): which orders are listed, and how an address is known without being stored."""

from __future__ import annotations

import hashlib

from ticketing_orders.domain.order import OrderStatus

#: orders that have (or had) tickets; unpaid ones already got their payment link
LINKED_STATUSES = (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED)


def normalised_address(email: str) -> str:
    """The address as orders are matched with it: trimmed, lower case."""
    return email.strip().lower()


def address_digest(email: str) -> str:
    """What the throttle keys an address by (so its table names nobody)."""
    return hashlib.sha256(normalised_address(email).encode()).hexdigest()
