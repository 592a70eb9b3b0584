"""Staff find orders by number, e-mail, name, performance, status and date, page by page, and
read one with what payments, documents and notifications know of it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.support import catalogue
from tests.support.catalogue import STAFF, Show, session
from tests.support.purchase import SCANNER, Placed, hold, paid
from tests.support.staff import email_for
from tests.support.waiting import eventually

pytestmark = pytest.mark.infra
PROBLEM = "application/problem+json"


async def buy(gateway: httpx.AsyncClient, show: Show, name: str, email: str) -> Placed:
    buyer = await session(gateway)
    hold_id = await hold(gateway, show, buyer, 1)
    answer = await gateway.post(
        "/v1/orders",
        headers={**buyer, "Idempotency-Key": str(uuid.uuid4())},
        json={"hold_id": hold_id, "customer": {"name": name, "email": email}},
    )
    assert answer.status_code == 201, answer.text
    return Placed(buyer, hold_id, answer.json())


async def search(gateway: httpx.AsyncClient, **params: Any) -> httpx.Response:
    return await gateway.get("/v1/orders", headers=STAFF, params=params)


async def found(gateway: httpx.AsyncClient, **params: Any) -> list[str]:
    answer = await search(gateway, **params)
    assert answer.status_code == 200, answer.text
    return [o["order_id"] for o in answer.json()["data"]]


async def test_staff_find_an_order_by_each_of_its_facts(gateway: httpx.AsyncClient) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    tag = uuid.uuid4().hex[:8]
    first = await buy(gateway, show, f"Katherine {tag} Johnson", email_for("kj"))
    second = await buy(gateway, show, f"Dorothy {tag} Vaughan", email_for("dv"))
    ticket_number = (await paid(gateway, second))["tickets"][0]["ticket_number"]
    one, two = first.order, second.order

    assert await found(gateway, email=two["customer"]["email"].upper()) == [two["order_id"]]
    number = two["order_number"].lower()
    assert await found(gateway, order_number=number) == [two["order_id"]]
    assert await found(gateway, order_number=ticket_number) == [two["order_id"]]  # off a ticket
    assert await found(gateway, name=f"{tag} johnson") == [one["order_id"]]
    newest_first = [two["order_id"], one["order_id"]]
    assert await found(gateway, performance_id=show.performance_id) == newest_first
    assert await found(gateway, performance_id=show.performance_id, status="paid") == [
        two["order_id"]
    ]
    pending = await found(gateway, performance_id=show.performance_id, status="pending_payment")
    assert pending == [one["order_id"]]
    later = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    assert await found(gateway, performance_id=show.performance_id, created_from=later) == []
    assert await found(gateway, performance_id=show.performance_id, created_to=later) == (
        newest_first
    )


async def test_search_pages_like_stripe(gateway: httpx.AsyncClient) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    bought = [await buy(gateway, show, "Mae Jemison", email_for("mj")) for _ in range(3)]
    ids = [b.order["order_id"] for b in reversed(bought)]  # newest first
    seen: list[str] = []
    after: str | None = None
    for expected_more in (True, True, False):
        params: dict[str, Any] = {"performance_id": show.performance_id, "limit": 1}
        if after is not None:
            params["starting_after"] = after
        page = (await search(gateway, **params)).json()
        assert page["has_more"] is expected_more
        seen += [o["order_id"] for o in page["data"]]
        after = seen[-1]
    assert seen == ids


async def test_bad_searches_and_other_callers_are_refused(gateway: httpx.AsyncClient) -> None:
    now = datetime.now(UTC)
    backwards = await search(
        gateway, created_from=now.isoformat(), created_to=(now - timedelta(days=1)).isoformat()
    )
    assert (backwards.status_code, backwards.headers["content-type"]) == (422, PROBLEM)
    naive = await search(gateway, created_from="2026-01-01T10:00:00")
    assert (naive.status_code, naive.headers["content-type"]) == (422, PROBLEM)
    assert "created_from" in naive.json()["detail"]
    # a moment the database cannot hold (year 1 east of UTC) is a field error, not a 500
    ancient = await search(gateway, created_from="0001-01-01T00:00:00+05:00")
    assert (ancient.status_code, ancient.headers["content-type"]) == (422, PROBLEM)
    assert "created_from" in ancient.json()["detail"]
    for bad in ({"limit": 0}, {"limit": 101}, {"status": "placing"}, {"starting_after": "ord_x"}):
        refused = await search(gateway, **bad)
        assert (refused.status_code, refused.headers["content-type"]) == (422, PROBLEM), bad
    buyer = await session(gateway)
    assert (await gateway.get("/v1/orders", headers=buyer)).status_code == 403
    assert (await gateway.get("/v1/orders", headers=SCANNER)).status_code == 403
    assert (await gateway.get("/v1/orders")).status_code == 401


async def test_staff_read_an_order_with_its_payment_documents_and_emails(
    gateway: httpx.AsyncClient,
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    email = email_for("detail")
    placed = await buy(gateway, show, "Annie Easley", email)
    order = await paid(gateway, placed)
    path = f"/v1/orders/{order['order_id']}/details"

    async def complete() -> dict[str, Any] | None:
        answer = await gateway.get(path, headers=STAFF)
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        sent = [e for e in body["emails"]["records"] if e["status"] == "sent"]
        return body if body["documents"]["records"] and sent else None

    details = await eventually(complete, what="the order's PDFs and e-mail")
    assert details["order"]["order_id"] == order["order_id"]
    assert [t["ticket_id"] for t in details["order"]["tickets"]] == [
        t["ticket_id"] for t in order["tickets"]
    ]
    [intent] = details["payment"]["records"]
    assert intent["payment_intent_id"] == order["payment"]["payment_intent_id"]
    assert intent["status"] == "succeeded"
    assert "client_secret" not in intent  # the customer's, to pay with: no clerk needs it
    assert {d["ticket_id"] for d in details["documents"]["records"]} == {
        None,
        order["tickets"][0]["ticket_id"],
    }
    assert details["emails"]["records"][0]["recipient"] == email
    assert (await gateway.get(path, headers=placed.token_header)).status_code in (401, 403)
    assert (await gateway.get("/v1/orders/ord_missing/details", headers=STAFF)).status_code == 404
