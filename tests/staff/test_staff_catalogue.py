"""The console's catalogue reads: venues, a venue's seats, every event (drafts included)."""

from __future__ import annotations

import httpx
import pytest

from tests.support import catalogue
from tests.support.catalogue import STAFF, session
from tests.support.purchase import SCANNER

pytestmark = pytest.mark.infra


async def test_staff_see_drafts_venues_and_seats_others_are_refused(
    gateway: httpx.AsyncClient,
) -> None:
    draft = await catalogue.general_admission(gateway, capacity=7, publish=False)
    listed = await gateway.get("/v1/events/all", headers=STAFF)
    assert listed.status_code == 200, listed.text
    [event] = [e for e in listed.json() if e["event_id"] == draft.event_id]
    assert event["status"] == "draft"
    [show] = event["performances"]
    assert show["performance_id"] == draft.performance_id
    assert [(t["name"], t["capacity"]) for t in show["tiers"]] == [("Floor", 7)]

    seated = await catalogue.seated(gateway, {"A": 3, "B": 2})
    public = await gateway.get(f"/v1/performances/{seated.performance_id}")
    venue_id = public.json()["venue_id"]
    venues = await gateway.get("/v1/venues", headers=STAFF)
    assert [v["seats"] for v in venues.json() if v["venue_id"] == venue_id] == [5]
    seats = await gateway.get(f"/v1/venues/{venue_id}/seats", headers=STAFF)
    assert [(s["row"], s["number"]) for s in seats.json()["seats"]] == [
        ("A", 1),
        ("A", 2),
        ("A", 3),
        ("B", 1),
        ("B", 2),
    ]
    unknown = await gateway.get("/v1/venues/ven_nothing/seats", headers=STAFF)
    assert (unknown.status_code, unknown.headers["content-type"]) == (
        404,
        "application/problem+json",
    )
    for caller in (await session(gateway), SCANNER):
        for path in ("/v1/events/all", "/v1/venues", f"/v1/venues/{venue_id}/seats"):
            refused = await gateway.get(path, headers=caller)
            assert refused.status_code == 403, (path, refused.text)
