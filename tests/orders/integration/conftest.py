"""Orders' use cases in this process against the real PostgreSQL: a scratch schema migrated by
orders' own revisions, and inventory's and payments' HTTP APIs stubbed at the HTTP boundary
(``httpx.MockTransport`` behind the container's ``ServiceClient``s)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import select, text

from tests.support.platform import ADMIN_DATABASE_URL
from ticketing_orders.adapters.tables import coupons
from ticketing_orders.domain.tickets import signing_key
from ticketing_orders.entrypoints.views import order_document
from ticketing_orders.service_layer.container import Orders
from ticketing_orders.settings import OrdersSettings
from ticketing_runtime.callers import Identity
from ticketing_runtime.database import Database
from ticketing_runtime.ids import new_id
from ticketing_runtime.internal_http import ServiceClient
from ticketing_runtime.migrations import upgrade
from ticketing_runtime.outbox import outbox

Handler = Callable[[httpx.Request], httpx.Response]


def problem(status: int, code: str, detail: str) -> httpx.Response:
    body = {"type": f"https://docs.ticketing.example/problems/{code}", "status": status}
    return httpx.Response(status, json={**body, "title": code, "detail": detail})


@dataclass
class StubInventory:
    """Inventory's internal hold API as orders uses it: read a hold, pin it to an order."""

    holds: dict[str, dict[str, Any]] = field(default_factory=dict)
    pins: list[dict[str, Any]] = field(default_factory=list)
    pinned_to: dict[str, str] = field(default_factory=dict)  # hold -> order, as inventory keeps
    lose_pin_answers: int = 0  # pins made, their answers lost (a timeout): how many more
    fail_after_pinning: int = 0  # pins made in Redis, then a 500 (its Postgres record failed)
    #: the performance its holds are of (a test that cancels one takes its own: the schema is
    #: the test file's)
    performance_id: str = "perf_it"

    def hold(self, session_id: str, lines: list[dict[str, Any]]) -> str:
        hold_id = new_id("hld")
        self.holds[hold_id] = {"session_id": session_id, "lines": lines}
        return hold_id

    def __call__(self, request: httpx.Request) -> httpx.Response:
        parts = request.url.path.strip("/").split("/")  # internal, holds, <id>[, pin]
        found = self.holds.get(parts[2])
        if request.method == "GET":
            session_id = request.url.params.get("session_id")
            if found is None or found["session_id"] != session_id:
                return problem(404, "hold-not-found", "no such hold in this session")
            return httpx.Response(200, json={"hold_id": parts[2], "lines": found["lines"]})
        body = json.loads(request.content)
        if found is None or found["session_id"] != body["session_id"]:
            return problem(404, "hold-not-found", "no such hold in this session")
        if self.pinned_to.get(parts[2], body["order_id"]) != body["order_id"]:
            return problem(409, "hold-not-active", "the hold is pinned by another order")
        self.pinned_to[parts[2]] = body["order_id"]
        self.pins.append(body)
        if self.lose_pin_answers:
            self.lose_pin_answers -= 1
            raise httpx.ReadTimeout("inventory pinned it, its answer was lost", request=request)
        if self.fail_after_pinning:
            self.fail_after_pinning -= 1
            return problem(500, "internal-error", "the pin's record could not be written")
        show = {**SHOW, "performance_id": self.performance_id}
        return httpx.Response(200, json={**show, "hold_id": parts[2], "lines": found["lines"]})


@dataclass
class StubPayments:
    """Payments' intent API: answers an intent at once, or is down; reads an intent's client
    secret (answering ``read_status``)."""

    down: bool = False
    intents: list[dict[str, Any]] = field(default_factory=list)
    read_status: int = 200

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("payments is down", request=request)
        if request.method == "GET":
            if self.read_status != 200:
                return problem(self.read_status, "unavailable", "payments is restarting")
            return httpx.Response(200, json={"client_secret": "cs_late"})
        body = json.loads(request.content)
        self.intents.append(body)
        intent = f"pi_{body['order_id']}"
        return httpx.Response(200, json={"payment_intent_id": intent, "client_secret": "cs_x"})


