"""A customer who lost their e-mails asks for their order links on the storefront ("Find my
tickets"): the address gets one e-mail listing every order it bought, each link opens its tickets;
the answer is the same for an address that bought nothing, and bad input is a clear 422."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.support import catalogue
from tests.support.purchase import paid, place
from tests.support.staff import email_for
from tests.web import flows
from tests.web.browser import Visits

pytestmark = pytest.mark.infra
SENT = "an e-mail with a link to each order is on its way"


async def test_a_customer_gets_links_to_their_orders_by_e_mail_and_opens_their_tickets(
    page: Page, visits: Visits, gateway: httpx.AsyncClient
) -> None:
    email = email_for("find-my-tickets")
    show = await catalogue.general_admission(gateway, capacity=10)
    older = await paid(gateway, await place(gateway, show, quantity=1, email=email))
    newer = await paid(gateway, await place(gateway, show, quantity=2, email=email))

    await page.goto("/")
    await page.get_by_role("link", name="Find my tickets").click()
    await expect(page.get_by_role("heading", name="Find my tickets")).to_be_visible()
    await page.get_by_label("E-mail address").fill(email.upper())  # as a phone may capitalise it
    await page.get_by_role("button", name="E-mail me my links").click()
    await expect(page.get_by_text(SENT)).to_be_visible()
    await visits.seen(page, "find-my-tickets-sent")

    mail = await flows.mail_to(email, "links to your 2 orders")
    text = flows.text_of(mail)
    links = re.findall(r"http://\S+/orders/\S+#token=\S+", text)
    listed = re.findall(r"Order (\S+) \(paid\)", text)
    assert listed == [newer["order_number"], older["order_number"]]
    assert len(links) == 2, text
    await page.goto(links[0].replace("http://127.0.0.1:28080", ""))
    await flows.tickets_shown(page, visits, 2)

    # asking again at once answers alike (the throttle sends nothing more: see the integration
    # test of order links)
    again = await gateway.post("/v1/order-links", json={"email": email})
    assert (again.status_code, SENT in again.json()["detail"]) == (202, True)


async def test_an_unknown_address_gets_the_same_answer_and_bad_input_a_clear_error(
    gateway: httpx.AsyncClient,
) -> None:
    nobody = email_for("bought-nothing")
    answer = await gateway.post("/v1/order-links", json={"email": nobody})
    assert answer.status_code == 202
    assert answer.json() == {
        "email": nobody,
        "detail": f"If {nobody} bought tickets here, an e-mail with a link to each order is on"
        " its way. Not there in a few minutes? Look in spam, or ask again after 5 minutes.",
    }

    for body in ({"email": "not-an-address"}, {}, {"email": nobody, "extra": 1}):
        refused = await gateway.post("/v1/order-links", json=body)
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["detail"]
    get = await gateway.get("/v1/order-links")
    assert get.status_code == 405
    assert get.headers["allow"] == "POST"
