"""The storefront's other acceptance cases: best available and general admission, a declined
card, double clicks, a hold expiring on screen, an order cancelled at checkout, a reservation
kept across a reload and Back from checkout, the way back from a bank's page, a sale that opens
while the page is open, the late payment link, a phone, the keyboard."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
import pytest
from playwright.async_api import Browser, Page, Route, expect

from tests.support import catalogue
from tests.support.platform import restart, staff_token
from tests.support.purchase import EMULATOR, confirm, place, stripe_client
from tests.support.waiting import eventually
from tests.web import flows
from tests.web.browser import PHONE, Visits
from ticketing_orders.settings import OrdersSettings

pytestmark = pytest.mark.infra


async def orders_of(admin_db: asyncpg.Connection, email: str) -> list[asyncpg.Record]:
    return list(
        await admin_db.fetch("SELECT order_id FROM orders.orders WHERE customer_email = $1", email)
    )


def charges_of(order: dict[str, object]) -> list[str]:
    payment = order["payment"]
    assert isinstance(payment, dict)
    listed = stripe_client().v1.charges.list(
        params={"payment_intent": str(payment["payment_intent_id"])}
    )
    return sorted(c.status for c in listed.data)


async def test_best_available_three_together_and_two_general_admission_are_bought(
    page: Page, visits: Visits, gateway: httpx.AsyncClient
) -> None:
    seated = await catalogue.seated(gateway, {"A": 8, "B": 8})
    name, email = flows.shopper()
    await flows.open_performance(page, visits, seated.performance_id)
    await page.get_by_label("Number of seats together").select_option("3")
    await page.get_by_role("button", name="Find the best 3 together").click()
    await expect(page.get_by_text("3 seats together, held for you.")).to_be_visible()
    more_time = page.get_by_role("button", name="I need more time")
    await more_time.click()  # once: then the offer is gone
    await expect(more_time).to_have_count(0)
    await expect(page.get_by_role("timer")).to_contain_text("(extended once)")
    await expect(page.get_by_role("list").filter(has_text="row A")).to_contain_text("row A")
    await flows.fill_details(page, name, email)
    await flows.place_order(page, visits)
    await flows.pay(page)
    assert len(await flows.tickets_shown(page, visits, 3)) == 3

    standing = await catalogue.general_admission(gateway, capacity=10)
    await flows.open_performance(page, visits, standing.performance_id)
    await page.get_by_label("Floor").select_option("2")
    await page.get_by_role("button", name="Reserve 2 tickets").click()
    await expect(page.get_by_text(re.compile(r"^2 \S Floor"))).to_be_visible()
    await flows.fill_details(page, name, email)
    await flows.place_order(page, visits)
    await flows.pay(page)
    assert len(await flows.tickets_shown(page, visits, 2)) == 2


async def test_a_declined_card_says_why_then_a_second_card_pays_one_order_once(
    page: Page, visits: Visits, gateway: httpx.AsyncClient, admin_db: asyncpg.Connection
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    order_id, email = await flows.one_ticket_to_checkout(page, visits, show.performance_id)

    await flows.pay(page, "pm_card_chargeDeclinedInsufficientFunds")
    alert = page.get_by_role("alert")
    await expect(alert).to_have_text(
        "Your card has insufficient funds. No money was taken. Try another card."
    )
    await visits.seen(page, "declined")

    # after a reload the page says how the last try went, once, in one sentence ("declined..");
    # the next try speaks for itself, the earlier one's alert gone
    await flows.pay(page, "pm_card_chargeDeclined")
    await expect(alert).to_contain_text("declined")
    await page.reload()
    await expect(alert).to_have_count(1)
    await expect(alert).to_contain_text("Your last payment did not go through: ")
    assert ".." not in await alert.inner_text()
    await flows.pay(page, "pm_card_chargeDeclinedInsufficientFunds")
    await expect(alert).to_have_text(
        "Your card has insufficient funds. No money was taken. Try another card."
    )
    await visits.seen(page, "declined-after-reload")

    await flows.pay(page, "pm_card_mastercard")
    await flows.tickets_shown(page, visits, 1)

    assert [r["order_id"] for r in await orders_of(admin_db, email)] == [order_id]
    intents = await admin_db.fetchval(
        "SELECT count(*) FROM payments.payment_intents WHERE order_id = $1", order_id
    )
    assert intents == 1
    charges = charges_of(await flows.order_via_api(gateway, order_id))
    assert charges == ["failed", "failed", "failed", "succeeded"]


async def test_double_clicks_on_place_order_and_on_pay_make_one_order_and_one_charge(
    page: Page, visits: Visits, gateway: httpx.AsyncClient, admin_db: asyncpg.Connection
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    name, email = flows.shopper()
    await flows.open_performance(page, visits, show.performance_id)
    await page.get_by_label("Floor").select_option("2")
    await page.get_by_role("button", name="Reserve 2 tickets").click()
    await flows.fill_details(page, name, email)
    await visits.seen(page, "details")
    await page.get_by_role("button", name="Place order").dblclick()
    await page.wait_for_url(re.compile(r"/checkout/"))
    order_id = flows.order_id_of(page.url)
    await expect(page.get_by_role("heading", name="Pay")).to_be_visible()
    await visits.seen(page, "checkout")
    await page.get_by_role("button", name="Pay", exact=True).dblclick()
    await flows.tickets_shown(page, visits, 2)

    assert [r["order_id"] for r in await orders_of(admin_db, email)] == [order_id]
    order = await flows.order_via_api(gateway, order_id)
    assert order["status"] == "paid"
    assert charges_of(order) == ["succeeded"]


async def test_focus_stays_on_what_the_page_says_and_a_choice_follows_what_is_left(
    page: Page, visits: Visits, gateway: httpx.AsyncClient
) -> None:
    """The reservation panel went with the focus in it (a keyboard or screen-reader buyer was
    thrown to the top of the page); and a tier that sold down while the buyer chose kept their
    number: "Reserve 4 tickets", then "Sold out"."""
    show = await catalogue.general_admission(gateway, capacity=5)
    await flows.open_performance(page, visits, show.performance_id)
    await page.get_by_label("Floor").select_option("2")
    await page.get_by_role("button", name="Reserve 2 tickets").click()
    await expect(page.get_by_role("timer")).to_be_visible()
    await page.get_by_role("button", name="Cancel reservation").click()
    said = page.locator(".live")
    await expect(said).to_contain_text("Reservation cancelled")
    await expect(said).to_be_focused()

    await page.get_by_label("Floor").select_option("4")
    await expect(page.get_by_role("button", name="Reserve 4 tickets")).to_be_visible()
    await place(gateway, show, quantity=3)  # someone else, meanwhile
    await expect(said).to_contain_text(
        "Only 2 tickets left for Floor: your choice is now 2.", timeout=15_000
    )
    await expect(page.get_by_role("button", name="Reserve 2 tickets")).to_be_visible()
    await visits.seen(page, "choice-cut-to-what-is-left")


async def test_the_buyer_holding_the_last_tickets_is_not_told_they_sold_out(
    page: Page, visits: Visits, gateway: httpx.AsyncClient
) -> None:
    """What is left no longer counts the buyer's own hold: "Floor has just sold out" replaced
    "2 tickets held for you" for the buyer of the last two."""
    show = await catalogue.general_admission(gateway, capacity=2)
    await flows.open_performance(page, visits, show.performance_id)
    await page.get_by_label("Floor").select_option("2")
    await page.get_by_role("button", name="Reserve 2 tickets").click()
    await expect(page.get_by_role("timer")).to_be_visible()
    for _ in range(2):  # two answers of the page's polling after the hold: none left
        async with page.expect_response(
            lambda answer: answer.url.endswith(f"/v1/performances/{show.performance_id}")
        ):
            pass
    await expect(page.get_by_role("timer")).to_be_visible()
    await expect(page.locator(".live")).not_to_contain_text("sold out")
    await expect(page.locator(".live")).not_to_contain_text("left for Floor")
    await visits.seen(page, "holding-the-last-tickets")

    # given back: the read from while it was held (none left) must not cut the choice either
    async with page.expect_response(
        lambda answer: answer.url.endswith(f"/v1/performances/{show.performance_id}")
    ):
        await page.get_by_role("button", name="Cancel reservation").click()
    said = page.locator(".live")
    await expect(said).to_contain_text("Reservation cancelled: the tickets went back on sale.")
    await expect(page.get_by_role("button", name="Reserve 2 tickets")).to_be_visible()
    await expect(said).not_to_contain_text("sold out")


async def test_a_short_hold_expires_on_screen_and_its_seats_show_available_again(
    page: Page, visits: Visits, gateway: httpx.AsyncClient
) -> None:
    show = await catalogue.seated(gateway, {"A": 6}, hold_ttl_s=4)
    a1, a2 = show.seats[0]["seat_id"], show.seats[1]["seat_id"]
    await flows.open_performance(page, visits, show.performance_id)
    await flows.seat(page, a1).click()
    await flows.seat(page, a2).click()
    await page.get_by_role("button", name="Reserve 2 seats").click()
    await expect(page.get_by_role("timer")).to_be_visible()
    await expect(page.get_by_text("Less than 2 minutes left. Need longer?")).to_be_visible()
    await visits.seen(page, "held")
    await expect(page.get_by_role("alert")).to_have_text(
        "Your reservation expired: the seats went back on sale. You can choose again.",
        timeout=30_000,
    )
    for seat_id in (a1, a2):
        await expect(flows.seat(page, seat_id)).to_have_attribute("data-state", "available")
    await visits.seen(page, "expired")


async def past_deadline_and_grace(admin_db: asyncpg.Connection, order_id: str) -> None:
    """The order's time to pay, and the grace after it, are over: the expiry loop takes it."""
    grace = OrdersSettings().payment_grace_s
    await admin_db.execute(
        "UPDATE orders.orders SET payment_deadline = now() - make_interval(secs => $2)"
        " WHERE order_id = $1",
        order_id,
        grace + 1,
    )


