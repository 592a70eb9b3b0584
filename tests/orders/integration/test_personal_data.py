"""A customer's personal data, in process against the real PostgreSQL: handed over by address,
erased by address (all or nothing, refused while an order still needs them), and erased by the
retention loop once the performance is long past; each erasure announced once per order."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from tests.orders.integration.conftest import Harness, staff
from tests.orders.integration.test_order_links import bought
from tests.support.waiting import eventually
from ticketing_orders.adapters import orders_repository
from ticketing_orders.domain.errors import CustomerStillNeeded
from ticketing_orders.domain.order_links import address_digest
from ticketing_orders.service_layer.order_links import SendOrderLinks, send_order_links
from ticketing_orders.service_layer.personal_data import (
    EraseCustomer,
    ExportCustomer,
    erase_after_retention,
    erase_customer,
    export_customer,
    retention_loop,
)

pytestmark = pytest.mark.infra
ERASED = "orders.customer.erased.v1"
ADMIN = staff("admin")


def an_address() -> str:
    return f"Gdpr-{uuid.uuid4().hex[:8]}@Example.test"


async def performed(harness: Harness, order_id: str, days_ago: float) -> None:
    """The order's performance began ``days_ago`` days ago."""
    async with harness.database.engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE orders SET starts_at = now() - make_interval(secs => :s)"
                " WHERE order_id = :o"
            ),
            {"s": days_ago * 86400, "o": order_id},
        )


async def row(harness: Harness, order_id: str) -> tuple[str, str | None, datetime | None]:
    async with harness.database.engine.connect() as conn:
        found = await conn.execute(
            text("SELECT customer_name, customer_email, erased_at FROM orders WHERE order_id = :o"),
            {"o": order_id},
        )
        name, email, erased_at = found.one()
    return name, email, erased_at


async def test_the_export_hands_over_every_order_of_the_address_and_names_none_other(
    harness: Harness,
) -> None:
    address = an_address()
    paid_one = await bought(harness, address)
    unpaid = await bought(harness, address, paid=False)
    await bought(harness, an_address())

    found = await export_customer(harness.orders, ExportCustomer(ADMIN, address.upper()))

    assert [o.order_id for o in found] == [unpaid, paid_one]
    assert {o.customer_email for o in found} == {address}
    [audited] = [
        e
        for e in await harness.published("audit.action.recorded.v1")
        if e["action"] == "orders.customer.exported"
    ]
    assert audited["details"]["orders"] == [o.order_number for o in found]
    assert address.lower() not in str(audited)  # the log names the address by its digest only


async def test_erasure_is_refused_while_an_order_still_needs_its_customer_and_erases_nothing(
    harness: Harness,
) -> None:
    address = an_address()
    past = await bought(harness, address)
    await performed(harness, past, days_ago=3)
    coming = await bought(harness, address)  # its performance is in a week

    with pytest.raises(CustomerStillNeeded, match="valid tickets for a performance still to come"):
        await erase_customer(harness.orders, EraseCustomer(ADMIN, address))

    assert (await row(harness, past))[1] == address  # all or nothing
    assert (await row(harness, coming))[1] == address
    erased = [e for e in await harness.published(ERASED) if e["order_id"] in {past, coming}]
    assert erased == []


async def test_erasure_keeps_the_orders_without_the_person_and_asking_again_finds_nothing(
    harness: Harness,
) -> None:
    address = an_address()
    first, second = await bought(harness, address), await bought(harness, address)
    for order_id in (first, second):
        await performed(harness, order_id, days_ago=2)
    assert await send_order_links(harness.orders, SendOrderLinks(address))  # throttle row

    erased = await erase_customer(harness.orders, EraseCustomer(ADMIN, address))

    assert {o.order_id for o in erased} == {first, second}
    for order_id in (first, second):
        name, email, erased_at = await row(harness, order_id)
        assert (name, email) == ("(erased)", None)
        assert erased_at is not None
    events = [e for e in await harness.published(ERASED) if e["order_id"] in {first, second}]
    assert sorted(e["order_id"] for e in events) == sorted([first, second])
    async with harness.database.engine.connect() as conn:
        left = await conn.execute(
            text("SELECT count(*) FROM order_link_requests WHERE address_digest = :d"),
            {"d": address_digest(address)},
        )
        assert left.scalar() == 0
        uses = await conn.execute(
            text("SELECT count(*) FROM orders WHERE customer_email = :a"), {"a": address}
        )
        assert uses.scalar() == 0
    assert await erase_customer(harness.orders, EraseCustomer(ADMIN, address)) == []
    again = [e for e in await harness.published(ERASED) if e["order_id"] in {first, second}]
    assert len(again) == 2
    assert await export_customer(harness.orders, ExportCustomer(ADMIN, address)) == []


async def test_the_retention_loop_erases_only_customers_of_performances_long_past(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(harness.orders.settings, "personal_data_retention_days", 30)
    long_ago, recently = await bought(harness, an_address()), await bought(harness, an_address())
    unpaid = await bought(harness, an_address(), paid=False)
    await performed(harness, long_ago, days_ago=31)
    await performed(harness, recently, days_ago=29)
    await performed(harness, unpaid, days_ago=31)  # still being bought: never erased

    now = datetime.now(UTC)
    assert await erase_after_retention(harness.orders, now) == 1
    assert (await row(harness, long_ago))[0] == "(erased)"
    assert (await row(harness, recently))[0] == "Ana"
    assert (await row(harness, unpaid))[0] == "Ana"
    assert await erase_after_retention(harness.orders, now) == 0
    ours = {long_ago, recently, unpaid}
    erased = [e["order_id"] for e in await harness.published(ERASED) if e["order_id"] in ours]
    assert erased == [long_ago]
    async with harness.database.unit_of_work() as uow:
        due = await orders_repository.keeping_personal_data(
            uow.session, now - timedelta(days=30), limit=10
        )
    assert unpaid not in due
    assert recently not in due


async def test_the_retention_loop_works_off_every_due_batch_and_stops_when_told(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(harness.orders.settings, "personal_data_retention_days", 30)
    past = [await bought(harness, an_address()) for _ in range(5)]
    for order_id in past:
        await performed(harness, order_id, days_ago=40)

    stop = asyncio.Event()
    loop = asyncio.create_task(retention_loop(harness.orders, stop, batch=2))
    try:

        async def all_erased() -> bool:
            names = [(await row(harness, order_id))[0] for order_id in past]
            return names == ["(erased)"] * len(past)

        await eventually(all_erased, timeout=10, what="five customers erased in one round")
    finally:
        stop.set()
        await asyncio.wait_for(loop, timeout=5)
