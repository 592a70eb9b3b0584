"""The door beyond one online scan: revocation lists with a cursor, offline scans uploaded once
whatever the retries, conflicts between devices, and entry by the printed ticket number."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest

from tests.support import catalogue
from tests.support.catalogue import STAFF
from tests.support.purchase import SCANNER, paid, place
from tests.support.staff import bearer
from tests.support.waiting import eventually

pytestmark = pytest.mark.infra
PROBLEM = "application/problem+json"


async def bought(gateway: httpx.AsyncClient, quantity: int) -> tuple[str, list[dict[str, Any]]]:
    show = await catalogue.general_admission(gateway, capacity=10)
    order = await paid(gateway, await place(gateway, show, quantity=quantity))
    return show.performance_id, [{**t, "order_id": order["order_id"]} for t in order["tickets"]]


async def refund_ticket(gateway: httpx.AsyncClient, ticket: dict[str, Any]) -> None:
    answer = await gateway.post(
        f"/v1/orders/{ticket['order_id']}/refunds",
        headers=STAFF,
        json={"ticket_ids": [ticket["ticket_id"]]},
    )
    assert answer.status_code == 201, answer.text


async def revocations(gateway: httpx.AsyncClient, performance_id: str, after: int) -> Any:
    answer = await gateway.get(
        f"/v1/checkin/performances/{performance_id}/revocations",
        headers=SCANNER,
        params={"after": after},
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def scan_of(ticket: dict[str, Any] | None, secret: str | None = None) -> dict[str, Any]:
    return {
        "nonce": str(uuid.uuid4()),
        "secret": secret or (ticket or {})["secret"],
        "scanned_at": datetime.now(UTC).isoformat(),
    }


async def upload(
    gateway: httpx.AsyncClient, device: str, performance_id: str, scans: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    answer = await gateway.post(
        "/v1/checkin/offline-scans",
        headers=SCANNER,
        json={"device_id": device, "performance_id": performance_id, "scans": scans},
    )
    assert answer.status_code == 200, answer.text
    return list(answer.json()["results"])


async def test_the_revocation_list_gives_refunded_tickets_and_then_only_what_is_new(
    gateway: httpx.AsyncClient,
) -> None:
    performance_id, tickets = await bought(gateway, 3)
    empty = await revocations(gateway, performance_id, 0)
    assert (empty["revoked"], empty["cursor"]) == ([], 0)
    await refund_ticket(gateway, tickets[0])
    first = await revocations(gateway, performance_id, 0)
    assert [(r["ticket_id"], r["reason"]) for r in first["revoked"]] == [
        (tickets[0]["ticket_id"], "refunded")
    ]
    await refund_ticket(gateway, tickets[1])
    delta = await revocations(gateway, performance_id, first["cursor"])
    assert [r["ticket_id"] for r in delta["revoked"]] == [tickets[1]["ticket_id"]]
    everything = await revocations(gateway, performance_id, 0)
    assert [r["ticket_id"] for r in everything["revoked"]] == [
        tickets[0]["ticket_id"],
        tickets[1]["ticket_id"],
    ]
    nothing_new = await revocations(gateway, performance_id, delta["cursor"])
    assert (nothing_new["revoked"], nothing_new["cursor"]) == ([], delta["cursor"])


async def test_a_cursor_or_performance_id_out_of_range_is_a_clear_422(
    gateway: httpx.AsyncClient,
) -> None:
    path = "/v1/checkin/performances/{}/revocations"
    for performance_id, after in (("prf_1", 2**63), ("prf_1", -1), ("x" * 65, 0), ("a b", 0)):
        answer = await gateway.get(
            path.format(performance_id), headers=SCANNER, params={"after": after}
        )
        assert answer.status_code == 422, (performance_id, after, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
    edge = await gateway.get(path.format("prf_1"), headers=SCANNER, params={"after": 2**63 - 1})
    assert (edge.status_code, edge.json()["revoked"]) == (200, [])


async def test_revocations_made_concurrently_are_all_listed_in_commit_order(
    gateway: httpx.AsyncClient,
) -> None:
    """Five refunds at once, each its own order: the cursors never skip one."""
    show = await catalogue.general_admission(gateway, capacity=10)
    orders = [await paid(gateway, await place(gateway, show, quantity=1)) for _ in range(5)]
    tickets = [{**o["tickets"][0], "order_id": o["order_id"]} for o in orders]
    cursor, seen = 0, []
    refunds = [refund_ticket(gateway, t) for t in tickets]
    for outcome in asyncio.as_completed(refunds):
        await outcome
        page = await revocations(gateway, show.performance_id, cursor)
        seen += [r["ticket_id"] for r in page["revoked"]]
        cursor = page["cursor"]
    assert sorted(seen) == sorted(t["ticket_id"] for t in tickets)
    assert len(seen) == 5


async def test_offline_scans_count_once_however_often_they_are_uploaded(
    gateway: httpx.AsyncClient, admin_db: asyncpg.Connection
) -> None:
    performance_id, tickets = await bought(gateway, 3)
    scans = [scan_of(t) for t in tickets]
    forged = scan_of(None, secret=tickets[0]["secret"][:-4] + "AAAA")
    # the device retries while its first upload is still running: three at once
    racing = await asyncio.gather(
        *(upload(gateway, "phone-a", performance_id, [*scans, forged]) for _ in range(3))
    )
    for answers in racing:
        assert [r["outcome"] for r in answers] == ["ok", "ok", "ok", "invalid"]
    for position in range(4):
        assert sorted(a[position]["replayed"] for a in racing) == [False, True, True]
    later = await upload(gateway, "phone-a", performance_id, [*scans, forged])
    assert [r["outcome"] for r in later] == ["ok", "ok", "ok", "invalid"]
    assert all(r["replayed"] for r in later)
    used = await admin_db.fetch(
        "SELECT ticket_id, used_device FROM orders.tickets WHERE ticket_id = ANY($1)",
        [t["ticket_id"] for t in tickets],
    )
    assert {(u["ticket_id"], u["used_device"]) for u in used} == {
        (t["ticket_id"], "phone-a") for t in tickets
    }
    checked_in = await admin_db.fetchval(
        "SELECT count(*) FROM orders.outbox WHERE routing_key = 'orders.ticket.checked_in.v1'"
        " AND convert_from(body, 'UTF8')::jsonb ->> 'ticket_id' = ANY($1)",
        [t["ticket_id"] for t in tickets],
    )
    assert checked_in == 3


async def test_a_ticket_scanned_offline_on_two_devices_is_a_conflict_counted_once(
    gateway: httpx.AsyncClient,
) -> None:
    performance_id, [ticket] = await bought(gateway, 1)
    on_a = await upload(gateway, "phone-a", performance_id, [scan_of(ticket)])
    on_b = await upload(gateway, "phone-b", performance_id, [scan_of(ticket)])
    again_on_a = await upload(gateway, "phone-a", performance_id, [scan_of(ticket)])
    assert on_a[0]["outcome"] == "ok"
    assert on_b[0]["outcome"] == "conflict"
    assert on_b[0]["first_used_on"] == "phone-a"
    assert on_b[0]["first_used_at"] is not None
    assert again_on_a[0]["outcome"] == "already_used"
    online = await gateway.post(
        "/v1/checkin",
        headers=SCANNER,
        json={"secret": ticket["secret"], "performance_id": performance_id},
    )
    assert online.json()["result"] == "already_used"


async def test_offline_uploads_of_refunded_tickets_say_so(gateway: httpx.AsyncClient) -> None:
    performance_id, tickets = await bought(gateway, 2)
    await refund_ticket(gateway, tickets[0])
    results = await upload(gateway, "phone-c", performance_id, [scan_of(t) for t in tickets])
    assert [r["outcome"] for r in results] == ["refunded", "ok"]


async def test_bad_uploads_are_refused_before_any_scan_counts(gateway: httpx.AsyncClient) -> None:
    performance_id, [ticket] = await bought(gateway, 1)
    naive = {**scan_of(ticket), "scanned_at": "2026-01-01T10:00:00"}
    short_nonce = {**scan_of(ticket), "nonce": "x"}
    for scans in ([naive], [short_nonce], []):
        answer = await gateway.post(
            "/v1/checkin/offline-scans",
            headers=SCANNER,
            json={"device_id": "phone-d", "performance_id": performance_id, "scans": scans},
        )
        assert (answer.status_code, answer.headers["content-type"]) == (422, PROBLEM)
    as_staff = await gateway.post(
        "/v1/checkin/offline-scans",
        headers=bearer("staff"),
        json={"device_id": "d", "performance_id": performance_id, "scans": [scan_of(ticket)]},
    )
    assert as_staff.status_code == 403
    assert (await upload(gateway, "phone-d", performance_id, [scan_of(ticket)]))[0][
        "outcome"
    ] == "ok"


async def test_a_scan_dated_by_a_reset_clock_counts_and_never_refuses_its_batch(
    gateway: httpx.AsyncClient,
) -> None:
    """A phone whose battery ran flat dates its offline scans 1970: the whole batch was a 422,
    the queue never uploaded again and the door stayed offline."""
    performance_id, tickets = await bought(gateway, 2)
    reset = {**scan_of(tickets[0]), "scanned_at": "1970-01-01T00:00:07Z"}

    results = await upload(gateway, "phone-flat", performance_id, [reset, scan_of(tickets[1])])

    assert [r["outcome"] for r in results] == ["ok", "ok"]


async def test_manual_entry_by_the_printed_ticket_number(gateway: httpx.AsyncClient) -> None:
    performance_id, [ticket] = await bought(gateway, 1)

    async def enter(number: str) -> dict[str, Any]:
        answer = await gateway.post(
            "/v1/checkin/by-number",
            headers=SCANNER,
            json={"ticket_number": number, "performance_id": performance_id},
        )
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    typed = f"  {ticket['ticket_number'].lower()} "
    first = await enter(typed)
    assert (first["result"], first["ticket_id"]) == ("ok", ticket["ticket_id"])
    assert (await enter(ticket["ticket_number"]))["result"] == "already_used"
    assert (await enter("ORD-20260101-XXXXXX-9"))["result"] == "invalid"


async def test_a_number_typed_again_after_its_answer_was_lost_admits_its_holder_again(
    gateway: httpx.AsyncClient, admin_db: asyncpg.Connection
) -> None:
    """The steward's check by number reached the server, the answer did not: typed again, it
    answered "already used" to the holder it had just admitted (a number has no offline check to
    fall back on). The same entry (its Idempotency-Key) answers "ok" again for two minutes;
    another entry, another scanner with that key, or the key later, still finds it used."""
    performance_id, [ticket] = await bought(gateway, 1)
    entry = {"ticket_number": ticket["ticket_number"], "performance_id": performance_id}

    async def enter(headers: dict[str, str], key: str | None) -> str:
        with_key = {**headers, "Idempotency-Key": key} if key else headers
        answer = await gateway.post("/v1/checkin/by-number", headers=with_key, json=entry)
        assert answer.status_code == 200, answer.text
        assert answer.json()["ticket_id"] == ticket["ticket_id"]
        return str(answer.json()["result"])

    key = f"entry-{uuid.uuid4().hex}"
    assert await enter(SCANNER, key) == "ok"  # the answer the steward never saw
    assert await enter(SCANNER, key) == "ok"
    assert await enter(SCANNER, f"entry-{uuid.uuid4().hex}") == "already_used"
    assert await enter(SCANNER, None) == "already_used"
    assert await enter(bearer("scanner"), key) == "already_used"
    short = await gateway.post(
        "/v1/checkin/by-number", headers={**SCANNER, "Idempotency-Key": "x"}, json=entry
    )
    assert (short.status_code, short.headers["content-type"]) == (422, PROBLEM)
    await admin_db.execute(
        "UPDATE orders.tickets SET used_at = used_at - interval '3 minutes' WHERE ticket_id = $1",
        ticket["ticket_id"],
    )
    # past the lost answer's window: someone else showing that number at this door
    assert await enter(SCANNER, key) == "already_used"


async def admitted(
    gateway: httpx.AsyncClient, performance_id: str, since: str | None = None
) -> dict[str, Any]:
    answer = await gateway.get(
        f"/v1/checkin/performances/{performance_id}/admissions",
        headers=SCANNER,
        params={"since": since} if since else {},
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def test_the_admissions_feed_tells_every_door_what_the_others_admitted(
    gateway: httpx.AsyncClient,
) -> None:
    """A door that loses the network knew only its own admissions: a screenshot of a ticket
    used at another door got in twice. The feed names every admission, online or uploaded from
    offline (dated an hour ago by its device, listed by when it arrived), and names a reset,
    which every door forgets."""
    performance_id, tickets = await bought(gateway, 3)
    first = await admitted(gateway, performance_id)
    assert first["admitted"] == []
    assert (await scan_at_door(gateway, tickets[0], performance_id))["result"] == "ok"
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    offline = {**scan_of(tickets[1]), "scanned_at": an_hour_ago.isoformat()}
    assert [r["outcome"] for r in await upload(gateway, "door-b", performance_id, [offline])] == [
        "ok"
    ]

    since_then = await admitted(gateway, performance_id, first["next_since"])
    assert {a["ticket_id"] for a in since_then["admitted"]} == {
        tickets[0]["ticket_id"],
        tickets[1]["ticket_id"],
    }
    uploaded = next(a for a in since_then["admitted"] if a["ticket_id"] == tickets[1]["ticket_id"])
    assert datetime.fromisoformat(uploaded["used_at"]) < datetime.now(UTC) - timedelta(minutes=50)
    assert tickets[2]["ticket_id"] not in {a["ticket_id"] for a in since_then["admitted"]}

    reset = await gateway.post(
        f"/v1/checkin/tickets/{tickets[0]['ticket_id']}/reset",
        headers=STAFF,
        json={"reason": "let out for air"},
    )
    assert reset.status_code == 200, reset.text
    everything = await admitted(gateway, performance_id)
    assert [a["ticket_id"] for a in everything["admitted"]] == [tickets[1]["ticket_id"]]
    assert everything["reset"] == [], "a door that knows nothing has nothing to forget"
    after_reset = await admitted(gateway, performance_id, since_then["next_since"])
    assert [r["ticket_id"] for r in after_reset["reset"]] == [tickets[0]["ticket_id"]], (
        "every door that counted it as used must let its holder in again"
    )
    assert tickets[0]["ticket_id"] not in {a["ticket_id"] for a in after_reset["admitted"]}
    odd = await gateway.get(
        f"/v1/checkin/performances/{performance_id}/admissions",
        headers=SCANNER,
        params={"since": "yesterday"},
    )
    assert (odd.status_code, odd.headers["content-type"]) == (422, PROBLEM)


async def scan_at_door(
    gateway: httpx.AsyncClient, ticket: dict[str, Any], performance_id: str
) -> dict[str, Any]:
    door = {"secret": ticket["secret"], "performance_id": performance_id}
    return dict((await gateway.post("/v1/checkin", headers=SCANNER, json=door)).json())


async def test_staff_override_a_mistaken_check_in_and_it_is_audited(
    gateway: httpx.AsyncClient, admin_headers: dict[str, str], admin_db: asyncpg.Connection
) -> None:
    performance_id, [ticket] = await bought(gateway, 1)
    door = {"secret": ticket["secret"], "performance_id": performance_id}
    assert (await gateway.post("/v1/checkin", headers=SCANNER, json=door)).json()["result"] == "ok"
    path = f"/v1/checkin/tickets/{ticket['ticket_id']}/reset"
    by_scanner = await gateway.post(path, headers=SCANNER, json={"reason": "let out for air"})
    assert by_scanner.status_code == 403
    no_reason = await gateway.post(path, headers=STAFF, json={})
    assert (no_reason.status_code, no_reason.headers["content-type"]) == (422, PROBLEM)
    reset = await gateway.post(path, headers=STAFF, json={"reason": "let out for air"})
    assert (reset.status_code, reset.json()["status"]) == (200, "valid"), reset.text
    again = await gateway.post(path, headers=STAFF, json={"reason": "twice"})
    assert again.status_code == 409
    assert (await gateway.post("/v1/checkin", headers=SCANNER, json=door)).json()["result"] == "ok"

    async def audited() -> list[dict[str, Any]]:
        answer = await gateway.get(
            "/v1/admin/audit", headers=admin_headers, params={"order_id": ticket["order_id"]}
        )
        return [e for e in answer.json()["data"] if e["action"] == "orders.checkin.reset"]

    [entry] = await eventually(audited, what="the override in the audit log")
    assert (entry["actor"], entry["details"]["reason"]) == ("staff:tests", "let out for air")
    # subscribers counting attendance hear it too: two check-ins and one reset, in that order
    rows = await admin_db.fetch(
        "SELECT routing_key, convert_from(body, 'UTF8')::jsonb AS body FROM orders.outbox"
        " WHERE routing_key IN ('orders.ticket.checked_in.v1', 'orders.ticket.checkin_reset.v1')"
        " AND convert_from(body, 'UTF8')::jsonb ->> 'ticket_id' = $1 ORDER BY seq",
        ticket["ticket_id"],
    )
    assert [r["routing_key"].rsplit(".", 2)[1] for r in rows] == [
        "checked_in",
        "checkin_reset",
        "checked_in",
    ]
    reset_event = json.loads(rows[1]["body"])
    assert (reset_event["reset_by"], reset_event["reason"]) == ("staff:tests", "let out for air")
