"""A paid order whose event data is odd (a zone stored before zones were checked) still gets
its PDF and its e-mail, times in UTC said as such; a render that fails for good is visible on
the staff order view and in the documents reconciliation report."""

from __future__ import annotations

import email
import email.policy
import uuid
from typing import Any

import asyncpg
import httpx
import pytest

from tests.documents.pdf_tools import page_texts
from tests.support import catalogue
from tests.support.catalogue import STAFF
from tests.support.platform import stack
from tests.support.purchase import paid, place
from tests.support.waiting import eventually

pytestmark = pytest.mark.infra
SINK_API = stack.PROCESSES["smtp-sink"].url


async def mails_to(address: str) -> list[dict[str, Any]]:
    async with httpx.AsyncClient(base_url=SINK_API) as sink:
        answer = await sink.get("/messages", params={"to": address})
        return list(answer.json()["messages"])


async def text_of(message_id: str) -> str:
    async with httpx.AsyncClient(base_url=SINK_API) as sink:
        raw = (await sink.get(f"/messages/{message_id}")).content
    message = email.message_from_bytes(raw, policy=email.policy.default)
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())  # type: ignore[attr-defined]


async def test_an_unknown_zone_still_gives_the_pdf_and_the_mail_in_utc(
    gateway: httpx.AsyncClient, admin_db: asyncpg.Connection
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    await admin_db.execute(
        "UPDATE inventory.events SET time_zone = 'Mars/Olympus_Mons' WHERE event_id = $1",
        show.event_id,
    )
    address = f"mars-{uuid.uuid4().hex[:8]}@example.com"
    placed = await place(gateway, show, email=address)
    order_id = placed.order["order_id"]
    stored = await admin_db.fetchval(
        "SELECT time_zone FROM orders.orders WHERE order_id = $1", order_id
    )
    assert stored == "Mars/Olympus_Mons"  # the odd data reached the paid order
    await paid(gateway, placed)

    async def pdf() -> bytes | None:
        answer = await gateway.get(
            f"/v1/orders/{order_id}/tickets.pdf", headers=placed.token_header
        )
        return answer.content if answer.status_code == 200 else None

    document = await eventually(pdf, timeout=60, interval=0.2, what="the tickets PDF")
    assert document is not None
    texts = page_texts(document)
    assert len(texts) == 2
    assert all("UTC" in text for text in texts)
    mails = await eventually(lambda: mails_to(address), timeout=60, what="the confirmation")
    assert len(mails) == 1
    assert "UTC" in await text_of(mails[0]["id"])


async def test_a_render_parked_for_good_shows_on_the_staff_view_and_the_report(
    gateway: httpx.AsyncClient, admin_db: asyncpg.Connection, admin_headers: dict[str, str]
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    placed = await place(gateway, show, quantity=1)
    await paid(gateway, placed)
    order_id = placed.order["order_id"]
    # what a render failing past its last attempt leaves behind
    await admin_db.execute(
        "INSERT INTO documents.render_jobs (order_id, version, status, attempts, last_error)"
        " VALUES ($1, 1, 'parked', 8, 'LayoutError: boom')"
        " ON CONFLICT (order_id) DO UPDATE SET status = 'parked', attempts = 8,"
        " last_error = 'LayoutError: boom'",
        order_id,
    )
    staff_view = await gateway.get(f"/v1/orders/{order_id}", headers=STAFF)
    assert staff_view.status_code == 200, staff_view.text
    assert staff_view.json()["tickets_document"]["status"] == "parked"
    assert "LayoutError" in staff_view.json()["tickets_document"]["last_error"]
    customer_view = await gateway.get(f"/v1/orders/{order_id}", headers=placed.token_header)
    assert "tickets_document" not in customer_view.json()
    report = await gateway.get("/v1/admin/services/documents/reconciliation", headers=admin_headers)
    assert report.status_code == 200, report.text
    assert order_id in {r["order_id"] for r in report.json()["renders"]}
    assert report.json()["parked_renders"] >= 1
