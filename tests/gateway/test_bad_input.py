"""Bad input the fuzzing found answering 500 (most as text/plain) now gets a 422 problem naming
the field and the reason, before any database call; odd catalogue zones are refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest

from tests.support import catalogue
from tests.support.catalogue import STAFF

pytestmark = pytest.mark.infra
PROBLEM = "application/problem+json"
INT32_OVER = 2**31


def refused(answer: httpx.Response, location: str) -> dict[str, Any]:
    assert (answer.status_code, answer.headers["content-type"]) == (422, PROBLEM), answer.text
    body: dict[str, Any] = answer.json()
    assert any(location in e["location"] for e in body["errors"]), body
    assert body["request_id"]
    return body


def performance_body(**changes: Any) -> dict[str, Any]:
    starts = datetime.now(UTC) + timedelta(days=10)
    body = {
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "sales_open_at": (starts - timedelta(days=9)).isoformat(),
        "sales_close_at": starts.isoformat(),
    }
    return {**body, **changes}


async def test_an_unknown_time_zone_is_refused_for_venues_and_events(
    gateway: httpx.AsyncClient,
) -> None:
    for path, body in (
        ("/v1/venues", {"name": "Hall", "time_zone": "Mars/Olympus_Mons"}),
        ("/v1/events", {"name": "Night", "time_zone": "Mars/Olympus_Mons"}),
    ):
        problem = refused(await gateway.post(path, headers=STAFF, json=body), "time_zone")
        assert "IANA" in problem["detail"]


@pytest.mark.parametrize(
    ("path", "body", "location"),
    [
        ("/v1/venues", {"name": "Hall\u0000", "time_zone": "UTC"}, "name"),
        ("/v1/events", {"name": "Night", "time_zone": "UTC", "description": "a\u0000b"}, "desc"),
        ("/v1/events", {"name": "Night", "time_zone": "Europe/Amsterdam\u0000"}, "time_zone"),
        (
            "/v1/coupons",
            {"code": "BIG", "kind": "percent", "percent_off": 10, "max_uses": INT32_OVER},
            "max_uses",
        ),
        (
            "/v1/coupons",
            {"code": "BIG2", "kind": "fixed", "amount_off": INT32_OVER, "currency": "EUR"},
            "amount_off",
        ),
    ],
)
async def test_nul_and_out_of_range_values_in_bodies_are_422(
    gateway: httpx.AsyncClient, path: str, body: dict[str, Any], location: str
) -> None:
    refused(await gateway.post(path, headers=STAFF, json=body), location)


@pytest.mark.parametrize(
    ("method", "path", "body", "location"),
    [
        ("POST", "/v1/admin/staff-tokens/stt_x/withdraw", {"reason": "lost\u0000"}, "reason"),
        ("POST", "/v1/orders/ord_x/refunds/rfd_x/paid-back", {"note": "by bank\u0000"}, "note"),
        ("POST", "/v1/checkin/tickets/tkt_x/reset", {"reason": "wrong scan\u0000"}, "reason"),
        ("POST", "/v1/orders/ord_x/refunds/rfd_x/paid-back", {"note": "   \n "}, "note"),
        ("POST", "/v1/checkin/tickets/tkt_x/reset", {"reason": "\n\n\n"}, "reason"),
        ("POST", "/v1/admin/staff-tokens/stt_x/withdraw", {"reason": "  "}, "reason"),
        # a name with nothing to read: printed on the ticket and shown at the door as nothing
        ("POST", "/v1/events", {"name": "   ", "time_zone": "Europe/Paris"}, "name"),
        ("POST", "/v1/venues", {"name": "\u200b", "time_zone": "Europe/Paris"}, "name"),
        ("PATCH", "/v1/orders/ord_x/customer", {"name": "\u00a0\ufeff"}, "name"),
        (
            "PUT",
            "/v1/performances/prf_x/price-zones",
            {"zones": [{"tier_id": "t", "rows": []}]},
            "rows",
        ),
        (
            "POST",
            "/v1/admin/services/orders/parking-lot/discard",
            {"message_ids": ["msg\u0000"]},
            "message_ids",
        ),
        (
            "POST",
            "/v1/admin/services/orders/parking-lot/discard",
            {"message_ids": [f"msg-{n}" for n in range(1001)]},
            "message_ids",
        ),
    ],
)
async def test_nul_blank_or_too_many_in_staff_bodies_is_422(
    gateway: httpx.AsyncClient,
    admin_headers: dict[str, str],
    method: str,
    path: str,
    body: dict[str, Any],
    location: str,
) -> None:
    """Before: NUL reached a column (500) or the audit log's JSON, whose consumer then parked
    the entry (lost from the log); a blank reason said nothing there; ``rows: []`` read as
    every row."""
    refused(await gateway.request(method, path, headers=admin_headers, json=body), location)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/order-links", {"email": "josé@example.com"}),
        ("/v1/orders/ord_x/customer", {"email": "zoë@example.com"}),
    ],
    ids=["find-my-tickets", "staff-correction"],
)
async def test_an_address_smtp_cannot_carry_is_refused_where_it_is_given(
    gateway: httpx.AsyncClient, path: str, body: dict[str, str]
) -> None:
    """Letters before the @ need SMTPUTF8 to the mailbox: its e-mails would park unseen by the
    customer, who is better told while typing it (the domain may have other letters)."""
    # from an address of its own: "find my tickets" is limited per address at the edge
    transport = httpx.AsyncHTTPTransport(local_address="127.0.0.7")
    async with httpx.AsyncClient(base_url=gateway.base_url, transport=transport) as client:
        method = client.patch if path.endswith("/customer") else client.post
        problem = refused(await method(path, headers=STAFF, json=body), "email")
    assert "before the @" in problem["detail"]
    # the domain may have other letters: past validation, to the unknown order
    fine = await gateway.patch(
        "/v1/orders/ord_x/customer", headers=STAFF, json={"email": "jose@exämple.com"}
    )
    assert fine.status_code == 404, fine.text


@pytest.mark.parametrize(
    ("url", "location"),
    [
        (f"/v1/orders/{'o' * 65}/details", "order_id"),
        ("/v1/orders/sales-summary?performance_id=x%26event_id%3Dy", "performance_id"),
        # filters that answered an empty list (200) for an id that cannot be one
        ("/v1/orders?performance_id=../x", "performance_id"),
        ("/v1/admin/audit?order_id=bad%20id", "order_id"),
    ],
)
async def test_ids_that_cannot_be_ours_are_422_before_any_query(
    gateway: httpx.AsyncClient, admin_headers: dict[str, str], url: str, location: str
) -> None:
    refused(await gateway.get(url, headers=admin_headers), location)


async def test_prices_and_capacities_beyond_their_columns_are_422(
    gateway: httpx.AsyncClient,
) -> None:
    show = await catalogue.general_admission(gateway, capacity=5, publish=False)
    url = f"/v1/performances/{show.performance_id}/tiers"
    price = {"name": "Gold", "price": {"amount": INT32_OVER, "currency": "EUR"}, "capacity": 1}
    refused(await gateway.post(url, headers=STAFF, json=price), "amount")
    capacity = {"name": "Gold", "price": {"amount": 100, "currency": "EUR"}, "capacity": INT32_OVER}
    refused(await gateway.post(url, headers=STAFF, json=capacity), "capacity")


async def performances_of_a_new_event(gateway: httpx.AsyncClient) -> str:
    """Where a new event's performances are created."""
    event = await gateway.post(
        "/v1/events", headers=STAFF, json={"name": "Night", "time_zone": "Europe/Amsterdam"}
    )
    assert event.status_code == 201, event.text
    return f"/v1/events/{event.json()['event_id']}/performances"


