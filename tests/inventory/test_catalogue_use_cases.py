"""The catalogue use cases in process against the real PostgreSQL and Redis: what staff change
is stored, audited with what was asked, loaded into the hold store, and refused for the right
reason before anything is written."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import asyncpg
import pytest
from sqlalchemy import event as sqlalchemy_event

from tests.inventory.use_case_shows import (
    STAFF,
    general_admission,
    new_event,
    performance_of,
    seated,
)
from ticketing_inventory.adapters import catalogue_repository
from ticketing_inventory.domain.catalogue import EventStatus, SaleTermsChange
from ticketing_inventory.domain.errors import Conflict, Invalid, NotFound
from ticketing_inventory.service_layer import catalogue, catalogue_views
from ticketing_inventory.service_layer.container import Inventory

SEATS = b"section,row,number\nStalls,A,1\nStalls,A,2\nStalls,B,1\n"


async def event(inv: Inventory) -> dict[str, Any]:
    return {"event_id": await new_event(inv)}


async def audited(admin_db: asyncpg.Connection, target_id: str) -> list[dict[str, Any]]:
    """The audit events the inventory's outbox holds for ``target_id``, oldest first."""
    rows = await admin_db.fetch(
        "SELECT body FROM inventory.outbox WHERE routing_key = 'audit.action.recorded.v1'"
        " ORDER BY seq DESC LIMIT 200"
    )
    found = [json.loads(r["body"]) for r in rows]
    return [e for e in reversed(found) if e["target_id"] == target_id]


async def test_a_seated_performance_from_venue_to_sale(
    inv: Inventory, admin_db: asyncpg.Connection
) -> None:
    venue = await catalogue.create_venue(
        inv, catalogue.CreateVenue(STAFF, "Hall", "Europe/Amsterdam")
    )
    imported = await catalogue.import_seats(
        inv, catalogue.ImportSeats(STAFF, venue["venue_id"], SEATS)
    )
    assert imported == {"venue_id": venue["venue_id"], "imported": 3}
    read = await catalogue_views.read_venue(inv, venue["venue_id"])
    assert [(s["name"], s["seats"]) for s in read["sections"]] == [("Stalls", 3)]
    show = await event(inv)
    command = performance_of(show["event_id"], venue["venue_id"])
    performance = await catalogue.create_performance(inv, command)
    performance_id = performance["performance_id"]
    tier = await catalogue.add_tier(
        inv, catalogue.AddTier(STAFF, performance_id, "Stalls", catalogue.Price(4000, "EUR"))
    )
    zones = [catalogue.PriceZone(tier["tier_id"], "Stalls", ["A"])]
    priced = await catalogue.set_price_zones(
        inv, catalogue.SetPriceZones(STAFF, performance_id, zones)
    )
    assert priced["seats_per_tier"] == {tier["tier_id"]: 2}
    assert (await inv.holds.availability(performance_id)).tiers == {tier["tier_id"]: 2}
    published = await catalogue.change_event_status(
        inv, catalogue.ChangeEventStatus(STAFF, show["event_id"], EventStatus.PUBLISHED)
    )
    assert published["status"] == "published"
    seats = json.loads(await catalogue_views.seat_map(inv, performance_id))
    assert sorted(s["row"] for s in seats["seats"]) == ["A", "A"]
    created = await audited(admin_db, performance_id)
    assert created[0]["action"] == "inventory.performance.created"
    assert created[0]["details"]["starts_at"] == command.starts_at.isoformat().replace(
        "+00:00", "Z"
    )  # as the request body said it (JSON)
    assert created[0]["details"]["venue_id"] == venue["venue_id"]
    assert "event_id" not in created[0]["details"]
    assert created[1]["details"] == {
        "zones": [{"tier_id": tier["tier_id"], "section": "Stalls", "rows": ["A"]}]
    }

    rezoned = [catalogue.PriceZone(tier["tier_id"], "Stalls", ["A", "B"])]
    await catalogue.set_price_zones(inv, catalogue.SetPriceZones(STAFF, performance_id, rezoned))
    seats = json.loads(await catalogue_views.seat_map(inv, performance_id))
    assert sorted(s["row"] for s in seats["seats"]) == ["A", "A", "B"], "new zones show at once"


