"""The staff console and the box office (built, served by the edge) in Debian's Chromium:
catalogue building (sale terms changed on the way) to the storefront, a cash sale at the desk,
a refund found by e-mail, who may open what, the dashboard against the services' own figures,
a customer's personal data exported and erased, and every screen audited."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx
import pytest
from playwright.async_api import (
    Browser,
    BrowserContext,
    Dialog,
    FilePayload,
    Locator,
    Page,
    Route,
    expect,
)

from tests.orders.test_settlement_check import signed
from tests.support import catalogue
from tests.support.catalogue import STAFF, session
from tests.support.platform import staff_token
from tests.support.purchase import SCANNER, paid, place, staff_order, stripe_client
from tests.support.staff import desk_hold, desk_sale, intents_for
from tests.support.waiting import eventually
from tests.web import console_flows as console
from tests.web import flows
from tests.web import scanner_flows as door
from tests.web.browser import SCREENSHOTS, Visits, decode_qr

pytestmark = pytest.mark.infra

SEATS_CSV = (
    "section,row,number,x,y,accessible\n"
    + "".join(f"Stalls,A,{n},{n},0,{'yes' if n == 1 else ''}\n" for n in range(1, 6))
    + "".join(f"Stalls,B,{n},{n},1,\n" for n in range(1, 6))
    + "".join(f"Balcony,C,{n},{n},4,\n" for n in range(1, 5))
)


async def test_a_seat_file_the_console_cannot_read_is_refused_before_it_is_sent(
    page: Page, visits: Visits
) -> None:
    """A Latin-1 export became "Caf\ufffd" in the venue (the browser replaced what was not UTF-8);
    an empty file said nothing; a seat already there was refused without naming it."""
    await console.sign_in_as(page, "staff", console.staff_name("seats"))
    venue = f"Hall {uuid.uuid4().hex[:6]}"
    await console.go(page, "Venues", "Venues")
    await page.get_by_label("Venue name").fill(venue)
    await page.get_by_role("button", name="Create venue").click()
    await expect(page.get_by_text(f'Venue "{venue}" created.')).to_be_visible()
    alert = page.get_by_role("alert")

    async def choose(name: str, data: bytes) -> None:
        chosen = FilePayload(name=name, mimeType="text/csv", buffer=data)
        await page.get_by_label("CSV file").set_input_files(files=[chosen])

    latin1 = "section,row,number\nCafé,A,1\n".encode("latin-1")
    await choose("cafe.csv", latin1)
    await expect(alert).to_contain_text("cafe.csv is not UTF-8 text: save it from the spreadsheet")
    await expect(page.get_by_role("button", name="Import these seats")).to_be_disabled()
    await visits.seen(page, "seat-file-not-utf8")
    await choose("empty.csv", b"")
    await expect(alert).to_have_text("empty.csv is empty.")

    utf8 = "section,row,number\nCafé,A,1\n".encode()
    await choose("cafe.csv", utf8)
    await expect(page.get_by_text("Preview: 1 seat in Café (1).")).to_be_visible()
    await page.get_by_role("button", name="Import these seats").click()
    await expect(page.get_by_text(f"1 seat imported into {venue}.")).to_be_visible()
    await choose("cafe.csv", utf8)
    await page.get_by_role("button", name="Import these seats").click()
    await expect(alert).to_contain_text("Café row A seat 1 is already in this venue")
    await visits.seen(page, "seat-already-there")


async def test_staff_build_a_venue_an_event_with_seated_and_ga_shows_and_publish_to_the_storefront(
    page: Page, visits: Visits, gateway: httpx.AsyncClient
) -> None:
    builder = console.staff_name("builder")
    await console.sign_in_as(page, "staff", builder)
    venue, event = f"Hall {uuid.uuid4().hex[:6]}", f"Gala {uuid.uuid4().hex[:6]}"

    await console.go(page, "Venues", "Venues")
    await page.get_by_label("Venue name").fill(venue)
    await page.get_by_role("button", name="Create venue").click()
    await expect(page.get_by_text(f'Venue "{venue}" created.')).to_be_visible()
    await page.get_by_label("Seats as CSV").fill(SEATS_CSV)
    await expect(page.get_by_text("Preview: 14 seats in Stalls (10), Balcony (4).")).to_be_visible()
    await expect(
        page.get_by_role("img", name=re.compile("Preview of the CSV: 14 seats"))
    ).to_be_visible()
    await visits.seen(page, "venue-csv-preview")
    await page.get_by_role("button", name="Import these seats").click()
    await expect(page.get_by_text(f"14 seats imported into {venue}.")).to_be_visible()
    await expect(
        page.get_by_role("img", name=re.compile(f"Seat map of {venue}: 14 seats"))
    ).to_be_visible()

    await console.go(page, "Events", "Events")
    await page.get_by_label("Event name").fill(event)
    await page.get_by_role("button", name="Create event").click()
    panel = page.locator("article", has=page.get_by_role("heading", name=event))
    await expect(panel.get_by_role("heading", level=2)).to_contain_text("draft")
    await panel.get_by_label("Seating").select_option(label=f"Seated at {venue} (14 seats)")
    await panel.get_by_role("button", name="Add performance").click()
    await expect(panel.get_by_text("Seated performance added.")).to_be_visible()
    seated_id = await panel.locator("section[data-performance-id]").get_attribute(
        "data-performance-id"
    )
    seated = panel.locator(f'section[data-performance-id="{seated_id}"]')
    for tier, price in (("Stalls", "40.00"), ("Balcony", "25.00")):
        await seated.get_by_label("Tier name").fill(tier)
        await seated.get_by_label("Price", exact=True).fill(price)
        await seated.get_by_role("button", name="Add tier").click()
        await expect(seated.get_by_role("cell", name=tier, exact=True)).to_be_visible()
    zones = seated.get_by_role("form", name="Price zones")
    await zones.get_by_label("Tier").select_option(label="Stalls")
    await zones.get_by_label("Section").select_option("Stalls")
    await zones.get_by_role("button", name="Add a zone").click()
    second = zones.get_by_role("group", name="Zone 2")
    await second.get_by_label("Tier").select_option(label="Balcony")
    await second.get_by_label("Section").select_option("Balcony")
    await zones.get_by_role("button", name="Save price zones").click()
    saved = zones.get_by_text(re.compile("^Price zones saved:"))
    await expect(saved).to_contain_text("Stalls 10 seats")
    await expect(saved).to_contain_text("Balcony 4 seats")

    await panel.get_by_label("Seating").select_option(label="General admission (no seat map)")
    await panel.get_by_role("button", name="Add performance").click()
    await expect(panel.get_by_text("General-admission performance added.")).to_be_visible()
    await expect(panel.locator("section[data-performance-id]")).to_have_count(2)
    standing = panel.locator("section[data-performance-id]", has_text="general admission")
    await standing.get_by_label("Tier name").fill("Standing")
    await standing.get_by_label("Price", exact=True).fill("15.00")
    await standing.get_by_label("Capacity").fill("50")
    await standing.get_by_role("button", name="Add tier").click()
    await expect(standing.get_by_role("cell", name="Standing", exact=True)).to_be_visible()
    terms = standing.get_by_role("form", name="Sales window")
    await terms.get_by_label("Most tickets per order").fill("4")
    await terms.get_by_label("Hold seats for (minutes)").fill("15")
    await terms.get_by_role("button", name="Save sales window").click()
    await expect(
        terms.get_by_text(re.compile("^Sales now open .* seats held 15 min;"))
    ).to_be_visible()
    await expect(
        standing.get_by_text(re.compile("up to 4 per order · seats held 15 min"))
    ).to_be_visible()
    await visits.seen(page, "event-draft")
    await console.confirm_with(page, panel, f"Publish {event}", "Yes, publish")
    await expect(panel.get_by_text(f'"{event}" is published.')).to_be_visible()
    await expect(panel.get_by_role("heading", level=2)).to_contain_text("published")
    standing_id = await standing.get_attribute("data-performance-id")

    # the storefront shows it: both performances, the seat map with its two price zones
    await page.goto("/")
    await expect(page.get_by_role("heading", name=event)).to_be_visible()
    await page.goto(f"/performances/{seated_id}")
    await expect(page.locator("[data-seat-id]")).to_have_count(14)
    await expect(page.get_by_text("Balcony", exact=True).first).to_be_visible()
    await page.goto(f"/performances/{standing_id}")
    await expect(page.get_by_text("Standing").first).to_be_visible()

    await console.audited(
        gateway,
        builder,
        {
            "inventory.venue.created",
            "inventory.venue.seats_imported",
            "inventory.event.created",
            "inventory.performance.created",
            "inventory.tier.created",
            "inventory.performance.price_zones_set",
            "inventory.performance.sale_terms_changed",
            "inventory.event.published",
        },
    )


async def test_a_link_to_the_audit_log_with_filters_shows_its_entries_at_once(
    page: Page, gateway: httpx.AsyncClient
) -> None:
    """The link filled in the filters and showed nothing until "Show entries" was pressed."""
    builder = console.staff_name("builder")
    made = await gateway.post(
        "/v1/venues",
        headers={"Authorization": f"Bearer {staff_token('staff', name=builder)}"},
        json={"name": "Audited hall", "time_zone": "UTC"},
    )
    assert made.status_code == 201, made.text
    await console.audited(gateway, builder, {"inventory.venue.created"})  # through the outbox
    where = f"/console/audit?action=inventory.venue.created&actor={builder}"
    await console.sign_in_as(page, "admin", console.staff_name("admin"), where=where)
    await expect(page.get_by_label("Action")).to_have_value("inventory.venue.created")
    await expect(page.locator("table.audit tbody tr")).to_have_count(1)


async def test_a_desk_sale_of_a_cancelled_performance_says_what_is_owed_at_the_desk(
    page: Page, gateway: httpx.AsyncClient
) -> None:
    """It read as an ordinary paid order: the clerk with the customer in front of them was not
    told that the show was cancelled and the money is owed."""
    show = await catalogue.general_admission(gateway, capacity=5)
    clerk = {"Authorization": f"Bearer {staff_token('staff', name='desk')}"}
    sold = await desk_sale(gateway, clerk, await desk_hold(gateway, show, clerk, quantity=2))
    assert sold.status_code == 201, sold.text
    order_id = sold.json()["order_id"]
    cancelled = await gateway.post(f"/v1/performances/{show.performance_id}/cancel", headers=STAFF)
    assert cancelled.status_code == 200, cancelled.text

    async def known_cancelled() -> bool:
        details = await gateway.get(f"/v1/orders/{order_id}/details", headers=STAFF)
        return bool(details.json()["performance_cancelled"])

    await eventually(known_cancelled, what="orders to learn of the cancellation")
    await console.sign_in_as(
        page, "staff", console.staff_name("clerk"), where=f"/console/orders/{order_id}"
    )
    await expect(page.get_by_test_id("performance-cancelled")).to_have_text(
        "This performance was cancelled."
        " €50.00 is owed to the customer: refund it below at the desk."
    )


async def test_the_box_office_loads_its_performances_again_after_a_failed_read(
    page: Page, gateway: httpx.AsyncClient
) -> None:
    """One 502 on the performance list left the desk with nothing to sell until a reload."""
    show = await catalogue.general_admission(gateway, capacity=5)
    failed = 0

    async def first_read_fails(route: Route) -> None:
        nonlocal failed
        if failed:
            await route.continue_()
            return
        failed += 1
        gone = {"type": "about:blank", "title": "Bad Gateway", "status": 502}
        await route.fulfill(
            status=502,
            content_type="application/problem+json",
            body=json.dumps({**gone, "detail": "the service did not answer"}),
        )

    await page.route("**/v1/events", first_read_fails)
    await console.sign_in_as(page, "staff", console.staff_name("clerk"), where="/box-office")
    await expect(page.get_by_text("The performances could not be loaded")).to_be_visible()
    await expect(page.get_by_role("alert")).to_contain_text("the service did not answer")
    choice = page.get_by_label("Performance")
    await expect(choice.locator(f'option[value="{show.performance_id}"]')).to_have_count(1)
    await expect(page.get_by_text("could not be loaded")).to_have_count(0)
    assert failed == 1


async def test_a_clerk_sells_two_seats_for_cash_in_one_flow_with_no_stripe_call(
    page: Page, context: BrowserContext, visits: Visits, gateway: httpx.AsyncClient
) -> None:
    show = await catalogue.seated(gateway, {"A": 6, "B": 6})
    clerk = console.staff_name("clerk")
    intents_before = await stripe_intent_count()
    await console.sign_in_as(
        page, "staff", clerk, where=f"/box-office?performance={show.performance_id}"
    )
    await expect(page.get_by_role("heading", name="Box office", level=1)).to_be_visible()
    b3, b4 = (s for s in show.seats if s["row"] == "B" and s["number"] in (3, 4))
    await flows.seat(page, b3["seat_id"]).click()
    await flows.seat(page, b4["seat_id"]).click()
    await expect(
        page.get_by_text("Chosen: Stalls, row B, seat 3; Stalls, row B, seat 4.")
    ).to_be_visible()
    await page.get_by_label("Customer name").fill("Grace Hopper")
    await expect(page.get_by_text("2 tickets · to pay: €80.00")).to_be_visible()
    await expect(page.get_by_label("Cash")).to_be_checked()
    await visits.seen(page, "box-office-desk")
    await page.get_by_label("Customer name").press("Enter")  # the keyboard sells

    await expect(page.get_by_role("heading", name=re.compile("Sold: order ORD-"))).to_be_visible()
    order_id = await page.locator("[data-order-id]").get_attribute("data-order-id")
    assert order_id
    await expect(page.get_by_text("The tickets PDF is ready.")).to_be_visible(timeout=60_000)
    await visits.seen(page, "box-office-sold")
    async with context.expect_page() as opened:
        await page.get_by_role("button", name="Print tickets").click()
    pdf_tab = await opened.value
    assert pdf_tab.url.startswith("blob:http://"), pdf_tab.url
    await pdf_tab.close()

    staff = {"Authorization": f"Bearer {staff_token('staff', name='reader')}"}
    order = (await gateway.get(f"/v1/orders/{order_id}", headers=staff)).json()
    assert (order["status"], order["payment_method"]) == ("paid", "cash")
    assert order["total"] == {"amount": 8000, "currency": "EUR"}
    assert sorted(t["seat_id"] for t in order["tickets"]) == sorted([b3["seat_id"], b4["seat_id"]])
    printed = await gateway.get(f"/v1/orders/{order_id}/tickets.pdf", headers=staff)
    assert (printed.status_code, printed.headers["content-type"]) == (200, "application/pdf")
    assert printed.content.startswith(b"%PDF")
    assert await intents_for(order_id) == []
    assert await stripe_intent_count() == intents_before  # no Stripe call made an intent

    # the next customer sees the two seats sold on the storefront's map
    await page.get_by_role("button", name="Next customer").click()
    await page.goto(f"/performances/{show.performance_id}")
    for chosen in (b3, b4):
        await expect(flows.seat(page, chosen["seat_id"])).to_have_attribute(
            "data-state", "sold", timeout=30_000
        )
    [sale] = [
        e
        for e in await console.audited(gateway, clerk, {"orders.box_office.sold"})
        if e["action"] == "orders.box_office.sold"
    ]
    assert sale["order_id"] == order_id


async def event_panel(page: Page, name: str, time_zone: str) -> Locator:
    """An admin creates the event ``name`` in the console: its panel on the Events screen."""
    await console.sign_in_as(page, "admin", console.staff_name("admin"))
    await console.go(page, "Events", "Events")
    await page.get_by_label("Event name").fill(name)
    await page.get_by_label("Event time zone").fill(time_zone)
    await page.get_by_role("button", name="Create event").click()
    return page.locator("article", has=page.get_by_role("heading", name=name))


async def test_an_admin_abroad_types_a_tokyo_shows_times_on_tokyos_clock(
    page: Page, visits: Visits, admin_db: asyncpg.Connection
) -> None:
    """The browser runs on UTC here; the show is in Tokyo: what the admin types is Tokyo time,
    and what the console shows is labelled so."""
    panel = await event_panel(page, f"Kabuki {uuid.uuid4().hex[:6]}", "Asia/Tokyo")
    await panel.get_by_label("Starts at").fill("2031-01-15T19:00")
    await panel.get_by_label("Ends at").fill("2031-01-15T22:00")
    await panel.get_by_label("Sales close at").fill("2031-01-15T18:00")
    await panel.get_by_role("button", name="Add performance").click()
    await expect(panel.get_by_text("General-admission performance added.")).to_be_visible()

    show = panel.locator("section[data-performance-id]")
    performance_id = await show.get_attribute("data-performance-id")
    await expect(show.get_by_role("heading", level=3)).to_contain_text("15 Jan 2031, 19:00 GMT+9")
    await visits.seen(page, "tokyo-performance")
    stored = await admin_db.fetchrow(
        "SELECT starts_at, sales_close_at FROM inventory.performances WHERE performance_id = $1",
        performance_id,
    )
    assert stored is not None
    assert (stored["starts_at"].isoformat(), stored["sales_close_at"].isoformat()) == (
        "2031-01-15T10:00:00+00:00",
        "2031-01-15T09:00:00+00:00",
    )


async def test_moving_a_new_performances_start_moves_its_end_and_close_of_sales(
    page: Page, admin_db: asyncpg.Connection
) -> None:
    """Left on the form's first date (a month ahead), a show moved to an earlier night stayed
    on sale until weeks after it had been played."""
    panel = await event_panel(page, f"Moved {uuid.uuid4().hex[:6]}", "UTC")
    await panel.get_by_label("Starts at").fill("2031-02-01T19:30")
    await expect(panel.get_by_label("Ends at")).to_have_value("2031-02-01T21:30")
    await expect(panel.get_by_label("Sales close at")).to_have_value("2031-02-01T19:30")
    await panel.get_by_role("button", name="Add performance").click()
    await expect(panel.get_by_text("General-admission performance added.")).to_be_visible()
    performance_id = await panel.locator("section[data-performance-id]").get_attribute(
        "data-performance-id"
    )
    stored = await admin_db.fetchrow(
        "SELECT ends_at, sales_close_at FROM inventory.performances WHERE performance_id = $1",
        performance_id,
    )
    assert stored is not None
    assert (stored["ends_at"].isoformat(), stored["sales_close_at"].isoformat()) == (
        "2031-02-01T21:30:00+00:00",
        "2031-02-01T19:30:00+00:00",
    )


async def test_a_seat_taken_while_the_clerk_chose_is_named_and_dropped_from_the_choice(
    page: Page, visits: Visits, gateway: httpx.AsyncClient
) -> None:
    show = await catalogue.seated(gateway, {"A": 6})
    await console.sign_in_as(
        page,
        "staff",
        console.staff_name("clerk"),
        where=f"/box-office?performance={show.performance_id}",
    )
    a2, a3 = (next(s for s in show.seats if s["number"] == n) for n in (2, 3))
    await flows.seat(page, a2["seat_id"]).click()
    await flows.seat(page, a3["seat_id"]).click()
    buyer = await catalogue.session(gateway)  # an online customer, a moment faster
    online = {"performance_id": show.performance_id, "seats": [a3["seat_id"]]}
    assert (await gateway.post("/v1/holds", headers=buyer, json=online)).status_code == 201
    await page.get_by_label("Customer name").fill("Grace Hopper")
    await page.get_by_role("button", name=re.compile("^Sell")).click()

    await expect(page.get_by_role("alert")).to_have_text(
        "Just taken by someone else: Stalls, row A, seat 3. Choose other seats."
    )
    await expect(page.get_by_text("Chosen: Stalls, row A, seat 2.")).to_be_visible()
    await visits.seen(page, "seat-taken")


async def test_a_sale_whose_answer_was_lost_is_finished_by_selling_again_never_twice(
    page: Page, gateway: httpx.AsyncClient
) -> None:
    """The server sells, the desk never hears it (Wi-Fi, a proxy timeout): the clerk presses
    Sell again and gets that same order, and the performance has sold two tickets, not four."""
    show = await console.open_desk(page, gateway)
    lost = await console.lose_first_answer(page, "**/v1/orders/box-office", "order_id")
    await page.get_by_label(re.compile("^Floor")).fill("2")
    await page.get_by_label("Customer name").fill("Ada Lost-Answer")
    await page.get_by_role("button", name="Sell 2 tickets").click()
    await expect(page.get_by_text("this sale may have gone through")).to_be_visible()
    # the same request goes again: an edit of its name or payment would never reach the sale
    await expect(page.get_by_label("Customer name")).to_be_disabled()
    for method in await page.get_by_role("radio").all():
        await expect(method).to_be_disabled()
    # the staff screens' links ask first: going to "Orders" to look forgot the sale, and the
    # clerk's next press sold the tickets a second time
    asked: list[str] = []

    async def stay(dialog: Dialog) -> None:
        asked.append(dialog.message)
        await dialog.dismiss()

    page.once("dialog", stay)
    nav = page.get_by_role("navigation", name="Staff screens")
    await nav.get_by_role("link", name="Orders").click()
    await expect(page.get_by_text("this sale may have gone through")).to_be_visible()
    [question] = asked
    assert "did not arrive" in question
    await page.get_by_role("button", name="Sell 2 tickets").click()

    await expect(page.get_by_role("heading", name=re.compile("Sold: order ORD-"))).to_be_visible()
    assert await page.locator("[data-order-id]").get_attribute("data-order-id") == lost[0]
    availability = (await gateway.get(f"/v1/performances/{show.performance_id}")).json()
    assert [t["available"] for t in availability["tiers"]] == [8]


async def test_a_lost_sale_is_finished_before_another_choice_is_sold_and_shown_to_the_clerk(
    page: Page, gateway: httpx.AsyncClient
) -> None:
    """The desk never hears that its sale went through; the customer says "make it 3" and the
    clerk sells 3. Before, that sold 3 more and left the first order paid out of sight (5 gone,
    the till short); the desk now finishes the first sale and shows it instead."""
    show = await console.open_desk(page, gateway)
    lost = await console.lose_first_answer(page, "**/v1/orders/box-office", "order_id")
    await page.get_by_label(re.compile("^Floor")).fill("2")
    await page.get_by_label("Customer name").fill("Ada Make-It-Three")
    await page.get_by_role("button", name="Sell 2 tickets").click()
    await expect(page.get_by_text("this sale may have gone through")).to_be_visible()
    await expect(page.get_by_label("Performance")).to_be_disabled()
    await page.get_by_label(re.compile("^Floor")).fill("3")
    await page.get_by_role("button", name="Sell 3 tickets").click()

    await expect(page.get_by_role("heading", name=re.compile("Sold: order ORD-"))).to_be_visible()
    await expect(page.get_by_text("had gone through: this is its order")).to_be_visible()
    assert await page.locator("[data-order-id]").get_attribute("data-order-id") == lost[0]
    availability = (await gateway.get(f"/v1/performances/{show.performance_id}")).json()
    assert [t["available"] for t in availability["tiers"]] == [8]


async def test_a_hold_whose_answer_was_lost_is_given_back_when_the_choice_changes(
    page: Page, gateway: httpx.AsyncClient
) -> None:
    """The hold is made, its answer lost; the clerk changes the quantity and sells. The first
    hold kept its seats out of everyone's reach until it expired (10 minutes on sale day)."""
    show = await console.open_desk(page, gateway)
    lost = await console.lose_first_answer(page, "**/v1/holds", "hold_id")
    await page.get_by_label(re.compile("^Floor")).fill("4")
    await page.get_by_label("Customer name").fill("Ada Changes-Her-Mind")
    await page.get_by_role("button", name="Sell 4 tickets").click()
    await expect(page.get_by_role("alert").first).to_be_visible()
    await page.get_by_label(re.compile("^Floor")).fill("2")
    await page.get_by_role("button", name="Sell 2 tickets").click()

    await expect(page.get_by_role("heading", name=re.compile("Sold: order ORD-"))).to_be_visible()
    availability = (await gateway.get(f"/v1/performances/{show.performance_id}")).json()
    assert [t["available"] for t in availability["tiers"]] == [8], "the 4 held first are free"
    staff = {"Authorization": f"Bearer {staff_token('staff', name='reader')}"}
    first = await gateway.get(f"/v1/holds/{lost[0]}", headers=staff)
    assert first.status_code in (404, 409, 410) or first.json()["status"] != "active", first.text


