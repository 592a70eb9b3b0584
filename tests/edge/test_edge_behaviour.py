"""The edge's own behaviour, on a second nginx from the same template in front of a scripted
upstream that records each request line exactly as it arrived: paths passed on unchanged or
refused, a 500 or a timeout leaves the next request unaffected, what the limits cover."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.support.edge import ScriptedUpstream, local_values, private_edge
from tests.support.waiting import eventually

PROBLEM = "application/problem+json"

pytestmark = pytest.mark.server


@pytest.fixture
async def upstream() -> AsyncIterator[ScriptedUpstream]:
    async with ScriptedUpstream() as scripted:
        yield scripted


async def raw_get(base_url: str, target: str) -> tuple[int, bytes]:
    """GET with the request target exactly as given (HTTP clients normalise dot segments)."""
    host, port = base_url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(f"GET {target} HTTP/1.1\r\nHost: edge\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    answer = await reader.read()
    writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body


@pytest.mark.parametrize(
    "target",
    [
        "/v1/events/a%2Fb",
        "/v1/events/%E2%82%AC?q=%20x&y=%2F",
        "/v1/events/a;b=c",
        "/v1/events//twice",
        "/v1/events/~user/%25",
        "/v1/orders/ORD-1/tickets/t%2E1.pdf",
        "/v1/admin/services/orders/parking-lot?limit=0",
    ],
)
async def test_odd_and_percent_encoded_paths_reach_the_service_exactly_as_sent(
    upstream: ScriptedUpstream, tmp_path: Path, target: str
) -> None:
    with private_edge(local_values(tmp_path, upstream.address), tmp_path) as edge:
        status, _ = await raw_get(edge, target)
    assert status == 200
    assert upstream.request_lines == [f"GET {target} HTTP/1.1"]


@pytest.mark.parametrize(
    "target",
    [
        "/v1/events/../admin",
        "/v1/events/%2e%2e/admin",
        "/v1/./events",
        "/v1/events/.%2E/x",
        "/v1/x/..",
        "/v1/events/café",  # sent raw, not percent-encoded: the service's parser answered text
        "/v1/orders?email=zoë@example.com",
    ],
)
async def test_paths_with_dot_segments_or_raw_non_ascii_are_refused_with_400_problem_json(
    upstream: ScriptedUpstream, tmp_path: Path, target: str
) -> None:
    with private_edge(local_values(tmp_path, upstream.address), tmp_path) as edge:
        status, body = await raw_get(edge, target)
    assert status == 400, body
    assert b'"status":400' in body
    assert b"not percent-encoded" in body
    assert upstream.request_lines == []


async def test_after_a_500_and_after_a_timeout_the_next_request_is_unaffected(
    upstream: ScriptedUpstream, tmp_path: Path
) -> None:
    upstream.script = [500, 200, "hang", 200]
    values = local_values(tmp_path, upstream.address, TICKETING_EDGE_UPSTREAM_TIMEOUT_S="1")
    with private_edge(values, tmp_path) as edge:
        async with httpx.AsyncClient(base_url=edge, timeout=10) as client:
            failed = await client.get("/v1/events")
            assert failed.status_code == 500
            assert failed.json() == {"seen": "GET /v1/events HTTP/1.1"}, "the service's own body"
            assert (await client.get("/v1/events?next")).status_code == 200
            started = time.monotonic()
            timed_out = await client.get("/v1/holds/h1")
            assert time.monotonic() - started < 5
            assert (timed_out.status_code, timed_out.headers["content-type"]) == (504, PROBLEM)
            assert "inventory service did not answer in time" in timed_out.json()["detail"]
            after = await client.get("/v1/holds/h2")
            assert (after.status_code, after.json()["seen"]) == (200, "GET /v1/holds/h2 HTTP/1.1")


async def test_limits_cover_minting_checkin_holds_and_orders_but_not_the_webhook(
    upstream: ScriptedUpstream, tmp_path: Path
) -> None:
    with private_edge(local_values(tmp_path, upstream.address), tmp_path) as edge:  # burst 5
        async with httpx.AsyncClient(base_url=edge, timeout=10) as client:

            async def burst(method: str, path: str) -> Counter[int]:
                answers = [await client.request(method, path, content=b"{}") for _ in range(20)]
                limited = [a for a in answers if a.status_code == 429]
                assert all(a.headers["retry-after"] == "1" for a in limited)
                assert all(a.headers["content-type"] == PROBLEM for a in limited)
                return Counter(a.status_code for a in answers)

            for path in ("/v1/sessions", "/v1/checkin", "/v1/holds", "/v1/orders"):
                counted = await burst("POST", path)
                assert 5 <= counted[200] <= 8, (path, counted)
                assert counted[429] >= 12, (path, counted)
            assert await burst("POST", "/v1/webhooks/stripe") == Counter({200: 20})
            assert await burst("GET", "/v1/holds/h1") == Counter({200: 20})
            assert await burst("POST", "/v1/holds/h1/extend") == Counter({200: 20})
            # a buyer's order loop (coupon after coupon on one hold) is bounded; others are not
            assert await burst("POST", "/v1/orders/o1/cancel") == Counter({200: 20})


async def test_a_client_has_at_most_four_seat_files_in_flight(
    upstream: ScriptedUpstream, tmp_path: Path
) -> None:
    """Each seat file (megabytes) is buffered at the edge before the service checks the token:
    a stranger's many at once filled the edge's disk. Staff send one at a time."""
    values = local_values(tmp_path, upstream.address, TICKETING_EDGE_UPSTREAM_TIMEOUT_S="10")
    upstream.script = ["hang"] * 4
    with private_edge(values, tmp_path) as edge:
        async with httpx.AsyncClient(base_url=edge, timeout=20) as client:

            async def upload(n: int) -> httpx.Response:
                return await client.post(f"/v1/venues/ven_{n}/seats", content=b"x" * 1000)

            in_flight = [asyncio.create_task(upload(n)) for n in range(4)]
            await eventually(lambda: len(upstream.request_lines) == 4, what="4 uploads upstream")
            fifth = await upload(5)
            assert (fifth.status_code, fifth.headers["content-type"]) == (429, PROBLEM)
            assert (await client.post("/v1/orders", content=b"{}")).status_code == 200
            for task in in_flight:
                task.cancel()
            await asyncio.gather(*in_flight, return_exceptions=True)


def bearer(n: int) -> dict[str, str]:
    """A session token's shape (three base64url parts): the edge keys holds on its end."""
    return {"Authorization": f"Bearer eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.sig{n:020d}"}


