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

import yaml
from faststream.specification import AsyncAPI

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
            "`traceparent`/`tracestate` carry W3C trace context and `x-correlation-id` the "
            "purchase's correlation id. Delivery is at-least-once: de-duplicate on `ce-id`. "
            "Subscribers from other teams bind their own quorum queue to the keys they need."
        ),
        schema_version="3.0.0",
    )
    # sorted keys: FastStream's channel order varies between runs, the committed file must not
    text: str = yaml.safe_dump(
        document.to_specification().to_jsonable(), sort_keys=True, allow_unicode=True, width=100
    )
    return text


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