async def test_an_address_the_server_refuses_keeps_the_seats_while_the_clerk_corrects_it(
    page: Page, gateway: httpx.AsyncClient
) -> None:
    """``ada@mail.invalid`` passes the browser's check and not the server's (422): the hold
    was given back before, and on sale day the seats went to the online queue meanwhile."""
    show = await console.open_desk(page, gateway)
    holds: list[str] = []
    page.on(
        "request",
        lambda request: (
            holds.append(request.url)
            if request.method == "POST" and request.url.endswith("/v1/holds")
            else None
        ),
    )
    await page.get_by_label(re.compile("^Floor")).fill("2")
    await page.get_by_label("Customer name").fill("Ada Typo")
    await page.get_by_label("E-mail (optional)").fill("ada@gmail")
    await page.get_by_role("button", name="Sell 2 tickets").click()
    await expect(page.get_by_text("needs a full domain")).to_be_visible()
    assert holds == [], "refused in the browser before anything is held"

    await page.get_by_label("E-mail (optional)").fill("ada@mail.invalid")
    await page.get_by_role("button", name="Sell 2 tickets").click()
    await expect(page.get_by_role("alert").filter(has_text="email")).to_be_visible()
    availability = (await gateway.get(f"/v1/performances/{show.performance_id}")).json()
    assert [t["available"] for t in availability["tiers"]] == [8], "still held for the customer"

    await page.get_by_label("E-mail (optional)").fill("ada@example.com")
    await page.get_by_role("button", name="Sell 2 tickets").click()
    await expect(page.get_by_role("heading", name=re.compile("Sold: order ORD-"))).to_be_visible()
    assert len(holds) == 1, "the same hold sold"
    availability = (await gateway.get(f"/v1/performances/{show.performance_id}")).json()
    assert [t["available"] for t in availability["tiers"]] == [8]


