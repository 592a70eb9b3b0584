"""The box office: a clerk holds, orders and marks paid at the desk; the same tickets, PDF and
e-mail as online, and no Stripe payment at all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.support import catalogue
from tests.support.catalogue import session
from tests.support.purchase import SCANNER
from tests.support.staff import bearer, desk_hold, desk_sale, email_for, intents_for, mails_to
from tests.support.waiting import eventually

pytestmark = pytest.mark.infra
PROBLEM = "application/problem+json"
ADMIN = bearer("admin", name="desk-admin")


async def sold_per_inventory(gateway: httpx.AsyncClient, performance_id: str) -> int:
    answer = await gateway.get(
        "/v1/admin/inventory/reconciliation",
        headers=ADMIN,
        params={"performance_id": performance_id},
    )
    assert answer.status_code == 200, answer.text
    return sum(t["sold"] for t in answer.json()["tiers"])


async def test_a_cash_sale_at_the_desk_is_paid_with_tickets_pdf_and_mail_and_no_stripe(
    gateway: httpx.AsyncClient,
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    clerk, email = bearer("staff"), email_for("desk")
    hold_id = await desk_hold(gateway, show, clerk, quantity=2)
    answer = await desk_sale(gateway, clerk, hold_id, "cash", email=email, key="desk-key-0001")
    assert answer.status_code == 201, answer.text
    order: dict[str, Any] = answer.json()
    assert (order["status"], order["payment_method"]) == ("paid", "cash")
    assert order["total"] == {"amount": 5000, "currency": "EUR"}
    assert order["payment"]["status"] == "succeeded"
    assert len(order["tickets"]) == 2

    again = await desk_sale(gateway, clerk, hold_id, "cash", email=email, key="desk-key-0001")
    assert (again.status_code, again.json()["order_id"]) == (200, order["order_id"])

    async def pdf() -> httpx.Response | None:
        found = await gateway.get(f"/v1/orders/{order['order_id']}/tickets.pdf", headers=clerk)
        return found if found.status_code == 200 else None

    printed = await eventually(pdf, what="the desk sale's PDF")
    assert printed is not None
    assert printed.headers["content-type"] == "application/pdf"
    assert printed.headers["content-disposition"].startswith("inline")  # the print dialog
    await eventually(lambda: mails_to(email), what="the confirmation e-mail")

    async def committed() -> bool:
        return await sold_per_inventory(gateway, show.performance_id) == 2

    await eventually(committed, what="inventory's sale of the two units")
    assert await intents_for(order["order_id"]) == []
    scanned = await gateway.post(
        "/v1/checkin",
        headers=SCANNER,
        json={"secret": order["tickets"][0]["secret"], "performance_id": show.performance_id},
    )
    assert scanned.json()["result"] == "ok"


async def test_a_complimentary_sale_without_an_address_costs_nothing_and_sends_nothing(
    gateway: httpx.AsyncClient,
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    clerk = bearer("staff")
    hold_id = await desk_hold(gateway, show, clerk, quantity=1)
    answer = await desk_sale(gateway, clerk, hold_id, "complimentary")
    assert answer.status_code == 201, answer.text
    order = answer.json()
    assert (order["status"], order["payment_method"]) == ("paid", "complimentary")
    assert order["total"]["amount"] == 0
    assert order["customer"].get("email") is None  # no address given

    async def parked_for_want_of_an_address() -> list[dict[str, Any]]:
        found = await gateway.get(
            "/v1/notifications", headers=clerk, params={"order_id": order["order_id"]}
        )
        return [n for n in found.json() if n["status"] == "parked"]

    [note] = await eventually(parked_for_want_of_an_address, what="the unsendable e-mail")
    assert "no e-mail address" in note["last_error"]
    assert await intents_for(order["order_id"]) == []
    report = await gateway.get("/v1/admin/services/notifications/reconciliation", headers=clerk)
    assert report.status_code == 200, report.text
    assert order["order_id"] not in {e["order_id"] for e in report.json()["emails"]}  # no fault
    # sending every parked e-mail again is the admins' (the Reconciliation screen's button)
    mass = await gateway.post("/v1/admin/services/notifications/parked/resend", headers=clerk)
    assert mass.status_code == 403, mass.text


async def test_only_staff_sell_at_the_desk_and_bad_sales_are_refused(
    gateway: httpx.AsyncClient,
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    clerk = bearer("staff")
    hold_id = await desk_hold(gateway, show, clerk, quantity=1)
    buyer = await session(gateway)
    as_customer = await desk_sale(gateway, buyer, hold_id)
    assert as_customer.status_code == 403
    as_scanner = await desk_sale(gateway, SCANNER, hold_id)
    assert as_scanner.status_code == 403
    scanner_hold = await gateway.post(
        "/v1/holds",
        headers=SCANNER,
        json={"performance_id": show.performance_id, "tiers": [{"tier_id": "x", "quantity": 1}]},
    )
    assert scanner_hold.status_code == 403

    bad_method = await desk_sale(gateway, clerk, hold_id, "cheque")
    assert (bad_method.status_code, bad_method.headers["content-type"]) == (422, PROBLEM)
    assert "payment_method" in bad_method.json()["detail"]
    bad_email = await desk_sale(gateway, clerk, hold_id, email="not-an-address")
    assert bad_email.status_code == 422
    assert "email" in bad_email.json()["detail"]
    not_mine = await desk_sale(gateway, bearer("staff"), hold_id)  # another clerk's hold
    assert (not_mine.status_code, not_mine.headers["content-type"]) == (404, PROBLEM)
    mine = await desk_sale(gateway, clerk, hold_id)
    assert mine.status_code == 201, mine.text


async def test_refunding_a_desk_sale_gives_the_money_back_at_the_desk(
    gateway: httpx.AsyncClient,
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    clerk = bearer("staff")
    sold = await desk_sale(
        gateway, clerk, await desk_hold(gateway, show, clerk, 2), "card_terminal"
    )
    order = sold.json()

    async def committed() -> bool:
        return await sold_per_inventory(gateway, show.performance_id) == 2

    await eventually(committed, what="inventory's sale of the two units")
    refund = await gateway.post(
        f"/v1/orders/{order['order_id']}/refunds",
        headers=clerk,
        json={"ticket_ids": [order["tickets"][0]["ticket_id"]]},
    )
    assert refund.status_code == 201, refund.text
    assert (refund.json()["status"], refund.json()["amount"]["amount"]) == ("succeeded", 2500)

    async def returned() -> bool:
        return await sold_per_inventory(gateway, show.performance_id) == 1

    await eventually(returned, what="the refunded unit back on sale")
    assert await intents_for(order["order_id"]) == []


async def test_the_desk_sells_to_walk_ups_once_online_sales_have_closed(
    gateway: httpx.AsyncClient,
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    now = datetime.now(UTC)
    closed = {
        "sales_open_at": (now - timedelta(hours=2)).isoformat(),
        "sales_close_at": (now - timedelta(hours=1)).isoformat(),
    }
    moved = await gateway.patch(
        f"/v1/performances/{show.performance_id}", headers=ADMIN, json=closed
    )
    assert moved.status_code == 200, moved.text
    body = {
        "performance_id": show.performance_id,
        "tiers": [{"tier_id": show.tiers["Floor"], "quantity": 1}],
    }
    online = await gateway.post("/v1/holds", headers=await session(gateway), json=body)
    assert (online.status_code, online.json()["type"].rsplit("/", 1)[-1]) == (409, "sales-closed")

    clerk = bearer("staff")
    sale = await desk_sale(gateway, clerk, await desk_hold(gateway, show, clerk, quantity=1))
    assert sale.status_code == 201, sale.text
    assert sale.json()["status"] == "paid"


async def test_a_clerk_counts_their_till_their_own_sales_and_refunds_per_payment(
    gateway: httpx.AsyncClient,
) -> None:
    """At a shift's end the clerk counts the drawer: nothing said what they had taken in cash
    and on the terminal, less what they gave back, apart from another clerk's sales."""
    show = await catalogue.general_admission(gateway, capacity=20)  # €25.00 a ticket
    since = (datetime.now(UTC) - timedelta(seconds=5)).isoformat()
    clerk, other_clerk = bearer("staff"), bearer("staff")
    cash = []
    for quantity in (2, 1):
        sold = await desk_sale(gateway, clerk, await desk_hold(gateway, show, clerk, quantity))
        assert sold.status_code == 201, sold.text
        cash.append(sold.json())
    card = await desk_sale(
        gateway, clerk, await desk_hold(gateway, show, clerk, 1), "card_terminal"
    )
    free = await desk_sale(
        gateway, clerk, await desk_hold(gateway, show, clerk, 1), "complimentary"
    )
    assert (card.status_code, free.status_code) == (201, 201)
    elsewhere = await desk_sale(
        gateway, other_clerk, await desk_hold(gateway, show, other_clerk, 3)
    )
    assert elsewhere.status_code == 201
    refund = await gateway.post(
        f"/v1/orders/{cash[0]['order_id']}/refunds",
        headers=clerk,
        json={"ticket_ids": [cash[0]["tickets"][0]["ticket_id"]]},
    )
    assert refund.status_code == 201, refund.text

    answer = await gateway.get("/v1/orders/till", headers=clerk, params={"since": since})

    assert answer.status_code == 200, answer.text
    lines = {
        line["payment_method"]: (
            line["sales"],
            line["taken"]["amount"],
            line["refunds"],
            line["refunded"]["amount"],
            line["net"]["amount"],
        )
        for line in answer.json()["lines"]
    }
    assert lines == {
        "cash": (2, 7500, 1, 2500, 5000),  # the other clerk's €75.00 is theirs to count
        "card_terminal": (1, 2500, 0, 0, 2500),
        "complimentary": (1, 0, 0, 0, 0),
    }
    backwards = await gateway.get(
        "/v1/orders/till", headers=clerk, params={"since": since, "until": since}
    )
    assert (backwards.status_code, backwards.headers["content-type"]) == (422, PROBLEM)
    assert (
        await gateway.get("/v1/orders/till", headers=SCANNER, params={"since": since})
    ).status_code == 403


async def test_a_clerk_who_refunded_another_clerks_sale_counts_a_till_that_paid_out(
    gateway: httpx.AsyncClient,
) -> None:
    """The evening clerk gives back cash for a ticket the morning clerk sold: their till took
    nothing and paid out €25.00, and answered 500 (a net below zero did not fit its model)."""
    show = await catalogue.general_admission(gateway, capacity=5)  # €25.00 a ticket
    since = (datetime.now(UTC) - timedelta(seconds=5)).isoformat()
    morning, evening = bearer("staff"), bearer("staff")
    sold = await desk_sale(gateway, morning, await desk_hold(gateway, show, morning, 1))
    assert sold.status_code == 201, sold.text
    refund = await gateway.post(
        f"/v1/orders/{sold.json()['order_id']}/refunds", headers=evening, json={}
    )
    assert refund.status_code == 201, refund.text

    answer = await gateway.get("/v1/orders/till", headers=evening, params={"since": since})

    assert answer.status_code == 200, answer.text
    [line] = answer.json()["lines"]
    assert (line["payment_method"], line["taken"]["amount"], line["refunded"]["amount"]) == (
        "cash",
        0,
        2500,
    )
    assert line["net"] == {"amount": -2500, "currency": "EUR"}
