"""Links to a customer's orders by e-mail address, in process against the real PostgreSQL: the
address's paid and refunded orders, newest first, in one ``orders.links.requested`` event; at
most one per address per interval, even when requests race; nothing for an unknown address."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from sqlalchemy import text

from tests.orders.integration.conftest import Harness, customer, line
from tests.orders.integration.test_settlement import pay
from ticketing_orders.service_layer.commands import PlaceOrder
from ticketing_orders.service_layer.order_links import SendOrderLinks, send_order_links
from ticketing_orders.service_layer.placement import place

pytestmark = pytest.mark.infra
LINKS = "orders.links.requested.v1"


def an_address() -> str:
    return f"Links-{uuid.uuid4().hex[:8]}@Example.test"


async def bought(harness: Harness, email: str, *, paid: bool = True) -> str:
    """An order of two tickets bought with ``email`` (paid unless told otherwise): its id."""
    who = customer()
    hold_id = harness.inventory.hold(who.subject, [line("floor", 2, 2500)])
    request = {"hold_id": hold_id, "customer": {"name": "Ana", "email": email}}
    command = PlaceOrder(who, f"key-{uuid.uuid4().hex}", hold_id, "Ana", email, request)
    order_id = str((await place(harness.orders, command)).document["order_id"])
    if paid:
        await pay(harness, order_id)
    return order_id


async def requests_for(harness: Harness, address: str) -> list[dict[str, Any]]:
    return [e for e in await harness.published(LINKS) if e["email"] == address.lower()]


async def test_an_address_is_sent_its_paid_orders_newest_first(harness: Harness) -> None:
    address = an_address()
    first, second = await bought(harness, address), await bought(harness, address)
    await bought(harness, address, paid=False)  # its payment link already went out

    asked = await send_order_links(harness.orders, SendOrderLinks(address.upper()))

    assert asked is True
    [event] = await requests_for(harness, address)
    assert event["order_ids"] == [second, first]
    assert event["email"] == address.lower()
    assert event["request_id"].startswith("olr")


async def test_an_address_without_orders_is_sent_nothing(harness: Harness) -> None:
    address = an_address()
    await bought(harness, address, paid=False)

    assert await send_order_links(harness.orders, SendOrderLinks(address)) is False
    assert await send_order_links(harness.orders, SendOrderLinks(an_address())) is False
    assert await requests_for(harness, address) == []


async def test_an_address_is_mailed_once_per_interval_even_when_asked_at_once(
    harness: Harness,
) -> None:
    address = an_address()
    await bought(harness, address)

    answers = await asyncio.gather(
        *(send_order_links(harness.orders, SendOrderLinks(address)) for _ in range(6))
    )
    assert sorted(answers) == [False] * 5 + [True]
    assert await send_order_links(harness.orders, SendOrderLinks(address)) is False
    assert len(await requests_for(harness, address)) == 1

    # once the interval has passed, the address may ask again
    interval = harness.orders.settings.order_links_interval_s
    async with harness.database.unit_of_work() as uow:
        await uow.session.execute(
            text(
                "UPDATE order_link_requests"
                " SET last_sent_at = last_sent_at - make_interval(secs => :s)"
            ),
            {"s": interval + 1},
        )
        await uow.commit()
    assert await send_order_links(harness.orders, SendOrderLinks(address)) is True
    assert len(await requests_for(harness, address)) == 2