async def test_a_checkout_left_open_past_its_deadline_says_the_order_expired(
    page: Page, visits: Visits, gateway: httpx.AsyncClient, admin_db: asyncpg.Connection
) -> None:
    """The payment form must not stay on screen for an order that can no longer be paid: the
    page follows the order to its end."""
    show = await catalogue.general_admission(gateway, capacity=5)
    order_id, _ = await flows.one_ticket_to_checkout(page, visits, show.performance_id)
    await expect(page.get_by_role("heading", name="Pay")).to_be_visible()
    # the customer walks away; the time to pay runs out while the tab stays open
    await admin_db.execute(
        "UPDATE orders.orders SET payment_deadline = now() + interval '1 second'"
        " WHERE order_id = $1",
        order_id,
    )
    # at the deadline the form goes (a payment made just before it is still waited for)
    await expect(page.get_by_text("The time to pay has run out")).to_be_visible(timeout=30_000)
    await expect(page.get_by_role("heading", name="Pay")).to_have_count(0)
    # and once the grace is over too, the order expires and the page follows it
    await past_deadline_and_grace(admin_db, order_id)
    await expect(page.get_by_role("heading", name="Order expired")).to_be_visible(timeout=30_000)
    await expect(page.get_by_role("heading", name="Pay")).to_have_count(0)
    assert (await flows.order_via_api(gateway, order_id))["status"] == "expired"


