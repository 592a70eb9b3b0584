"""Building events, performances and seat maps through the gateway's staff API."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.support.edge import past_the_edge
from tests.support.platform import staff_token

STAFF = {"Authorization": f"Bearer {staff_token('staff')}"}


@dataclass
class Show:
    event_id: str
    performance_id: str
    tiers: dict[str, str]  # name -> tier_id
    seats: list[dict[str, Any]] = field(default_factory=list)


async def _ok(answer: httpx.Response) -> dict[str, Any]:
    assert answer.status_code in (200, 201), answer.text
    body: dict[str, Any] = answer.json()
    return body


async def general_admission(
    gateway: httpx.AsyncClient,
    capacity: int,
    *,
    hold_ttl_s: int = 600,
    max_per_order: int = 10,
    starts_in: timedelta = timedelta(days=30),
    publish: bool = True,
) -> Show:
    event, performance = await _event_and_performance(
        gateway, None, hold_ttl_s, max_per_order, starts_in, publish=False
    )
    tier = await _ok(
        await gateway.post(
            f"/v1/performances/{performance['performance_id']}/tiers",
            headers=STAFF,
            json={
                "name": "Floor",
                "price": {"amount": 2500, "currency": "EUR"},
                "capacity": capacity,
            },
        )
    )
    if publish:
        await _ok(await gateway.post(f"/v1/events/{event['event_id']}/publish", headers=STAFF))
    return Show(event["event_id"], performance["performance_id"], {"Floor": tier["tier_id"]})


async def seated(
    gateway: httpx.AsyncClient,
    rows: dict[str, int],
    *,
    hold_ttl_s: int = 600,
    max_per_order: int = 10,
) -> Show:
    """A one-section venue with ``rows`` (label -> seat count), all seats in tier 'Stalls'."""
    venue = await _ok(
        await gateway.post(
            "/v1/venues", headers=STAFF, json={"name": "Hall", "time_zone": "Europe/Amsterdam"}
        )
    )
    csv = "section,row,number,x,y\n" + "".join(
        f"Stalls,{row},{n},{n},{i}\n"
        for i, (row, count) in enumerate(rows.items())
        for n in range(1, count + 1)
    )
    await _ok(
        await gateway.post(
            f"/v1/venues/{venue['venue_id']}/seats",
            headers={**STAFF, "Content-Type": "text/csv"},
            content=csv,
        )
    )
    event, performance = await _event_and_performance(
        gateway, venue["venue_id"], hold_ttl_s, max_per_order, timedelta(days=30), publish=False
    )
    performance_id = performance["performance_id"]
    tier = await _ok(
        await gateway.post(
            f"/v1/performances/{performance_id}/tiers",
            headers=STAFF,
            json={"name": "Stalls", "price": {"amount": 4000, "currency": "EUR"}},
        )
    )
    await _ok(
        await gateway.put(
            f"/v1/performances/{performance_id}/price-zones",
            headers=STAFF,
            json={"zones": [{"tier_id": tier["tier_id"]}]},
        )
    )
    await _ok(await gateway.post(f"/v1/events/{event['event_id']}/publish", headers=STAFF))
    seat_map = await _ok(await gateway.get(f"/v1/performances/{performance_id}/seats"))
    return Show(event["event_id"], performance_id, {"Stalls": tier["tier_id"]}, seat_map["seats"])


async def _event_and_performance(
    gateway: httpx.AsyncClient,
    venue_id: str | None,
    hold_ttl_s: int,
    max_per_order: int,
    starts_in: timedelta,
    *,
    publish: bool,
) -> tuple[dict[str, Any], dict[str, Any]]:
    now = datetime.now(UTC)
    event = await _ok(
        await gateway.post(
            "/v1/events",
            headers=STAFF,
            json={"name": "Test Night", "time_zone": "Europe/Amsterdam", "description": "tests"},
        )
    )
    starts = now + starts_in
    performance = await _ok(
        await gateway.post(
            f"/v1/events/{event['event_id']}/performances",
            headers=STAFF,
            json={
                "starts_at": starts.isoformat(),
                "ends_at": (starts + timedelta(hours=2)).isoformat(),
                "sales_open_at": (now - timedelta(days=60)).isoformat(),
                "sales_close_at": (
                    starts - timedelta(minutes=1) if starts > now else starts + timedelta(hours=1)
                ).isoformat(),
                "venue_id": venue_id,
                "hold_ttl_s": hold_ttl_s,
                "max_per_order": max_per_order,
            },
        )
    )
    if publish:
        await _ok(await gateway.post(f"/v1/events/{event['event_id']}/publish", headers=STAFF))
    return event, performance


async def session(gateway: httpx.AsyncClient) -> dict[str, str]:
    """A new customer session (minted again after the edge's per-address 429, as a client
    would: tests that mint hundreds of buyers are not about the edge's budget)."""
    token = (await past_the_edge(lambda: gateway.post("/v1/sessions"))).json()["token"]
    return {"Authorization": f"Bearer {token}"}
