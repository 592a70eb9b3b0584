"""The door scanner (/scanner/) on a 390 x 844 phone in Chromium, through the edge: refunds refused
online and, once the revocation list synced, offline; the network cut in the browser after
loading (no switch pressed): valid tickets admitted and a forgery refused on the device, the
scans uploaded once each however often the upload is retried, a ticket admitted on two devices
reported as a conflict and counted once; a scanner token kept out of the console."""

from __future__ import annotations

import asyncio
import re
import uuid
from typing import Any

import asyncpg
import httpx
import pytest
from playwright.async_api import BrowserContext, Page, Response, Route, expect

from tests.support.catalogue import STAFF
from tests.support.platform import RUN, staff_token
from tests.support.purchase import scan
from tests.support.waiting import eventually
from tests.web import scanner_flows as door
from tests.web.browser import PHONE, Visits

pytestmark = pytest.mark.infra


async def checked_in_events(admin_db: asyncpg.Connection, ticket_ids: list[str]) -> dict[str, int]:
    rows = await admin_db.fetch(
        "SELECT convert_from(body, 'UTF8')::jsonb ->> 'ticket_id' AS ticket_id, count(*) AS n"
        " FROM orders.outbox WHERE routing_key = 'orders.ticket.checked_in.v1'"
        " AND convert_from(body, 'UTF8')::jsonb ->> 'ticket_id' = ANY($1) GROUP BY 1",
        ticket_ids,
    )
    return {r["ticket_id"]: r["n"] for r in rows}


async def used_on(admin_db: asyncpg.Connection, ticket_ids: list[str]) -> dict[str, Any]:
    rows = await admin_db.fetch(
        "SELECT ticket_id, status, used_device FROM orders.tickets WHERE ticket_id = ANY($1)",
        ticket_ids,
    )
    return {r["ticket_id"]: (r["status"], r["used_device"]) for r in rows}


async def test_a_refunded_ticket_is_refused_online_and_offline_once_the_list_synced(
    gateway: httpx.AsyncClient, phones: list[BrowserContext], visits: Visits
) -> None:
    show = await door.bought(gateway, 3)
    online_one, offline_one, good = show.tickets
    context = phones[0]
    page = await context.new_page()
    await door.open_door(page, visits, show.performance_id)
    await visits.seen(page, "ready")

    await door.refund(gateway, show.order_id, [online_one["ticket_id"], offline_one["ticket_id"]])
    online = await door.scan_code(page, online_one["secret"])
    assert (online["kind"], online["offline"]) == ("refunded", False), online
    await visits.seen(page, "refunded-online")

    # the next sync brings the revocations (the device never scanned offline_one before)
    await expect(page.get_by_text("Revocation list: 2 ticket(s)")).to_be_visible(timeout=30_000)
    await context.set_offline(True)
    offline = await door.scan_code(page, offline_one["secret"])
    assert (offline["kind"], offline["offline"]) == ("refunded", True), offline
    await expect(page.locator(".scanner-status")).to_contain_text("Offline")
    await visits.seen(page, "refunded-offline")
    admitted = await door.scan_code(page, good["secret"])
    assert (admitted["kind"], admitted["offline"]) == ("ok", True), admitted