async def test_back_from_a_banks_page_checkout_finds_the_order_and_says_how_the_payment_went(
    page: Page, visits: Visits, gateway: httpx.AsyncClient
) -> None:
    """Stripe sends the shopper back to the checkout URL with its own query and without the
    order's token (kept in the tab, not in a URL that reaches logs)."""
    show = await catalogue.general_admission(gateway, capacity=5)
    order_id, _ = await flows.one_ticket_to_checkout(page, visits, show.performance_id)
    await expect(page.get_by_role("heading", name="Pay")).to_be_visible()
    intent = (await flows.order_via_api(gateway, order_id))["payment"]["payment_intent_id"]
    back = (
        f"/checkout/{order_id}?payment_intent={intent}"
        f"&payment_intent_client_secret={intent}_secret_x&redirect_status="
    )
    canonical = re.compile(rf"/checkout/{order_id}#token=[^&?]+$")

    await page.goto(back + "failed")  # the bank refused: say so, offer the form again
    await expect(page.get_by_text("The payment was not completed")).to_be_visible()
    await expect(page.get_by_role("button", name="Pay", exact=True)).to_be_visible()
    await expect(page).to_have_url(canonical)  # Stripe's query (a client secret) is gone
    await visits.seen(page, "back-from-bank-refused")

    # the bank took it and orders has not heard yet: no second payment is offered meanwhile
    await page.goto(back + "succeeded")
    await expect(page.get_by_text("your payment was received")).to_be_visible()
    await expect(page.get_by_role("button", name="Pay", exact=True)).to_have_count(0)
    await expect(page.get_by_role("button", name="Cancel this order")).to_have_count(0)
    await expect(page).to_have_url(canonical)
    await visits.seen(page, "back-from-bank-confirming")
    await page.reload()  # the query is gone by now: the tab kept what the bank's page said
    await expect(page.get_by_text("your payment was received")).to_be_visible()
    await expect(page.get_by_role("button", name="Pay", exact=True)).to_have_count(0)
    await confirm(intent)  # what the bank's page did, as Stripe reports it
    await flows.tickets_shown(page, visits, 1)


