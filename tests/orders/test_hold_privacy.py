"""A hold of another session answers exactly as an unknown hold does (404), at inventory and at
orders' placement, even once that hold has an order: nobody learns that it exists."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.support import catalogue
from tests.support.purchase import hold, order_body, place

pytestmark = pytest.mark.infra


def shape(answer: httpx.Response, hold_id: str) -> tuple[int, str, dict[str, Any]]:
    body = {k: v for k, v in answer.json().items() if k != "request_id"}
    body["detail"] = body["detail"].replace(hold_id, "<hold>")
    return answer.status_code, answer.headers["content-type"], body


async def test_placing_from_another_sessions_hold_is_a_404_like_an_unknown_hold(
    gateway: httpx.AsyncClient,
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    owner = await place(gateway, show, quantity=1)  # the hold now has an order
    stranger = await catalogue.session(gateway)
    unknown_id = f"hld_{uuid.uuid4().hex[:22]}"

    async def order_from(hold_id: str) -> httpx.Response:
        return await gateway.post(
            "/v1/orders",
            headers={**stranger, "Idempotency-Key": str(uuid.uuid4())},
            json=order_body(hold_id),
        )

    theirs = await order_from(owner.hold_id)
    unknown = await order_from(unknown_id)
    assert theirs.status_code == 404, theirs.text
    assert shape(theirs, owner.hold_id) == shape(unknown, unknown_id)


async def test_reading_another_sessions_hold_is_a_404_like_an_unknown_hold(
    gateway: httpx.AsyncClient,
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    owner, stranger = await catalogue.session(gateway), await catalogue.session(gateway)
    hold_id = await hold(gateway, show, owner, 1)
    unknown_id = f"hld_{uuid.uuid4().hex[:22]}"
    for method, suffix in (("GET", ""), ("POST", "/extend"), ("DELETE", "")):
        theirs = await gateway.request(method, f"/v1/holds/{hold_id}{suffix}", headers=stranger)
        unknown = await gateway.request(method, f"/v1/holds/{unknown_id}{suffix}", headers=stranger)
        theirs_shape, unknown_shape = shape(theirs, hold_id), shape(unknown, unknown_id)
        theirs_shape[2].pop("instance", None)
        unknown_shape[2].pop("instance", None)
        assert theirs.status_code == 404, (method, theirs.text)
        assert theirs_shape == unknown_shape, method
