"""Holds: place, read, extend and release a session's hold; pin and price it for an order.

The hold fast path (``entrypoints/fast_holds.py``) and the documented route both call
``place_hold``: one use case, two ways in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ticketing_contracts import HoldReleasedV1
from ticketing_inventory.adapters import catalogue_repository as catalogue
from ticketing_inventory.adapters import sales_repository as sales
from ticketing_inventory.adapters.hold_store import HoldStore
from ticketing_inventory.adapters.sale_terms import SaleTerms
from ticketing_inventory.domain.catalogue import NotOnSale, Performance, Tier, check_on_sale
from ticketing_inventory.domain.errors import HoldRefused, NotFound, Unavailable
from ticketing_inventory.domain.holds import (
    Hold,
    Refusal,
    Refused,
    announcement_id,
    hold_id_for,
)
from ticketing_inventory.service_layer.container import Inventory
from ticketing_runtime.ids import new_id

DEFAULT_HOLD_TTL_S = 600  # a hold whose performance's terms are gone extends by this much


# Not frozen: built on every hold of the fast path, and a frozen dataclass's ``__init__`` costs
# about five times as much (each field through ``object.__setattr__``). Nothing changes them.
@dataclass(slots=True)
class BestAvailable:
    quantity: int
    tier_id: str | None = None


@dataclass(slots=True)
class PlaceHold:
    """Exactly one of ``tiers`` (general admission), ``seats`` or ``best_available``."""

    performance_id: str
    holder: str  # the session (or box-office clerk) that will own the hold
    tiers: Sequence[tuple[str, int]] = ()
    seats: Sequence[str] = ()
    best_available: BestAvailable | None = None
    at_desk: bool = False  # the box office: not bound by the online sales window
    idempotency_key: str | None = None  # a retry with the same key answers the same hold


@dataclass(frozen=True)
class OneHold:
    """A hold named by its id, as its owner ``session_id`` may see and change it."""

    hold_id: str
    session_id: str


@dataclass(frozen=True)
class PinHold:
    hold_id: str
    session_id: str
    order_id: str
    until: datetime


@dataclass(frozen=True)
class PricedHold:
    """A hold with what an order prints and charges: its performance, where it is printed to
    be (venue name, address, time zone), its tiers by id and the labels of its seats by id."""

    hold: Hold
    performance: Performance
    place: dict[str, Any]
    tiers: dict[str, Tier]
    labels: dict[str, dict[str, Any]]


async def place_hold(inv: Inventory, command: PlaceHold) -> Hold:
    """Place the hold, or raise why not. Decided on this process's copy of the sale terms;
    when the hold script finds that copy stale, read the terms again and decide once more."""
    terms = await _on_sale_terms(inv, command.performance_id, at_desk=command.at_desk)
    for _ in range(2):
        result = await _placed(inv.holds, command, terms)
        if isinstance(result, Hold):
            return result
        if result.reason is not Refusal.STALE_TERMS:
            raise HoldRefused(result)
        terms = await _on_sale_terms(
            inv, command.performance_id, at_desk=command.at_desk, fresh=True
        )
    raise Unavailable("terms-changing", "this performance's sale terms are changing; retry")


async def _on_sale_terms(
    inv: Inventory, performance_id: str, *, at_desk: bool, fresh: bool = False
) -> SaleTerms:
    """The terms to place a hold under, or raise why the performance is not on sale. A refusal
    is decided on fresh terms only: this process's copy may predate a publication or a moved
    sales window, and the hold script would never get to see that it is stale."""
    terms = await inv.terms.for_placement(performance_id, fresh=fresh)
    if terms is None:
        raise NotFound.unknown("performance", performance_id)
    try:
        check_on_sale(terms.window, datetime.now(UTC), at_desk=at_desk)
    except NotOnSale:
        if fresh:
            raise
        return await _on_sale_terms(inv, performance_id, at_desk=at_desk, fresh=True)
    return terms


async def _placed(holds: HoldStore, command: PlaceHold, terms: SaleTerms) -> Hold | Refused:
    key = command.idempotency_key
    hold_id = hold_id_for(command.holder, command.performance_id, key) if key else new_id("hld")
    place = (command.performance_id, command.holder, hold_id)
    ttl_ms, limit, guard = terms.hold_ttl_s * 1000, terms.max_per_order, terms.raw
    if command.at_desk:
        holds = holds.unbounded()  # a clerk sells customer after customer from one session
    if command.tiers:
        return await holds.place_ga(*place, command.tiers, ttl_ms, limit, terms_guard=guard)
    if command.seats:
        return await holds.place_seats(*place, command.seats, ttl_ms, limit, terms_guard=guard)
    wanted = command.best_available
    if wanted is None:
        raise ValueError("a hold names tiers, seats or best_available")
    return await holds.place_best_available(
        *place, wanted.quantity, wanted.tier_id, ttl_ms, limit, terms_guard=guard
    )


async def read_hold(holds: HoldStore, command: OneHold) -> Hold:
    hold = await holds.get(command.hold_id)
    if hold is None or hold.session_id != command.session_id:
        raise NotFound.hold(command.hold_id)
    return hold


async def extend_hold(inv: Inventory, command: OneHold) -> Hold:
    """Once per hold, by the performance's hold TTL, while it is still held."""
    hold = await read_hold(inv.holds, command)
    terms = await inv.terms.get(hold.performance_id)
    _refuse_if_cancelled(terms)  # a hold placed before the cancellation is kept no longer
    ttl_ms = (terms.hold_ttl_s if terms else DEFAULT_HOLD_TTL_S) * 1000
    return _decided(await inv.holds.extend(command.hold_id, command.session_id, ttl_ms))