async def test_an_event_with_a_performance_that_has_no_tier_is_not_published(
    inv: Inventory,
) -> None:
    """It went on the programme with nothing to buy."""
    show = await event(inv)
    bare = await catalogue.create_performance(inv, performance_of(show["event_id"]))
    publish = catalogue.ChangeEventStatus(STAFF, show["event_id"], EventStatus.PUBLISHED)
    with pytest.raises(Conflict) as refused:
        await catalogue.change_event_status(inv, publish)
    assert refused.value.code == "no-tiers"
    assert refused.value.extra["performance_ids"] == [bare["performance_id"]]
    await catalogue.add_tier(
        inv,
        catalogue.AddTier(STAFF, bare["performance_id"], "Floor", catalogue.Price(1000, "EUR"), 5),
    )
    assert (await catalogue.change_event_status(inv, publish))["status"] == "published"


async def test_refusals_name_their_reason(inv: Inventory) -> None:
    with pytest.raises(NotFound) as unknown_venue:
        await catalogue.import_seats(inv, catalogue.ImportSeats(STAFF, "ven_nowhere", SEATS))
    assert unknown_venue.value.code == "unknown-venue"
    with pytest.raises(Invalid) as not_text:
        await catalogue.import_seats(inv, catalogue.ImportSeats(STAFF, "ven_nowhere", b"\xff\xfe"))
    assert not_text.value.code == "invalid-csv"  # checked before the venue is looked for
    venue = await catalogue.create_venue(inv, catalogue.CreateVenue(STAFF, "Hall", "UTC"))
    await catalogue.import_seats(inv, catalogue.ImportSeats(STAFF, venue["venue_id"], SEATS))
    with pytest.raises(Conflict) as twice:
        await catalogue.import_seats(inv, catalogue.ImportSeats(STAFF, venue["venue_id"], SEATS))
    assert twice.value.code == "duplicate-seat"
    assert twice.value.detail == (
        "Stalls row A seat 1 is already in this venue (and 2 more of the file's seats)"
    )
    show = await event(inv)
    general = await catalogue.create_performance(inv, performance_of(show["event_id"]))
    zones = [catalogue.PriceZone("tier_x")]
    with pytest.raises(Conflict) as not_seated:
        await catalogue.set_price_zones(
            inv, catalogue.SetPriceZones(STAFF, general["performance_id"], zones)
        )
    assert not_seated.value.code == "not-seated"
    seated = await catalogue.create_performance(
        inv, performance_of(show["event_id"], venue["venue_id"])
    )
    with pytest.raises(Invalid) as unknown_tier:
        await catalogue.set_price_zones(
            inv, catalogue.SetPriceZones(STAFF, seated["performance_id"], zones)
        )
    assert unknown_tier.value.code == "unknown-tier"
    cancel = catalogue.ChangeEventStatus(STAFF, show["event_id"], EventStatus.CANCELLED)
    await catalogue.change_event_status(inv, cancel)
    with pytest.raises(Conflict) as again:
        await catalogue.change_event_status(inv, cancel)
    assert again.value.code == "illegal-transition"
    with pytest.raises(Conflict) as no_more:
        await catalogue.create_performance(inv, performance_of(show["event_id"]))
    assert no_more.value.code == "event-cancelled"
    with pytest.raises(NotFound) as unknown_event:
        await catalogue.create_performance(inv, performance_of("evt_nowhere"))
    assert unknown_event.value.code == "unknown-event"


