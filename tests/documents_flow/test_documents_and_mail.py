"""PDFs and e-mails under faults: the documents service killed mid-render, the SMTP server down,
a checkout that never waits for a PDF, and staff re-rendering and resending."""

from __future__ import annotations

import asyncio
import signal
import statistics
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest

from tests.documents.pdf_tools import page_texts
from tests.support import catalogue
from tests.support.catalogue import STAFF, Show, session
from tests.support.platform import restart, stack, stopped
from tests.support.purchase import confirm, hold, place
from tests.support.waiting import eventually

pytestmark = pytest.mark.infra
SINK_API = stack.PROCESSES["smtp-sink"].url


async def buy(gateway: httpx.AsyncClient, show: Show, email: str) -> dict[str, Any]:
    """Place and pay an order of two tickets for ``email``; returns the order as placed."""
    buyer = await session(gateway)
    hold_id = await hold(gateway, show, buyer, 2)
    answer = await gateway.post(
        "/v1/orders",
        headers={**buyer, "Idempotency-Key": str(uuid.uuid4())},
        json={"hold_id": hold_id, "customer": {"name": "Mary Jackson", "email": email}},
    )
    assert answer.status_code == 201, answer.text
    order: dict[str, Any] = answer.json()
    await confirm(order["payment"]["payment_intent_id"])
    return order


async def mails_to(address: str) -> list[dict[str, Any]]:
    async with httpx.AsyncClient(base_url=SINK_API) as sink:
        answer = await sink.get("/messages", params={"to": address})
        return list(answer.json()["messages"])


async def current_documents(db: asyncpg.Connection, order_id: str) -> list[asyncpg.Record]:
    return await db.fetch(
        "SELECT ticket_id, version FROM documents.documents"
        " WHERE order_id = $1 AND superseded_at IS NULL",
        order_id,
    )


def email_for(tag: str) -> str:
    return f"{tag}-{uuid.uuid4().hex[:8]}@example.com"


async def test_documents_killed_while_rendering_renders_once_and_mails_once(
    gateway: httpx.AsyncClient, admin_db: asyncpg.Connection
) -> None:
    show = await catalogue.general_admission(gateway, capacity=40)
    documents = stack.PROCESSES["documents"]
    # twelve orders waiting, rendered two at a time: a kill once the first two are done finds
    # five batches still to go (with six, a loaded machine rendered them all before the kill)
    async with stopped("documents", {"TICKETING_RENDER_BATCH_SIZE": "2"}):
        orders = [await buy(gateway, show, email_for("kill")) for _ in range(12)]
    ids = [o["order_id"] for o in orders]

    async def some_done_some_pending() -> tuple[int, int] | None:
        rows = await admin_db.fetch(
            "SELECT status FROM documents.render_jobs WHERE order_id = ANY($1)", ids
        )
        done = sum(r["status"] == "done" for r in rows)
        return (done, len(ids) - done) if done >= 1 else None

    progress = await eventually(some_done_some_pending, timeout=30, interval=0.02, what="renders")
    assert progress is not None
    await asyncio.to_thread(stack.stop, documents, 10.0, signal.SIGKILL)
    interrupted = await admin_db.fetchval(
        "SELECT count(*) FROM documents.render_jobs WHERE order_id = ANY($1) AND status <> 'done'",
        ids,
    )
    assert interrupted >= 1, "the kill came after every render: nothing was interrupted"
    stack.start(documents)
    await asyncio.to_thread(stack.wait_ready, [documents])

    async def all_mailed() -> bool:
        counts = [len(await mails_to(o["customer"]["email"])) for o in orders]
        return all(c >= 1 for c in counts)

    await eventually(all_mailed, timeout=60, what="every confirmation e-mail")
    for order in orders:
        current = await current_documents(admin_db, order["order_id"])
        tickets = [r["ticket_id"] for r in current if r["ticket_id"] is not None]
        assert len(tickets) == len(set(tickets)) == 2  # one current PDF per ticket
        assert sum(r["ticket_id"] is None for r in current) == 1  # and one for the order
        rendered = await admin_db.fetchval(
            "SELECT count(*) FROM documents.outbox WHERE routing_key = $1"
            " AND convert_from(body, 'UTF8')::jsonb ->> 'order_id' = $2",
            "documents.tickets.rendered.v1",
            order["order_id"],
        )
        assert rendered == 1, "the interrupted render announced once, so one e-mail is owed"
        assert len(await mails_to(order["customer"]["email"])) == 1  # one e-mail, not two


