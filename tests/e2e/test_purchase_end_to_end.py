"""The test that stands for the product: every service as its own process on real servers, the
Stripe emulator and the SMTP sink, and a customer who only ever talks to the gateway."""

from __future__ import annotations

import base64
import email
import subprocess
import tempfile
import uuid
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from tests.support import catalogue
from tests.support.catalogue import session
from tests.support.platform import stack
from tests.support.purchase import confirm, scan
from tests.support.waiting import eventually
from ticketing_orders.domain.tickets import verify

pytestmark = pytest.mark.infra
SINK_API = stack.PROCESSES["smtp-sink"].url


async def mail_to(address: str, subject_has: str) -> EmailMessage | None:
    async with httpx.AsyncClient(base_url=SINK_API) as sink:
        listed = (await sink.get("/messages", params={"to": address})).json()["messages"]
        found = [m for m in listed if subject_has in m["subject"]]
        if not found:
            return None
        raw = (await sink.get(f"/messages/{found[0]['id']}")).content
    message = email.message_from_bytes(raw, policy=default)
    assert isinstance(message, EmailMessage)
    return message


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def qr_codes(pdf: bytes) -> list[str]:
    """Every QR code of every page, read by zbar from the pages rendered at 150 dpi."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "tickets.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", "150", "-png", str(source), str(Path(folder) / "page")], check=True
        )
        codes = []
        for page in sorted(Path(folder).glob("page*.png")):
            read = subprocess.run(
                ["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(page)],
                capture_output=True,
                check=True,
            )
            codes += read.stdout.decode().split()
    return codes


async def test_browse_hold_order_pay_mail_scan(gateway: httpx.AsyncClient) -> None:
    show = await catalogue.seated(gateway, {"A": 6, "B": 6})
    buyer = await session(gateway)
    email_address = f"e2e-{uuid.uuid4().hex[:8]}@example.com"

    listed = await gateway.get("/v1/events")
    assert show.event_id in [e["event_id"] for e in listed.json()]
    performance = await gateway.get(f"/v1/performances/{show.performance_id}")
    assert performance.json()["tiers"][0]["available"] == 12
    held = await gateway.post(
        "/v1/holds",
        headers=buyer,
        json={"performance_id": show.performance_id, "best_available": {"quantity": 2}},
    )
    assert held.status_code == 201, held.text
    seats = held.json()["lines"][0]["seat_ids"]
    placed = await gateway.post(
        "/v1/orders",
        headers={**buyer, "Idempotency-Key": str(uuid.uuid4())},
        json={
            "hold_id": held.json()["hold_id"],
            "customer": {"name": "Grace Hopper", "email": email_address},
        },
    )
    assert placed.status_code == 201, placed.text
    order = placed.json()
    await confirm(order["payment"]["payment_intent_id"])

    async def confirmation() -> EmailMessage | None:
        return await mail_to(email_address, order["order_number"])

    message = await eventually(confirmation, timeout=30, what="the confirmation e-mail")
    assert message is not None
    attachments = [part for part in message.iter_attachments()]
    # the tickets, then the calendar invitation for the performance
    assert [a.get_content_type() for a in attachments] == ["application/pdf", "text/calendar"]
    assert "BEGIN:VEVENT" in str(attachments[1].get_content())
    pdf = attachments[0].get_content()
    assert isinstance(pdf, bytes)

    text = pdf_text(pdf)
    read = (
        await gateway.get(
            f"/v1/orders/{order['order_id']}", headers={"X-Order-Token": order["access_token"]}
        )
    ).json()
    assert read["status"] == "paid"
    for fragment in ("Test Night", order["order_number"], "Grace Hopper", "Stalls", "Row"):
        assert fragment in text
    for ticket in read["tickets"]:
        assert ticket["ticket_number"] in text

    secrets = qr_codes(pdf)
    assert sorted(secrets) == sorted(t["secret"] for t in read["tickets"])
    key = (await gateway.get("/v1/tickets/public-key")).json()
    public_key = Ed25519PublicKey.from_public_bytes(base64.b64decode(key["public_key"]))
    for secret in secrets:
        claims = verify(public_key, secret)
        assert claims.performance_id == show.performance_id
        assert claims.seat_id in seats

    first = [await scan(gateway, s, show.performance_id) for s in secrets]
    again = [await scan(gateway, s, show.performance_id) for s in secrets]
    assert [r["result"] for r in first] == ["ok", "ok"]
    assert [r["result"] for r in again] == ["already_used", "already_used"]

    download = await gateway.get(
        f"/v1/orders/{order['order_id']}/tickets.pdf",
        headers={"X-Order-Token": order["access_token"]},
    )
    assert (download.status_code, download.headers["content-type"]) == (200, "application/pdf")
    assert sorted(qr_codes(download.content)) == sorted(secrets)
    stranger = await gateway.get(f"/v1/orders/{order['order_id']}/tickets.pdf")
    assert stranger.status_code == 404