async def test_a_draft_performance_is_not_public_and_a_cancelled_one_says_so(
    inv: Inventory,
) -> None:
    show = await event(inv)
    performance = await catalogue.create_performance(inv, performance_of(show["event_id"]))
    performance_id = performance["performance_id"]
    with pytest.raises(NotFound):
        await catalogue_views.read_performance(inv, performance_id)
    await catalogue.add_tier(
        inv, catalogue.AddTier(STAFF, performance_id, "Floor", catalogue.Price(1000, "EUR"), 5)
    )
    await catalogue.change_event_status(
        inv, catalogue.ChangeEventStatus(STAFF, show["event_id"], EventStatus.PUBLISHED)
    )
    public = await catalogue_views.read_performance(inv, performance_id)
    assert [(t["name"], t["available"]) for t in public["tiers"]] == [("Floor", 5)]
    listed = {e["event_id"]: e for e in await catalogue_views.list_events(inv)}
    assert [p["performance_id"] for p in listed[show["event_id"]]["performances"]] == [
        performance_id
    ]
    cancelled = await catalogue.cancel_performance(
        inv, catalogue.CancelPerformance(STAFF, performance_id)
    )
    assert cancelled == {"performance_id": performance_id, "status": "cancelled"}
    terms = await inv.terms.get(performance_id)
    assert terms is not None
    assert terms.window.performance_status == "cancelled"


async def test_cancelling_an_event_announces_only_the_performances_not_cancelled_before(
    inv: Inventory, admin_db: asyncpg.Connection
) -> None:
    """A performance cancelled on its own, then its whole event: the second announcement of it
    (another message id, past every subscriber's de-duplication) had orders owe each of its
    box-office sales' refunds twice."""
    show = await event(inv)
    first = await catalogue.create_performance(inv, performance_of(show["event_id"]))
    second = await catalogue.create_performance(inv, performance_of(show["event_id"]))
    await catalogue.cancel_performance(
        inv, catalogue.CancelPerformance(STAFF, first["performance_id"])
    )
    await catalogue.change_event_status(
        inv, catalogue.ChangeEventStatus(STAFF, show["event_id"], EventStatus.CANCELLED)
    )

    rows = await admin_db.fetch(
        "SELECT body FROM inventory.outbox WHERE routing_key = 'inventory.performance.cancelled.v1'"
        " ORDER BY seq DESC LIMIT 200"
    )
    announced = [json.loads(r["body"])["performance_id"] for r in rows]
    assert announced.count(first["performance_id"]) == 1
    assert announced.count(second["performance_id"]) == 1


async def test_a_seat_maps_poll_asks_postgres_once_whether_its_performance_is_public(
    inv: Inventory,
) -> None:
    """Every open seat map asks its seat states every few seconds, and each poll asked Postgres
    whether the performance may be shown. Once public a performance stays so; a draft one is
    asked again (it may be published a moment later)."""
    show = await seated(inv, SEATS, published=False)
    with pytest.raises(NotFound):
        await catalogue_views.seat_states(inv, show.performance_id)
    await catalogue.change_event_status(
        inv, catalogue.ChangeEventStatus(STAFF, show.event_id, EventStatus.PUBLISHED)
    )
    await catalogue_views.seat_states(inv, show.performance_id)  # public: remembered

    statements: list[str] = []
    engine = inv.database.engine.sync_engine

    def listener(*args: object) -> None:
        statements.append(str(args[2]))

    sqlalchemy_event.listen(engine, "before_cursor_execute", listener)
    try:
        again = await catalogue_views.seat_states(inv, show.performance_id)
    finally:
        sqlalchemy_event.remove(engine, "before_cursor_execute", listener)
    assert again["performance_id"] == show.performance_id
    assert statements == []


async def test_the_public_list_gives_each_performance_its_venues_clock(inv: Inventory) -> None:
    """A touring event: a performance in a venue of another zone is listed with that zone (the
    box office and the scanner label it so), one without a venue with the event's."""
    at_venue = await seated(inv, SEATS)  # a venue in UTC, an event in Europe/Amsterdam
    no_venue = await catalogue.create_performance(inv, performance_of(at_venue.event_id))
    listed = {e["event_id"]: e for e in await catalogue_views.list_events(inv)}
    zones = {p["performance_id"]: p["time_zone"] for p in listed[at_venue.event_id]["performances"]}
    assert zones == {at_venue.performance_id: "UTC", no_venue["performance_id"]: "Europe/Amsterdam"}
    assert listed[at_venue.event_id]["time_zone"] == "Europe/Amsterdam"