async def test_a_second_enter_after_a_sale_does_not_lose_its_tickets_from_the_desk(
    page: Page, gateway: httpx.AsyncClient
) -> None:
    """The clerk sells with Enter; a second Enter (or the key repeating) pressed "Next
    customer", which had the focus, before anything was printed."""
    await console.open_desk(page, gateway)
    await page.get_by_label(re.compile("^Floor")).fill("1")
    await page.get_by_label("Customer name").fill("Ada Enter-Twice")
    await page.get_by_label("Customer name").press("Enter")
    await expect(page.get_by_role("heading", name=re.compile("Sold: order ORD-"))).to_be_visible()
    number = await page.get_by_test_id("order-number").inner_text()
    await expect(page.get_by_role("button", name="Print tickets")).to_be_focused()

    await page.get_by_role("button", name="Next customer").click()
    await expect(page.get_by_text(f"Last sale: order {number}")).to_be_visible()
    await expect(page.get_by_role("button", name="Print its tickets again")).to_be_visible()


async def test_a_clerk_counts_the_till_at_the_end_of_the_shift(
    page: Page, gateway: httpx.AsyncClient
) -> None:
    await console.open_desk(page, gateway)
    await page.get_by_label(re.compile("^Floor")).fill("2")
    await page.get_by_label("Customer name").fill("Ada Cash")
    await page.get_by_role("button", name="Sell 2 tickets").click()
    await expect(page.get_by_role("heading", name=re.compile("Sold: order ORD-"))).to_be_visible()
    await page.get_by_role("button", name="Next customer").click()

    await page.get_by_text("My till", exact=True).click()
    await page.get_by_role("button", name="Count my till").click()
    cash = page.get_by_role("row", name=re.compile("^Cash"))
    await expect(cash).to_contain_text("€50.00")
    await expect(cash.get_by_role("cell").first).to_have_text("1")  # one sale


