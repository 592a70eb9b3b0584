"""The sales summary agrees with the orders' and inventory's own figures for a performance."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support import catalogue
from tests.support.catalogue import STAFF, session
from tests.support.purchase import hold, paid, place, scan, staff_order
from tests.support.staff import bearer
from tests.support.waiting import eventually

pytestmark = pytest.mark.infra
PROBLEM = "application/problem+json"
ADMIN = bearer("admin", name="sales-admin")


async def summary(gateway: httpx.AsyncClient, **params: str) -> dict[str, Any]:
    answer = await gateway.get("/v1/orders/sales-summary", headers=STAFF, params=params)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def inventory_sold(gateway: httpx.AsyncClient, performance_id: str) -> int:
    answer = await gateway.get(
        "/v1/admin/inventory/reconciliation",
        headers=ADMIN,
        params={"performance_id": performance_id},
    )
    assert answer.status_code == 200, answer.text
    return sum(t["sold"] for t in answer.json()["tiers"])


async def test_the_summary_equals_the_orders_and_inventory_figures(
    gateway: httpx.AsyncClient,
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    bought = [await paid(gateway, await place(gateway, show, quantity=n)) for n in (3, 2)]
    refund = await gateway.post(
        f"/v1/orders/{bought[0]['order_id']}/refunds",
        headers=STAFF,
        json={"ticket_ids": [bought[0]["tickets"][0]["ticket_id"]]},
    )
    assert refund.status_code == 201, refund.text
    await hold(gateway, show, await session(gateway), 1)  # a customer at checkout
    assert (await scan(gateway, bought[1]["tickets"][0]["secret"], show.performance_id))[
        "result"
    ] == "ok"

    async def settled() -> dict[str, Any] | None:
        seen = await summary(gateway, performance_id=show.performance_id)
        [tier] = seen["performances"][0]["tiers"]
        return (
            seen
            if tier["sold"] == await inventory_sold(gateway, show.performance_id) == 4
            else None
        )

    seen = await eventually(settled, what="inventory's sales committed, the refund returned")
    [performance] = seen["performances"]
    assert performance["time_zone"] == "Europe/Amsterdam"  # no venue: the event's clock
    [tier] = performance["tiers"]
    assert (tier["capacity"], tier["sold"], tier["held"], tier["available"]) == (10, 4, 1, 5)
    assert tier["tickets_issued"] == 4  # orders' count of live tickets equals inventory's

    orders = [await staff_order(gateway, o["order_id"]) for o in bought]
    gross = sum(o["total"]["amount"] for o in orders)
    refunded = sum(r["amount"]["amount"] for o in orders for r in o["refunds"])
    assert performance["revenue"] == [
        {
            "currency": "EUR",
            "orders": 2,
            "gross": gross,
            "refunded": refunded,
            "net": gross - refunded,
        }
    ]
    assert (gross, refunded) == (12500, 2500)
    assert performance["checked_in"] == 1
    assert sum(h["tickets"] for h in performance["sales_per_hour"]) == 5
    assert sum(h["gross"] for h in performance["sales_per_hour"]) == gross

    event = await summary(gateway, event_id=show.event_id)
    assert [p["performance_id"] for p in event["performances"]] == [show.performance_id]
    assert (event["sold"], event["held"], event["checked_in"]) == (4, 1, 1)
    assert event["revenue"] == performance["revenue"]


async def test_the_summary_is_for_staff_and_names_one_scope(gateway: httpx.AsyncClient) -> None:
    both = await gateway.get(
        "/v1/orders/sales-summary",
        headers=STAFF,
        params={"performance_id": "prf_x", "event_id": "evt_x"},
    )
    assert (both.status_code, both.headers["content-type"]) == (422, PROBLEM)
    neither = await gateway.get("/v1/orders/sales-summary", headers=STAFF)
    assert neither.status_code == 422
    unknown = await gateway.get(
        "/v1/orders/sales-summary", headers=STAFF, params={"performance_id": "prf_unknown"}
    )
    assert (unknown.status_code, unknown.headers["content-type"]) == (404, PROBLEM)
    buyer = await session(gateway)
    as_customer = await gateway.get(
        "/v1/orders/sales-summary", headers=buyer, params={"performance_id": "prf_x"}
    )
    assert as_customer.status_code == 403