async def test_changed_sale_terms_are_stored_audited_and_read_at_once_by_the_hold_path(
    inv: Inventory, admin_db: asyncpg.Connection
) -> None:
    show = await general_admission(inv, capacity=5)
    cached = await inv.terms.get(show.performance_id)
    assert cached is not None
    opens = cached.window.sales_open_at + timedelta(days=1)
    change = SaleTermsChange(sales_open_at=opens, max_per_order=3, hold_ttl_s=600)
    command = catalogue.ChangeSaleTerms(STAFF, show.performance_id, change)
    changed = await catalogue.change_sale_terms(inv, command)
    assert (changed.sales_open_at, changed.max_per_order) == (opens, 3)
    fresh = await inv.terms.get(show.performance_id)
    assert fresh is not None
    assert (fresh.window.sales_open_at, fresh.max_per_order) == (opens, 3)
    changes = await _terms_changes(admin_db, show.performance_id)
    # hold_ttl_s was asked but unchanged: only what changed is recorded, with what it was
    assert [set(e["details"]) for e in changes] == [{"sales_open_at", "max_per_order"}]
    assert changes[0]["details"]["max_per_order"] == {"from": 10, "to": 3}
    await catalogue.change_sale_terms(inv, command)  # the same again changes nothing
    assert len(await _terms_changes(admin_db, show.performance_id)) == 1

    too_late = SaleTermsChange(sales_close_at=fresh.window.starts_at + timedelta(hours=3))
    with pytest.raises(Invalid) as refused:
        await catalogue.change_sale_terms(
            inv, catalogue.ChangeSaleTerms(STAFF, show.performance_id, too_late)
        )
    assert refused.value.code == "invalid-sales-window"
    with pytest.raises(NotFound):
        await catalogue.change_sale_terms(
            inv, catalogue.ChangeSaleTerms(STAFF, "perf_nowhere", change)
        )


async def test_a_reader_late_with_the_old_terms_cannot_put_a_cancelled_show_back_on_sale(
    inv: Inventory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A replica read the terms from Postgres just before the cancellation committed, and writes
    them to the cache just after it was refreshed: the cancellation must stand."""
    show = await general_admission(inv, capacity=5)
    async with inv.database.unit_of_work() as uow:
        as_read_before = await catalogue_repository.get_performance(
            uow.session, show.performance_id
        )
    await catalogue.cancel_performance(inv, catalogue.CancelPerformance(STAFF, show.performance_id))

    async def the_old_read(session: object, performance_id: str) -> object:
        return as_read_before

    monkeypatch.setattr(catalogue_repository, "get_performance", the_old_read)
    await inv.terms._load(show.performance_id, only_if_absent=True)  # the late reader's write
    monkeypatch.undo()
    terms = await inv.terms.get(show.performance_id)
    assert terms is not None
    assert terms.window.performance_status == "cancelled"


async def _terms_changes(admin_db: asyncpg.Connection, performance_id: str) -> list[dict[str, Any]]:
    entries = await audited(admin_db, performance_id)
    return [e for e in entries if e["action"] == "inventory.performance.sale_terms_changed"]


async def test_a_performance_sells_in_one_currency(inv: Inventory) -> None:
    """A hold of a EUR and a GBP tier would be summed as one amount and charged in one of them:
    a tier in another currency than the performance's others is refused."""
    show = await event(inv)
    performance = await catalogue.create_performance(inv, performance_of(show["event_id"]))
    performance_id = performance["performance_id"]
    await catalogue.add_tier(
        inv, catalogue.AddTier(STAFF, performance_id, "Floor", catalogue.Price(1000, "EUR"), 5)
    )
    with pytest.raises(Conflict) as mixed:
        await catalogue.add_tier(
            inv, catalogue.AddTier(STAFF, performance_id, "Boxes", catalogue.Price(900, "GBP"), 5)
        )
    assert mixed.value.code == "mixed-currencies"
    assert "priced in EUR" in mixed.value.detail
    second = catalogue.AddTier(STAFF, performance_id, "Balcony", catalogue.Price(800, "EUR"), 5)
    assert (await catalogue.add_tier(inv, second))["currency"] == "EUR"
