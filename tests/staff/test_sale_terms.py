"""Staff change a performance's sale terms (PATCH /v1/performances/{id}): the very next hold
sells under them, bad changes are refused with a reason, and every change is audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.support import catalogue
from tests.support.catalogue import session
from tests.support.platform import staff_token
from tests.support.purchase import SCANNER, hold
from tests.web.console_flows import audited, staff_name

pytestmark = pytest.mark.infra


def _staff(name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {staff_token('staff', name=name)}"}


async def _hold_answer(
    gateway: httpx.AsyncClient, show: catalogue.Show, quantity: int = 1
) -> httpx.Response:
    body = {
        "performance_id": show.performance_id,
        "tiers": [{"tier_id": show.tiers["Floor"], "quantity": quantity}],
    }
    return await gateway.post("/v1/holds", headers=await session(gateway), json=body)


def _problem(answer: httpx.Response, status: int) -> dict[str, Any]:
    """The problem document, with its type's last segment as ``code``."""
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = answer.json()
    return {**problem, "code": problem["type"].rsplit("/", 1)[-1]}


async def test_the_next_hold_sells_under_the_new_terms_and_the_change_is_audited(
    gateway: httpx.AsyncClient,
) -> None:
    show = await catalogue.general_admission(gateway, capacity=20)
    await hold(gateway, show, await session(gateway), 1)  # the old terms are now cached
    name = staff_name("terms")
    path = f"/v1/performances/{show.performance_id}"
    now = datetime.now(UTC)
    opens = now + timedelta(days=1)

    moved = await gateway.patch(
        path, headers=_staff(name), json={"sales_open_at": opens.isoformat()}
    )
    assert moved.status_code == 200, moved.text
    assert datetime.fromisoformat(moved.json()["sales_open_at"]) == opens
    assert moved.json()["event_id"] == show.event_id
    public = (await gateway.get(path)).json()  # what the storefront reads
    assert datetime.fromisoformat(public["sales_open_at"]) == opens
    refused = _problem(await _hold_answer(gateway, show), 409)
    assert refused["code"] == "sales-not-open", refused

    reopened = await gateway.patch(
        path,
        headers=_staff(name),
        json={"sales_open_at": (now - timedelta(minutes=1)).isoformat(), "max_per_order": 2},
    )
    assert reopened.status_code == 200, reopened.text
    assert reopened.json()["max_per_order"] == 2
    assert (await _hold_answer(gateway, show, 2)).status_code == 201
    assert _problem(await _hold_answer(gateway, show, 3), 422)["code"] == "over-max-per-order"

    entries = await audited(gateway, name, {"inventory.performance.sale_terms_changed"}, each=2)
    [first, second] = sorted(entries, key=lambda e: str(e["occurred_at"]))
    assert first["target_id"] == show.performance_id
    assert list(first["details"]) == ["sales_open_at"]
    assert datetime.fromisoformat(first["details"]["sales_open_at"]["to"]) == opens
    assert second["details"]["max_per_order"] == {"from": 10, "to": 2}


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({}, "name at least one of"),
        ({"max_per_order": None}, "cannot be null"),
        ({"max_per_order": 0}, "max_per_order"),
        ({"hold_ttl_s": 86_400}, "hold_ttl_s"),
        ({"sales_open_at": "tomorrow"}, "sales_open_at"),
        ({"sales_open_at": "2030-01-01T00:00:00"}, "sales_open_at"),  # no time zone
        ({"starts_at": "2030-01-01T00:00:00Z"}, "starts_at"),
    ],
)
async def test_a_malformed_change_is_refused_before_anything_is_read(
    gateway: httpx.AsyncClient, body: dict[str, Any], says: str
) -> None:
    answer = await gateway.patch(
        "/v1/performances/perf_nothing", headers=_staff("terms-bad"), json=body
    )
    assert says in str(_problem(answer, 422)), answer.text


async def test_a_window_out_of_order_or_a_cancelled_performance_keeps_its_terms(
    gateway: httpx.AsyncClient,
) -> None:
    show = await catalogue.general_admission(gateway, capacity=5)
    path = f"/v1/performances/{show.performance_id}"
    staff = _staff("terms-refused")
    before = (await gateway.get(path)).json()
    long_ago = (datetime.now(UTC) - timedelta(days=400)).isoformat()
    closes_first = _problem(
        await gateway.patch(path, headers=staff, json={"sales_close_at": long_ago}), 422
    )
    assert closes_first["code"] == "invalid-sales-window"
    assert "before they open" in closes_first["detail"]
    after_the_show = (datetime.now(UTC) + timedelta(days=60)).isoformat()
    too_late = _problem(
        await gateway.patch(path, headers=staff, json={"sales_close_at": after_the_show}), 422
    )
    assert "after the performance ends" in too_late["detail"]
    assert (await gateway.get(path)).json()["sales_close_at"] == before["sales_close_at"]
    assert (await _hold_answer(gateway, show)).status_code == 201

    unknown = _problem(
        await gateway.patch(
            "/v1/performances/perf_nothing", headers=staff, json={"max_per_order": 3}
        ),
        404,
    )
    assert unknown["code"] == "unknown-performance"
    for caller in (await session(gateway), SCANNER):
        denied = await gateway.patch(path, headers=caller, json={"max_per_order": 3})
        assert denied.status_code == 403, denied.text

    cancelled = await gateway.post(f"{path}/cancel", headers=staff)
    assert cancelled.status_code == 200, cancelled.text
    kept = _problem(await gateway.patch(path, headers=staff, json={"max_per_order": 3}), 409)
    assert kept["code"] == "performance-cancelled"
    tier = {"name": "Late", "price": {"amount": 100, "currency": "EUR"}, "capacity": 5}
    no_tier = _problem(await gateway.post(f"{path}/tiers", headers=staff, json=tier), 409)
    assert no_tier["code"] == "performance-cancelled"  # it was 201: a tier nobody can buy