async def test_a_refund_stripe_fails_later_is_paid_back_by_hand_from_the_order_page(
    page: Page, gateway: httpx.AsyncClient
) -> None:
    """Stripe accepts a refund, then fails it (``refund.failed``): the order page says so and
    the clerk records how the money went back (cash from their drawer: their till counts it);
    the refund then counts as succeeded."""
    show = await catalogue.general_admission(gateway, capacity=5)
    order = await paid(gateway, await place(gateway, show, quantity=1))
    order_id = order["order_id"]
    made = await gateway.post(f"/v1/orders/{order_id}/refunds", headers=STAFF, json={})
    assert made.status_code == 201, made.text
    refund_id = made.json()["refund_id"]

    async def stripe_refund_id() -> str | None:
        if (await staff_order(gateway, order_id))["refunds"][0]["status"] != "succeeded":
            return None
        intent = order["payment"]["payment_intent_id"]
        listed = await stripe_client().v1.refunds.list_async({"payment_intent": intent})
        return str(listed.data[0].id)

    re_id = await eventually(stripe_refund_id, timeout=30, what="Stripe's refund")
    failed_later = {
        "id": f"evt_test_{uuid.uuid4().hex}",
        "object": "event",
        "type": "refund.failed",
        "data": {
            "object": {
                "id": re_id,
                "object": "refund",
                "status": "failed",
                "failure_reason": "expired_or_canceled_card",
                "metadata": {"refund_id": refund_id},
            }
        },
    }
    body, headers = signed(failed_later)
    assert (await gateway.post("/v1/webhooks/stripe", headers=headers, content=body)).is_success

    async def failed() -> bool:
        return bool((await staff_order(gateway, order_id))["refunds"][0]["status"] == "failed")

    assert await eventually(failed, timeout=30, what="the refund failed at orders")
    clerk = console.staff_name("clerk")
    await console.sign_in_as(page, "staff", clerk, where=f"/console/orders/{order_id}")
    form = page.get_by_role("form", name="Refund of €25.00 failed")
    await expect(form).to_contain_text("Stripe could not refund €25.00")
    await form.get_by_label("How it was paid back").fill("cash at the desk, receipt 4711")
    await form.get_by_label("From my till").select_option("cash")
    await form.get_by_role("button", name="Mark as paid back").click()
    await expect(page.get_by_text("The refund of €25.00 is recorded as paid back.")).to_be_visible()
    [settled] = (await staff_order(gateway, order_id))["refunds"]
    assert settled["status"] == "succeeded"
    assert settled["error"].endswith(
        "paid back by staff:" + clerk + ": cash at the desk, receipt 4711"
    )
    since = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    as_clerk = {"Authorization": f"Bearer {staff_token('staff', name=clerk)}"}
    till = await gateway.get("/v1/orders/till", headers=as_clerk, params={"since": since})
    assert till.status_code == 200, till.text
    assert [
        (line["payment_method"], line["refunded"]["amount"]) for line in till.json()["lines"]
    ] == [("cash", 2500)]


