"""What staff do in the console and at the box office, step by step, and what tests read back."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

import httpx
from playwright.async_api import Locator, Page, Route, expect

from tests.support import catalogue
from tests.support.catalogue import Show, session
from tests.support.platform import staff_token
from tests.support.purchase import confirm, hold
from tests.support.waiting import eventually


def staff_name(tag: str) -> str:
    return f"{tag}-{uuid.uuid4().hex[:6]}"


async def sign_in(page: Page, token: str, where: str = "/console") -> None:
    """Paste ``token`` on the sign-in form of ``where``."""
    await page.goto(where)
    await page.get_by_label("Staff token").fill(token)
    await page.get_by_role("button", name="Sign in").click()


async def sign_in_as(page: Page, role: str, name: str, where: str = "/console") -> None:
    await sign_in(page, staff_token(role, name=name), where)
    await expect(page.get_by_test_id("staff-role")).to_have_text(role)


async def go(page: Page, screen: str, heading: str) -> None:
    """Open a console screen from the navigation, as staff do."""
    await (
        page.get_by_role("navigation", name="Staff screens")
        .get_by_role("link", name=screen, exact=True)
        .click()
    )
    await expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()


async def confirm_with(page: Page, scope: Locator, label: str, answer: str) -> None:
    """Press a button that asks first, then its confirmation."""
    await scope.get_by_role("button", name=label, exact=True).click()
    await (
        page.get_by_role("group", name=f"Confirm: {label}")
        .get_by_role("button", name=answer)
        .click()
    )


def admin_headers(name: str = "audit-reader") -> dict[str, str]:
    return {"Authorization": f"Bearer {staff_token('admin', name=name)}"}


async def audit_of(gateway: httpx.AsyncClient, name: str) -> list[dict[str, Any]]:
    """Every audit entry of the staff member ``name`` (the gateway's log, fed through the
    services' outboxes; a staff token's subject is ``staff:<name>``)."""
    answer = await gateway.get(
        "/v1/admin/audit",
        headers=admin_headers(),
        params={"actor": f"staff:{name}", "limit": 100},
    )
    assert answer.status_code == 200, answer.text
    return list(answer.json()["data"])


async def audited(
    gateway: httpx.AsyncClient, actor: str, actions: set[str], *, each: int = 1
) -> list[dict[str, Any]]:
    """Wait until each of ``actions`` is in the audit log ``each`` times with ``actor`` as its
    author (entries arrive through the outboxes, one by one, so waiting for an action's first
    entry does not wait for its second)."""

    async def logged() -> list[dict[str, Any]] | None:
        entries = await audit_of(gateway, actor)
        seen = Counter(e["action"] for e in entries)
        return entries if all(seen[action] >= each for action in actions) else None

    found: list[dict[str, Any]] | None = await eventually(
        logged, timeout=30, what=f"audit entries {sorted(actions)} x{each}"
    )
    assert found is not None
    assert all(e["actor"] == f"staff:{actor}" for e in found)
    return found


async def paid_order_for(gateway: httpx.AsyncClient, show: Show, email: str, quantity: int) -> str:
    """A customer's order paid online with a good card; returns its id once paid."""
    buyer = await session(gateway)
    hold_id = await hold(gateway, show, buyer, quantity)
    answer = await gateway.post(
        "/v1/orders",
        headers={**buyer, "Idempotency-Key": str(uuid.uuid4())},
        json={"hold_id": hold_id, "customer": {"name": "Ada Lovelace", "email": email}},
    )
    assert answer.status_code == 201, answer.text
    order = answer.json()
    await confirm(order["payment"]["payment_intent_id"])
    staff = {"Authorization": f"Bearer {staff_token('staff', name='test-reader')}"}

    async def is_paid() -> bool:
        seen = await gateway.get(f"/v1/orders/{order['order_id']}", headers=staff)
        return bool(seen.json()["status"] == "paid")

    await eventually(is_paid, what="the order paid")
    return str(order["order_id"])


async def open_desk(page: Page, gateway: httpx.AsyncClient, capacity: int = 10) -> Show:
    """A general-admission show of ``capacity`` (€25.00 a ticket), and a clerk at its desk."""
    show = await catalogue.general_admission(gateway, capacity=capacity)
    where = f"/box-office?performance={show.performance_id}"
    await sign_in_as(page, "staff", staff_name("clerk"), where=where)
    return show


async def lose_first_answer(page: Page, pattern: str, field: str) -> list[str]:
    """The server answers the first request to ``pattern`` but the page never hears it (the
    connection resets); the list gets that answer's ``field``. Later requests go through."""
    lost: list[str] = []

    async def answer_then_reset(route: Route) -> None:
        if lost:
            await route.continue_()
            return
        answer = await route.fetch()
        lost.append((await answer.json())[field])
        await route.abort("connectionreset")

    await page.route(pattern, answer_then_reset)
    return lost