async def test_a_performance_with_naive_and_aware_times_is_422(gateway: httpx.AsyncClient) -> None:
    url = await performances_of_a_new_event(gateway)
    mixed = performance_body(ends_at="2030-01-01T22:00:00")
    refused(await gateway.post(url, headers=STAFF, json=mixed), "ends_at")


async def test_a_new_performance_whose_sales_window_cannot_be_is_422_naming_the_rule(
    gateway: httpx.AsyncClient,
) -> None:
    """The rule a change of sale terms keeps (tests/staff/test_sale_terms.py), kept at creation."""
    url = await performances_of_a_new_event(gateway)
    starts = datetime.now(UTC) + timedelta(days=10)
    for window, says in (
        ({"sales_close_at": (starts - timedelta(days=20)).isoformat()}, "before they open"),
        ({"sales_close_at": (starts + timedelta(hours=3)).isoformat()}, "after the performance"),
    ):
        body = performance_body(starts_at=starts.isoformat(), **window)
        problem = refused(await gateway.post(url, headers=STAFF, json=body), "body")
        assert says in str(problem["errors"]), problem


async def test_seat_numbers_beyond_range_and_nul_in_a_csv_are_422(
    gateway: httpx.AsyncClient,
) -> None:
    venue = await gateway.post(
        "/v1/venues", headers=STAFF, json={"name": "Hall", "time_zone": "Europe/Amsterdam"}
    )
    url = f"/v1/venues/{venue.json()['venue_id']}/seats"
    csv_headers = {**STAFF, "Content-Type": "text/csv"}
    too_long = "section,row,number\n" + "a" * 140_000  # over the CSV reader's field limit
    for csv in (
        f"section,row,number\nA,1,{INT32_OVER}\n",
        "section,row,number\nA\x00,1,1\n",
        too_long,
    ):
        answer = await gateway.post(url, headers=csv_headers, content=csv)
        assert (answer.status_code, answer.headers["content-type"]) == (422, PROBLEM), csv