async def test_buyers_behind_one_address_each_have_their_own_hold_limit_under_its_ceiling(
    upstream: ScriptedUpstream, tmp_path: Path
) -> None:
    """A campus or a carrier's NAT: hundreds of buyers share one address at the opening second.
    Holds counted per address refused all but the first few; each buyer now has their own
    limit (burst 5), and the address a far higher ceiling."""
    values = local_values(
        tmp_path,
        upstream.address,
        TICKETING_EDGE_HOLD_ADDRESS_RATE="1r/s",
        TICKETING_EDGE_HOLD_ADDRESS_BURST="60",
    )
    with private_edge(values, tmp_path) as edge:
        async with httpx.AsyncClient(base_url=edge, timeout=10) as client:

            async def holds(headers: dict[str, str], times: int) -> Counter[int]:
                answers = [
                    await client.post("/v1/holds", content=b"{}", headers=headers)
                    for _ in range(times)
                ]
                return Counter(a.status_code for a in answers)

            buyers = [await holds(bearer(n), 3) for n in range(20)]  # 60: at the ceiling
            assert sum(buyers, Counter()) == Counter({200: 60})
            one_more = await holds(bearer(99), 3)  # within its own burst: the ceiling refuses
            assert one_more[429] >= 1, one_more
    values = local_values(tmp_path, upstream.address, TICKETING_EDGE_HOLD_ADDRESS_BURST="500")
    with private_edge(values, tmp_path) as edge:
        async with httpx.AsyncClient(base_url=edge, timeout=10) as client:
            one_buyer = [
                (await client.post("/v1/holds", content=b"{}", headers=bearer(7))).status_code
                for _ in range(20)
            ]
            assert 5 <= one_buyer.count(200) <= 8, one_buyer  # a buyer's own burst of 5
            assert one_buyer.count(429) >= 12, one_buyer


async def test_door_devices_behind_one_address_each_have_their_own_checkin_limit(
    upstream: ScriptedUpstream, tmp_path: Path
) -> None:
    """A venue's doors share the venue's address: counted per address, peak entry got 429s,
    and the scanners went offline (deciding every scan on the phone)."""
    with private_edge(local_values(tmp_path, upstream.address), tmp_path) as edge:  # burst 5
        async with httpx.AsyncClient(base_url=edge, timeout=10) as client:
            doors = [
                (await client.post("/v1/checkin", content=b"{}", headers=bearer(n))).status_code
                for n in range(12)
                for _ in range(2)
            ]
            assert doors.count(200) == 24, doors
            one_door = [
                (await client.post("/v1/checkin", content=b"{}", headers=bearer(50))).status_code
                for _ in range(20)
            ]
            assert one_door.count(429) >= 12, one_door  # a device's own burst still holds
            # a number typed in draws on the same budget: a token trying numbers would mark
            # other people's tickets used
            typed = [
                (await client.post("/v1/checkin/by-number", content=b"{}", headers=bearer(50)))
                for _ in range(20)
            ]
            assert [a.status_code for a in typed].count(429) >= 15, typed
            # a made-up token per request would be a bucket per request: the address's ceiling
            made_up = [
                (
                    await client.post("/v1/checkin", content=b"{}", headers=bearer(100 + n))
                ).status_code
                for n in range(40)
            ]
            assert made_up.count(429) >= 20, made_up


async def test_a_wildcard_origin_list_allows_any_origin_and_never_credentials(
    upstream: ScriptedUpstream, tmp_path: Path
) -> None:
    values = local_values(tmp_path, upstream.address, TICKETING_CORS_ORIGINS="*")
    with private_edge(values, tmp_path) as edge:
        async with httpx.AsyncClient(base_url=edge, timeout=10) as client:
            answer = await client.options(
                "/v1/holds",
                headers={
                    "Origin": "https://anyone.example",
                    "Access-Control-Request-Method": "POST",
                },
            )
    assert answer.status_code == 204
    assert answer.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in answer.headers
    assert upstream.request_lines == [], "a preflight is answered by the edge"


async def test_a_spa_route_that_is_not_a_file_serves_index_html(
    upstream: ScriptedUpstream, tmp_path: Path
) -> None:
    with private_edge(local_values(tmp_path, upstream.address), tmp_path) as edge:
        async with httpx.AsyncClient(base_url=edge, timeout=10) as client:
            route = await client.get("/checkout/ord_1")
            api = await client.get("/openapi.json")
    assert (route.status_code, route.headers["cache-control"]) == (200, "no-cache")
    assert "<title>t</title>" in route.text
    assert api.json() == {"seen": "GET /openapi.json HTTP/1.1"}, "routed to the gateway"