async def test_offline_three_tickets_are_admitted_a_forgery_refused_and_each_upload_counts_once(
    gateway: httpx.AsyncClient,
    phones: list[BrowserContext],
    visits: Visits,
    admin_db: asyncpg.Connection,
) -> None:
    show = await door.bought(gateway, 3)
    context = phones[0]
    page = await context.new_page()
    await door.open_door(page, visits, show.performance_id)
    device = await door.device_of(page)

    await context.set_offline(True)  # the network drops: nobody switches the scanner
    reopened = await page.reload()
    assert reopened is not None
    assert reopened.from_service_worker  # the app opens with no network
    await expect(page.locator(".scanner-answer")).to_contain_text("Ready to scan")
    no_network = await page.evaluate("fetch('/healthz').then(() => 'reached', () => 'offline')")
    assert no_network == "offline"
    for ticket in show.tickets:
        answered = await door.scan_code(page, ticket["secret"])
        assert (answered["kind"], answered["offline"]) == ("ok", True), answered
    await visits.seen(page, "admitted-offline")
    fake = await door.scan_code(page, door.forged(show.tickets[0]["secret"]))
    assert (fake["kind"], fake["offline"]) == ("invalid", True), fake
    await visits.seen(page, "forged-offline")
    again = await door.scan_code(page, show.tickets[1]["secret"])
    assert again["kind"] == "already_used", again
    await door.waiting(page, 3)
    await visits.seen(page, "queued-offline")
    assert await used_on(admin_db, [t["ticket_id"] for t in show.tickets]) == {
        t["ticket_id"]: ("valid", None) for t in show.tickets
    }

    uploads: list[dict[str, Any]] = []

    async def answer_lost_twice(route: Route) -> None:
        body = route.request.post_data_json
        assert isinstance(body, dict)
        uploads.append(body)
        if len(uploads) <= 2:
            await route.fetch()  # the server applies the scans…
            await route.abort("connectionreset")  # …and the phone never hears back
        else:
            await route.continue_()

    await context.route("**/v1/checkin/offline-scans", answer_lost_twice)
    await context.set_offline(False)
    await door.waiting(page, 0)
    await expect(page.get_by_text("3 uploaded this session")).to_be_visible()
    await visits.seen(page, "uploaded")

    assert len(uploads) == 3
    nonces = [[s["nonce"] for s in upload["scans"]] for upload in uploads]
    assert nonces[0] == nonces[1] == nonces[2]
    assert len(set(nonces[0])) == 3
    assert {u["device_id"] for u in uploads} == {device}
    ids = [t["ticket_id"] for t in show.tickets]
    assert await used_on(admin_db, ids) == {i: ("used", device) for i in ids}
    assert await checked_in_events(admin_db, ids) == {i: 1 for i in ids}
    await expect(page.get_by_role("list", name="Conflicts")).to_have_count(0)
    await expect(page.get_by_role("list", name="Refused by the server")).to_have_count(0)


async def test_a_ticket_admitted_offline_on_two_devices_is_a_conflict_counted_once(
    gateway: httpx.AsyncClient,
    phones: list[BrowserContext],
    visits: Visits,
    admin_db: asyncpg.Connection,
) -> None:
    show = await door.bought(gateway, 1)
    [ticket] = show.tickets
    pages: list[Page] = []
    for context in phones:
        page = await context.new_page()
        await door.open_door(page, visits, show.performance_id)
        pages.append(page)
    first, second = pages
    first_device, second_device = [await door.device_of(p) for p in pages]
    assert first_device != second_device

    for context, page in zip(phones, pages, strict=True):
        await context.set_offline(True)
        answered = await door.scan_code(page, ticket["secret"])
        assert (answered["kind"], answered["offline"]) == ("ok", True), answered
        await door.waiting(page, 1)

    await phones[0].set_offline(False)
    await door.waiting(first, 0)
    await phones[1].set_offline(False)
    await door.waiting(second, 0)
    conflicts = second.get_by_role("list", name="Conflicts")
    await expect(conflicts).to_contain_text(f"admitted first on {first_device}")
    await expect(conflicts).to_contain_text("counted once")
    # named as printed, for the steward to look up: the internal id meant nothing at the door
    await expect(conflicts).to_contain_text(f"Ticket {ticket['ticket_number']}")
    await visits.seen(second, "conflict")
    await expect(first.get_by_role("list", name="Conflicts")).to_have_count(0)
    assert await used_on(admin_db, [ticket["ticket_id"]]) == {
        ticket["ticket_id"]: ("used", first_device)
    }
    assert await checked_in_events(admin_db, [ticket["ticket_id"]]) == {ticket["ticket_id"]: 1}


async def test_every_answer_on_a_phone_manual_entry_included(
    gateway: httpx.AsyncClient, phones: list[BrowserContext], visits: Visits
) -> None:
    show = await door.bought(gateway, 3)
    elsewhere = await door.bought(gateway, 1)
    by_number, used_elsewhere, kept = show.tickets
    context = phones[0]
    page = await context.new_page()
    await door.open_door(page, visits, show.performance_id)

    typed = await door.enter_number(page, f" {by_number['ticket_number'].lower()} ")
    assert (typed["kind"], typed["offline"]) == ("ok", False), typed
    assert by_number["ticket_number"] in typed["text"]
    await visits.seen(page, "admitted-by-number")

    assert (await scan(gateway, used_elsewhere["secret"], show.performance_id))["result"] == "ok"
    used = await door.scan_code(page, used_elsewhere["secret"])
    assert (used["kind"], used["offline"]) == ("already_used", False), used
    assert "Used " in used["text"]  # when it was used
    await visits.seen(page, "already-used")

    wrong = await door.scan_code(page, elsewhere.tickets[0]["secret"])
    assert wrong["kind"] == "wrong_performance", wrong
    await visits.seen(page, "wrong-performance")
    unknown = await door.enter_number(page, "ORD-20260101-XXXXXX-9")
    assert unknown["kind"] == "invalid", unknown
    await visits.seen(page, "invalid")

    await context.set_offline(True)
    offline_number = await door.enter_number(page, kept["ticket_number"])
    assert offline_number["kind"] == "needs_network", offline_number
    await visits.seen(page, "number-needs-network")
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


