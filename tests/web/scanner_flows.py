"""What door staff do in the scanner (/scanner/) on a phone, step by step."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.support import catalogue
from tests.support.catalogue import STAFF
from tests.support.platform import staff_token
from tests.support.purchase import paid, place
from tests.web.browser import PHONE, Visits

ANSWER = ".scanner-answer"


@dataclass
class Bought:
    performance_id: str
    order_id: str
    tickets: list[dict[str, Any]]


async def bought(gateway: httpx.AsyncClient, quantity: int) -> Bought:
    show = await catalogue.general_admission(gateway, capacity=10)
    order = await paid(gateway, await place(gateway, show, quantity=quantity))
    return Bought(show.performance_id, order["order_id"], order["tickets"])


async def refund(gateway: httpx.AsyncClient, order_id: str, ticket_ids: list[str]) -> None:
    answer = await gateway.post(
        f"/v1/orders/{order_id}/refunds", headers=STAFF, json={"ticket_ids": ticket_ids}
    )
    assert answer.status_code == 201, answer.text


def forged(secret: str) -> str:
    """The same signature on a payload for another ticket: what a forger can make."""
    payload, signature = secret.split(".")
    other = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB")
    return f"{other}.{signature}"


async def phone(browser: Browser, base_url: str) -> BrowserContext:
    made = await browser.new_context(
        base_url=base_url, viewport=PHONE, locale="en-GB", service_workers="allow", is_mobile=True
    )
    made.set_default_timeout(20_000)
    return made


def scanner_token(name: str | None = None) -> str:
    return staff_token("scanner", name=name or f"door-{uuid.uuid4().hex[:6]}")


async def sign_in(page: Page, visits: Visits, token: str) -> None:
    await page.goto("/scanner/")  # the app's address (/scanner sends the browser there)
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    await visits.seen(page, "sign-in")
    await page.get_by_label("Scanner token").fill(token)
    await page.get_by_role("button", name="Sign in").click()


async def open_door(
    page: Page, visits: Visits, performance_id: str, token: str | None = None
) -> None:
    """Sign in (with ``token``, or a new scanner token), pick the performance, and wait until the
    device is ready to work offline: the ticket key and the revocation list loaded, the service
    worker controlling the page."""
    await sign_in(page, visits, token or scanner_token())
    await expect(page.get_by_role("heading", name="Which performance?")).to_be_visible()
    await page.get_by_label("Performance").select_option(performance_id)
    await visits.seen(page, "pick-performance")
    await page.get_by_role("button", name="Start scanning").click()
    await expect(page.locator(ANSWER)).to_contain_text("Ready to scan")
    synced = re.compile(r"Revocation list: \d+ ticket\(s\), synced")
    await expect(page.get_by_text(synced)).to_be_visible()
    await expect(page.get_by_text("ticket key not loaded yet")).to_have_count(0)
    await page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=20_000)
    assert page.url.endswith("/scanner/")
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


async def answer_count(page: Page) -> int:
    return int(await page.locator(ANSWER).get_attribute("data-answers") or 0)


async def _answered(page: Page, before: int) -> dict[str, Any]:
    await expect(page.locator(ANSWER)).to_have_attribute("data-answers", str(before + 1))
    panel = page.locator(ANSWER)
    return {
        "kind": await panel.get_attribute("data-kind"),
        "text": await panel.inner_text(),
        "offline": await panel.get_by_text("Checked on this device").count() > 0,
    }


async def scan_code(page: Page, secret: str) -> dict[str, Any]:
    """Enter a code as a handheld scanner does (it types it and presses Enter)."""
    before = await answer_count(page)
    await page.get_by_label("Ticket code").fill(secret)
    await page.get_by_label("Ticket code").press("Enter")
    return await _answered(page, before)


async def enter_number(page: Page, number: str) -> dict[str, Any]:
    before = await answer_count(page)
    field = page.get_by_label("Ticket number")
    await field.fill(number)
    await page.get_by_role("button", name="Check in by number").click()
    answered = await _answered(page, before)
    await expect(field).to_have_value("")  # ready for the next number
    # the form sits below the fold on a phone: the verdict was answered out of sight
    await expect(page.locator(ANSWER)).to_be_in_viewport(ratio=0.95)
    return answered


async def device_of(page: Page) -> str:
    text = await page.get_by_text(re.compile(r"^Device scanner-")).inner_text()
    return text.removeprefix("Device ").strip()


async def waiting(page: Page, count: int) -> None:
    wanted = "nothing waiting to upload" if count == 0 else f"{count} scan"
    await expect(page.locator(".scanner-status")).to_contain_text(wanted, timeout=30_000)
