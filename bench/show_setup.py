"""Setting up a show through the gateway's staff API, for the benchmarks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from ticketing_gateway.domain.tokens import mint_staff
from ticketing_gateway.entrypoints.main import signer
from ticketing_gateway.settings import GatewaySettings


def staff_headers(role: str) -> dict[str, str]:
    token = mint_staff(signer(GatewaySettings()), "bench", {role}, 3600).token
    return {"Authorization": f"Bearer {token}"}


async def ok(answer: httpx.Response) -> dict[str, Any]:
    if answer.status_code not in (200, 201):
        raise SystemExit(
            f"{answer.request.method} {answer.request.url}: {answer.status_code} {answer.text}"
        )
    body: dict[str, Any] = answer.json()
    return body


async def create_show(client: httpx.AsyncClient, capacity: int, seated: bool) -> tuple[str, str]:
    staff = staff_headers("staff")
    now = datetime.now(UTC)
    venue_id = None
    if seated:
        venue = await ok(
            await client.post(
                "/v1/venues", headers=staff, json={"name": "Bench Hall", "time_zone": "UTC"}
            )
        )
        venue_id = venue["venue_id"]
        per_row = 25
        rows = [f"R{r:02d}" for r in range(capacity // per_row)]
        csv = "section,row,number\n" + "".join(
            f"Main,{row},{n}\n" for row in rows for n in range(1, per_row + 1)
        )
        await ok(
            await client.post(
                f"/v1/venues/{venue_id}/seats",
                headers={**staff, "Content-Type": "text/csv"},
                content=csv,
            )
        )
    event = await ok(
        await client.post(
            "/v1/events", headers=staff, json={"name": "Flash Sale", "time_zone": "UTC"}
        )
    )
    starts = now + timedelta(days=7)
    performance = await ok(
        await client.post(
            f"/v1/events/{event['event_id']}/performances",
            headers=staff,
            json={
                "starts_at": starts.isoformat(),
                "ends_at": (starts + timedelta(hours=3)).isoformat(),
                "sales_open_at": (now - timedelta(minutes=1)).isoformat(),
                "sales_close_at": starts.isoformat(),
                "venue_id": venue_id,
                "max_per_order": 4,
            },
        )
    )
    performance_id = performance["performance_id"]
    tier = await ok(
        await client.post(
            f"/v1/performances/{performance_id}/tiers",
            headers=staff,
            json={
                "name": "GA",
                "price": {"amount": 5000, "currency": "EUR"},
                "capacity": 0 if seated else capacity,
            },
        )
    )
    if seated:
        await ok(
            await client.put(
                f"/v1/performances/{performance_id}/price-zones",
                headers=staff,
                json={"zones": [{"tier_id": tier["tier_id"]}]},
            )
        )
    await ok(await client.post(f"/v1/events/{event['event_id']}/publish", headers=staff))
    return performance_id, tier["tier_id"]
