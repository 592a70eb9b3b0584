"""What a customer does in the storefront, step by step, and what the tests read back."""

from __future__ import annotations

import re
import uuid
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
from playwright.async_api import Page, expect

from tests.support.catalogue import STAFF
from tests.support.platform import stack
from tests.support.waiting import eventually
from tests.web.browser import SCREENSHOTS, Visits, decode_qr

SINK_API = stack.PROCESSES["smtp-sink"].url


def shopper() -> tuple[str, str]:
    return "Ada Lovelace", f"ada+{uuid.uuid4().hex[:10]}@example.com"


async def coupon(gateway: httpx.AsyncClient, percent: int = 10) -> str:
    code = f"WEB{uuid.uuid4().hex[:8].upper()}"
    body = {"code": code, "kind": "percent", "percent_off": percent, "active": True}
    answer = await gateway.post("/v1/coupons", headers=STAFF, json=body)
    assert answer.status_code == 201, answer.text
    return code


async def open_performance(page: Page, visits: Visits, performance_id: str) -> None:
    await page.goto(f"/performances/{performance_id}")
    await expect(page.get_by_role("heading", level=1)).to_be_visible()
    await expect(page.get_by_role("heading", name="Prices")).to_be_visible()
    await visits.seen(page, "performance")


def seat(page: Page, seat_id: str) -> Any:
    return page.locator(f'[data-seat-id="{seat_id}"]')


async def fill_details(page: Page, name: str, email: str, coupon_code: str | None = None) -> None:
    await page.get_by_label("Full name").fill(name)
    await page.get_by_label("E-mail").fill(email)
    if coupon_code:
        await page.get_by_label("Coupon code").fill(coupon_code)


async def place_order(page: Page, visits: Visits) -> str:
    """Press "Place order"; returns the order id from the checkout page's URL."""
    await visits.seen(page, "details")
    await page.get_by_role("button", name="Place order").click()
    await page.wait_for_url(re.compile(r"/checkout/[^/#]+#token="))
    await expect(page.get_by_role("heading", name="Pay")).to_be_visible()
    await visits.seen(page, "checkout")
    return order_id_of(page.url)


async def one_ticket_to_checkout(
    page: Page, visits: Visits, performance_id: str
) -> tuple[str, str]:
    """A shopper reserves one general-admission ticket and places the order: its id, and the
    shopper's e-mail address."""
    name, email = shopper()
    await open_performance(page, visits, performance_id)
    await page.get_by_label("Floor").select_option("1")
    await page.get_by_role("button", name="Reserve 1 ticket").click()
    await fill_details(page, name, email)
    return await place_order(page, visits), email


def order_id_of(url: str) -> str:
    found = re.search(r"/(?:checkout|orders)/([^/#?]+)", url)
    assert found, url
    return found.group(1)


def token_of(url: str) -> str:
    found = re.search(r"#token=([^&]+)", url)
    assert found, url
    return found.group(1)


async def pay(page: Page, card: str = "pm_card_visa") -> None:
    await page.locator(f"#{card}").check()
    await page.get_by_role("button", name="Pay", exact=True).click()


async def tickets_shown(page: Page, visits: Visits, count: int) -> list[str]:
    """Wait for the order page with ``count`` QR codes; returns what zbar reads in each."""
    await page.wait_for_url(re.compile(r"/orders/[^/#]+#token="))
    await expect(page.get_by_role("heading", name="Your tickets", level=1)).to_be_visible(
        timeout=60_000
    )
    codes = page.get_by_role("img", name=re.compile("QR code of ticket"))
    await expect(codes).to_have_count(count)
    await visits.seen(page, "tickets")
    secrets = []
    for i in range(count):
        shot = SCREENSHOTS / f"{visits.test_name}-qr-{i}.png"
        await codes.nth(i).screenshot(path=str(shot))
        decoded = decode_qr(Path(shot))
        assert len(decoded) == 1, f"zbar read {decoded} in {shot}"
        secrets.append(decoded[0])
    return secrets


async def order_via_api(gateway: httpx.AsyncClient, order_id: str) -> dict[str, Any]:
    answer = await gateway.get(f"/v1/orders/{order_id}", headers=STAFF)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def mail_to(address: str, subject_has: str, timeout: float = 60) -> EmailMessage:
    async with httpx.AsyncClient(base_url=SINK_API, timeout=10) as sink:

        async def arrived() -> EmailMessage | None:
            listed = (await sink.get("/messages", params={"to": address})).json()["messages"]
            found = [m for m in listed if subject_has in m["subject"]]
            if not found:
                return None
            raw = (await sink.get(f"/messages/{found[0]['id']}")).content
            message = message_from_bytes(raw, policy=policy.default)
            assert isinstance(message, EmailMessage)
            return message

        found = await eventually(arrived, timeout=timeout, interval=0.5, what=f"{subject_has!r}")
        assert isinstance(found, EmailMessage)
        return found


def text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


async def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches ``selector`` (the keyboard, never a click)."""
    for _ in range(limit):
        await page.keyboard.press("Tab")
        if await page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")
