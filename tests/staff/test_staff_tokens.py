"""An admin gives a clerk or a steward's phone access (POST /v1/admin/staff-tokens): the token
works with exactly the roles asked for, until the time asked for; the issue is audited without
the token; nobody else may issue one, and bad input is refused with the field named."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.support.catalogue import session
from tests.support.platform import staff_token
from tests.web.console_flows import audited, staff_name

pytestmark = pytest.mark.infra
ROUTE = "/v1/admin/staff-tokens"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _issued(gateway: httpx.AsyncClient, admin: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = await gateway.post(ROUTE, headers=_bearer(staff_token("admin", name=admin)), json=body)
    assert answer.status_code == 201, answer.text
    assert answer.headers["cache-control"] == "no-store"
    issued: dict[str, Any] = answer.json()
    return issued


async def test_an_issued_clerk_token_has_the_roles_asked_for_and_the_issue_is_audited(
    gateway: httpx.AsyncClient,
) -> None:
    admin, clerk = staff_name("ops"), staff_name("box-office")
    before = datetime.now(UTC)
    issued = await _issued(gateway, admin, {"name": clerk, "roles": ["staff"], "ttl_s": 3600})
    assert (issued["subject"], issued["roles"]) == (f"staff:{clerk}", ["staff"])
    expires = datetime.fromisoformat(issued["expires_at"])
    assert before + timedelta(seconds=3590) < expires < before + timedelta(seconds=3610)

    me = await gateway.get("/v1/me", headers=_bearer(issued["token"]))
    assert me.json() == {"kind": "staff", "subject": f"staff:{clerk}", "roles": ["staff"]}
    assert (await gateway.get("/v1/orders", headers=_bearer(issued["token"]))).status_code == 200
    # a clerk cannot hand out access in turn, nor read the audit log
    again = await gateway.post(
        ROUTE, headers=_bearer(issued["token"]), json={"name": "x", "roles": ["admin"]}
    )
    assert again.status_code == 403, again.text
    assert (
        await gateway.get("/v1/admin/audit", headers=_bearer(issued["token"]))
    ).status_code == 403

    [entry] = await audited(gateway, admin, {"gateway.staff_token.issued"})
    assert (entry["target_type"], entry["target_id"]) == ("staff", f"staff:{clerk}")
    assert entry["details"] == {
        "token_id": issued["token_id"],
        "roles": ["staff"],
        "expires_at": expires.isoformat(),
    }
    assert issued["token"] not in json.dumps(entry), "the audit log never holds the token"


async def test_a_steward_phone_gets_a_scanner_token_for_a_shift_by_default(
    gateway: httpx.AsyncClient,
) -> None:
    before = datetime.now(UTC)
    issued = await _issued(gateway, staff_name("ops"), {"name": "door-1", "roles": ["scanner"]})
    assert issued["roles"] == ["scanner"]
    shift = datetime.fromisoformat(issued["expires_at"]) - before
    assert timedelta(hours=8) - timedelta(seconds=10) < shift <= timedelta(hours=8, seconds=10)
    scanner = _bearer(issued["token"])
    assert (await gateway.get("/v1/orders", headers=scanner)).status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "has space", "roles": ["staff"]}, "body.name"),
        ({"name": "", "roles": ["staff"]}, "body.name"),
        ({"name": "a" * 65, "roles": ["staff"]}, "body.name"),
        ({"name": "anna", "roles": []}, "body.roles"),
        ({"name": "anna", "roles": ["root"]}, "body.roles"),
        ({"name": "anna", "roles": ["staff"], "ttl_s": 10}, "body.ttl_s"),
        ({"name": "anna", "roles": ["staff"], "ttl_s": 8 * 86400}, "body.ttl_s"),
        ({"name": "anna", "roles": ["staff"], "kind": "admin"}, "body.kind"),
        ({"roles": ["staff"]}, "body.name"),
    ],
)
async def test_bad_input_is_refused_with_the_field_named(
    gateway: httpx.AsyncClient, admin_headers: dict[str, str], body: dict[str, Any], field: str
) -> None:
    answer = await gateway.post(ROUTE, headers=admin_headers, json=body)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert field in answer.json()["detail"]


async def test_only_an_admin_may_issue_one(gateway: httpx.AsyncClient) -> None:
    body = {"name": "anna", "roles": ["admin"]}
    for headers, status in (
        ({}, 401),
        (await session(gateway), 403),
        (_bearer(staff_token("staff")), 403),
        (_bearer(staff_token("scanner")), 403),
    ):
        answer = await gateway.post(ROUTE, headers=headers, json=body)
        assert (answer.status_code, answer.headers["content-type"]) == (
            status,
            "application/problem+json",
        ), answer.text
        assert "token" not in answer.json()


async def test_a_token_asked_again_with_its_key_is_the_same_token_issued_once(
    gateway: httpx.AsyncClient,
) -> None:
    """The answer of an issue was lost and the admin pressed again: a second token, valid for
    a week, was made that nobody saw. The same key now answers the same token (signed again:
    nothing secret is kept), and the key with another request is refused."""
    admin, clerk = staff_name("ops"), staff_name("door")
    headers = {**_bearer(staff_token("admin", name=admin)), "Idempotency-Key": "issue-door-0001"}
    body = {"name": clerk, "roles": ["scanner"], "ttl_s": 3600}
    first = await gateway.post(ROUTE, headers=headers, json=body)
    again = await gateway.post(ROUTE, headers=headers, json=body)
    assert (first.status_code, again.status_code) == (201, 201), again.text
    assert again.json() == first.json()  # the same token, id and expiry
    me = await gateway.get("/v1/me", headers=_bearer(again.json()["token"]))
    assert me.json()["subject"] == f"staff:{clerk}"
    other = await gateway.post(ROUTE, headers=headers, json={**body, "roles": ["admin"]})
    assert (other.status_code, other.json()["type"].rsplit("/", 1)[-1]) == (
        422,
        "idempotency-key-reused",
    )
    issued = await audited(gateway, admin, {"gateway.staff_token.issued"})
    assert [e["details"]["token_id"] for e in issued] == [first.json()["token_id"]]

    # withdrawn since: the key no longer hands out what looks like a working token
    withdraw = f"{ROUTE}/{first.json()['token_id']}/withdraw"
    gone = await gateway.post(withdraw, headers=headers, json={"reason": "phone lost"})
    assert gone.status_code == 200, gone.text
    after = await gateway.post(ROUTE, headers=headers, json=body)
    assert (after.status_code, after.json()["type"].rsplit("/", 1)[-1]) == (
        409,
        "staff-token-withdrawn",
    )
    assert "new key" in after.json()["detail"]
