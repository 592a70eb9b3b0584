"""The public edge (nginx on the public port) in front of the real services: CORS, limits, body
size, unknown paths, a stopped service, request ids, access log, static files."""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx
import pytest

from tests.support import catalogue
from tests.support.platform import RUN, stopped
from tests.support.purchase import Placed, hold, order_body, paid
from tests.support.waiting import eventually

pytestmark = pytest.mark.infra
PROBLEM = "application/problem+json"
ORIGIN = "http://localhost:5173"  # in scripts/infra's default TICKETING_CORS_ORIGINS
RENDERED = RUN / "edge" / "conf.d" / "default.conf"


def from_address(address: str, base_url: str) -> httpx.AsyncClient:
    """A client whose connections come from ``address`` (any 127.x.y.z is loopback): another
    client address as far as the edge's per-address limits go."""
    transport = httpx.AsyncHTTPTransport(local_address=address)
    return httpx.AsyncClient(base_url=base_url, transport=transport, timeout=30)


def configured_limit(zone: str) -> tuple[int, int]:
    """(rate per second, burst) of ``zone`` in the config the edge runs."""
    config = RENDERED.read_text()
    rate = re.search(rf"zone={zone}:\S+ rate=(\d+)r/s", config)
    burst = re.search(rf"zone={zone} burst=(\d+)", config)
    assert rate, zone
    assert burst, zone
    return int(rate.group(1)), int(burst.group(1))


def assert_problem(answer: httpx.Response, status: int, mentioned: str = "") -> None:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == PROBLEM
    body = answer.json()
    assert body["status"] == status
    assert body["type"].startswith("https://docs.ticketing.example/problems/")
    assert mentioned in body["detail"]


# ------------------------------------------------------------------ CORS