async def test_a_cancelled_performance_is_said_on_the_screen_and_every_ticket_refused(
    gateway: httpx.AsyncClient, phones: list[BrowserContext], visits: Visits
) -> None:
    """The screen read "Ready to scan" as on any night; the steward learnt of the cancellation
    from the first ticket, a card buyer's told "refunded"."""
    show = await door.bought(gateway, 2)
    admitted, refunded = show.tickets
    page = await phones[0].new_page()
    await door.open_door(page, visits, show.performance_id)
    assert (await door.scan_code(page, admitted["secret"]))["kind"] == "ok"
    await expect(page.get_by_text("This performance was cancelled")).to_have_count(0)

    cancelled = await gateway.post(f"/v1/performances/{show.performance_id}/cancel", headers=STAFF)
    assert cancelled.status_code == 200, cancelled.text

    banner = page.get_by_role("alert").filter(has_text="This performance was cancelled")
    await expect(banner).to_be_visible(timeout=30_000)
    await visits.seen(page, "performance-cancelled")
    for ticket in (admitted, refunded):
        answer = await door.scan_code(page, ticket["secret"])
        assert answer["kind"] == "cancelled", answer
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


STAFF_ROUTES = [
    ("GET", "/v1/orders"),
    ("GET", "/v1/orders/sales-summary?performance_id=prf_x"),
    ("GET", "/v1/admin/audit"),
    ("GET", "/v1/coupons"),
    ("POST", "/v1/venues"),
    ("POST", "/v1/checkin/tickets/tkt_x/reset"),
]


