"""Another team's subscriber to the platform's order events: a runnable, tested example.

It does what docs/messaging.md asks of a subscriber, in about a hundred and fifty lines:

- binds its **own durable quorum queue** to the ``ticketing.events`` topic exchange with the
  routing keys (event types) it wants; it never reads the platform's own queues;
- reads the CloudEvents attributes from the AMQP headers (``ce-id``, ``ce-type``,
  ``ce-subject``) and validates the JSON body with the event's model from
  ``ticketing_contracts`` (or, in another language, the committed JSON Schemas);
- skips a **duplicate** by its ``ce-id``: delivery is at least once (a relay killed between
  publish and commit sends again). A real subscriber records the ids it handled in the same
  transaction as its own effect; this example keeps them in memory;
- acks only after handling, and **parks** a message it cannot read (no envelope, unknown type,
  invalid body) in its own ``<queue>.parking-lot`` through a dead-letter exchange (at least
  once: a full parking lot refuses it rather than losing it), never dropping it and never
  retrying what cannot succeed;
- **forgets the customer** of an order once ``orders.customer.erased.v1`` is heard for it, and
  keeps that order id (a tombstone), so an event of the same order that arrives after it (the
  relays of several replicas publish in parallel: order between events is not guaranteed) has
  its ``customer`` stripped before it is kept. A real subscriber keeps the tombstones as long as
  events of the order may come (they stop once the performance is over);
- relies on no order between events otherwise: each line carries the event's own time.

Run it against a running platform (``make up``)::

    uv run python docs/examples/order_events_subscriber.py --queue reporting.orders

It prints one JSON line per new event. Stop it with Ctrl+C (SIGINT) or SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
from typing import Any

import aio_pika
from aio_pika.abc import AbstractIncomingMessage
from pydantic import ValidationError

from ticketing_contracts import EXCHANGE
from ticketing_contracts.catalog import UnknownEventType, model_for

ORDER_EVENTS = (
    "orders.order.paid.v1",
    "orders.order.refunded.v1",  # a refund decided: the money's way back is told below
    "payments.refund.succeeded.v1",  # Stripe took it (stripe_status: succeeded, or pending)
    "payments.refund.failed.v1",  # Stripe refused, or failed a pending one: staff settle it
    "orders.order.refund_owed.v1",  # a cancelled show's box-office sale, owed at the desk
    "orders.order.expired.v1",
    "orders.order.cancelled.v1",
    "orders.customer.corrected.v1",
    "orders.customer.erased.v1",
)
ERASED = "orders.customer.erased.v1"

DEV_AMQP_URL = "amqp://ticketing:ticketing_dev_password@127.0.0.1:28672/ticketing"  # DEV DEFAULT


class Unreadable(ValueError):
    """A message no retry can make readable: it goes to the parking lot."""


def read(message: AbstractIncomingMessage) -> dict[str, Any]:
    """The event as one line of output; raises ``Unreadable``."""
    headers = message.headers
    event_id, event_type = headers.get("ce-id"), headers.get("ce-type")
    if not isinstance(event_id, str) or not isinstance(event_type, str):
        raise Unreadable("no CloudEvents envelope (ce-id, ce-type)")
    try:
        event = model_for(event_type).model_validate_json(message.body)
    except UnknownEventType as unknown:
        raise Unreadable(str(unknown)) from None
    except ValidationError as invalid:
        raise Unreadable(f"{event_type}: {invalid.error_count()} invalid fields") from None
    return {
        "id": event_id,
        "type": event_type,
        "subject": headers.get("ce-subject"),
        "time": headers.get("ce-time"),
        "event": event.model_dump(mode="json"),
    }


class Subscriber:
    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.erased: set[str] = set()  # order ids whose customer is forgotten

    async def on_message(self, message: AbstractIncomingMessage) -> None:
        try:
            line = read(message)
        except Unreadable as why:
            print(json.dumps({"parked": str(why)}), file=sys.stderr, flush=True)
            await message.reject(requeue=False)  # dead-lettered to the parking lot
            return
        if line["id"] not in self.seen:
            self.forget_erased(line)
            print(json.dumps(line), flush=True)  # the team's own work goes here
            self.seen.add(line["id"])
        await message.ack()

    def forget_erased(self, line: dict[str, Any]) -> None:
        """Erasure heard: erase the copy (here: nothing kept yet) and remember the order; an
        event of an erased order keeps no customer."""
        order_id = line["event"].get("order_id")
        if line["type"] == ERASED:
            self.erased.add(order_id)
        elif order_id in self.erased and line["event"].get("customer") is not None:
            line["event"]["customer"] = None


async def subscribe(amqp_url: str, queue_name: str, event_types: tuple[str, ...]) -> None:
    connection = await aio_pika.connect_robust(amqp_url)
    async with connection:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=32)
        parking = f"{queue_name}.parking-lot"
        await channel.declare_queue(parking, durable=True)
        queue = await channel.declare_queue(
            queue_name,
            durable=True,
            arguments={
                "x-queue-type": "quorum",
                "x-dead-letter-exchange": "",  # the default exchange: routed by queue name
                "x-dead-letter-routing-key": parking,
                # at least once: RabbitMQ keeps a rejected message until the parking lot has it
                # (the default, at most once, drops it if that fails)
                "x-dead-letter-strategy": "at-least-once",
                "x-overflow": "reject-publish",  # what at-least-once dead-lettering requires
            },
        )
        exchange = await channel.get_exchange(EXCHANGE, ensure=True)
        for event_type in event_types:
            await queue.bind(exchange, routing_key=event_type)
        await queue.consume(Subscriber().on_message)
        print(json.dumps({"ready": queue_name, "types": list(event_types)}), flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await stop.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--amqp-url", default=os.environ.get("TICKETING_AMQP_URL", DEV_AMQP_URL))
    parser.add_argument(
        "--queue", required=True, help="your team's own queue, e.g. reporting.orders"
    )
    parser.add_argument("--type", action="append", dest="types", help="an event type (repeatable)")
    args = parser.parse_args()
    asyncio.run(subscribe(args.amqp_url, args.queue, tuple(args.types or ORDER_EVENTS)))


if __name__ == "__main__":
    main()