@pytest.mark.parametrize(
    "url",
    [
        "/v1/admin/inventory/reconciliation?performance_id=%00",
        "/v1/notifications?order_id=ord%00",
        "/v1/coupons?starting_after=%00",
    ],
)
async def test_a_nul_in_a_query_is_422_not_500(
    gateway: httpx.AsyncClient, url: str, admin_headers: dict[str, str]
) -> None:
    answer = await gateway.get(url, headers=admin_headers)
    assert (answer.status_code, answer.headers["content-type"]) == (422, PROBLEM), answer.text
    assert "control characters" in answer.json()["detail"]


@pytest.mark.parametrize("url", ["/v1/performances/prf%00x", "/v1/orders/ord%00x"])
async def test_a_nul_in_a_path_is_refused_by_the_edge_as_problem_json(
    gateway: httpx.AsyncClient, url: str, admin_headers: dict[str, str]
) -> None:
    """nginx refuses a NUL in the request line before routing (a service behind it would answer
    422 itself: tests/foundation/test_boundary_guard.py)."""
    answer = await gateway.get(url, headers=admin_headers)
    assert (answer.status_code, answer.headers["content-type"]) == (400, PROBLEM), answer.text
    assert "malformed" in answer.json()["detail"]


async def test_a_nul_in_a_hold_request_is_422_on_the_fast_path(gateway: httpx.AsyncClient) -> None:
    buyer = await catalogue.session(gateway)
    body = {"performance_id": "prf_\u0000", "tiers": [{"tier_id": "t", "quantity": 1}]}
    refused(await gateway.post("/v1/holds", headers=buyer, json=body), "performance_id")


async def test_stored_invalid_zones_are_reported_and_refused_at_publish(
    gateway: httpx.AsyncClient, admin_db: asyncpg.Connection, admin_headers: dict[str, str]
) -> None:
    show = await catalogue.general_admission(gateway, capacity=5, publish=False)
    # stored before zones were checked
    await admin_db.execute(
        "UPDATE inventory.events SET time_zone = 'Mars/Olympus_Mons' WHERE event_id = $1",
        show.event_id,
    )
    report = await gateway.get("/v1/admin/inventory/reconciliation", headers=admin_headers)
    assert report.status_code == 200, report.text
    listed = {z["id"]: z for z in report.json()["time_zones"]}
    assert listed[show.event_id]["time_zone"] == "Mars/Olympus_Mons"
    assert report.json()["invalid_time_zones"] >= 1
    publish = await gateway.post(f"/v1/events/{show.event_id}/publish", headers=STAFF)
    assert (publish.status_code, publish.headers["content-type"]) == (409, PROBLEM)
    assert "Mars/Olympus_Mons" in publish.json()["detail"]
    status = await admin_db.fetchval(
        "SELECT status FROM inventory.events WHERE event_id = $1", show.event_id
    )
    assert status == "draft"


