"""Staff put a customer's details right: a box-office sale made without an address gets one,
and its confirmation, resent, reaches it; audited; bad requests are refused."""

from __future__ import annotations

import json
from typing import Any

import asyncpg
import httpx
import pytest

from tests.support import catalogue
from tests.support.staff import bearer, desk_hold, desk_sale, email_for, mails_to
from tests.support.waiting import eventually

pytestmark = pytest.mark.infra
PROBLEM = "application/problem+json"


async def test_an_address_given_later_gets_the_confirmation_resent_and_is_audited(
    gateway: httpx.AsyncClient, admin_headers: dict[str, str], admin_db: asyncpg.Connection
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    clerk = bearer("staff")
    sale = await desk_sale(gateway, clerk, await desk_hold(gateway, show, clerk, quantity=1))
    assert sale.status_code == 201, sale.text
    order_id = sale.json()["order_id"]

    async def parked() -> list[dict[str, Any]]:
        found = await gateway.get("/v1/notifications", headers=clerk, params={"order_id": order_id})
        return [n for n in found.json() if n["status"] == "parked"]

    [confirmation] = await eventually(parked, what="the confirmation parked without an address")

    address = email_for("given-later")
    path = f"/v1/orders/{order_id}/customer"
    corrected = await gateway.patch(path, headers=clerk, json={"email": address})
    assert corrected.status_code == 200, corrected.text
    assert corrected.json()["customer"] == {"name": "Grace Hopper", "email": address}
    resent = await gateway.post(
        f"/v1/notifications/{confirmation['notification_id']}/resend", headers=clerk
    )
    assert resent.status_code == 202, resent.text
    [mail] = await eventually(lambda: mails_to(address), timeout=30, what="the resent e-mail")
    assert sale.json()["order_number"] in mail["subject"]

    async def audited() -> list[dict[str, Any]]:
        answer = await gateway.get(
            "/v1/admin/audit", headers=admin_headers, params={"order_id": order_id}
        )
        return [e for e in answer.json()["data"] if e["action"] == "orders.customer.corrected"]

    [entry] = await eventually(audited, what="the correction in the audit log")
    assert entry["details"]["before"] == {"name": "Grace Hopper", "email": None}
    assert entry["details"]["after"]["email"] == address
    announced = await admin_db.fetch(
        "SELECT convert_from(body, 'UTF8')::jsonb AS event FROM orders.outbox"
        " WHERE routing_key = 'orders.customer.corrected.v1'"
        " AND convert_from(body, 'UTF8')::jsonb ->> 'order_id' = $1",
        order_id,
    )
    assert [json.loads(r["event"])["customer"] for r in announced] == [
        {"name": "Grace Hopper", "email": address}
    ]


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        ({}, 422, "give name, email or both"),
        ({"email": "not-an-address"}, 422, "body.email"),
        ({"name": ""}, 422, "body.name"),
        ({"name": "Ada", "favourite": "tea"}, 422, "body.favourite"),
    ],
)
async def test_a_correction_that_does_not_fit_is_refused(
    gateway: httpx.AsyncClient, body: dict[str, Any], status: int, detail: str
) -> None:
    answer = await gateway.patch(
        "/v1/orders/ord_nobody/customer", headers=bearer("staff"), json=body
    )
    assert (answer.status_code, answer.headers["content-type"]) == (status, PROBLEM)
    assert detail in answer.json()["detail"]


async def test_only_staff_correct_a_known_order(gateway: httpx.AsyncClient) -> None:
    unknown = await gateway.patch(
        "/v1/orders/ord_nobody/customer", headers=bearer("staff"), json={"name": "Ada"}
    )
    assert (unknown.status_code, unknown.json()["type"].rsplit("/", 1)[-1]) == (
        404,
        "order-not-found",
    )
    customer = await gateway.patch("/v1/orders/ord_nobody/customer", json={"name": "Ada"})
    assert customer.status_code == 401