async def stripe_intent_count() -> int:
    listed = await stripe_client().v1.payment_intents.list_async({"limit": 100})
    return len([i async for i in listed.auto_paging_iter()])


async def test_complimentary_tickets_returned_at_the_desk_are_refunded_by_seat(
    page: Page, gateway: httpx.AsyncClient
) -> None:
    """Free tickets handed back: the console said "Nothing is left to refund" (no money to
    return), so the seats stayed sold and the tickets still scanned. The clerk picks the
    ticket by its seat, not by an id, and is told nothing is paid back."""
    show = await catalogue.seated(gateway, {"A": 4})
    a2 = next(s for s in show.seats if s["number"] == 2)
    clerk = {"Authorization": f"Bearer {staff_token('staff', name='desk')}"}
    held = await gateway.post(
        "/v1/holds",
        headers={**clerk, "Idempotency-Key": str(uuid.uuid4())},
        json={"performance_id": show.performance_id, "seats": [a2["seat_id"]]},
    )
    assert held.status_code == 201, held.text
    sold = await desk_sale(gateway, clerk, held.json()["hold_id"], "complimentary")
    assert sold.status_code == 201, sold.text
    order_id = sold.json()["order_id"]
    await console.sign_in_as(
        page, "staff", console.staff_name("clerk"), where=f"/console/orders/{order_id}"
    )

    refund = page.get_by_role("region", name="Refund", exact=True)
    await refund.get_by_label(re.compile(r"\(Stalls, row A, seat 2\)")).check()
    await refund.get_by_role("button", name="Refund", exact=True).click()
    confirm = page.get_by_role("group", name="Confirm: Refund")
    await expect(confirm).to_contain_text("The tickets were free: nothing is paid back")
    await confirm.get_by_role("button", name="Yes, refund").click()
    await expect(refund.get_by_text("Refunded: the tickets stop working")).to_be_visible()
    await expect(page.get_by_test_id("ticket-status")).to_have_text("refunded")

    async def seat_free() -> bool:
        states = await gateway.get(f"/v1/performances/{show.performance_id}/seat-states")
        return a2["seat_id"] not in states.json()["taken"]

    await eventually(seat_free, timeout=30, what="the seat free again")