async def test_an_order_page_left_on_expired_shows_the_tickets_a_last_second_payment_bought(
    page: Page, visits: Visits, gateway: httpx.AsyncClient, admin_db: asyncpg.Connection
) -> None:
    """The customer paid in the last seconds and Stripe's word came late: the order expired
    first, and its page, stopped at "nothing was charged", never showed the tickets the payment
    then bought. It follows an expired order a while, and says why."""
    show = await catalogue.general_admission(gateway, capacity=5)
    placed = await place(gateway, show, quantity=1)
    order_id, token = placed.order["order_id"], placed.order["access_token"]
    intent = placed.order["payment"]["payment_intent_id"]
    async with httpx.AsyncClient(base_url=EMULATOR) as emulator:
        webhook = (await emulator.get("/_emulator/webhook")).json()
        await emulator.post("/_emulator/webhook", json={"url": ""})  # Stripe's word held up
        try:
            await confirm(intent)  # paid in time
        finally:
            await emulator.post("/_emulator/webhook", json={"url": webhook["url"]})
        await past_deadline_and_grace(admin_db, order_id)

        async def expired() -> bool:
            return bool((await flows.order_via_api(gateway, order_id))["status"] == "expired")

        await eventually(expired, timeout=30, what="the order to expire")
        await page.goto(f"/orders/{order_id}#token={token}")
        await expect(page.get_by_role("heading", name="Order expired")).to_be_visible()
        await expect(page.get_by_text("If you paid in the last moments")).to_be_visible()
        await visits.seen(page, "order-expired-still-followed")
        listed = await stripe_client().v1.events.list_async({"type": "payment_intent.succeeded"})
        [event_id] = [e.id for e in listed.data if e.data.object["id"] == intent]
        delivered = await emulator.post(f"/_emulator/events/{event_id}/deliver")
        assert delivered.json()["status_code"] == 200, delivered.text

    await expect(page.get_by_role("heading", name="Your tickets")).to_be_visible(timeout=30_000)


async def test_a_buyer_who_changes_their_mind_cancels_at_checkout_and_the_seats_are_free(
    page: Page, visits: Visits, gateway: httpx.AsyncClient
) -> None:
    show = await catalogue.seated(gateway, {"A": 4})
    a1 = show.seats[0]["seat_id"]
    name, email = flows.shopper()
    await flows.open_performance(page, visits, show.performance_id)
    await flows.seat(page, a1).click()
    await page.get_by_role("button", name="Reserve 1 seat").click()
    await flows.fill_details(page, name, email)
    order_id = await flows.place_order(page, visits)

    await page.get_by_role("button", name="Cancel this order").click()
    await page.get_by_role("button", name="Keep my order").click()  # a second thought
    await expect(page.get_by_role("heading", name="Pay")).to_be_visible()
    await page.get_by_role("button", name="Cancel this order").click()
    await visits.seen(page, "cancel asked")
    await page.get_by_role("button", name="Yes, cancel the order").click()
    await expect(page.get_by_role("heading", name="Order cancelled")).to_be_visible()
    await visits.seen(page, "cancelled at checkout")
    assert (await flows.order_via_api(gateway, order_id))["status"] == "cancelled"

    await flows.open_performance(page, visits, show.performance_id)
    await expect(flows.seat(page, a1)).to_have_attribute("data-state", "available")


