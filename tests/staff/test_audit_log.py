"""Every staff action lands in the admins' audit log: who, when, what, and the request id."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.support import catalogue
from tests.support.purchase import SCANNER, paid, place
from tests.support.staff import bearer, desk_hold, desk_sale
from tests.support.waiting import eventually

pytestmark = pytest.mark.infra
PROBLEM = "application/problem+json"


async def audit(gateway: httpx.AsyncClient, admin: dict[str, str], **params: Any) -> Any:
    answer = await gateway.get("/v1/admin/audit", headers=admin, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def entries(
    gateway: httpx.AsyncClient, admin: dict[str, str], count: int, **params: Any
) -> list[dict[str, Any]]:
    async def listed() -> list[dict[str, Any]] | None:
        page = await audit(gateway, admin, limit=100, **params)
        return page["data"] if len(page["data"]) >= count else None

    found: list[dict[str, Any]] | None = await eventually(listed, what=f"{count} entries")
    assert found is not None
    return found


async def test_staff_actions_are_recorded_with_author_and_request_id(
    gateway: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    clerk_name = f"clerk-{uuid.uuid4().hex[:8]}"
    clerk = bearer("staff", name=clerk_name)
    request_id = f"req-{uuid.uuid4().hex}"
    event = await gateway.post(
        "/v1/events",
        headers={**clerk, "X-Request-Id": request_id},
        json={"name": "Audited gala", "time_zone": "Europe/Amsterdam"},
    )
    assert event.status_code == 201, event.text
    show = await catalogue.general_admission(gateway, capacity=10)
    sale = await desk_sale(gateway, clerk, await desk_hold(gateway, show, clerk, 1), "cash")
    assert sale.status_code == 201, sale.text
    online = await paid(gateway, await place(gateway, show, quantity=2))
    refund = await gateway.post(
        f"/v1/orders/{online['order_id']}/refunds",
        headers={**clerk, "X-Request-Id": f"{request_id}-refund"},
        json={"ticket_ids": [online["tickets"][0]["ticket_id"]], "reason": "cannot come"},
    )
    assert refund.status_code == 201, refund.text
    rerender = await gateway.post(
        f"/v1/documents/orders/{online['order_id']}/render", headers=clerk
    )
    assert rerender.status_code == 202, rerender.text

    by_clerk = await entries(gateway, admin_headers, 4, actor=f"staff:{clerk_name}")
    actions = {e["action"]: e for e in by_clerk}
    assert set(actions) == {
        "inventory.event.created",
        "orders.box_office.sold",
        "orders.refund.created",
        "documents.rerender.requested",
    }
    assert all(
        e["actor"] == f"staff:{clerk_name}" and e["actor_roles"] == ["staff"] for e in by_clerk
    )
    created = actions["inventory.event.created"]
    assert (created["request_id"], created["target_id"]) == (
        request_id,
        event.json()["event_id"],
    )
    refunded = actions["orders.refund.created"]
    assert refunded["request_id"] == f"{request_id}-refund"
    assert refunded["details"]["reason"] == "cannot come"
    assert actions["orders.box_office.sold"]["details"]["payment_method"] == "cash"

    of_order = await entries(gateway, admin_headers, 2, order_id=online["order_id"])
    assert [e["action"] for e in of_order] == [
        "documents.rerender.requested",
        "orders.refund.created",
    ]  # newest first
    assert by_clerk == sorted(by_clerk, key=lambda e: e["occurred_at"], reverse=True)


async def test_parking_lot_replays_are_recorded(
    gateway: httpx.AsyncClient,
) -> None:
    admin_name = f"admin-{uuid.uuid4().hex[:8]}"
    admin = bearer("admin", name=admin_name)
    replay = await gateway.post(
        "/v1/admin/services/notifications/parking-lot/replay",
        headers=admin,
        json={"message_ids": ["msg-that-is-not-parked"]},
    )
    assert replay.status_code == 200, replay.text
    [entry] = await entries(gateway, admin, 1, actor=f"staff:{admin_name}")
    assert (entry["action"], entry["service"]) == ("parking_lot.replayed", "notifications")
    assert entry["details"]["asked"] == ["msg-that-is-not-parked"]


async def test_the_log_pages_and_only_admins_read_it(
    gateway: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    clerk_name = f"clerk-{uuid.uuid4().hex[:8]}"
    clerk = bearer("staff", name=clerk_name)
    for n in range(3):
        made = await gateway.post(
            "/v1/events", headers=clerk, json={"name": f"Paged {n}", "time_zone": "UTC"}
        )
        assert made.status_code == 201, made.text
    actor = f"staff:{clerk_name}"
    every = await entries(gateway, admin_headers, 3, actor=actor)
    first = await audit(gateway, admin_headers, actor=actor, limit=2)
    assert first["has_more"] is True
    rest = await audit(
        gateway,
        admin_headers,
        actor=actor,
        limit=2,
        starting_after=first["data"][-1]["audit_id"],
    )
    assert rest["has_more"] is False
    assert [e["audit_id"] for e in first["data"] + rest["data"]] == [e["audit_id"] for e in every]
    for caller in (clerk, SCANNER):
        refused = await gateway.get("/v1/admin/audit", headers=caller)
        assert (refused.status_code, refused.headers["content-type"]) == (403, PROBLEM)
    unknown = await gateway.get(
        "/v1/admin/audit", headers=admin_headers, params={"starting_after": "aud_nope"}
    )
    assert (unknown.status_code, unknown.headers["content-type"]) == (422, PROBLEM)


async def test_a_staff_cancellation_and_a_resent_email_are_recorded(
    gateway: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    clerk_name = f"clerk-{uuid.uuid4().hex[:8]}"
    clerk = bearer("staff", name=clerk_name)
    show = await catalogue.general_admission(gateway, capacity=10)
    unpaid = (await place(gateway, show, quantity=1)).order
    cancelled = await gateway.post(f"/v1/orders/{unpaid['order_id']}/cancel", headers=clerk)
    assert cancelled.status_code == 200, cancelled.text
    again = await gateway.post(f"/v1/orders/{unpaid['order_id']}/cancel", headers=clerk)
    assert again.status_code == 200  # the same answer, and no second entry
    bought = await paid(gateway, await place(gateway, show, quantity=1))

    async def sent() -> list[dict[str, Any]]:
        answer = await gateway.get(
            "/v1/notifications", headers=clerk, params={"order_id": bought["order_id"]}
        )
        return [n for n in answer.json() if n["status"] == "sent"]

    [note] = await eventually(sent, what="the confirmation e-mail sent")
    resent = await gateway.post(
        f"/v1/notifications/{note['notification_id']}/resend", headers=clerk
    )
    assert resent.status_code == 202, resent.text

    listed = await entries(gateway, admin_headers, 2, actor=f"staff:{clerk_name}")
    assert [(e["action"], e["order_id"]) for e in listed] == [
        ("notifications.email.resent", bought["order_id"]),
        ("orders.order.cancelled", unpaid["order_id"]),
    ]
    assert listed[0]["details"]["new"] == resent.json()["notification_id"]