async def test_due_orders_are_laid_out_together_and_an_unknown_one_is_parked_alone(
    gateway: httpx.AsyncClient, admin_db: asyncpg.Connection
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    async with stopped("documents"):
        orders = [await buy(gateway, show, email_for("batch")) for _ in range(3)]
        unknown = f"ord_unknown_{uuid.uuid4().hex[:12]}"  # an order.paid from elsewhere
        # the jobs that order.paid creates, all due before the renderer's first look
        await admin_db.executemany(
            "INSERT INTO documents.render_jobs (order_id, version, status)"
            " VALUES ($1, 1, 'pending')",
            [(o["order_id"],) for o in orders] + [(unknown,)],
        )
    ids = [o["order_id"] for o in orders] + [unknown]

    async def settled() -> list[asyncpg.Record] | None:
        rows = await admin_db.fetch(
            "SELECT order_id, status, attempts, last_error, rendered_at"
            " FROM documents.render_jobs WHERE order_id = ANY($1)",
            ids,
        )
        return rows if all(r["status"] != "pending" for r in rows) else None

    settled_jobs = await eventually(settled, timeout=30, what="the renders")
    assert settled_jobs is not None
    jobs = {r["order_id"]: r for r in settled_jobs}
    assert (jobs[unknown]["status"], jobs[unknown]["attempts"]) == ("parked", 1)
    assert "OrderUnknown" in jobs[unknown]["last_error"]
    rendered = [jobs[o["order_id"]] for o in orders]
    assert all(r["status"] == "done" for r in rendered)
    assert len({r["rendered_at"] for r in rendered}) == 1  # one transaction: one layout
    for order in orders:
        token = {"X-Order-Token": order["access_token"]}
        answer = await gateway.get(f"/v1/orders/{order['order_id']}/tickets.pdf", headers=token)
        assert answer.status_code == 200, answer.text
        texts = page_texts(answer.content)
        assert len(texts) == 2  # its own two tickets, none of the others'
        assert all(order["order_number"] in text for text in texts)
        for other in orders:
            if other is not order:
                assert all(other["order_number"] not in text for text in texts)
    await eventually(
        lambda: _all_mailed_once(orders), timeout=30, what="one confirmation per order"
    )


async def _all_mailed_once(orders: list[dict[str, Any]]) -> bool:
    return all([len(await mails_to(o["customer"]["email"])) == 1 for o in orders])


@pytest.fixture
async def quick_mail_retries() -> AsyncIterator[None]:
    await restart("notifications", {"TICKETING_MAIL_RETRY_BASE_S": "0.5"})
    try:
        yield
    finally:
        sink = stack.PROCESSES["smtp-sink"]
        stack.start(sink)
        await asyncio.to_thread(stack.wait_ready, [sink])
        await restart("notifications")


@pytest.mark.usefixtures("quick_mail_retries")
async def test_mail_waits_for_a_smtp_server_that_is_down_and_arrives_once(
    gateway: httpx.AsyncClient, admin_db: asyncpg.Connection
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    sink = stack.PROCESSES["smtp-sink"]
    await asyncio.to_thread(stack.stop, sink)
    address = email_for("down")
    order = await buy(gateway, show, address)

    async def failed_twice() -> bool:
        attempts = await admin_db.fetchval(
            "SELECT max(attempts) FROM notifications.notifications WHERE order_id = $1"
            " AND status = 'pending'",
            order["order_id"],
        )
        return bool(attempts and attempts >= 2)

    await eventually(failed_twice, timeout=30, what="sends failing while SMTP is down")
    stack.start(sink)
    await asyncio.to_thread(stack.wait_ready, [sink])

    async def arrived() -> list[dict[str, Any]]:
        return await mails_to(address)

    await eventually(arrived, timeout=30, what="the e-mail after the server returned")

    async def recorded_sent() -> list[asyncpg.Record]:
        # the sink has the mail a moment before the service commits that it sent it
        rows = await admin_db.fetch(
            "SELECT status, smtp_message_id FROM notifications.notifications WHERE order_id = $1",
            order["order_id"],
        )
        return rows if [r["status"] for r in rows] == ["sent"] else []

    sent = await eventually(recorded_sent, timeout=15, what="the send recorded, once")
    assert [r["status"] for r in sent] == ["sent"]
    mails = await mails_to(address)
    assert len(mails) == 1
    assert mails[0]["message_id"] == sent[0]["smtp_message_id"]

    resent = await gateway.post(
        f"/v1/notifications/{(await _notification_id(admin_db, order['order_id']))}/resend",
        headers=STAFF,
    )
    assert resent.status_code == 202, resent.text

    async def second_copy() -> bool:
        return len(await mails_to(address)) == 2

    await eventually(second_copy, timeout=30, what="the copy staff asked for")


async def _notification_id(db: asyncpg.Connection, order_id: str) -> str:
    found: str = await db.fetchval(
        "SELECT notification_id FROM notifications.notifications WHERE order_id = $1", order_id
    )
    return found


async def _place_and_pay_ms(gateway: httpx.AsyncClient, show: Show) -> float:
    started = time.perf_counter()
    order = await buy(gateway, show, email_for("latency"))
    token = {"X-Order-Token": order["access_token"]}

    async def paid() -> bool:
        seen = await gateway.get(f"/v1/orders/{order['order_id']}", headers=token)
        return bool(seen.json()["status"] == "paid")

    await eventually(paid, timeout=10, interval=0.01, what="paid")
    return (time.perf_counter() - started) * 1000


async def test_a_checkout_never_waits_for_a_pdf(
    gateway: httpx.AsyncClient, admin_db: asyncpg.Connection
) -> None:
    show = await catalogue.general_admission(gateway, capacity=40)
    running = [await _place_and_pay_ms(gateway, show) for _ in range(5)]
    async with stopped("documents"):
        without = [await _place_and_pay_ms(gateway, show) for _ in range(5)]
    assert max(without) < 2000, without
    assert statistics.median(without) < statistics.median(running) * 1.5 + 100, (running, without)


async def test_staff_re_render_supersedes_the_documents(
    gateway: httpx.AsyncClient, admin_db: asyncpg.Connection
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    order = await buy(gateway, show, email_for("rerender"))
    url = f"/v1/orders/{order['order_id']}/tickets.pdf"
    token = {"X-Order-Token": order["access_token"]}

    async def version(wanted: str) -> bool:
        answer = await gateway.get(url, headers=token)
        return answer.status_code == 200 and answer.headers["x-document-version"] == wanted

    await eventually(lambda: version("1"), timeout=30, what="version 1")
    # the purchase's own e-mail first (it follows version 1, not the re-render)
    await eventually(lambda: _mails_count(order, 1), timeout=60, what="the purchase's e-mail")
    again = await gateway.post(f"/v1/documents/orders/{order['order_id']}/render", headers=STAFF)
    assert again.status_code == 202, again.text
    await eventually(lambda: version("2"), timeout=30, what="version 2")
    current = await current_documents(admin_db, order["order_id"])
    assert {r["version"] for r in current} == {2}
    assert len(current) == 3  # the order's PDF and one per ticket

    async def version_2_heard() -> bool:  # notifications decided on the re-render's event
        heard = await admin_db.fetchval(
            "SELECT count(*) FROM notifications.inbox i"
            " JOIN documents.outbox o ON o.message_id = i.message_id"
            " WHERE o.routing_key = 'documents.tickets.rendered.v1'"
            " AND convert_from(o.body, 'UTF8')::jsonb ->> 'order_id' = $1"
            " AND convert_from(o.body, 'UTF8')::jsonb ->> 'version' = '2'",
            order["order_id"],
        )
        return bool(heard == 1)

    await eventually(version_2_heard, what="notifications consuming version 2's event")
    decided = await admin_db.fetchval(
        "SELECT count(*) FROM notifications.notifications WHERE order_id = $1", order["order_id"]
    )
    assert decided == 1, "a re-render mails nobody"
    assert len(await mails_to(order["customer"]["email"])) == 1
    assert (await read_status(gateway, order)) == "paid"


async def test_staff_re_render_of_an_unknown_order_is_a_404_that_names_it(
    gateway: httpx.AsyncClient, admin_db: asyncpg.Connection
) -> None:
    answer = await gateway.post("/v1/documents/orders/ord_nosuchorder/render", headers=STAFF)
    assert answer.status_code == 404, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "ord_nosuchorder" in answer.json()["detail"]
    jobs = "SELECT count(*) FROM documents.render_jobs WHERE order_id = 'ord_nosuchorder'"
    assert await admin_db.fetchval(jobs) == 0


async def _mails_count(order: dict[str, Any], wanted: int) -> bool:
    return len(await mails_to(order["customer"]["email"])) == wanted


async def read_status(gateway: httpx.AsyncClient, order: dict[str, Any]) -> str:
    token = {"X-Order-Token": order["access_token"]}
    return str(
        (await gateway.get(f"/v1/orders/{order['order_id']}", headers=token)).json()["status"]
    )


async def test_a_refunded_tickets_pdf_is_withdrawn_and_the_rest_printed_again(
    gateway: httpx.AsyncClient, admin_db: asyncpg.Connection
) -> None:
    """A refunded ticket's PDF would still scan for whoever bought it second-hand: it is never
    served again; the order's PDF is printed again with the tickets still valid, and once none
    is, the order has no PDF at all."""
    show = await catalogue.general_admission(gateway, capacity=10)
    order = await buy(gateway, show, email_for("refund-pdf"))
    order_id, token = order["order_id"], {"X-Order-Token": order["access_token"]}
    whole = f"/v1/orders/{order_id}/tickets.pdf"

    async def version(wanted: str) -> bool:
        answer = await gateway.get(whole, headers=token)
        return answer.status_code == 200 and answer.headers["x-document-version"] == wanted

    await eventually(lambda: version("1"), timeout=30, what="version 1")
    paid = (await gateway.get(f"/v1/orders/{order_id}", headers=token)).json()
    (kept, kept_number), (refunded, _) = (
        (t["ticket_id"], t["ticket_number"]) for t in paid["tickets"]
    )
    made = await gateway.post(
        f"/v1/orders/{order_id}/refunds", headers=STAFF, json={"ticket_ids": [refunded]}
    )
    assert made.status_code == 201, made.text

    gone = await gateway.get(f"/v1/orders/{order_id}/tickets/{refunded}.pdf", headers=token)
    assert (gone.status_code, gone.json()["type"].rsplit("/", 1)[-1]) == (410, "tickets-not-valid")
    # one the order never had is not "refunded or voided" (a client would stop asking)
    nope = await gateway.get(f"/v1/orders/{order_id}/tickets/tkt_nope.pdf", headers=token)
    assert (nope.status_code, nope.json()["type"].rsplit("/", 1)[-1]) == (404, "ticket-not-found")
    unpaid = await place(gateway, show, quantity=1)
    not_yet = await gateway.get(
        f"/v1/orders/{unpaid.order['order_id']}/tickets.pdf", headers=unpaid.token_header
    )
    assert (not_yet.status_code, not_yet.json()["type"].rsplit("/", 1)[-1]) == (404, "no-tickets")
    assert "pending_payment" in not_yet.json()["detail"]
    await eventually(lambda: version("2"), timeout=30, what="version 2, without the refunded")
    [page] = page_texts((await gateway.get(whole, headers=token)).content)
    assert "TICKET 1 OF 1" in page
    assert kept_number in page
    still = await gateway.get(f"/v1/orders/{order_id}/tickets/{kept}.pdf", headers=token)
    assert still.status_code == 200

    rest = await gateway.post(f"/v1/orders/{order_id}/refunds", headers=STAFF, json={})
    assert rest.status_code == 201, rest.text
    assert (await gateway.get(whole, headers=token)).status_code == 410

    async def withdrawn() -> bool:
        return await current_documents(admin_db, order_id) == []

    assert await eventually(withdrawn, timeout=30, what="the documents withdrawn")
