"""Seed a demo catalogue when there is none, so a new user can buy at once (``make up`` runs it).

A venue with a seat map (stalls and a balcony, wheelchair places in the front row), one published
event with a general-admission performance and a seated one, both on sale now, and a coupon
(``DEMO10``, 10 % off). Nothing happens when any event is already published.

    uv run --frozen python scripts/seed_demo.py [--base-url http://127.0.0.1:28080]
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from ticketing_gateway.domain.tokens import mint_staff
from ticketing_gateway.entrypoints.main import signer
from ticketing_gateway.settings import GatewaySettings

DEFAULT_BASE_URL = f"http://127.0.0.1:{os.environ.get('TICKETING_EDGE_PORT', '28080')}"
ZONE = "Europe/Amsterdam"
EVENT_NAME = "The Night Orchestra: Winter Concert"


def seat_csv() -> str:
    """Stalls rows A-H (16 seats, an aisle in the middle), balcony rows A-C (12 seats) behind."""
    lines = ["section,row,number,x,y,accessible"]
    for r, row in enumerate("ABCDEFGH"):
        for n in range(1, 17):
            accessible = row == "A" and n in (1, 2, 15, 16)
            lines.append(f"Stalls,{row},{n},{n + (n > 8) * 1.0},{r},{accessible}")
    for r, row in enumerate("ABC"):
        for n in range(1, 13):
            lines.append(f"Balcony,{row},{n},{n + 2.5},{10.5 + r},false")
    return "\n".join(lines) + "\n"


class Seeder:
    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        answer = self.client.request(method, path, **kwargs)
        if answer.status_code not in (200, 201):
            sys.exit(f"seed: {method} {path} answered {answer.status_code}: {answer.text}")
        return answer.json()

    def performance(self, event_id: str, venue_id: str | None, starts: datetime) -> str:
        now = datetime.now(UTC)
        body = {
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2, minutes=30)).isoformat(),
            "sales_open_at": (now - timedelta(hours=1)).isoformat(),
            "sales_close_at": (starts - timedelta(hours=1)).isoformat(),
            "venue_id": venue_id,
            "hold_ttl_s": 600,
            "max_per_order": 8,
        }
        made = self.call("POST", f"/v1/events/{event_id}/performances", json=body)
        return str(made["performance_id"])

    def tier(self, performance_id: str, name: str, amount: int, capacity: int = 0) -> str:
        body: dict[str, Any] = {"name": name, "price": {"amount": amount, "currency": "EUR"}}
        if capacity:
            body["capacity"] = capacity
        made = self.call("POST", f"/v1/performances/{performance_id}/tiers", json=body)
        return str(made["tier_id"])

    def seed(self) -> str:
        venue = self.call(
            "POST",
            "/v1/venues",
            json={"name": "Harbour Hall", "time_zone": ZONE, "address": "Veemkade 1, Amsterdam"},
        )
        venue_id = venue["venue_id"]
        self.call(
            "POST",
            f"/v1/venues/{venue_id}/seats",
            headers={"Content-Type": "text/csv"},
            content=seat_csv(),
        )
        event = self.call(
            "POST",
            "/v1/events",
            json={
                "name": EVENT_NAME,
                "time_zone": ZONE,
                "description": "Brahms and Dvořák by candlelight (a demo: pay with test cards).",
            },
        )
        event_id = event["event_id"]
        day = (datetime.now(UTC) + timedelta(days=14)).replace(
            hour=19, minute=0, second=0, microsecond=0
        )
        standing = self.performance(event_id, None, day - timedelta(days=1))
        self.tier(standing, "Standing", 2500, capacity=300)
        self.tier(standing, "Front of stage", 4000, capacity=40)
        seated = self.performance(event_id, venue_id, day)
        stalls = self.tier(seated, "Stalls", 4500)
        premium = self.tier(seated, "Premium stalls", 6500)
        balcony = self.tier(seated, "Balcony", 3000)
        zones = [
            {"tier_id": stalls, "section": "Stalls"},
            {"tier_id": premium, "section": "Stalls", "rows": ["C", "D", "E"]},
            {"tier_id": balcony, "section": "Balcony"},
        ]
        self.call("PUT", f"/v1/performances/{seated}/price-zones", json={"zones": zones})
        self.call("POST", f"/v1/events/{event_id}/publish")
        coupon = {"code": "DEMO10", "kind": "percent", "percent_off": 10, "active": True}
        answer = self.client.post("/v1/coupons", json=coupon)
        if answer.status_code not in (201, 409):  # 409: DEMO10 is there from an earlier seed
            sys.exit(f"seed: POST /v1/coupons answered {answer.status_code}: {answer.text}")
        return str(event_id)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", default=DEFAULT_BASE_URL)
    args = parser.parse_args()
    token = mint_staff(signer(GatewaySettings()), "demo-seed", {"staff"}, 600).token
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=args.base_url, headers=headers, timeout=30) as client:
        seeder = Seeder(client)
        if seeder.call("GET", "/v1/events"):
            print("seed: the catalogue has published events; nothing seeded")
            return
        seeder.seed()
        print(f"seed: demo event {EVENT_NAME!r} on sale (coupon DEMO10 takes 10 % off)")


if __name__ == "__main__":
    main()
