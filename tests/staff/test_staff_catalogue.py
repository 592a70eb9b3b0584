"""The console's catalogue reads: venues, a venue's seats, every event (drafts included)."""

from __future__ import annotations

import uuid
from typing import Any

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
    [event] = [e for e in listed.json()["data"] if e["event_id"] == draft.event_id]
    assert event["status"] == "draft"
    [show] = event["performances"]
    assert (show["performance_id"], show["event_id"]) == (draft.performance_id, draft.event_id)
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


async def test_events_are_paged_newest_first_and_found_by_part_of_their_name(
    gateway: httpx.AsyncClient,
) -> None:
    tag = uuid.uuid4().hex[:8]
    made = []
    for n in range(3):
        created = await gateway.post(
            "/v1/events",
            headers=STAFF,
            json={"name": f"Paging {tag} 100%_{n}", "time_zone": "Europe/Amsterdam"},
        )
        assert created.status_code == 201, created.text
        made.append(created.json()["event_id"])

    async def page(**query: str | int) -> dict[str, Any]:
        answer = await gateway.get("/v1/events/all", headers=STAFF, params=query)
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    first = await page(q=f"{tag} 100%_", limit=2)
    assert [e["event_id"] for e in first["data"]] == [made[2], made[1]]
    assert first["has_more"] is True
    rest = await page(q=f"{tag} 100%_", limit=2, starting_after=made[1])
    assert ([e["event_id"] for e in rest["data"]], rest["has_more"]) == ([made[0]], False)
    # the name filter takes % and _ as themselves, in any case
    assert [e["event_id"] for e in (await page(q=f"PAGING {tag} 100%_1"))["data"]] == [made[1]]
    assert (await page(q=f"{tag} 100x"))["data"] == []
    newest = await page(limit=1)
    assert [e["event_id"] for e in newest["data"]] == [made[2]]

    bad: tuple[tuple[dict[str, str | int], str], ...] = (
        ({"starting_after": "evt_nothing"}, "starting_after"),
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"q": "x" * 201}, "q"),
        ({"starting_after": "no/slash"}, "starting_after"),
    )
    for query, field in bad:
        refused = await gateway.get("/v1/events/all", headers=STAFF, params=query)
        assert (refused.status_code, refused.headers["content-type"]) == (
            422,
            "application/problem+json",
        ), (query, refused.text)
        assert field in refused.text, (query, refused.text)
