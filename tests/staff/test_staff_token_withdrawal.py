"""An admin withdraws a staff token before it expires (a steward's lost phone, a clerk who left):
within seconds every service refuses it with 401, other tokens keep working, the withdrawal is
audited and listed; only admins may, and only a token that still works."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest

from tests.support.platform import stack, staff_token
from tests.support.waiting import eventually
from tests.web.console_flows import audited, staff_name

pytestmark = pytest.mark.infra
ROUTE = "/v1/admin/staff-tokens"
PROBLEM = "application/problem+json"
#: a staff-only read in every service: the withdrawal must reach each of them
STAFF_READS = {
    "gateway": "/v1/me",
    "inventory": "/v1/events/all",
    "orders": "/v1/orders",
    "payments": "/v1/admin/services/payments/reconciliation",
    "documents": "/v1/admin/services/documents/reconciliation",
    "notifications": "/v1/notifications?order_id=ord_none",
}


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _issue(
    gateway: httpx.AsyncClient, admin: dict[str, str], name: str, roles: list[str]
) -> dict[str, Any]:
    answer = await gateway.post(ROUTE, headers=admin, json={"name": name, "roles": roles})
    assert answer.status_code == 201, answer.text
    issued: dict[str, Any] = answer.json()
    return issued


async def _listed(gateway: httpx.AsyncClient, admin: dict[str, str], **params: Any) -> Any:
    answer = await gateway.get(ROUTE, headers=admin, params={"limit": 100, **params})
    assert answer.status_code == 200, answer.text
    return {t["token_id"]: t for t in answer.json()["data"]}


async def _refusals(gateway: httpx.AsyncClient, token: str) -> dict[str, int]:
    return {
        service: (await gateway.get(path, headers=_bearer(token))).status_code
        for service, path in STAFF_READS.items()
    }


async def test_a_withdrawn_token_is_refused_by_every_service_within_seconds(
    gateway: httpx.AsyncClient,
) -> None:
    admin_name, steward = staff_name("ops"), staff_name("door")
    admin = _bearer(staff_token("admin", name=admin_name))
    lost = await _issue(gateway, admin, steward, ["staff", "scanner"])
    spare = await _issue(gateway, admin, steward, ["staff", "scanner"])
    assert set((await _refusals(gateway, lost["token"])).values()) == {200}
    listed = (await _listed(gateway, admin))[lost["token_id"]]
    assert (listed["status"], listed["subject"], listed["issued_by"]) == (
        "active",
        f"staff:{steward}",
        f"staff:{admin_name}",
    )
    assert "token" not in listed, "the list never holds the token itself"

    path = f"{ROUTE}/{lost['token_id']}/withdraw"
    answer = await gateway.post(path, headers=admin, json={"reason": "phone lost at door 3"})
    assert answer.status_code == 200, answer.text
    withdrawn = answer.json()
    assert (withdrawn["status"], withdrawn["withdrawn_by"]) == ("withdrawn", f"staff:{admin_name}")
    assert withdrawn["withdrawal_reason"] == "phone lost at door 3"
    me = await gateway.get("/v1/me", headers=_bearer(lost["token"]))  # the gateway: at once
    assert (me.status_code, me.headers["content-type"]) == (401, PROBLEM)
    assert "withdrawn by an admin" in me.json()["detail"]

    async def refused_everywhere() -> bool:
        return set((await _refusals(gateway, lost["token"])).values()) == {401}

    await eventually(refused_everywhere, timeout=20, what="every service refusing the token")
    assert set((await _refusals(gateway, spare["token"])).values()) == {200}, "per token"

    again = await gateway.post(path, headers=admin, json={"reason": "twice"})
    assert again.status_code == 200, again.text
    assert again.json()["withdrawn_at"] == withdrawn["withdrawn_at"]
    assert again.json()["withdrawal_reason"] == "phone lost at door 3"
    assert (await _listed(gateway, admin))[lost["token_id"]]["status"] == "withdrawn"
    [entry] = [
        e
        for e in await audited(gateway, admin_name, {"gateway.staff_token.withdrawn"})
        if e["action"] == "gateway.staff_token.withdrawn"
    ]
    assert (entry["target_id"], entry["details"]) == (
        f"staff:{steward}",
        {"token_id": lost["token_id"], "reason": "phone lost at door 3"},
    )


async def test_an_expired_token_has_nothing_to_withdraw_and_leaves_the_default_list(
    gateway: httpx.AsyncClient, admin_db: asyncpg.Connection
) -> None:
    admin = _bearer(staff_token("admin", name=staff_name("ops")))
    issued = await _issue(gateway, admin, staff_name("temp"), ["staff"])
    await admin_db.execute(
        "UPDATE gateway.staff_tokens SET expires_at = $2 WHERE token_id = $1",
        issued["token_id"],
        datetime.now(UTC) - timedelta(minutes=1),
    )
    answer = await gateway.post(
        f"{ROUTE}/{issued['token_id']}/withdraw", headers=admin, json={"reason": "left"}
    )
    assert (answer.status_code, answer.headers["content-type"]) == (409, PROBLEM), answer.text
    assert answer.json()["type"].endswith("/staff-token-expired")
    assert issued["token_id"] not in await _listed(gateway, admin)
    everything = await _listed(gateway, admin, expired_too="true")
    assert everything[issued["token_id"]]["status"] == "expired"


async def test_only_admins_withdraw_and_only_a_known_token_with_a_reason(
    gateway: httpx.AsyncClient,
) -> None:
    admin = _bearer(staff_token("admin", name=staff_name("ops")))
    issued = await _issue(gateway, admin, staff_name("clerk"), ["staff"])
    path = f"{ROUTE}/{issued['token_id']}/withdraw"
    for caller, status in (
        ({}, 401),
        (_bearer(staff_token("staff")), 403),
        (_bearer(staff_token("scanner")), 403),
        (_bearer(issued["token"]), 403),
    ):
        answer = await gateway.post(path, headers=caller, json={"reason": "x"})
        assert (answer.status_code, answer.headers["content-type"]) == (status, PROBLEM)
        assert (await gateway.get(ROUTE, headers=caller)).status_code == status
    for body, says in (
        ({}, "reason"),
        ({"reason": "  "}, "reason"),
        ({"reason": "x" * 501}, "reason"),
    ):
        answer = await gateway.post(path, headers=admin, json=body)
        assert (answer.status_code, answer.headers["content-type"]) == (422, PROBLEM)
        assert says in answer.text
    unknown = await gateway.post(
        f"{ROUTE}/stk_nothing/withdraw", headers=admin, json={"reason": "x"}
    )
    assert unknown.status_code == 404
    assert unknown.json()["type"].endswith("/staff-token-not-found")
    cursor = await gateway.get(ROUTE, headers=admin, params={"starting_after": "stk_nothing"})
    assert (cursor.status_code, cursor.headers["content-type"]) == (422, PROBLEM)
    assert (await gateway.get("/v1/me", headers=_bearer(issued["token"]))).status_code == 200


async def test_the_withdrawn_list_is_for_the_services_only(gateway: httpx.AsyncClient) -> None:
    """Not through the edge at all, and refused to staff who reach the gateway directly."""
    internal = "/internal/v1/withdrawn-staff-tokens"
    admin = _bearer(staff_token("admin"))
    at_the_edge = await gateway.get(internal, headers=admin)  # a page path: the storefront
    assert at_the_edge.headers["content-type"].startswith("text/html"), at_the_edge.text
    assert "token_id" not in at_the_edge.text
    direct = stack.PROCESSES["gateway"].url
    async with httpx.AsyncClient(base_url=direct) as client:
        answer = await client.get(internal, headers=admin)
    assert (answer.status_code, answer.headers["content-type"]) == (403, PROBLEM)