async def test_preflight_from_a_configured_origin_gets_the_allow_headers_cached(
    gateway: httpx.AsyncClient,
) -> None:
    preflight = await gateway.options(
        "/v1/holds",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert preflight.status_code == 204
    allowed = preflight.headers
    assert allowed["access-control-allow-origin"] == ORIGIN
    assert "POST" in allowed["access-control-allow-methods"]
    headers = {h.strip().lower() for h in allowed["access-control-allow-headers"].split(",")}
    assert {"authorization", "content-type", "idempotency-key", "x-order-token"} <= headers
    assert int(allowed["access-control-max-age"]) > 0
    assert "access-control-allow-credentials" not in allowed
    assert "Origin" in allowed["vary"]
    actual = await gateway.get("/v1/events", headers={"Origin": ORIGIN})
    assert actual.status_code == 200
    assert actual.headers["access-control-allow-origin"] == ORIGIN
    assert "X-Request-Id" in actual.headers["access-control-expose-headers"]


@pytest.mark.parametrize(
    "origin",
    ["https://evil.example", "http://localhost:51730", "http://localhost:5173.evil.example"],
)
async def test_an_unconfigured_origin_gets_no_cors_header(
    gateway: httpx.AsyncClient, origin: str
) -> None:
    preflight = await gateway.options(
        "/v1/holds", headers={"Origin": origin, "Access-Control-Request-Method": "POST"}
    )
    actual = await gateway.get("/v1/events", headers={"Origin": origin})
    for answer in (preflight, actual):
        assert [h for h in answer.headers if h.lower().startswith("access-control-")] == []


# ------------------------------------------------------------------ the edge's own refusals


async def test_bodies_over_their_limit_get_413_problem_json_before_any_service(
    gateway: httpx.AsyncClient,
) -> None:
    """A seat file may be 8 MiB; any other body 1 MiB, refused before a service parses it,
    whoever sends it (a stranger's 8 MiB to a staff route was read and parsed first)."""
    csv = {"Content-Type": "text/csv"}
    json_body = {"Content-Type": "application/json"}
    too_big = await gateway.post(
        "/v1/venues", content=b"[" + b"0," * 600_000 + b"0]", headers=json_body
    )
    assert_problem(too_big, 413, "at most 1048576 bytes")
    seat_file = await gateway.post("/v1/venues/ven_x/seats", content=b"x" * 2_000_000, headers=csv)
    assert seat_file.status_code in (401, 403), seat_file.text  # past the edge: the service's
    huge = await gateway.post("/v1/venues/ven_x/seats", content=b"x" * 9_000_000, headers=csv)
    assert_problem(huge, 413, "a seat file: at most 8388608 bytes; split a larger one")


async def _raw(edge: str, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes no HTTP client would and read the answer: (status, headers, body)."""
    url = httpx.URL(edge)
    reader, writer = await asyncio.open_connection(url.host, url.port)
    try:
        writer.write(request)
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
        lines = head.decode("latin-1").split("\r\n")
        headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
        length = int(headers.get("Content-Length", "0"))
        body = await asyncio.wait_for(reader.readexactly(length), 5)
        return int(lines[0].split()[1]), headers, body
    finally:
        writer.close()


@pytest.mark.parametrize(
    ("request_bytes", "status", "mentioned"),
    [
        (b"GET /v1/" + b"a" * 10_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, "too long"),
        (b"GET /v1/events HTTP/2.5\r\nHost: x\r\n\r\n", 505, "HTTP/1.1"),
        (b"BREW /v1/events HTTP/1.1\r\nHost: x\r\n\r\n", 501, "BREW is not a method"),
        (b"PROPFIND / HTTP/1.1\r\nHost: x\r\n\r\n", 501, "PROPFIND"),
        (b"TRACE /v1/events HTTP/1.1\r\nHost: x\r\n\r\n", 405, "TRACE"),
        (b"GET /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400, "malformed"),
        (b"GET /v1/events HTTP/1.1\r\n\r\n", 400, "malformed"),
        (b"GARBAGE\r\n\r\n", 400, "malformed"),
        (b"GET /v1/events HTTP/1.1\r\nHost: x\r\nX: " + b"a" * 20_000 + b"\r\n\r\n", 400, ""),
        (
            b"POST /v1/holds HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\nzz\r\n",
            400,
            "malformed",
        ),
        (b"GET /index.html HTTP/1.1\r\nHost: x\r\nRange: bytes=999999999-\r\n\r\n", 416, "range"),
        (b"GET /v1/events HTTP/1.1\r\nHost: x\r\nX-Note: a\x01b\r\n\r\n", 400, "malformed"),
        (b"GET /v1/events HTTP/1.1\r\nHost: x\r\nX-Note: a\x7fb\r\n\r\n", 400, "malformed"),
    ],
    ids=[
        "uri-too-long",
        "http-2.5",
        "unknown-method",
        "webdav-method",
        "trace",
        "bad-content-length",
        "no-host",
        "garbage",
        "huge-header",
        "bad-chunk",
        "range-past-the-end",
        "control-character-in-a-header",
        "delete-in-a-header",
    ],
)
async def test_a_request_nginx_cannot_serve_gets_problem_json_not_its_html(
    platform: str, request_bytes: bytes, status: int, mentioned: str
) -> None:
    """The edge answers for itself before any service sees these: never its own HTML page, and
    never a service server's text/plain (uvicorn answers an unknown method in text). A header
    value with a control character passes nginx: the service's server answers it, in kind."""
    got, headers, body = await _raw(platform, request_bytes)
    assert (got, headers.get("Content-Type")) == (status, PROBLEM), body[:300]
    problem = json.loads(body)
    assert problem["status"] == status
    assert mentioned in problem["detail"]
    assert problem["request_id"]  # every problem names it, the edge's own too


@pytest.mark.parametrize(
    "path", ["/v1/nothing-here", "/v1", "/v1/holdsX", "/v1/admin/nothing", "/v1/admin/servicesX"]
)
async def test_an_unknown_path_gets_404_problem_json(gateway: httpx.AsyncClient, path: str) -> None:
    answer = await gateway.get(path)
    assert_problem(answer, 404, path)
    assert answer.json()["instance"] == path
    assert answer.json()["request_id"] == answer.headers["x-request-id"]


async def test_a_percent_encoded_path_reaches_the_service_and_gets_its_problem(
    gateway: httpx.AsyncClient,
) -> None:
    answer = await gateway.get("/v1/performances/perf%20%E2%82%AC%2Fx")
    assert_problem(answer, 404)
    assert answer.headers["x-correlation-id"], "inventory answered, not the edge"


# ------------------------------------------------------------------ a service down


async def test_with_one_service_stopped_its_routes_fail_fast_and_the_others_keep_working(
    gateway: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    async with stopped("notifications"):
        started = time.monotonic()
        down = await gateway.get(
            "/v1/notifications", params={"order_id": "ord_x"}, headers=admin_headers
        )
        assert time.monotonic() - started < 10, "within the upstream timeout"
        assert down.status_code in (502, 503), down.text
        assert_problem(down, down.status_code, "notifications service is unavailable")
        assert (await gateway.get("/v1/events")).status_code == 200
        assert (await gateway.get("/v1/coupons", headers=admin_headers)).status_code == 200
        for service in ("inventory", "orders", "payments", "documents", "gateway"):
            lot = await gateway.get(
                f"/v1/admin/services/{service}/parking-lot", headers=admin_headers
            )
            assert lot.status_code == 200, (service, lot.text)


# ------------------------------------------------------------------ rate limits


async def test_a_burst_of_1500_session_mints_from_one_address_is_limited_after_the_burst(
    platform: str,
) -> None:
    rate, burst = configured_limit("ticketing_session_mint")
    concurrency = asyncio.Semaphore(50)
    async with from_address("127.0.0.2", platform) as client:

        async def mint() -> httpx.Response:
            async with concurrency:
                return await client.post("/v1/sessions")

        started = time.monotonic()
        answers = await asyncio.gather(*(mint() for _ in range(1500)))
        elapsed = time.monotonic() - started
    statuses = Counter(a.status_code for a in answers)
    assert set(statuses) == {201, 429}, statuses
    assert burst <= statuses[201] <= burst + 1 + rate * (elapsed + 1), (statuses, elapsed)
    for refused in (a for a in answers if a.status_code == 429):
        assert_problem(refused, 429, "too many requests")
        assert int(refused.headers["retry-after"]) >= 1


async def test_a_buyer_at_human_pace_is_never_limited_even_where_minting_is(
    platform: str,
) -> None:
    """Hold → order → pay from an address whose session minting is exhausted: only minting,
    check-in and holds are limited, each on its own, and one of each is far from a limit."""
    async with (
        from_address("127.0.0.3", platform) as buyer_client,
        httpx.AsyncClient(base_url=platform, timeout=30) as staff_client,
    ):
        show = await catalogue.general_admission(staff_client, capacity=10)
        buyer = await catalogue.session(buyer_client)

        async def minting_refused() -> bool:
            answers = await asyncio.gather(*(buyer_client.post("/v1/sessions") for _ in range(50)))
            return any(a.status_code == 429 for a in answers)

        await eventually(minting_refused, what="session minting limited at 127.0.0.3")
        hold_id = await hold(buyer_client, show, buyer, 2)
        placed = await buyer_client.post(
            "/v1/orders",
            headers={**buyer, "Idempotency-Key": str(uuid.uuid4())},
            json=order_body(hold_id),
        )
        assert placed.status_code == 201, placed.text
        order = await paid(buyer_client, Placed(buyer, hold_id, placed.json()))
        assert order["status"] == "paid"


# ------------------------------------------------------------------ request ids and the log


async def test_a_sane_request_id_is_kept_passed_on_logged_by_the_service_and_the_edge(
    gateway: httpx.AsyncClient, admin_headers: dict[str, str]
) -> None:
    request_id = f"test-{uuid.uuid4().hex}"
    answer = await gateway.post(
        "/v1/admin/services/orders/parking-lot/discard",
        headers={**admin_headers, "X-Request-Id": request_id},
        json={"message_ids": [f"msg-{uuid.uuid4().hex}"]},
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["x-request-id"] == request_id

    def logged(path: Path) -> list[dict[str, object]]:
        lines = path.read_text(errors="replace").splitlines()
        return [json.loads(line) for line in lines if request_id in line]

    service_lines = await eventually(lambda: logged(RUN / "logs" / "orders.log"), what="log")
    assert {line.get("request_id") for line in service_lines} == {request_id}
    access = (await eventually(lambda: logged(RUN / "logs" / "edge-access.log"), what="log"))[0]
    assert access["status"] == 200
    assert access["upstream"] == "orders"
    assert access["upstream_addr"] == "127.0.0.1:28082"
    assert float(str(access["upstream_response_time"])) >= 0
    assert int(str(access["bytes_sent"])) > 0


@pytest.mark.parametrize("sent", ["short", "has spaces in it", "x" * 200, "évènement-1234"])
async def test_an_odd_request_id_is_replaced_by_the_edges_own(
    gateway: httpx.AsyncClient, sent: str
) -> None:
    answer = await gateway.get("/v1/events", headers={b"X-Request-Id": sent.encode()})
    assert re.fullmatch(r"[0-9a-f]{32}", answer.headers["x-request-id"])


# ------------------------------------------------------------------ static files


async def test_the_web_root_serves_the_app_with_caching_suited_to_each_file(
    gateway: httpx.AsyncClient,
) -> None:
    assets = RUN / "web" / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    asset = assets / f"test-{uuid.uuid4().hex[:8]}.js"
    asset.write_text("console.log(1)")
    try:
        index = await gateway.get("/")
        assert index.status_code == 200
        assert index.headers["cache-control"] == "no-cache"
        for answer in (index, await gateway.get("/v1/events")):  # pages and API alike
            assert answer.headers["x-frame-options"] == "DENY"  # the console in a decoy's frame
            assert answer.headers["content-security-policy"] == "frame-ancestors 'none'"
            assert answer.headers["x-content-type-options"] == "nosniff"
            assert answer.headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert "text/html" in index.headers["content-type"]
        route = await gateway.get("/events/some-show/seats")
        assert (route.status_code, route.text) == (200, index.text)
        assert route.headers["cache-control"] == "no-cache"
        hashed = await gateway.get(f"/assets/{asset.name}")
        assert hashed.status_code == 200
        assert hashed.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert_problem(await gateway.get("/assets/missing-0000.js"), 404)
        assert_problem(await gateway.get("/v1/not-a-page"), 404)
    finally:
        asset.unlink()


async def test_the_apps_scripts_go_gzipped_to_a_browser_that_accepts_them(
    gateway: httpx.AsyncClient,
) -> None:
    """The build writes a .gz beside each script and style sheet, and the edge sends it: the
    storefront's 388 KB script is ~120 KB on a phone in the 9 a.m. queue, and nginx compresses
    nothing itself."""
    built = sorted((RUN / "web" / "assets").glob("index-*.js"))
    assert built, "make web builds the storefront"
    script = built[0]
    path = f"/assets/{script.name}"

    zipped = await gateway.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
    plain = await gateway.get(path, headers={"Accept-Encoding": "identity"})

    assert zipped.headers["content-encoding"] == "gzip"
    assert int(zipped.headers["content-length"]) < script.stat().st_size / 2
    assert zipped.content == script.read_bytes()  # httpx undid the gzip
    assert "accept-encoding" in zipped.headers["vary"].lower()
    assert "content-encoding" not in plain.headers
    assert plain.content == script.read_bytes()


async def test_the_api_documentation_loads_swagger_ui_from_this_origin(
    gateway: httpx.AsyncClient,
) -> None:
    """FastAPI's page loaded Swagger UI from a CDN at a floating version: blank on a closed
    network, and a script from elsewhere on the origin where the scanner keeps its token."""
    page = await gateway.get("/docs")
    assert (page.status_code, page.headers["content-type"]) == (200, "text/html; charset=utf-8")
    scripts = re.findall(r'<script src="([^"]+)"', page.text)
    sheets = re.findall(r'<link type="text/css" rel="stylesheet" href="([^"]+)"', page.text)
    assert scripts == ["/docs-assets/swagger-ui-bundle.js"]
    assert sheets == ["/docs-assets/swagger-ui.css"]
    assert not re.findall(r'(?:src|href)="https?://', page.text)  # nothing from elsewhere
    for asset in scripts + sheets:
        answer = await gateway.get(asset, headers={"Accept-Encoding": "gzip"})
        assert answer.status_code == 200, asset
        assert answer.headers["cache-control"] == "no-cache"  # fixed names: asked again
        assert len(answer.content) > 100_000  # the real bundle, not the app's index.html
    assert_problem(await gateway.get("/docs-assets/missing.js"), 404)