async def test_staff_find_an_order_by_the_customers_email_and_refund_one_ticket(
    page: Page, visits: Visits, gateway: httpx.AsyncClient
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    email = f"refund-{uuid.uuid4().hex[:8]}@example.com"
    order_id = await console.paid_order_for(gateway, show, email, quantity=2)
    refunder = console.staff_name("refunder")
    await console.sign_in_as(page, "staff", refunder)
    await console.go(page, "Orders", "Orders")
    await page.get_by_label("Customer e-mail").fill(email.upper())  # any case
    await page.get_by_role("button", name="Search").click()
    rows = page.get_by_role("table").locator("tbody tr")
    await expect(rows).to_have_count(1)
    await visits.seen(page, "order-search")
    await rows.get_by_role("link").click()
    await expect(page.get_by_role("heading", name=re.compile("Order ORD-"))).to_be_visible()
    await expect(page.get_by_test_id("order-status")).to_have_text("paid")
    await visits.seen(page, "order-detail")
    corrected = email.replace("@", ".corrected@")
    await page.get_by_label("E-mail address").fill(corrected)
    await page.get_by_role("button", name="Save the details").click()
    await expect(page.get_by_text("Saved. E-mails from now on go to this address")).to_be_visible()
    await expect(page.locator("dl.facts")).to_contain_text(corrected)

    refund = page.get_by_role("region", name="Refund", exact=True)
    await refund.get_by_role("checkbox").first.check()
    await console.confirm_with(page, refund, "Refund", "Yes, refund")
    await expect(
        refund.get_by_text(re.compile(r"Refund of €25\.00: (pending|succeeded)\."))
    ).to_be_visible()
    await expect(page.get_by_test_id("order-status")).to_have_text("partially_refunded")
    statuses = page.get_by_test_id("ticket-status")
    await expect(statuses.filter(has_text="refunded")).to_have_count(1)
    await expect(statuses.filter(has_text="valid")).to_have_count(1)

    staff = {"Authorization": f"Bearer {staff_token('staff', name='reader')}"}
    order = (await gateway.get(f"/v1/orders/{order_id}", headers=staff)).json()
    [refunded] = [t for t in order["tickets"] if t["status"] == "refunded"]
    [made] = order["refunds"]
    assert (made["amount"]["amount"], made["ticket_ids"]) == (2500, [refunded["ticket_id"]])
    door = await gateway.post(
        "/v1/checkin",
        headers=SCANNER,
        json={"secret": refunded["secret"], "performance_id": show.performance_id},
    )
    assert door.json()["result"] == "refunded"

    # after the refund: the PDFs rendered again and the confirmation sent again, once the first
    # render is stored (a render asked for while one is pending only bumps it: nothing replaced)
    pdfs = page.get_by_role("table", name="PDFs stored for this order").get_by_role("row")
    current = pdfs.filter(has_text="Whole order").filter(has_text="current")
    await expect(current).to_have_count(1, timeout=60_000)
    await page.get_by_role("button", name="Render the PDFs again").click()
    await expect(page.get_by_text("The PDFs are being rendered again.")).to_be_visible()
    await expect(current).to_have_count(1)
    await expect(pdfs.filter(has_text="replaced").first).to_be_visible(timeout=60_000)
    await page.get_by_role("button", name="Resend the order confirmation").click()
    await expect(page.get_by_text("The e-mail will be sent again.")).to_be_visible()
    actions = {
        "orders.refund.created",
        "documents.rerender.requested",
        "notifications.email.resent",
    }
    entries = await console.audited(gateway, refunder, actions)
    assert {e["order_id"] for e in entries if e["action"] in actions} == {order_id}


async def test_customers_and_scanners_are_refused_and_staff_see_no_admin_screens(
    page: Page, visits: Visits, gateway: httpx.AsyncClient
) -> None:
    customer = await session(gateway)
    customer_token = customer["Authorization"].removeprefix("Bearer ")
    await console.sign_in(page, customer_token)
    await expect(page.get_by_role("alert")).to_contain_text("customer session, not a staff token")
    await visits.seen(page, "sign-in-refused")
    await console.sign_in(page, staff_token("scanner", name="door-7"), where="/box-office")
    await expect(page.get_by_role("alert")).to_contain_text("A scanner token cannot open")
    await expect(page.get_by_role("navigation", name="Staff screens")).to_have_count(0)
    for caller in (customer, SCANNER):
        for path in ("/v1/orders", "/v1/events/all", "/v1/admin/audit"):
            refused = await gateway.get(path, headers=caller)
            assert refused.status_code == 403, (path, refused.text)

    clerk = console.staff_name("desk")
    await console.sign_in_as(page, "staff", clerk)
    nav = page.get_by_role("navigation", name="Staff screens")
    await expect(nav.get_by_role("link", name="Orders")).to_be_visible()
    for admin_only in ("Audit log", "Parking lots", "Reconciliation"):
        await expect(nav.get_by_role("link", name=admin_only)).to_have_count(0)
    for path in ("/console/audit", "/console/parking-lots", "/console/reconciliation"):
        await page.goto(path)
        await expect(page.get_by_role("alert")).to_have_text("This screen is for admins only.")
    await visits.seen(page, "admin-only-refused")
    clerk_headers = {"Authorization": f"Bearer {staff_token('staff', name=clerk)}"}
    for path in ("/v1/admin/audit", "/v1/admin/services/orders/parking-lot"):
        assert (await gateway.get(path, headers=clerk_headers)).status_code == 403

    # the clerk makes a coupon; an admin finds it in the audit log under the clerk's name
    code = f"DESK{uuid.uuid4().hex[:6].upper()}"
    await console.go(page, "Coupons", "Coupons")
    await page.get_by_label("Code").fill(code)
    await page.get_by_role("button", name="Create coupon").click()
    await expect(page.get_by_text(f"Coupon {code} created.")).to_be_visible()
    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_label("Staff token")).to_be_visible()
    await console.audited(gateway, clerk, {"orders.coupon.created"})
    await console.sign_in_as(page, "admin", console.staff_name("auditor"))
    await console.go(page, "Audit log", "Audit log")
    await page.get_by_label("Staff member").fill(clerk)
    await page.get_by_role("button", name="Show entries").click()
    entry = page.locator('tr[data-action="orders.coupon.created"]')
    await expect(entry.get_by_test_id("actor")).to_contain_text(clerk)
    await visits.seen(page, "audit-log")


async def test_the_dashboard_figures_equal_the_orders_and_inventory_figures(
    page: Page, visits: Visits, gateway: httpx.AsyncClient
) -> None:
    show = await catalogue.general_admission(gateway, capacity=20)
    first = await console.paid_order_for(gateway, show, "dash-1@example.com", quantity=3)
    await console.paid_order_for(gateway, show, "dash-2@example.com", quantity=2)
    staff = {"Authorization": f"Bearer {staff_token('staff', name='dash')}"}
    first_order = (await gateway.get(f"/v1/orders/{first}", headers=staff)).json()
    refund = await gateway.post(
        f"/v1/orders/{first}/refunds",
        headers=staff,
        json={"ticket_ids": [first_order["tickets"][0]["ticket_id"]]},
    )
    assert refund.status_code == 201, refund.text

    async def inventory_sold() -> int:
        answer = await gateway.get(
            "/v1/admin/inventory/reconciliation",
            headers=console.admin_headers(),
            params={"performance_id": show.performance_id},
        )
        return sum(int(t["sold"]) for t in answer.json()["tiers"])

    async def settled() -> bool:
        return await inventory_sold() == 4

    await eventually(settled, what="inventory's sales settled")
    await console.sign_in_as(
        page, "staff", console.staff_name("manager"), where=f"/console/sales?event={show.event_id}"
    )
    await expect(page.get_by_role("heading", name="Sales", level=1)).to_be_visible()
    panel = page.locator(f'section[data-performance-id="{show.performance_id}"]')
    await expect(panel.get_by_test_id("tier-sold")).to_have_text("4")
    # on the event's clock (Europe/Amsterdam), whatever the browser's
    await expect(panel.get_by_role("heading", level=2)).to_have_text(
        re.compile(r"^Performance of .* (CET|CEST)$")
    )
    await expect(panel.get_by_role("img", name=re.compile("5 tickets sold"))).to_be_visible()
    await visits.seen(page, "sales-dashboard")

    all_orders = [
        (await gateway.get(f"/v1/orders/{o}", headers=staff)).json()
        for o in await _order_ids(gateway, staff, show.performance_id)
    ]
    assert len(all_orders) == 2
    gross = sum(o["total"]["amount"] for o in all_orders)
    refunded = sum(r["amount"]["amount"] for o in all_orders for r in o["refunds"])
    row = panel.locator('tr[data-currency="EUR"]')
    assert await panel.get_by_test_id("tier-sold").inner_text() == str(await inventory_sold())
    assert int(await row.get_by_test_id("gross").get_attribute("data-amount") or -1) == gross
    assert int(await row.get_by_test_id("refunded").get_attribute("data-amount") or -1) == refunded
    assert (
        int(await row.get_by_test_id("net").get_attribute("data-amount") or -1) == gross - refunded
    )
    assert await row.get_by_test_id("orders").inner_text() == "2"
    assert (gross, refunded) == (12500, 2500)


async def test_the_sales_page_never_shows_an_events_figures_under_another_events_name(
    page: Page, gateway: httpx.AsyncClient
) -> None:
    """An event beyond the newest 100 (here: none of them) was shown under the first listed's
    name, the select naming no option of its value."""
    show = await catalogue.general_admission(gateway, capacity=5)
    await console.sign_in_as(
        page, "staff", console.staff_name("manager"), where="/console/sales?event=evt_not_listed"
    )
    await expect(page.get_by_role("status")).to_contain_text("not among those listed")
    # the newest event with a performance, named by the select, and its figures
    await expect(page.get_by_role("combobox")).to_have_value(show.event_id)
    shown = page.locator(f'section[data-performance-id="{show.performance_id}"]')
    await expect(shown).to_be_visible()