SHOW = {
    "performance_id": "perf_it",
    "event_id": "evt_it",
    "event_name": "Integration Night",
    "starts_at": (datetime.now(UTC) + timedelta(days=7)).isoformat(),
    "time_zone": "Europe/Lisbon",
    "venue_name": "Hall",
    "venue_address": "Street 1",
}


def line(
    tier_id: str, quantity: int, unit_price: int, seats: list[str] | None = None
) -> dict[str, Any]:
    return {
        "tier_id": tier_id,
        "tier_name": tier_id.title(),
        "quantity": quantity,
        "unit_price": unit_price,
        "currency": "EUR",
        "seat_ids": seats or [],
        "seats": [],
    }


def stubbed(settings: OrdersSettings, handler: Handler) -> ServiceClient:
    """A real ``ServiceClient`` (signed identity, error mapping) whose transport is ``handler``."""
    return ServiceClient(settings, "http://stub", transport=httpx.MockTransport(handler))


def _admin_settings(schema: str) -> OrdersSettings:
    admin = urlsplit(ADMIN_DATABASE_URL)
    return OrdersSettings(
        service_name=schema,
        database_host=admin.hostname or "127.0.0.1",
        database_port=admin.port or 28432,
        database_user=admin.username,
        database_password=SecretStr(admin.password or ""),
        placement_lease_s=1.0,
        placement_wait_s=3.0,
    )


@pytest.fixture(scope="module")
async def orders_schema(infrastructure: None) -> AsyncIterator[OrdersSettings]:
    """A fresh schema per test file, migrated to head by orders' own revisions."""
    settings = _admin_settings(f"orders_it_{uuid.uuid4().hex[:10]}")
    database = Database(settings)
    async with database.engine.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{settings.database_schema}"'))
    await asyncio.to_thread(upgrade, settings, "ticketing_orders")
    yield settings
    async with database.engine.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA "{settings.database_schema}" CASCADE'))
    await database.dispose()


@dataclass
class Harness:
    orders: Orders
    inventory: StubInventory
    payments: StubPayments

    @property
    def database(self) -> Database:
        return self.orders.database

    async def published(self, routing_key: str) -> list[dict[str, Any]]:
        """The bodies of the events of ``routing_key`` in the outbox, oldest first."""
        query = select(outbox.c.body).where(outbox.c.routing_key == routing_key)
        query = query.order_by(outbox.c.seq)
        async with self.database.unit_of_work() as uow:
            rows = (await uow.session.execute(query)).scalars().all()
        return [json.loads(body) for body in rows]

    async def add_coupon(self, code: str, **fields: Any) -> None:
        values = {"coupon_id": new_id("cpn"), "code": code, "kind": "percent", **fields}
        async with self.database.unit_of_work() as uow:
            await uow.session.execute(coupons.insert().values(**values))
            await uow.commit()


@pytest.fixture
async def harness(orders_schema: OrdersSettings) -> AsyncIterator[Harness]:
    inventory, payments = StubInventory(), StubPayments()
    settings = orders_schema
    orders = Orders(
        database=Database(settings),
        inventory=stubbed(settings, inventory),
        payments=stubbed(settings, payments),
        documents=stubbed(settings, lambda r: httpx.Response(404, json={})),
        notifications=stubbed(settings, lambda r: httpx.Response(404, json={})),
        settings=settings,
        ticket_key=signing_key(settings.ticket_signing_key.get_secret_value()),
        present=order_document,
    )
    yield Harness(orders, inventory, payments)
    await orders.close()
    await orders.database.dispose()


def customer() -> Identity:
    return Identity(kind="customer", subject=new_id("ses"))


def staff(name: str = "clerk") -> Identity:
    return Identity(kind="staff", subject=f"staff:{name}", roles=frozenset({"staff"}))