async def test_a_reload_and_back_from_checkout_keep_the_reservation_in_sight(
    page: Page, visits: Visits, gateway: httpx.AsyncClient
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    await flows.open_performance(page, visits, show.performance_id)
    await page.get_by_label("Floor").select_option("2")
    await page.get_by_role("button", name="Reserve 2 tickets").click()
    timer = page.get_by_role("timer")
    await expect(timer).to_be_visible()

    await page.reload()
    await expect(page.get_by_text("We kept your reservation.")).to_be_visible()
    await expect(page.get_by_text(re.compile(r"^2 \S Floor"))).to_be_visible()
    await expect(timer).to_be_visible()
    await visits.seen(page, "kept-after-reload")

    name, email = flows.shopper()
    await flows.fill_details(page, name, email)
    order_id = await flows.place_order(page, visits)
    await page.go_back()
    back = page.get_by_role("status").filter(has_text="You already placed an order")
    await expect(back).to_be_visible()
    await expect(page.get_by_role("button", name=re.compile("^Reserve"))).to_be_visible()
    await visits.seen(page, "back-from-checkout")
    await back.get_by_role("link", name="continue to payment").click()
    await page.wait_for_url(re.compile(rf"/checkout/{order_id}#token="))
    await flows.pay(page)
    assert len(await flows.tickets_shown(page, visits, 2)) == 2

    await flows.open_performance(page, visits, show.performance_id)
    await expect(page.get_by_role("button", name=re.compile("^Reserve"))).to_be_visible()
    await expect(page.get_by_text("You already placed an order")).to_have_count(0)
    await expect(page.get_by_text("We kept your reservation.")).to_have_count(0)
    # the sold hold is forgotten once the page has seen it committed
    await page.wait_for_function(
        "sessionStorage.getItem('ticketing.hold.' + location.pathname.split('/')[2]) === null"
    )


async def reserve_two_and_lose_the_answer(page: Page) -> str:
    """Reserve 2 Floor tickets: inventory holds them and the tab never hears of it (a sale-day
    timeout); the id of that hold."""
    lost: list[str] = []

    async def hold_then_lose_the_answer(route: Route) -> None:
        if route.request.method == "POST" and not lost:
            answer = await route.fetch()  # inventory holds the seats...
            lost.append((await answer.json())["hold_id"])
            await route.abort("connectionreset")  # ...and the tab never hears of it
        else:
            await route.continue_()

    await page.route("**/v1/holds", hold_then_lose_the_answer)
    await page.get_by_label("Floor").select_option("2")
    await page.get_by_role("button", name="Reserve 2 tickets").click()
    await eventually(lambda: lost, what="the hold made, its answer lost")
    return lost[0]


async def test_a_reload_after_the_hold_answer_was_lost_shows_that_hold_and_holds_nothing_more(
    page: Page, visits: Visits, gateway: httpx.AsyncClient
) -> None:
    """The seats were held, the answer never arrived (a sale-day timeout) and the buyer
    reloaded: the page asks again with the same key and shows the hold it made. Before, the
    hold stayed out of sight until it expired, and the buyer's next press held two more."""
    show = await catalogue.general_admission(gateway, capacity=10)
    await flows.open_performance(page, visits, show.performance_id)
    await reserve_two_and_lose_the_answer(page)
    await page.reload()

    await expect(page.get_by_text("We kept your reservation.")).to_be_visible()
    await expect(page.get_by_role("timer")).to_be_visible()
    await expect(page.get_by_text(re.compile(r"^2 \S Floor"))).to_be_visible()
    performance = await gateway.get(f"/v1/performances/{show.performance_id}")
    [tier] = performance.json()["tiers"]
    assert tier["available"] == 10 - 2  # the one hold, asked for twice


async def test_another_choice_after_a_lost_hold_answer_gives_that_hold_back(
    page: Page, visits: Visits, gateway: httpx.AsyncClient
) -> None:
    """The answer to "2 tickets" was lost and the buyer chose 3 instead: a new request, and the
    first hold kept 2 tickets out of sale, out of sight, until it expired (and counted against
    the visitor's live holds). It is asked for again and given back first."""
    show = await catalogue.general_admission(gateway, capacity=10)
    await flows.open_performance(page, visits, show.performance_id)
    await reserve_two_and_lose_the_answer(page)
    await expect(page.get_by_role("button", name="Reserve 2 tickets")).to_be_enabled()
    await page.get_by_label("Floor").select_option("3")
    await page.get_by_role("button", name="Reserve 3 tickets").click()

    await expect(page.get_by_role("timer")).to_be_visible()
    await expect(page.get_by_text(re.compile(r"^3 \S Floor"))).to_be_visible()
    performance = await gateway.get(f"/v1/performances/{show.performance_id}")
    [tier] = performance.json()["tiers"]
    assert tier["available"] == 10 - 3, "the lost hold of 2 was given back"


async def test_a_reload_after_the_order_answer_was_lost_leads_to_that_orders_payment(
    page: Page, visits: Visits, gateway: httpx.AsyncClient
) -> None:
    """The order was made and the hold pinned to it, then the answer never arrived and the tab
    reloaded: the page asks again with the same key and offers that order's payment, not a
    fresh seat picker whose seats are "just taken"."""
    show = await catalogue.general_admission(gateway, capacity=10)
    await flows.open_performance(page, visits, show.performance_id)
    await page.get_by_label("Floor").select_option("2")
    await page.get_by_role("button", name="Reserve 2 tickets").click()
    name, email = flows.shopper()
    await flows.fill_details(page, name, email)
    lost: list[str] = []

    async def place_then_lose_the_answer(route: Route) -> None:
        if route.request.method == "POST" and not lost:
            answer = await route.fetch()  # orders makes the order and pins the hold...
            lost.append((await answer.json())["order_id"])
            await route.abort("connectionreset")  # ...and the tab never hears of it
        else:
            await route.continue_()

    await page.route("**/v1/orders", place_then_lose_the_answer)
    await page.get_by_role("button", name="Place order").click()
    await eventually(lambda: lost, what="the order made, its answer lost")
    await page.reload()

    back = page.get_by_role("status").filter(has_text="You already placed an order")
    await expect(back).to_be_visible()
    await visits.seen(page, "ordered-before-the-reload")
    await back.get_by_role("link", name="continue to payment").click()
    await page.wait_for_url(re.compile(rf"/checkout/{lost[0]}#token="))


async def test_a_device_whose_clock_is_15_minutes_fast_keeps_its_reservation_on_screen(
    page: Page, visits: Visits, gateway: httpx.AsyncClient
) -> None:
    """The countdown runs on the server's clock (from its answers' Date): a PC set 15 minutes
    ahead would otherwise call every new reservation expired the moment it was made."""
    await page.clock.install(time=datetime.now(UTC) + timedelta(minutes=15))
    show = await catalogue.general_admission(gateway, capacity=10)
    await flows.open_performance(page, visits, show.performance_id)
    await page.get_by_label("Floor").select_option("1")
    await page.get_by_role("button", name="Reserve 1 ticket").click()
    timer = page.get_by_role("timer")
    await expect(timer).to_have_text(re.compile(r"Held for you for (9|10):\d\d"))
    await visits.seen(page, "held-on-a-fast-clock")
    await expect(page.get_by_text("Your reservation expired")).to_have_count(0)


async def test_a_performance_that_cannot_be_loaded_says_so_and_loads_when_it_can(
    page: Page, visits: Visits, gateway: httpx.AsyncClient
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)

    async def unavailable(route: Route) -> None:
        problem = {"type": "about:blank", "title": "Service Unavailable", "status": 503}
        await route.fulfill(
            status=503,
            content_type="application/problem+json",
            json={**problem, "detail": "restarting"},
        )

    await page.route(f"**/v1/performances/{show.performance_id}", unavailable)
    await page.goto(f"/performances/{show.performance_id}")
    await expect(page.get_by_role("alert")).to_contain_text("cannot be loaded right now")
    await visits.seen(page, "cannot-be-loaded")
    await page.unroute(f"**/v1/performances/{show.performance_id}")
    await expect(page.get_by_role("heading", name="Prices")).to_be_visible()
    await expect(page.get_by_text("Availability may be out of date")).to_have_count(0)


async def test_the_programme_stays_on_screen_when_one_performance_does_not_answer(
    page: Page, visits: Visits, gateway: httpx.AsyncClient
) -> None:
    broken = await catalogue.general_admission(gateway, capacity=10)
    fine = await catalogue.general_admission(gateway, capacity=10)
    await page.route(
        f"**/v1/performances/{broken.performance_id}",
        lambda route: route.fulfill(status=502, content_type="application/problem+json", body="{}"),
    )
    await page.goto("/")
    await expect(page.get_by_role("status")).to_contain_text("could not be loaded just now")
    await expect(page.locator(f'a[href="/performances/{fine.performance_id}"]')).to_be_visible()
    await visits.seen(page, "programme-with-one-missing")


async def test_a_sale_not_yet_open_says_when_and_opens_on_the_open_page(
    page: Page, visits: Visits, gateway: httpx.AsyncClient
) -> None:
    show = await catalogue.general_admission(gateway, capacity=5)
    path = f"/v1/performances/{show.performance_id}"
    staff = {"Authorization": f"Bearer {staff_token('staff', name='storefront-window')}"}

    async def sales_open_at(moment: datetime) -> None:
        moved = await gateway.patch(path, headers=staff, json={"sales_open_at": moment.isoformat()})
        assert moved.status_code == 200, moved.text

    await sales_open_at(datetime.now(UTC) + timedelta(days=1))
    await page.goto("/")
    listed = page.locator("li.show").filter(
        has=page.locator(f'a[href="/performances/{show.performance_id}"]')
    )
    await expect(listed).to_contain_text("On sale from")
    await flows.open_performance(page, visits, show.performance_id)
    waiting = page.get_by_role("status").filter(has_text="Sales open on")
    await expect(waiting).to_contain_text("no need to reload")
    await visits.seen(page, "sales-not-open")
    await page.get_by_label("Floor").select_option("1")
    await page.get_by_role("button", name="Reserve 1 ticket").click()
    await expect(page.get_by_role("alert")).to_have_text(
        "Sales for this performance have not opened yet."
    )

    await sales_open_at(datetime.now(UTC) - timedelta(minutes=1))
    await expect(waiting).to_have_count(0)  # the page's own refresh, no reload
    await page.get_by_role("button", name="Reserve 1 ticket").click()
    await expect(page.get_by_role("timer")).to_be_visible()


@pytest.fixture
async def quick_intent_retries() -> AsyncIterator[None]:
    await restart("payments", {"TICKETING_INTENT_RETRY_BASE_S": "0.5"})
    try:
        yield
    finally:
        async with httpx.AsyncClient(base_url=EMULATOR) as emulator:
            await emulator.post("/_emulator/outage", json={"mode": "off"})
        await restart("payments")


@pytest.mark.usefixtures("quick_intent_retries")
async def test_the_payment_link_mailed_after_a_stripe_outage_opens_checkout_and_pays(
    browser: Browser, page: Page, visits: Visits, gateway: httpx.AsyncClient, storefront: str
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    name, email = flows.shopper()
    await flows.open_performance(page, visits, show.performance_id)
    await page.get_by_label("Floor").select_option("2")
    await page.get_by_role("button", name="Reserve 2 tickets").click()
    await flows.fill_details(page, name, email)
    async with httpx.AsyncClient(base_url=EMULATOR) as emulator:
        down = await emulator.post(
            "/_emulator/outage", json={"mode": "error", "for_s": 4, "status": 503}
        )
        assert down.status_code == 200
    await page.get_by_role("button", name="Place order").click()
    await page.wait_for_url(re.compile(r"/checkout/"))
    await expect(page.get_by_text("We are preparing your payment")).to_be_visible()
    await visits.seen(page, "payment-preparing")

    mail = await flows.mail_to(email, "Complete your payment")
    link = re.search(r"https?://\S+/checkout/\S+#token=\S+", flows.text_of(mail))
    assert link, flows.text_of(mail)
    later = await browser.new_context(base_url=storefront)
    try:
        from_mail = await later.new_page()
        await from_mail.goto(link.group(0))
        # orders may learn of the intent a moment after the e-mail went: the page keeps asking
        await expect(from_mail.get_by_role("heading", name="Pay")).to_be_visible(timeout=30_000)
        await visits.seen(from_mail, "checkout-from-mail")
        await flows.pay(from_mail)
        await flows.tickets_shown(from_mail, visits, 2)
    finally:
        await later.close()


async def test_the_seat_map_purchase_works_on_a_phone(
    browser: Browser, visits: Visits, gateway: httpx.AsyncClient, storefront: str
) -> None:
    show = await catalogue.seated(gateway, {"A": 10, "B": 10, "C": 10})
    name, email = flows.shopper()
    phone = await browser.new_context(
        base_url=storefront, viewport=PHONE, is_mobile=True, has_touch=True
    )
    try:
        page = await phone.new_page()
        await page.goto("/")
        await visits.seen(page, "phone-browse")
        await flows.open_performance(page, visits, show.performance_id)
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the page scrolls sideways ({width} px)"
        c5, c6 = (s["seat_id"] for s in show.seats if s["row"] == "C" and s["number"] in (5, 6))
        await flows.seat(page, c5).tap()
        await flows.seat(page, c6).tap()
        await page.get_by_role("button", name="Reserve 2 seats").tap()
        await flows.fill_details(page, name, email)
        await flows.place_order(page, visits)
        await flows.pay(page)
        assert len(await flows.tickets_shown(page, visits, 2)) == 2
    finally:
        await phone.close()


async def test_a_purchase_can_be_made_with_the_keyboard_alone(
    page: Page, visits: Visits, gateway: httpx.AsyncClient
) -> None:
    show = await catalogue.seated(gateway, {"A": 6, "B": 6})
    name, email = flows.shopper()
    await flows.open_performance(page, visits, show.performance_id)
    await flows.tab_to(page, "[data-seat-id]")
    await page.keyboard.press("ArrowDown")  # row B
    await page.keyboard.press("ArrowRight")
    await page.keyboard.press("Space")
    await page.keyboard.press("ArrowRight")
    await page.keyboard.press("Enter")
    await expect(
        page.get_by_text(re.compile(r"Chosen: Stalls, row B, seat \d; Stalls"))
    ).to_be_visible()
    await visits.seen(page, "keyboard-seats")
    await flows.tab_to(page, "button:not([disabled])")
    assert re.match(r"Reserve 2 seats", await page.evaluate("document.activeElement.textContent"))
    await page.keyboard.press("Enter")
    # the reservation takes the focus when it comes (its heading): the details follow it
    await expect(page.get_by_role("heading", name="Your reservation")).to_be_focused()
    await flows.tab_to(page, "#name")
    await page.keyboard.type(name)
    await page.keyboard.press("Tab")
    await page.keyboard.type(email)
    await expect(page.locator("#name")).to_have_value(name)
    await expect(page.locator("#email")).to_have_value(email)
    await flows.tab_to(page, "button[type=submit]")
    await page.keyboard.press("Enter")
    await page.wait_for_url(re.compile(r"/checkout/"))
    await expect(page.get_by_role("heading", name="Pay")).to_be_visible()
    await visits.seen(page, "keyboard-checkout")
    await flows.tab_to(page, "input[name=card]:checked")
    await page.keyboard.press("ArrowDown")  # Mastercard
    await flows.tab_to(page, "button[type=submit]")
    await page.keyboard.press("Enter")
    assert len(await flows.tickets_shown(page, visits, 2)) == 2