async def _order_ids(
    gateway: httpx.AsyncClient, staff: dict[str, str], performance_id: str
) -> list[str]:
    found = await gateway.get(
        "/v1/orders", headers=staff, params={"performance_id": performance_id}
    )
    assert found.status_code == 200, found.text
    return [o["order_id"] for o in found.json()["data"]]


async def test_an_admin_gives_a_clerk_access_and_the_clerk_signs_in_with_it(
    page: Page, browser: Browser, storefront: str, visits: Visits, gateway: httpx.AsyncClient
) -> None:
    admin, clerk = console.staff_name("ops"), console.staff_name("anna")
    await console.sign_in_as(page, "admin", admin)
    await console.go(page, "Staff access", "Staff access")
    form = page.get_by_role("form", name="Issue a staff token")
    await form.get_by_label("Name").fill(clerk)
    await form.get_by_label("Access").select_option(label="Console and box office (staff)")
    await form.get_by_label("Valid for (hours)").fill("4")
    await form.get_by_role("button", name="Issue token").click()
    issued = page.get_by_role("region", name=f"Token for staff:{clerk}")
    await expect(issued.get_by_role("status")).to_contain_text("Issued for staff until")
    token = await issued.get_by_label("Token").input_value()
    await visits.seen(page, "issued")
    # the sign-in link opens a tab of its own: followed in the admin's, it signed the admin
    # out and took the one-time token off the screen
    async with page.expect_popup() as opened:
        await issued.get_by_role("link", name="the box office").click()
    popup = await opened.value
    await expect(popup.get_by_test_id("staff-role")).to_have_text("staff")
    await popup.close()
    await expect(page.get_by_test_id("staff-role")).to_have_text("admin")
    await expect(issued.get_by_label("Token")).to_have_value(token)

    desk = await browser.new_context(base_url=storefront)
    try:
        clerk_page = await desk.new_page()
        await console.sign_in(clerk_page, token, "/box-office")
        await expect(clerk_page.get_by_test_id("staff-role")).to_have_text("staff")
        await expect(clerk_page.get_by_role("heading", name="Box office", level=1)).to_be_visible()
        staff_screens = clerk_page.get_by_role("navigation", name="Staff screens")
        await expect(staff_screens.get_by_role("link", name="Staff access")).to_have_count(0)
        # the same token as the sign-in link the page offers: one click, and out of the address
        link = await issued.get_by_role("link", name="the box office").get_attribute("href")
        assert link is not None
        assert link.startswith(f"{storefront}/box-office#token="), link
        await clerk_page.get_by_role("button", name="Sign out").click()
        await expect(clerk_page.get_by_label("Staff token")).to_be_visible()
        await clerk_page.goto(link)  # in the tab already on /box-office: no reload
        await expect(clerk_page.get_by_test_id("staff-role")).to_have_text("staff")
        await expect(clerk_page.get_by_role("heading", name="Box office", level=1)).to_be_visible()
        assert "token" not in clerk_page.url, clerk_page.url
        await clerk_page.get_by_role("button", name="Sign out").click()
        await expect(clerk_page.get_by_label("Staff token")).to_be_visible()
        await clerk_page.wait_for_load_state("networkidle")  # a sign-in would ask /v1/me first
        await expect(clerk_page.get_by_test_id("staff-role")).to_have_count(
            0
        )  # signed out stays so
        fresh = await desk.new_page()  # and in a new tab, as from an e-mail
        await fresh.goto(link)
        await expect(fresh.get_by_test_id("staff-role")).to_have_text("staff")
        assert "token" not in fresh.url, fresh.url
    finally:
        await desk.close()
    [entry] = await console.audited(gateway, admin, {"gateway.staff_token.issued"})
    assert entry["target_id"] == f"staff:{clerk}"
    await page.get_by_role("link", name="audit log", exact=True).click()
    await expect(page.get_by_label("Action")).to_have_value("gateway.staff_token.issued")
    await page.get_by_role("button", name="Show entries").click()
    await expect(page.get_by_role("cell", name=f"staff:{clerk}")).to_be_visible()


async def test_a_stewards_phone_signs_in_to_the_scanner_from_the_consoles_qr_code(
    page: Page, browser: Browser, storefront: str, visits: Visits
) -> None:
    await console.sign_in_as(page, "admin", console.staff_name("ops"))
    await console.go(page, "Staff access", "Staff access")
    form = page.get_by_role("form", name="Issue a staff token")
    await form.get_by_label("Name").fill(console.staff_name("door"))
    await form.get_by_label("Access").select_option(label="Door scanner (scanner)")
    await form.get_by_role("button", name="Issue token").click()
    code = page.get_by_role("img", name="QR code that signs a phone in to the door scanner")
    await expect(code).to_be_visible()
    await visits.seen(page, "scanner-qr")
    shot = SCREENSHOTS / f"{visits.test_name}-sign-in-qr.png"
    await code.screenshot(path=str(shot))
    [link] = decode_qr(shot)
    assert link.startswith(f"{storefront}/scanner/#token="), link
    # followed in this tab, the link lost the token the page shows only once
    offered = page.get_by_role("link", name="the sign-in link")
    await expect(offered).to_have_attribute("target", "_blank")

    phone = await door.phone(browser, storefront)
    try:
        steward = await phone.new_page()
        await steward.goto(link)
        await expect(steward.get_by_role("heading", name="Which performance?")).to_be_visible()
        assert "token" not in steward.url, "the token left the address bar at once"
    finally:
        await phone.close()


async def test_an_admin_withdraws_a_lost_phones_token_and_the_phone_signs_itself_out(
    page: Page, browser: Browser, storefront: str, visits: Visits, gateway: httpx.AsyncClient
) -> None:
    show = await door.bought(gateway, 1)
    steward = console.staff_name("door")
    await console.sign_in_as(page, "admin", console.staff_name("ops"))
    await console.go(page, "Staff access", "Staff access")
    form = page.get_by_role("form", name="Issue a staff token")
    await form.get_by_label("Name").fill(steward)
    await form.get_by_label("Access").select_option(label="Door scanner (scanner)")
    await form.get_by_role("button", name="Issue token").click()
    shown = page.get_by_role("region", name=f"Token for staff:{steward}")
    token = await shown.get_by_label("Token").input_value()
    issued = page.get_by_role("table", name="Staff tokens not yet expired, newest first")
    row = issued.get_by_role("row").filter(has_text=steward)
    await expect(row).to_contain_text("active")

    phone = await door.phone(browser, storefront)
    try:
        lost = await phone.new_page()
        await door.open_door(lost, visits, show.performance_id, token)
        await row.get_by_role("button", name=f"Withdraw {steward}'s token").click()
        asked = row.get_by_role("form", name=f"Withdraw {steward}'s token")
        await asked.get_by_label("Why").fill("phone lost at door 3")
        await asked.get_by_role("button", name="Withdraw now").click()
        tokens = page.get_by_role("region", name="Tokens issued")
        await expect(tokens.get_by_role("status")).to_contain_text(
            f"staff:{steward}'s token is withdrawn"
        )
        await expect(row).to_contain_text("withdrawn")
        await expect(row).to_contain_text("phone lost at door 3")
        await expect(row.get_by_role("button")).to_have_count(0)
        await visits.seen(page, "token-withdrawn")

        revocations = f"/v1/checkin/performances/{show.performance_id}/revocations"
        bearer = {"Authorization": f"Bearer {token}"}

        async def refused_at_the_door() -> bool:
            return (await gateway.get(revocations, headers=bearer)).status_code == 401

        await eventually(refused_at_the_door, what="the check-in service refusing the token")
        # no scan needed: its next background sync (every 4 s) is refused, and it signs out
        await expect(lost.get_by_role("heading", name="Sign in")).to_be_visible()
        await expect(lost.get_by_role("alert")).to_contain_text("it was withdrawn or has expired")
        await visits.seen(lost, "signed-out-by-the-server")
    finally:
        await phone.close()
    checked = await gateway.get(
        f"/v1/orders/{show.order_id}", headers={"Authorization": f"Bearer {staff_token('staff')}"}
    )
    assert checked.json()["tickets"][0]["status"] == "valid", "the withdrawn phone let nobody in"


