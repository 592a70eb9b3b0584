"""From the console to the door, in one story: staff find an order by the customer's e-mail and
refund one of its tickets in the console; a scanner then refuses that ticket as refunded online,
and a second phone that never saw it refuses it offline once its revocation list has synced."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest
from playwright.async_api import BrowserContext, Page, expect

from tests.support import catalogue
from tests.support.platform import staff_token
from tests.web import console_flows as console
from tests.web import scanner_flows as door
from tests.web.browser import Visits

pytestmark = pytest.mark.infra


async def refund_first_ticket_in_the_console(page: Page, email: str) -> None:
    await console.sign_in_as(page, "staff", console.staff_name("door-refunder"))
    await console.go(page, "Orders", "Orders")
    await page.get_by_label("Customer e-mail").fill(email)
    await page.get_by_role("button", name="Search").click()
    rows = page.get_by_role("table").locator("tbody tr")
    await expect(rows).to_have_count(1)
    await rows.get_by_role("link").click()
    await expect(page.get_by_test_id("order-status")).to_have_text("paid")
    refund = page.get_by_role("region", name="Refund", exact=True)
    await refund.get_by_role("checkbox").first.check()
    await console.confirm_with(page, refund, "Refund", "Yes, refund")
    await expect(page.get_by_test_id("order-status")).to_have_text("partially_refunded")


async def test_a_ticket_refunded_in_the_console_is_refused_at_the_door_online_and_offline(
    page: Page,
    phones: list[BrowserContext],
    visits: Visits,
    gateway: httpx.AsyncClient,
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    email = f"door-{uuid.uuid4().hex[:8]}@example.com"
    order_id = await console.paid_order_for(gateway, show, email, quantity=2)
    await refund_first_ticket_in_the_console(page, email)

    reader = {"Authorization": f"Bearer {staff_token('staff', name='door-reader')}"}
    order = (await gateway.get(f"/v1/orders/{order_id}", headers=reader)).json()
    [refunded] = [t for t in order["tickets"] if t["status"] == "refunded"]
    [kept] = [t for t in order["tickets"] if t["status"] == "valid"]

    online_phone = await phones[0].new_page()
    await door.open_door(online_phone, visits, show.performance_id)
    online = await door.scan_code(online_phone, refunded["secret"])
    assert (online["kind"], online["offline"]) == ("refunded", False), online

    # the second phone never asked about this ticket: only its revocation list can know
    offline_phone = await phones[1].new_page()
    await door.open_door(offline_phone, visits, show.performance_id)
    synced = re.compile(r"Revocation list: 1 ticket\(s\), synced")
    await expect(offline_phone.get_by_text(synced)).to_be_visible(timeout=30_000)
    await phones[1].set_offline(True)
    offline = await door.scan_code(offline_phone, refunded["secret"])
    assert (offline["kind"], offline["offline"]) == ("refunded", True), offline
    await visits.seen(offline_phone, "refunded-in-the-console-offline")
    admitted = await door.scan_code(offline_phone, kept["secret"])
    assert (admitted["kind"], admitted["offline"]) == ("ok", True), admitted