@pytest.mark.parametrize(
    ("path", "unknown"),
    [
        ("/v1/orders?stauts=paid", "stauts"),  # staff's order search, a filter mistyped
        ("/v1/admin/audit?order=ord_x", "order"),
        ("/v1/events?limit=5&page=2", "limit"),
    ],
)
async def test_a_query_parameter_the_route_does_not_take_is_422_naming_it(
    gateway: httpx.AsyncClient, admin_headers: dict[str, str], path: str, unknown: str
) -> None:
    """Before: ignored, and the whole unfiltered list answered as if it were the filtered one."""
    answer = await gateway.get(path, headers=admin_headers)
    assert (answer.status_code, answer.headers["content-type"]) == (422, PROBLEM), answer.text
    problem = answer.json()
    assert problem["type"].endswith("/unknown-parameter")
    assert repr(unknown) in problem["detail"]
    assert unknown in problem["unknown"]
    taken = await gateway.get(path.split("?")[0], headers=admin_headers)
    assert taken.status_code == 200, taken.text


async def test_text_utf8_cannot_store_is_422_naming_the_field_never_500(
    gateway: httpx.AsyncClient,
) -> None:
    """JSON allows a lone surrogate (``\\udc00``), UTF-8 does not: the order failed at its first
    insert, a 500 whose logged SQL quoted the customer's name and address."""
    buyer = await catalogue.session(gateway)
    order = {"hold_id": "hld_x", "customer": {"name": "Zo\udc00e", "email": "zoe@example.com"}}
    keyed = {**buyer, "Idempotency-Key": "surrogate-order-1", "Content-Type": "application/json"}
    answer = await gateway.post("/v1/orders", headers=keyed, content=json.dumps(order))
    assert answer.status_code == 422, answer.text
    assert "customer.name: not text UTF-8 can store" in answer.json()["detail"]
    event = {"name": "Gala\ud800", "time_zone": "Europe/Paris"}
    as_json = {**STAFF, "Content-Type": "application/json"}
    answer = await gateway.post("/v1/events", headers=as_json, content=json.dumps(event))
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == PROBLEM


@pytest.mark.parametrize("depth", [40, 600, 950, 20_000])
async def test_a_body_nested_hundreds_deep_is_refused_never_500(
    gateway: httpx.AsyncClient, depth: int
) -> None:
    """Some hundreds of levels ran the text check out of Python's stack: a 500 on every
    validated body (anonymous "find my tickets" too), and a traceback as deep in the log."""
    nested = '{"a":' * depth + "1" + "}" * depth
    body = '{"email": "deep@example.com", "x": ' + nested + "}"
    as_json = {"Content-Type": "application/json"}
    # from an address of its own: "find my tickets" is limited per address at the edge
    transport = httpx.AsyncHTTPTransport(local_address="127.0.0.9")
    async with httpx.AsyncClient(base_url=gateway.base_url, transport=transport) as client:
        for path, headers in (("/v1/order-links", as_json), ("/v1/events", {**STAFF, **as_json})):
            answer = await client.post(path, headers=headers, content=body)
            assert answer.headers["content-type"] == PROBLEM
            if depth < 990:  # deeper, the JSON parser gives up first
                assert answer.status_code == 422, answer.text
                assert "nests deeper than 32 levels" in answer.json()["detail"]
            else:
                assert answer.status_code == 400, answer.text
                assert "nests deeper than the parser goes" in answer.json()["detail"]