async def test_a_scanner_token_cannot_open_the_console(
    gateway: httpx.AsyncClient, phones: list[BrowserContext], visits: Visits
) -> None:
    token = door.scanner_token()
    for method, path in STAFF_ROUTES:
        answer = await gateway.request(
            method, path, headers={"Authorization": f"Bearer {token}"}, json={}
        )
        assert answer.status_code == 403, (method, path, answer.status_code, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
    assert (await gateway.get("/v1/orders", headers=STAFF)).status_code == 200

    page = await phones[0].new_page()
    # the scanner refuses a token without the scanner role, and signs a scanner in
    await door.sign_in(page, visits, staff_token("staff", name="not-a-door"))
    await expect(page.get_by_role("alert")).to_contain_text("no scanner role")
    await visits.seen(page, "wrong-role-refused")
    await page.get_by_label("Scanner token").fill(token)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Which performance?")).to_be_visible()

    staff_answers: list[Response] = []
    staff_paths = {path.split("?")[0] for _, path in STAFF_ROUTES}

    def keep_staff_answer(response: Response) -> None:
        if any(response.url.split("?")[0].endswith(path) for path in staff_paths):
            staff_answers.append(response)

    page.on("response", keep_staff_answer)
    await page.goto("/console")
    await expect(page.get_by_role("heading", level=1)).to_be_visible()
    await visits.seen(page, "console-as-scanner")
    # whatever the console asks with this browser's token, staff data never comes back
    assert all(r.status in (401, 403) for r in staff_answers), [
        (r.url, r.status) for r in staff_answers
    ]


async def test_a_deployment_whose_files_did_not_arrive_never_becomes_the_offline_scanner(
    gateway: httpx.AsyncClient, phones: list[BrowserContext], visits: Visits
) -> None:
    """The door's Wi-Fi brings a new deployment's page but not its files: the worker kept that
    page as the offline shell at once, and the scanner opened blank offline all night. It now
    keeps a page only once every file it needs is kept too."""
    show = await door.bought(gateway, 1)
    context = phones[0]
    page = await context.new_page()
    await door.open_door(page, visits, show.performance_id)
    index = RUN / "web" / "index.html"
    deployed = index.read_text()
    missing = f"/assets/deployed-{uuid.uuid4().hex[:8]}.js"  # a file the door never gets
    access_log = RUN / "logs" / "edge-access.log"

    async def settled() -> bool:
        """The worker kept the new page, or tried to keep its files (the page's own load, and
        the worker reading it for its chunks, then adding it) and failed."""
        lines = access_log.read_text(errors="replace").splitlines()
        if sum(f'"uri":"{missing}"' in line for line in lines) >= 3:
            return True
        shell = "caches.match('/scanner/', {ignoreVary: true}).then((r) => r ? r.text() : '')"
        return missing in await page.evaluate(shell)

    index.write_text(re.sub(r'src="/assets/index-[^"]+"', f'src="{missing}"', deployed))
    try:
        await page.reload()  # online: the new deployment's page, its script lost on the way
        await eventually(
            settled, timeout=20, what="the worker keeping, or trying to keep, the page"
        )
    finally:
        index.write_text(deployed)

    await context.set_offline(True)
    reopened = await page.reload()
    assert reopened is not None
    assert reopened.from_service_worker
    await expect(page.locator(".scanner-answer")).to_contain_text("Ready to scan")


async def test_the_last_persons_answer_never_stands_while_the_next_ticket_is_checked(
    gateway: httpx.AsyncClient, phones: list[BrowserContext], visits: Visits
) -> None:
    """A slow check (up to 2.5 s on the door's Wi-Fi) left the last person's green "Admit" on
    the screen, as if for the next; and an answer stood for ever. The screen says "Checking…"
    at once, and is ready for the next person a few seconds after an answer."""
    show = await door.bought(gateway, 2)
    context = phones[0]
    page = await context.new_page()
    await door.open_door(page, visits, show.performance_id)
    first = await door.scan_code(page, show.tickets[0]["secret"])
    assert first["kind"] == "ok", first
    panel = page.locator(".scanner-answer")
    await expect(panel).to_have_attribute("data-tone", "go")
    release = asyncio.Event()

    async def slow_check_in(route: Route) -> None:
        await release.wait()
        await route.continue_()

    await page.route("**/v1/checkin", slow_check_in)
    await page.get_by_label("Ticket code").fill(show.tickets[1]["secret"])
    await page.get_by_label("Ticket code").press("Enter")
    await expect(panel).to_contain_text("Checking…")
    await expect(panel).not_to_have_attribute("data-tone", "go")
    release.set()
    await expect(panel).to_have_attribute("data-answers", "2")
    await expect(panel).to_have_attribute("data-tone", "go")

    await expect(panel).to_contain_text("Ready to scan", timeout=10_000)  # after ~6 s
    await expect(panel).to_have_attribute("data-tone", "idle")
    await expect(panel).to_contain_text("Last: Admit")


async def test_a_door_that_loses_the_network_refuses_a_ticket_another_door_admitted(
    gateway: httpx.AsyncClient, phones: list[BrowserContext], visits: Visits
) -> None:
    """A screenshot of a ticket used at the main door, shown at the side door whose Wi-Fi just
    went: the side door knew only its own admissions and let it in a second time."""
    show = await door.bought(gateway, 1)
    [ticket] = show.tickets
    main_door, side_door = [await context.new_page() for context in phones]
    for page in (main_door, side_door):
        await door.open_door(page, visits, show.performance_id)

    admitted = await door.scan_code(main_door, ticket["secret"])
    assert (admitted["kind"], admitted["offline"]) == ("ok", False), admitted
    await expect(side_door.get_by_text("admitted so far (every door): 1")).to_be_visible(
        timeout=20_000
    )  # the side door's next sync, every few seconds
    await phones[1].set_offline(True)

    again = await door.scan_code(side_door, ticket["secret"])
    assert (again["kind"], again["offline"]) == ("already_used", True), again
    await door.waiting(side_door, 0)  # nothing queued: nobody got in twice


async def test_changing_performance_without_the_network_leads_back_to_the_one_scanned(
    gateway: httpx.AsyncClient, phones: list[BrowserContext], visits: Visits
) -> None:
    """ "Change performance" at a door whose Wi-Fi is gone: the list cannot load, and the picker
    was a dead end (no way back, no scanning at all until the network returned)."""
    show = await door.bought(gateway, 1)
    [ticket] = show.tickets
    page = await phones[0].new_page()
    await door.open_door(page, visits, show.performance_id)
    await phones[0].set_offline(True)
    await page.get_by_role("button", name="Change performance").click()
    await expect(page.get_by_text("The performances cannot be loaded")).to_be_visible()

    await page.get_by_role("button", name=re.compile("^Back to ")).click()

    admitted = await door.scan_code(page, ticket["secret"])
    assert (admitted["kind"], admitted["offline"]) == ("ok", True), admitted
    await door.waiting(page, 1)  # queued for the upload, for this performance
