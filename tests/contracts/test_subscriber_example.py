"""docs/examples/order_events_subscriber.py, run as another team would run it against the
platform: it receives a real purchase's ``orders.order.paid.v1``, prints a redelivered event
once, parks an unreadable message in its own parking lot (at least once) instead of dropping
it, and keeps no customer of an order it heard erased."""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import aio_pika
import httpx
import pytest

from tests.support import catalogue
from tests.support.platform import AMQP_URL, ROOT
from tests.support.purchase import paid, place
from tests.support.waiting import eventually
from ticketing_contracts import EXCHANGE
from ticketing_contracts.base import Customer, Money
from ticketing_contracts.events import OrderCancelledV1, OrderCustomerErasedV1, OrderRefundedV1

pytestmark = pytest.mark.infra
EXAMPLE = ROOT / "docs" / "examples" / "order_events_subscriber.py"


class Running:
    def __init__(self, process: asyncio.subprocess.Process, queue: str) -> None:
        self.process, self.queue = process, queue
        self.lines: list[dict[str, Any]] = []

    async def next_line(self, timeout: float = 30) -> dict[str, Any]:
        assert self.process.stdout
        raw = await asyncio.wait_for(self.process.stdout.readline(), timeout)
        assert raw, "the subscriber exited"
        line: dict[str, Any] = json.loads(raw)
        self.lines.append(line)
        return line

    async def next_line_about(self, subject: str, timeout: float = 30) -> dict[str, Any]:
        """The next line about ``subject``: the queue hears every order of the platform, and
        another test's order may expire or be refunded meanwhile."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            left = deadline - asyncio.get_running_loop().time()
            line = await self.next_line(max(left, 0.001))
            if line.get("subject") == subject:
                return line


@pytest.fixture
async def subscriber(platform: str) -> AsyncIterator[Running]:
    queue = f"tests.reporting.{uuid.uuid4().hex[:8]}"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(EXAMPLE),
        "--amqp-url",
        AMQP_URL,
        "--queue",
        queue,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    running = Running(process, queue)
    try:
        assert (await running.next_line())["ready"] == queue
        yield running
    finally:
        process.terminate()
        assert await asyncio.wait_for(process.wait(), 15) == 0, "SIGTERM stops it cleanly"
        connection = await aio_pika.connect(AMQP_URL)
        async with connection:
            channel = await connection.channel()
            for name in (queue, f"{queue}.parking-lot"):
                await channel.queue_delete(name)


async def publish(body: bytes, headers: dict[str, Any], routing_key: str) -> None:
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(EXCHANGE)
        await exchange.publish(aio_pika.Message(body, headers=headers), routing_key=routing_key)


async def parked(queue: str) -> int:
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        declared = await channel.declare_queue(f"{queue}.parking-lot", passive=True)
        return int(declared.declaration_result.message_count or 0)


async def test_the_example_gets_a_real_order_paid_once_and_parks_what_it_cannot_read(
    subscriber: Running, gateway: httpx.AsyncClient
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    placed = await place(gateway, show, quantity=2)
    order = await paid(gateway, placed)

    first = await subscriber.next_line_about(order["order_id"])
    assert (first["type"], first["subject"]) == ("orders.order.paid.v1", order["order_id"])
    assert first["event"]["order_number"] == order["order_number"]
    assert len(first["event"]["tickets"]) == 2

    # the same event delivered again (a relay that died before marking it sent) ...
    again = {"ce-id": first["id"], "ce-type": first["type"], "ce-subject": first["subject"]}
    await publish(json.dumps(first["event"]).encode(), again, first["type"])
    # ... then a message that is no event at all, then a distinct one to know both were read
    await publish(b"not json", {"ce-id": "x", "ce-type": "orders.order.paid.v1"}, first["type"])
    later = OrderCancelledV1(
        order_id="ord_later",
        hold_id="hld_later",
        performance_id=show.performance_id,
        reason="test",
    )
    headers = {
        "ce-id": str(uuid.uuid4()),
        "ce-type": later.event_type,
        "ce-subject": "ord_later",
        "ce-time": datetime.now(UTC).isoformat(),
    }
    await publish(later.model_dump_json().encode(), headers, later.event_type)

    following = await subscriber.next_line_about("ord_later")
    assert (following["type"], following["subject"]) == (later.event_type, "ord_later")
    assert [line.get("id") for line in subscriber.lines].count(first["id"]) == 1

    async def one_parked() -> bool:
        return await parked(subscriber.queue) == 1

    await eventually(one_parked, what="the unreadable message in the subscriber's parking lot")


def envelope(event: OrderCancelledV1 | OrderCustomerErasedV1 | OrderRefundedV1) -> dict[str, Any]:
    return {
        "ce-id": str(uuid.uuid4()),
        "ce-type": event.event_type,
        "ce-subject": event.order_id,
        "ce-time": datetime.now(UTC).isoformat(),
    }


async def test_the_example_keeps_no_customer_of_an_erased_order_heard_after_its_erasure(
    subscriber: Running,
) -> None:
    """Relays of several replicas publish in parallel: an order's refund (with its customer)
    may arrive after its erasure. Following the recipe, the subscriber would keep the customer
    it was asked to forget."""
    order_id = f"ord_{uuid.uuid4().hex}"
    erased = OrderCustomerErasedV1(order_id=order_id, erased_at=datetime.now(UTC))
    refunded = OrderRefundedV1(
        order_id=order_id,
        performance_id="prf_x",
        refund_id="rfd_x",
        amount=Money(amount=2500, currency="EUR"),
        voided_ticket_ids=["tkt_x"],
        fully_refunded=True,
        customer=Customer(name="Ada Lovelace", email="ada@example.com"),
    )
    for event in (erased, refunded):
        await publish(event.model_dump_json().encode(), envelope(event), event.event_type)
    assert (await subscriber.next_line_about(order_id))["type"] == erased.event_type
    late = await subscriber.next_line_about(order_id)
    assert late["type"] == refunded.event_type
    assert late["event"]["customer"] is None
    assert late["event"]["refund_id"] == "rfd_x"


async def test_the_example_parks_at_least_once(subscriber: Running) -> None:
    """The quorum queue's default dead-lettering is at most once: a rejected message is dropped
    if the parking lot does not confirm it."""
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        arguments: dict[str, Any] = {
            "x-queue-type": "quorum",
            "x-dead-letter-exchange": "",
            "x-dead-letter-routing-key": f"{subscriber.queue}.parking-lot",
            "x-dead-letter-strategy": "at-least-once",
            "x-overflow": "reject-publish",
        }
        # declaring with other arguments than the queue has fails (PRECONDITION_FAILED)
        await channel.declare_queue(subscriber.queue, durable=True, arguments=arguments)
