#!/usr/bin/env python3
"""Generate the AsyncAPI document of every service's FastStream app (``docs/asyncapi.yaml``).

scripts/asyncapi.py            print it
scripts/asyncapi.py --write    write docs/asyncapi.yaml (``make schemas`` does this)
"""

from __future__ import annotations

import os
import sys
from importlib import import_module
from pathlib import Path
from typing import Any

import yaml
from faststream.specification import AsyncAPI

from ticketing_contracts.envelope import CORRELATION_HEADER

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "asyncapi.yaml"
SERVICES = ("gateway", "inventory", "orders", "payments", "documents", "notifications")


def render() -> str:
    # the document names a placeholder broker, not whatever this machine's environment says
    # (restored after: the suite renders it in its own process)
    previous = os.environ.get("TICKETING_AMQP_URL")
    os.environ["TICKETING_AMQP_URL"] = "amqp://rabbitmq:5672/ticketing"
    try:
        brokers = []
        for name in SERVICES:
            service = import_module(f"ticketing_{name}.entrypoints.main").build_service()
            brokers.append(service.attach_consumers())
    finally:
        if previous is None:
            del os.environ["TICKETING_AMQP_URL"]
        else:
            os.environ["TICKETING_AMQP_URL"] = previous
    document = AsyncAPI(
        *brokers,
        title="Ticketing platform events",
        version="1.0.0",
        description=(
            "Domain events on the durable topic exchange `ticketing.events` (vhost `ticketing`). "
            "Routing key = CloudEvents `type`, versioned (`orders.order.paid.v1`). CloudEvents 1.0 "
            "binary mode: attributes in AMQP headers prefixed `ce-` (ce-id, ce-source, ce-type, "
            "ce-specversion, ce-time, ce-subject, ce-dataschema), the event as a JSON body; "
            "`traceparent`/`tracestate` carry W3C trace context and `x-correlation-id` (also "
            "the AMQP `correlation_id` property) the correlation id of what caused the event. "
            "Delivery is at-least-once and in no guaranteed order: de-duplicate on `ce-id`, join "
            "an order's events on `order_id`. Subscribers from other teams bind their own quorum "
            "queue to the keys they need (docs/messaging.md) and declare `ticketing.events` "
            "passively, if at all (AMQP `passive`; aio-pika `get_exchange`, FastStream "
            "`RabbitExchange(..., declare=False)`): it has the argument `alternate-exchange: "
            "ticketing.unroutable`, and a declaration without it is refused (406 "
            "PRECONDITION_FAILED) and closes the channel."
        ),
        schema_version="3.0.0",
    )
    # sorted keys: FastStream's channel order varies between runs, the committed file must not
    text: str = yaml.safe_dump(
        as_published(document.to_specification().to_jsonable()),
        sort_keys=True,
        allow_unicode=True,
        width=100,
    )
    return text


CORRELATION = {
    "description": "also the AMQP correlation_id property",
    "location": f"$message.header#/{CORRELATION_HEADER}",
}


def _text(description: str, **more: Any) -> dict[str, Any]:
    return {"type": "string", "description": description, **more}


#: the CloudEvents attributes every message carries as AMQP headers (see the contracts envelope)
ENVELOPE_HEADERS = {
    "type": "object",
    "required": ["ce-id", "ce-source", "ce-type", "ce-specversion", "ce-time"],
    "properties": {
        "ce-id": _text("the event's id, the same on every redelivery: de-duplicate on it"),
        "ce-source": _text("the publishing service, e.g. /ticketing/orders"),
        "ce-type": _text("the routing key, e.g. orders.order.paid.v1"),
        "ce-specversion": _text("CloudEvents version", const="1.0"),
        "ce-time": _text("when the event happened", format="date-time"),
        "ce-subject": _text("what it is about, e.g. the order id"),
        "ce-dataschema": _text(
            "urn:ticketing:event:<type>, the $id of the body's JSON Schema (not a URL to fetch:"
            " the schemas are in libs/contracts)"
        ),
        CORRELATION_HEADER: _text("the correlation id of what caused it"),
        "traceparent": _text("W3C trace context"),
        "tracestate": _text("W3C trace context"),
    },
}


def as_published(node: Any) -> Any:
    """FastStream's document, corrected where it guesses: the vhost is ``ticketing`` (it writes
    ``/ticketing``), the correlation id travels in the header ``x-correlation-id``, messages are
    persistent (``deliveryMode`` 2, as ``ticketing_runtime.broker`` publishes them), and every
    message carries the CloudEvents headers, JSON in its body."""
    if isinstance(node, list):
        return [as_published(item) for item in node]
    if not isinstance(node, dict):
        return node
    fixed = {key: as_published(value) for key, value in node.items()}
    if isinstance(fixed.get("vhost"), str):
        fixed["vhost"] = fixed["vhost"].lstrip("/") or "/"
    if "correlationId" in fixed:
        fixed["correlationId"] = CORRELATION
    if "deliveryMode" in fixed:
        fixed["deliveryMode"] = 2
    if "payload" in fixed and "title" in fixed:  # a message
        fixed["headers"] = ENVELOPE_HEADERS
        fixed["contentType"] = "application/json"
    return fixed


def main() -> None:
    text = render()
    if "--write" in sys.argv:
        TARGET.parent.mkdir(exist_ok=True)
        TARGET.write_text(text)
        print(TARGET)
    else:
        print(text)


if __name__ == "__main__":
    main()