async def test_a_clerk_whose_token_is_withdrawn_is_signed_out_and_told_why(
    page: Page, visits: Visits, gateway: httpx.AsyncClient
) -> None:
    admin = {"Authorization": f"Bearer {staff_token('admin', name=console.staff_name('ops'))}"}
    clerk = console.staff_name("clerk")
    issued = await gateway.post(
        "/v1/admin/staff-tokens", headers=admin, json={"name": clerk, "roles": ["staff"]}
    )
    assert issued.status_code == 201, issued.text
    token = issued.json()["token"]
    await console.sign_in(page, token, "/box-office")
    await expect(page.get_by_test_id("staff-role")).to_have_text("staff")
    await console.go(page, "Orders", "Orders")

    withdrawn = await gateway.post(
        f"/v1/admin/staff-tokens/{issued.json()['token_id']}/withdraw",
        headers=admin,
        json={"reason": "left the company"},
    )
    assert withdrawn.status_code == 200, withdrawn.text

    async def refused_by_orders() -> bool:
        answer = await gateway.get("/v1/orders", headers={"Authorization": f"Bearer {token}"})
        return answer.status_code == 401

    await eventually(refused_by_orders, what="orders refusing the withdrawn token")
    screens = page.get_by_role("navigation", name="Staff screens")
    await screens.get_by_role("link", name="Coupons").click()  # its request is refused
    await expect(page.get_by_role("heading", name="Staff console: sign in")).to_be_visible()
    await expect(page.get_by_role("alert")).to_contain_text("an admin withdrew it")
    await expect(page.get_by_test_id("staff-role")).to_have_count(0)
    await visits.seen(page, "signed-out-token-refused")
    await page.reload()  # and it stays signed out: the token is no longer kept
    await expect(page.get_by_label("Staff token")).to_be_visible()


async def test_every_console_and_box_office_screen_is_screenshotted_and_passes_axe(
    page: Page, visits: Visits, gateway: httpx.AsyncClient
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    email = f"screens-{uuid.uuid4().hex[:8]}@example.com"
    order_id = await console.paid_order_for(gateway, show, email, quantity=2)
    await page.goto("/console")
    await expect(page.get_by_role("heading", name="Staff console: sign in")).to_be_visible()
    await visits.seen(page, "sign-in")
    await console.sign_in_as(page, "admin", console.staff_name("screens"))
    await expect(page.get_by_role("heading", name="Events", level=1)).to_be_visible()
    await visits.seen(page, "events")
    screens = [
        ("Venues", "Venues"),
        ("Sales", "Sales"),
        ("Orders", "Orders"),
        ("Coupons", "Coupons"),
        ("Audit log", "Audit log"),
        ("Parking lots", "Parking lots"),
        ("Reconciliation", "Reconciliation"),
        ("Staff access", "Staff access"),
        ("Box office", "Box office"),
    ]
    for link, heading in screens:
        await console.go(page, link, heading)
        if link == "Audit log":
            await page.get_by_role("button", name="Show entries").click()
            await expect(page.get_by_role("table")).to_be_visible()
        if link == "Orders":
            await page.get_by_label("Customer e-mail").fill(email)
            await page.get_by_role("button", name="Search").click()
            await expect(page.get_by_role("table").locator("tbody tr")).to_have_count(1)
        if link == "Reconciliation":
            await expect(page.get_by_role("heading", name="Inventory")).to_be_visible()
            await expect(page.get_by_role("heading", name="E-mails")).to_be_visible()
            await expect(page.locator("dl.facts").first).to_be_visible()
        await visits.seen(page, link)
    await page.goto(f"/console/orders/{order_id}")
    await expect(page.get_by_test_id("order-status")).to_have_text("paid")
    await visits.seen(page, "order-detail")
    # a general-admission sale at the desk, complimentary, without an e-mail address
    await page.goto(f"/box-office?performance={show.performance_id}")
    await page.get_by_label(re.compile("^Floor")).fill("1")
    await page.get_by_label("Customer name").fill("Guest of the house")
    await page.get_by_label("Complimentary (free)").check()
    await expect(page.get_by_text("1 ticket · to pay: €0.00")).to_be_visible()
    await visits.seen(page, "box-office-ga")
    await page.get_by_role("button", name="Sell 1 ticket").click()
    await expect(page.get_by_role("heading", name=re.compile("Sold: order"))).to_be_visible()
    await visits.seen(page, "box-office-complimentary")
    assert len(visits.audited) >= 13


async def test_an_admin_exports_a_customers_data_and_erases_them_once_the_show_is_over(
    page: Page, visits: Visits, gateway: httpx.AsyncClient, admin_db: asyncpg.Connection
) -> None:
    email = f"forget-me-{uuid.uuid4().hex[:6]}@example.com"
    show = await catalogue.general_admission(gateway, capacity=10)
    order_id = await console.paid_order_for(gateway, show, email, quantity=1)
    number = (await staff_order(gateway, order_id))["order_number"]
    await console.sign_in_as(page, "admin", console.staff_name("dpo"))
    await console.go(page, "Personal data", "Personal data")
    form = page.get_by_role("form", name="A customer's personal data")
    await form.get_by_label("E-mail address").fill(email.upper())

    await form.get_by_role("button", name="Export their data").click()
    exported = page.get_by_role("region", name="Exported data")
    await expect(exported).to_contain_text(f"1 order: {number}.")
    async with page.expect_download() as download:
        await exported.get_by_role("link", name="Download the data (JSON)").click()
    saved_at = Path(await (await download.value).path())
    saved = json.loads(await asyncio.to_thread(saved_at.read_text))
    assert [o["order"]["customer"]["email"] for o in saved["orders"]] == [email]
    await visits.seen(page, "personal-data-exported")

    # the show is still to come: the door needs the name, so the erasure is refused
    await console.confirm_with(page, form, "Erase this customer", "Yes, erase")
    await expect(page.get_by_role("alert")).to_contain_text(number)
    await expect(page.get_by_role("alert")).to_contain_text("still to come")
    await admin_db.execute(
        "UPDATE orders.orders SET starts_at = now() - interval '2 days' WHERE order_id = $1",
        order_id,
    )
    await console.confirm_with(page, form, "Erase this customer", "Yes, erase")
    await expect(page.get_by_role("status")).to_contain_text(f"Erased from {number}")
    await visits.seen(page, "personal-data-erased")
    assert (await staff_order(gateway, order_id))["customer"] == {"name": "(erased)"}
    await form.get_by_role("button", name="Export their data").click()
    await expect(page.get_by_role("status")).to_contain_text("No order on record")