def _refuse_if_cancelled(terms: SaleTerms | None) -> None:
    if terms is not None and terms.window.is_cancelled:
        raise NotOnSale("performance-cancelled", "this performance is cancelled")


async def release_hold(inv: Inventory, command: OneHold) -> Hold:
    """The customer gives the hold back; announced as ``hold.released`` (by the sweeper if this
    process dies before the announcement is committed: the release waits for it in Redis)."""
    released = _decided(await inv.holds.release(command.hold_id, command.session_id))
    await announce_released(inv, released.performance_id, [command.hold_id])
    return released


async def announce_released(inv: Inventory, performance_id: str, hold_ids: Sequence[str]) -> None:
    """``hold.released`` of holds customers released, committed, then no longer waiting."""
    async with inv.database.unit_of_work() as uow:
        for hold_id in hold_ids:
            released = HoldReleasedV1(
                hold_id=hold_id, performance_id=performance_id, reason="customer"
            )
            await uow.publish(released, message_id=announcement_id("released", hold_id))
        await uow.commit()
    await inv.holds.announced(performance_id, hold_ids, "released")


async def pin_hold(inv: Inventory, command: PinHold) -> PricedHold:
    """Keep a hold for an order until its payment deadline, durably (Postgres too), and price
    it. Pinning again for the same order answers the same."""
    hold = await read_hold(inv.holds, OneHold(command.hold_id, command.session_id))
    terms = await inv.terms.get(hold.performance_id)
    _refuse_if_cancelled(terms)  # a hold placed before the cancellation: a sale is refunded
    until_ms = int(command.until.timestamp() * 1000)
    pinned = _decided(await inv.holds.pin(command.hold_id, command.order_id, until_ms))
    async with inv.database.unit_of_work() as uow:
        await sales.pin(uow.session, pinned, command.until)
        answer = await _priced(uow.session, pinned)
        await uow.commit()
    return answer


async def price_hold(inv: Inventory, command: OneHold) -> PricedHold:
    """The hold priced, without pinning it (orders checks a coupon first)."""
    hold = await read_hold(inv.holds, command)
    async with inv.database.unit_of_work() as uow:
        return await _priced(uow.session, hold)


async def _priced(session: AsyncSession, hold: Hold) -> PricedHold:
    found = await catalogue.performance_and_place(session, hold.performance_id)
    assert found is not None  # a hold exists only for a known performance
    performance, place = found
    tiers = {t.tier_id: t for t in await catalogue.performance_tiers(session, hold.performance_id)}
    labels = await catalogue.seat_labels(session, [s for x in hold.lines for s in x.seat_ids])
    return PricedHold(hold, performance, place, tiers, labels)


def _decided(result: Hold | Refused) -> Hold:
    if isinstance(result, Refused):
        raise HoldRefused(result)
    return result
