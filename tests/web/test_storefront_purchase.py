"""A customer buys in the storefront (built, served by the edge), in Debian's Chromium."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.support import catalogue
from tests.support.purchase import SCANNER
from tests.web import flows
from tests.web.browser import Visits

pytestmark = pytest.mark.infra


async def test_two_seats_on_the_map_a_coupon_and_a_visa_give_two_qr_codes_that_check_in(
    page: Page, visits: Visits, gateway: httpx.AsyncClient
) -> None:
    show = await catalogue.seated(gateway, {"A": 6, "B": 6})
    code = await flows.coupon(gateway, percent=10)
    name, email = flows.shopper()
    await page.goto("/")
    await expect(page.get_by_role("heading", name="What's on")).to_be_visible()
    await visits.seen(page, "browse")

    await flows.open_performance(page, visits, show.performance_id)
    row_b = {s["number"]: s["seat_id"] for s in show.seats if s["row"] == "B"}
    # seats 2 and 3 would strand seat 1 at the row's end: the page says so, and lets it be
    for number in (2, 3):
        await flows.seat(page, row_b[number]).click()
    stranded = page.get_by_text("leaves Stalls, row B, seat 1 on its own")
    await expect(stranded).to_be_visible()
    await flows.seat(page, row_b[2]).click()
    await flows.seat(page, row_b[4]).click()
    await expect(stranded).to_have_count(0)
    await expect(
        page.get_by_text("Chosen: Stalls, row B, seat 3; Stalls, row B, seat 4.")
    ).to_be_visible()
    await page.get_by_role("button", name="Reserve 2 seats").click()
    await expect(page.get_by_role("timer")).to_contain_text("Held for you")
    # the pressed button is gone with the form: the focus goes to the reservation, not the page
    await expect(page.get_by_role("heading", name="Your reservation")).to_be_focused()
    await flows.fill_details(page, name, email, code)
    order_id = await flows.place_order(page, visits)

    # the discount is on screen before paying: 2 x €40.00 = €80.00, minus €8.00, €72.00
    summary = page.get_by_role("table")
    await expect(summary).to_contain_text(f"Discount ({code})")
    await expect(summary).to_contain_text("€8.00")
    await expect(summary).to_contain_text("€72.00")
    await flows.pay(page, "pm_card_visa")
    secrets = await flows.tickets_shown(page, visits, 2)
    # Back goes to the page before checkout: the checkout of a paid order is not in the
    # history (it forwarded to the order page, so Back kept bouncing there)
    await page.go_back()
    await expect(page).to_have_url(re.compile(r"/performances/"))
    await page.go_forward()
    await flows.tickets_shown(page, visits, 2)

    order = await flows.order_via_api(gateway, order_id)
    assert order["status"] == "paid"
    assert sorted(t["secret"] for t in order["tickets"]) == sorted(secrets)
    for secret in secrets:
        answer = await gateway.post(
            "/v1/checkin",
            headers=SCANNER,
            json={"secret": secret, "performance_id": show.performance_id},
        )
        assert answer.json()["result"] == "ok", answer.text

    mail = await flows.mail_to(email, "Your tickets")
    text = flows.text_of(mail)
    assert "Stalls, row B, seat 3" in text
    assert "Stalls, row B, seat 4" in text
    assert "€72.00" in text
    link = re.search(r"http://\S+/orders/\S+#token=\S+", text)
    assert link, text
    [mailed_ics] = [a for a in mail.iter_attachments() if str(a.get_filename()).endswith(".ics")]
    # the e-mail's link opens the order page with its tickets
    await page.goto(link.group(0).replace("http://127.0.0.1:28080", ""))
    await flows.tickets_shown(page, visits, 2)
    # and its calendar entry is the e-mail's own (one UID: a calendar keeps one entry)
    async with page.expect_download() as downloading:
        await page.get_by_role("button", name="Add to calendar (.ics)").click()
    download = await downloading.value
    assert download.suggested_filename == f"{order['order_number']}.ics"
    ics = await asyncio.to_thread(Path(await download.path()).read_text)
    for field in ("SUMMARY:", "DTSTART:", "DTEND:", "LOCATION:"):
        assert field in ics, ics
    uid = re.search(r"^UID:\S+$", ics, re.M)
    assert uid is not None, ics
    assert uid.group(0) in str(mailed_ics.get_content())
    # a calendar is shared and synced: neither entry carries the order's token
    assert "token" not in ics
    assert "token" not in str(mailed_ics.get_content())


async def test_a_wrong_order_token_shows_a_clear_not_found_page(page: Page, visits: Visits) -> None:
    await page.goto("/orders/ord_nothing#token=wrong")
    await expect(page.get_by_role("heading", name="Order not found")).to_be_visible()
    await visits.seen(page, "order-not-found")
    await page.goto("/checkout/ord_nothing")
    await expect(page.get_by_role("heading", name="Order not found")).to_be_visible()
    await page.goto("/no/such/page")
    await expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    await visits.seen(page, "page-not-found")
