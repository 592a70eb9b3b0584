"""The Redis hold store on the real Redis: no oversell, no ghost holds, clear refusals.

Time is moved with ``now_ms``: nothing here sleeps.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from datetime import UTC, datetime

import pytest
from redis.asyncio import Redis

from tests.inventory.conftest import Show, forget_performance
from ticketing_inventory.adapters.hold_store import (
    HoldStore,
    hold_index_key,
    now_in_ms,
    performance_prefix,
)
from ticketing_inventory.domain.holds import (
    Hold,
    HoldLine,
    HoldStatus,
    PerformanceStock,
    Refusal,
    Refused,
    SeatPlace,
    TierStock,
)
from ticketing_inventory.domain.seat_selection import select_best_available

pytestmark = pytest.mark.infra

TTL_MS = 600_000
# The scripts take the time as an argument; the inventory service sharing this Redis sweeps
# expired holds on the real clock. A day ahead, no hold of these tests expires for the sweeper
# however long the suite has run since import (T0 at import time did: a 25-minute run freed the
# 500-holds test's capacity under it, which read as 200 held of 100).
T0 = now_in_ms() + 86_400_000


def seat_rows(layout: list[list[str]]) -> list[list[SeatPlace]]:
    """``layout[r][i]`` is the tier of seat ``i + 1`` of row ``r`` (rows named A, B, ...)."""
    return [
        [
            SeatPlace(f"{chr(65 + r)}{n}", tier, "stalls", chr(65 + r), n)
            for n, tier in enumerate(tiers, start=1)
        ]
        for r, tiers in enumerate(layout)
    ]


def seated_stock(
    show: Show, layout: list[list[str]], sold_seats: dict[str, str] | None = None
) -> PerformanceStock:
    rows = seat_rows(layout)
    sold_seats = sold_seats or {}
    tier_of = {seat.seat_id: seat.tier_id for row in rows for seat in row}
    capacity = Counter(tier_of.values())
    sold = Counter(tier_of[seat] for seat in sold_seats)
    tiers = [TierStock(tier, capacity[tier], sold[tier]) for tier in sorted(capacity)]
    return PerformanceStock(show.performance_id, tiers, rows, dict(sold_seats))


async def load_ga(show: Show, capacity: int, sold: int = 0, tier: str = "floor") -> None:
    await show.store.load(PerformanceStock(show.performance_id, [TierStock(tier, capacity, sold)]))


async def hold_ga(
    show: Show, quantity: int, now_ms: int = T0, ttl_ms: int = TTL_MS, session: str = "ses_a"
) -> Hold | Refused:
    return await show.store.place_ga(
        show.performance_id, session, show.hold_id(), [("floor", quantity)], ttl_ms, 10, now_ms
    )


def held(result: Hold | Refused) -> Hold:
    assert isinstance(result, Hold), result
    return result


def refused(result: Hold | Refused, reason: Refusal) -> Refused:
    assert isinstance(result, Refused), result
    assert result.reason is reason, result
    return result


async def tier_counters(redis: Redis, show: Show, tier: str = "floor") -> dict[str, int]:
    fields = await redis.hgetall(performance_prefix(show.performance_id) + f"tier:{tier}")
    return {str(name): int(value) for name, value in fields.items()}


async def assert_row_counters_match_seats(redis: Redis, show: Show) -> None:
    """Best-available trusts ``row-free`` to skip rows: it must equal the free seats per row."""
    prefix = performance_prefix(show.performance_id)
    occupied = set(await redis.hkeys(prefix + "seats"))
    counters = await redis.hgetall(prefix + "row-free")
    for row in range(1, int(await redis.get(prefix + "rows") or 0) + 1):
        seats = await redis.lrange(prefix + f"row:{row}", 0, -1)
        assert int(counters[str(row)]) == len(set(seats) - occupied), row


# --- no oversell ------------------------------------------------------------------------------


async def test_500_concurrent_ga_holds_on_100_units_hold_exactly_100(
    redis: Redis, show: Show
) -> None:
    await load_ga(show, capacity=100)
    asked = [random.randint(1, 4) for _ in range(500)]
    results = await asyncio.gather(*(hold_ga(show, quantity) for quantity in asked))

    holds = [r for r in results if isinstance(r, Hold)]
    assert sum(h.quantity for h in holds) == 100
    for quantity, result in zip(asked, results, strict=True):
        if isinstance(result, Refused):
            assert result.reason is Refusal.NOT_ENOUGH_LEFT
            assert result.available is not None
            assert 0 <= result.available < quantity
            assert result.detail == f"only {result.available} left in tier floor"
    assert await tier_counters(redis, show) == {
        "capacity": 100,
        "sold": 0,
        "held": 100,
        "seated": 0,
    }
    assert (await show.store.availability(show.performance_id, T0)).tiers == {"floor": 0}


async def test_200_concurrent_attempts_on_overlapping_seats_never_hold_a_seat_twice(
    redis: Redis, show: Show
) -> None:
    await show.store.load(seated_stock(show, [["std"] * 20, ["std"] * 20]))
    attempts: list[list[str]] = []
    for _ in range(200):
        row, length = random.choice("AB"), random.randint(1, 4)
        first = random.randint(1, 21 - length)
        attempts.append([f"{row}{n}" for n in range(first, first + length)])
    results = await asyncio.gather(
        *(
            show.store.place_seats(
                show.performance_id, "ses_a", show.hold_id(), seats, TTL_MS, 10, T0
            )
            for seats in attempts
        )
    )

    held_seats = [
        s for r in results if isinstance(r, Hold) for line in r.lines for s in line.seat_ids
    ]
    assert len(held_seats) == len(set(held_seats))
    for seats, result in zip(attempts, results, strict=True):
        if isinstance(result, Refused):
            assert result.reason is Refusal.SEAT_TAKEN
            assert result.taken_seats
            assert set(result.taken_seats) <= set(seats) & set(held_seats)
    states = (await show.store.availability(show.performance_id, T0)).seats
    assert {seat for seat, state in states.items() if state == "held"} == set(held_seats)
    await assert_row_counters_match_seats(redis, show)


# --- expiry without a sweeper -----------------------------------------------------------------


async def test_an_expired_hold_gives_its_units_back_without_any_sweeper(show: Show) -> None:
    await load_ga(show, capacity=2)
    first = held(await hold_ga(show, 2, now_ms=T0, ttl_ms=1_000))
    assert first.expires_at == datetime.fromtimestamp((T0 + 1_000) / 1000, UTC)

    refused(await hold_ga(show, 1, now_ms=T0 + 999), Refusal.NOT_ENOUGH_LEFT)
    held(await hold_ga(show, 2, now_ms=T0 + 1_000))

    assert await show.store.drain_expired(show.performance_id) == [first.hold_id]
    assert await show.store.drain_expired(show.performance_id) == []
    seen = await show.store.get(first.hold_id, "ses_a", now_ms=T0 + 1_000)
    assert seen is not None
    assert seen.status is HoldStatus.EXPIRED


async def test_the_units_left_per_tier_are_those_of_the_availability_and_expire_alike(
    show: Show,
) -> None:
    """The performance page asks only for the tiers' units (not every seat's state): the same
    figures, an expired hold counted back as the availability counts it."""
    await show.store.load(
        PerformanceStock(show.performance_id, [TierStock("floor", 5, 1), TierStock("vip", 2, 2)])
    )
    held(await hold_ga(show, 3, now_ms=T0, ttl_ms=1_000))
    assert await show.store.tiers_left(show.performance_id, T0) == {"floor": 1, "vip": 0}
    later = T0 + 1_000
    assert await show.store.tiers_left(show.performance_id, later) == {"floor": 4, "vip": 0}
    assert (await show.store.availability(show.performance_id, later)).tiers == {
        "floor": 4,
        "vip": 0,
    }


async def test_get_says_expired_before_anything_purged_the_hold(show: Show) -> None:
    await load_ga(show, capacity=2)
    hold = held(await hold_ga(show, 1, now_ms=T0, ttl_ms=1_000))
    before = await show.store.get(hold.hold_id, now_ms=T0 + 999)
    after = await show.store.get(hold.hold_id, now_ms=T0 + 1_000)
    assert (before and before.status, after and after.status) == (
        HoldStatus.HELD,
        HoldStatus.EXPIRED,
    )


async def test_an_expired_hold_can_be_neither_pinned_nor_extended(show: Show) -> None:
    await load_ga(show, capacity=2)
    hold = held(await hold_ga(show, 1, now_ms=T0, ttl_ms=1_000))
    late = T0 + 1_000
    pinned = await show.store.pin(hold.hold_id, "ord_1", late + 60_000, now_ms=late)
    refused(pinned, Refusal.HOLD_EXPIRED)
    refused(
        await show.store.extend(hold.hold_id, "ses_a", 1_000, now_ms=late), Refusal.HOLD_EXPIRED
    )


async def test_a_hold_is_extended_once_by_the_hold_time_from_its_expiry(show: Show) -> None:
    await load_ga(show, capacity=2)
    hold = held(await hold_ga(show, 1, now_ms=T0, ttl_ms=1_000))
    # pressed early, with a shorter TTL than the hold got: still only ever longer
    extended = held(await show.store.extend(hold.hold_id, "ses_a", 500, now_ms=T0 + 100))
    assert (extended.extended, extended.expires_at) == (
        True,
        datetime.fromtimestamp((T0 + 1_500) / 1000, UTC),
    )
    again = await show.store.extend(hold.hold_id, "ses_a", 5_000, now_ms=T0 + 600)
    refused(again, Refusal.ALREADY_EXTENDED)
    # the extension counts: still held after the first TTL
    refused(await hold_ga(show, 2, now_ms=T0 + 1_499), Refusal.NOT_ENOUGH_LEFT)
    held(await hold_ga(show, 2, now_ms=T0 + 5_500))


async def test_an_extended_hold_can_be_found_for_as_long_as_it_lives(
    redis: Redis, show: Show
) -> None:
    """Extended early, a hold lives almost twice its first time: its index (how a pin or
    release finds it) must not vanish before it does, leaving its units held and it unreachable."""
    hour = 3_600_000
    await load_ga(show, capacity=2)
    hold = held(await hold_ga(show, 1, now_ms=T0, ttl_ms=hour))
    extended = held(await show.store.extend(hold.hold_id, "ses_a", hour, now_ms=T0 + 1))
    lives_ms = int(extended.expires_at.timestamp() * 1000) - (T0 + 1)
    assert lives_ms == 2 * hour - 1
    assert await redis.pttl(hold_index_key(hold.hold_id)) > lives_ms


async def test_a_hold_past_its_time_is_not_pinned_while_the_purge_catches_up(show: Show) -> None:
    """The scripts purge at most 200 due holds a call: one past its time but not yet purged is
    expired when it is acted on, not pinned for another quarter of an hour."""
    await load_ga(show, capacity=500)
    placed = [
        held(await hold_ga(show, 1, now_ms=T0, ttl_ms=1_000, session=f"ses_{n}"))
        for n in range(450)
    ]
    late = T0 + 2_000
    # due at one moment, they are purged in id order: ``…_99`` and ``…_98`` come last
    assert (placed[98].hold_id, placed[97].hold_id) == (
        f"hld_{show.performance_id}_99",
        f"hld_{show.performance_id}_98",
    )
    refused(
        await show.store.pin(placed[98].hold_id, "ord_1", late + 60_000, now_ms=late),
        Refusal.HOLD_EXPIRED,
    )
    refused(
        await show.store.extend(placed[97].hold_id, "ses_97", 1_000, now_ms=late),
        Refusal.HOLD_EXPIRED,
    )


# --- pin and commit ---------------------------------------------------------------------------


async def test_a_pin_keeps_the_hold_past_its_ttl_until_the_deadline(show: Show) -> None:
    await load_ga(show, capacity=3)
    hold = held(await hold_ga(show, 3, now_ms=T0, ttl_ms=1_000))
    pinned = held(await show.store.pin(hold.hold_id, "ord_1", T0 + 10_000, now_ms=T0 + 500))
    assert (pinned.status, pinned.order_id) == (HoldStatus.PINNED, "ord_1")
    again = held(await show.store.pin(hold.hold_id, "ord_1", T0 + 10_000, now_ms=T0 + 600))
    assert again == pinned

    refused(await hold_ga(show, 1, now_ms=T0 + 9_999), Refusal.NOT_ENOUGH_LEFT)
    held(await hold_ga(show, 1, now_ms=T0 + 10_000))


async def test_pinned_again_for_the_same_order_it_is_kept_until_the_later_deadline(
    show: Show,
) -> None:
    """A placement retried after a lost answer pins again with a later deadline (the one the
    order and Postgres keep): before, Redis kept the first, and let the seats go too early."""
    await load_ga(show, capacity=3)
    hold = held(await hold_ga(show, 3, now_ms=T0, ttl_ms=1_000))
    held(await show.store.pin(hold.hold_id, "ord_1", T0 + 10_000, now_ms=T0 + 500))
    later = held(await show.store.pin(hold.hold_id, "ord_1", T0 + 20_000, now_ms=T0 + 900))
    assert later.expires_at == datetime.fromtimestamp((T0 + 20_000) / 1000, UTC)
    earlier = held(await show.store.pin(hold.hold_id, "ord_1", T0 + 15_000, now_ms=T0 + 950))
    assert earlier.expires_at == later.expires_at  # never shortened

    refused(await hold_ga(show, 1, now_ms=T0 + 19_999), Refusal.NOT_ENOUGH_LEFT)
    held(await hold_ga(show, 1, now_ms=T0 + 20_000))


async def test_commit_sells_a_pinned_hold_once(redis: Redis, show: Show) -> None:
    await load_ga(show, capacity=5)
    hold = held(await hold_ga(show, 3, now_ms=T0))
    held(await show.store.pin(hold.hold_id, "ord_1", T0 + 60_000, now_ms=T0))

    sold = held(await show.store.commit(hold.hold_id, "ord_1", now_ms=T0 + 1_000))
    twice = held(await show.store.commit(hold.hold_id, "ord_1", now_ms=T0 + 2_000))

    assert (sold.status, twice.status, twice.order_id) == (
        HoldStatus.COMMITTED,
        HoldStatus.COMMITTED,
        "ord_1",
    )
    counters = await tier_counters(redis, show)
    assert (counters["sold"], counters["held"]) == (3, 0)
    other = await show.store.commit(hold.hold_id, "ord_2", now_ms=T0 + 3_000)
    assert refused(other, Refusal.HOLD_NOT_ACTIVE).hold_status is HoldStatus.COMMITTED


async def test_a_late_payment_is_sold_when_the_units_are_still_free(
    redis: Redis, show: Show
) -> None:
    await load_ga(show, capacity=2)
    hold = held(await hold_ga(show, 2, now_ms=T0, ttl_ms=1_000))
    assert await show.store.purge_expired(show.performance_id, T0 + 1_000) == [hold.hold_id]

    sold = held(await show.store.commit(hold.hold_id, "ord_late", now_ms=T0 + 5_000))

    assert sold.status is HoldStatus.COMMITTED
    assert await tier_counters(redis, show) == {"capacity": 2, "sold": 2, "held": 0, "seated": 0}


async def test_a_late_payment_is_refused_when_someone_else_took_the_units(
    redis: Redis, show: Show
) -> None:
    await load_ga(show, capacity=2)
    late = held(await hold_ga(show, 2, now_ms=T0, ttl_ms=1_000))
    held(await hold_ga(show, 1, now_ms=T0 + 1_000, session="ses_b"))

    answer = refused(
        await show.store.commit(late.hold_id, "ord_late", now_ms=T0 + 2_000),
        Refusal.NOT_ENOUGH_LEFT,
    )

    assert answer.available == 1
    counters = await tier_counters(redis, show)
    assert (counters["sold"], counters["held"]) == (0, 1)


async def test_a_late_payment_for_seats_someone_else_took_is_refused(
    redis: Redis, show: Show
) -> None:
    await show.store.load(seated_stock(show, [["std"] * 4]))
    late = held(
        await show.store.place_seats(
            show.performance_id, "ses_a", show.hold_id(), ["A1", "A2"], 1_000, 10, T0
        )
    )
    held(
        await show.store.place_seats(
            show.performance_id, "ses_b", show.hold_id(), ["A2"], TTL_MS, 10, T0 + 1_000
        )
    )
    answer = await show.store.commit(late.hold_id, "ord_late", now_ms=T0 + 2_000)
    assert refused(answer, Refusal.SEAT_TAKEN).taken_seats == ("A2",)
    assert (await show.store.availability(show.performance_id, T0 + 2_000)).seats == {
        "A1": "available",
        "A2": "held",
        "A3": "available",
        "A4": "available",
    }
    await assert_row_counters_match_seats(redis, show)


# --- release and refunds ----------------------------------------------------------------------


async def test_release_gives_everything_back_once(redis: Redis, show: Show) -> None:
    await show.store.load(seated_stock(show, [["std"] * 3]))
    hold = held(
        await show.store.place_seats(
            show.performance_id, "ses_a", show.hold_id(), ["A1", "A3"], TTL_MS, 10, T0
        )
    )
    released = held(await show.store.release(hold.hold_id, "ses_a", now_ms=T0))
    again = held(await show.store.release(hold.hold_id, "ses_a", now_ms=T0))

    assert (released.status, again.status) == (HoldStatus.RELEASED, HoldStatus.RELEASED)
    availability = await show.store.availability(show.performance_id, T0)
    assert availability.tiers == {"std": 3}
    assert set(availability.seats.values()) == {"available"}
    assert (await tier_counters(redis, show, "std"))["held"] == 0
    await assert_row_counters_match_seats(redis, show)


async def test_only_the_orders_service_releases_a_pinned_hold(show: Show) -> None:
    await load_ga(show, capacity=2)
    hold = held(await hold_ga(show, 2, now_ms=T0))
    held(await show.store.pin(hold.hold_id, "ord_1", T0 + 60_000, now_ms=T0))

    by_customer = await show.store.release(hold.hold_id, "ses_a", now_ms=T0)
    assert refused(by_customer, Refusal.HOLD_NOT_ACTIVE).hold_status is HoldStatus.PINNED
    extended = await show.store.extend(hold.hold_id, "ses_a", 60_000, now_ms=T0)
    assert refused(extended, Refusal.HOLD_NOT_ACTIVE).hold_status is HoldStatus.PINNED
    released = held(await show.store.release(hold.hold_id, None, now_ms=T0))

    assert released.status is HoldStatus.RELEASED
    assert (await show.store.availability(show.performance_id, T0)).tiers == {"floor": 2}


async def test_a_refund_returns_capacity_and_seats_once(redis: Redis, show: Show) -> None:
    await show.store.load(seated_stock(show, [["std"] * 3]))
    hold = held(
        await show.store.place_seats(
            show.performance_id, "ses_a", show.hold_id(), ["A1", "A2"], TTL_MS, 10, T0
        )
    )
    held(await show.store.commit(hold.hold_id, "ord_1", now_ms=T0))
    returned = list(hold.lines)

    assert await show.store.return_sold(show.performance_id, "ord_1", returned, "rfd_1", T0)
    assert not await show.store.return_sold(show.performance_id, "ord_1", returned, "rfd_1", T0)

    availability = await show.store.availability(show.performance_id, T0)
    assert (availability.tiers, set(availability.seats.values())) == ({"std": 3}, {"available"})
    await assert_row_counters_match_seats(redis, show)


async def test_two_refunds_of_alike_tickets_each_return_theirs(redis: Redis, show: Show) -> None:
    """Two refunds of one general-admission ticket each, from one tier of one order: the same
    lines, two returns."""
    await load_ga(show, capacity=3)
    hold = held(await hold_ga(show, 2))
    held(await show.store.commit(hold.hold_id, "ord_1", now_ms=T0))
    one = [HoldLine("floor", 1)]
    for refund_id in ("rfd_1", "rfd_2", "rfd_2"):  # the second one redelivered
        await show.store.return_sold(show.performance_id, "ord_1", one, refund_id, T0)
    assert (await show.store.availability(show.performance_id, T0)).tiers == {"floor": 3}


# --- sessions and refusals --------------------------------------------------------------------


async def test_a_hold_of_another_session_is_invisible(show: Show) -> None:
    await load_ga(show, capacity=2)
    hold = held(await hold_ga(show, 1, session="ses_owner"))

    assert await show.store.get(hold.hold_id, "ses_other", now_ms=T0) is None
    extended = await show.store.extend(hold.hold_id, "ses_other", 1_000, now_ms=T0)
    refused(extended, Refusal.HOLD_NOT_FOUND)
    refused(await show.store.release(hold.hold_id, "ses_other", now_ms=T0), Refusal.HOLD_NOT_FOUND)

    mine = await show.store.get(hold.hold_id, "ses_owner", now_ms=T0)
    assert mine is not None
    assert (mine.status, mine.extended) == (HoldStatus.HELD, False)


async def test_unknown_holds_are_not_found(show: Show) -> None:
    await load_ga(show, capacity=1)
    assert await show.store.get("hld_nope") is None
    refused(await show.store.commit("hld_nope", "ord_1"), Refusal.HOLD_NOT_FOUND)


async def test_over_max_per_order_unknown_tier_and_unknown_seat_are_refused(show: Show) -> None:
    await show.store.load(seated_stock(show, [["std"] * 3]))
    p, store = show.performance_id, show.store

    over = await store.place_ga(p, "ses_a", show.hold_id(), [("std", 3), ("std", 2)], TTL_MS, 4)
    assert (
        refused(over, Refusal.OVER_MAX_PER_ORDER).detail == "at most 4 tickets per order, 5 asked"
    )
    tier = await store.place_ga(p, "ses_a", show.hold_id(), [("balcony", 1)], TTL_MS, 4)
    assert refused(tier, Refusal.UNKNOWN_TIER).detail == "no tier balcony"
    seated = await store.place_ga(p, "ses_a", show.hold_id(), [("std", 1)], TTL_MS, 4)
    assert "seated" in refused(seated, Refusal.UNKNOWN_TIER).detail
    seat = await store.place_seats(p, "ses_a", show.hold_id(), ["A1", "Z9"], TTL_MS, 4)
    assert refused(seat, Refusal.UNKNOWN_SEAT).detail == "no seat Z9"
    best = await store.place_best_available(p, "ses_a", show.hold_id(), 2, "vip", TTL_MS, 4)
    assert refused(best, Refusal.UNKNOWN_TIER).detail == "no tier vip"
    many = await store.place_best_available(p, "ses_a", show.hold_id(), 4, None, TTL_MS, 4)
    assert refused(many, Refusal.NOT_ENOUGH_LEFT).available == 3


# --- rebuild from Postgres --------------------------------------------------------------------


async def test_load_after_losing_the_performance_keys_then_restoring_pins(
    redis: Redis, show: Show
) -> None:
    stock = seated_stock(show, [["std"] * 4, ["std"] * 4], sold_seats={"A1": "ord_old"})
    await show.store.load(stock)
    pinned = held(
        await show.store.place_seats(
            show.performance_id, "ses_a", show.hold_id(), ["B1", "B2"], 1_000, 10, T0
        )
    )
    pinned = held(await show.store.pin(pinned.hold_id, "ord_1", T0 + 60_000, now_ms=T0))
    held(
        await show.store.place_seats(
            show.performance_id, "ses_b", show.hold_id(), ["A2"], TTL_MS, 10, T0
        )
    )

    await forget_performance(redis, show.performance_id)
    assert await show.store.load(stock, [pinned], now_ms=T0) == {}
    # put back by the load itself: no placement can come between and take the paid-for seats
    taker = await show.store.place_seats(
        show.performance_id, "ses_c", show.hold_id(), ["B2"], TTL_MS, 10, T0
    )
    assert refused(taker, Refusal.SEAT_TAKEN)
    assert await show.store.load(stock, [pinned], now_ms=T0) == {}  # present: left as it is

    availability = await show.store.availability(show.performance_id, T0)
    assert availability.tiers == {"std": 8 - 1 - 2}  # the plain hold lived only in Redis
    assert availability.seats["A1"] == "sold"
    assert availability.seats["A2"] == "available"
    assert (availability.seats["B1"], availability.seats["B2"]) == ("held", "held")
    assert await show.store.get(pinned.hold_id, "ses_a", now_ms=T0) == pinned
    await assert_row_counters_match_seats(redis, show)


async def test_a_pin_that_cannot_be_put_back_is_named_with_its_reason(
    redis: Redis, show: Show
) -> None:
    stock = seated_stock(show, [["std"] * 2])
    await show.store.load(stock)
    pinned = held(
        await show.store.place_seats(
            show.performance_id, "ses_a", show.hold_id(), ["A1"], 1_000, 10, T0
        )
    )
    pinned = held(await show.store.pin(pinned.hold_id, "ord_1", T0 + 60_000, now_ms=T0))
    await forget_performance(redis, show.performance_id)
    sold_since = seated_stock(show, [["std"] * 2], sold_seats={"A1": "ord_other"})

    lost = await show.store.load(sold_since, [pinned], now_ms=T0)

    assert list(lost) == [pinned.hold_id]
    assert lost[pinned.hold_id].reason is Refusal.SEAT_TAKEN
    availability = await show.store.availability(show.performance_id, T0)
    assert (availability.seats["A1"], availability.seats["A2"]) == ("sold", "available")
    await assert_row_counters_match_seats(redis, show)


async def test_load_again_keeps_live_holds_and_recounts_them(redis: Redis, show: Show) -> None:
    await load_ga(show, capacity=10, sold=1)
    held(await hold_ga(show, 3))
    await load_ga(show, capacity=10, sold=2)
    assert await tier_counters(redis, show) == {"capacity": 10, "sold": 2, "held": 3, "seated": 0}
    assert show.performance_id in await show.store.active_performances()


# --- best available ---------------------------------------------------------------------------


async def test_best_available_matches_the_reference_rule_on_random_maps(
    redis: Redis, show: Show
) -> None:
    rng = random.Random(20240601)
    for case in range(60):
        layout = [
            [rng.choice(["std", "std", "vip"]) for _ in range(rng.randint(1, 12))]
            for _ in range(rng.randint(1, 6))
        ]
        seats = [seat for row in seat_rows(layout) for seat in row]
        sold = {s.seat_id: "ord_x" for s in seats if rng.random() < 0.5}
        stock = seated_stock(show, layout, sold)
        await show.store.load(stock)
        quantity, tier = rng.randint(1, 6), rng.choice([None, "std", "vip"])
        rows = [[(s.seat_id, s.tier_id) for s in row] for row in stock.rows]
        expected = select_best_available(rows, set(sold), quantity, tier)

        result = await show.store.place_best_available(
            show.performance_id, "ses_a", show.hold_id(), quantity, tier, TTL_MS, 10, T0
        )

        if isinstance(result, Refused):
            assert result.reason in (Refusal.NOT_ENOUGH_LEFT, Refusal.UNKNOWN_TIER), case
            assert expected is None, (case, layout, sold, quantity, tier)
            continue
        assert expected is not None, (case, result)
        chosen = tuple(seat for line in result.lines for seat in line.seat_ids)
        assert sorted(chosen) == sorted(expected.seat_ids), (case, layout, sold, quantity, tier)
        assert result.contiguous is expected.contiguous
        await assert_row_counters_match_seats(redis, show)
        held(await show.store.release(result.hold_id, "ses_a", now_ms=T0))
        await assert_row_counters_match_seats(redis, show)


async def test_best_available_falls_back_to_the_row_with_most_free_seats(show: Show) -> None:
    sold = {"A2": "o", "A4": "o", "B3": "o", "C2": "o", "C4": "o"}
    await show.store.load(seated_stock(show, [["std"] * 5] * 3, sold))

    result = held(
        await show.store.place_best_available(
            show.performance_id, "ses_a", show.hold_id(), 4, None, TTL_MS, 10, T0
        )
    )

    assert result.contiguous is False
    assert result.lines[0].seat_ids == ("B1", "B2", "B4", "B5")


async def test_best_available_groups_seats_per_tier(show: Show) -> None:
    await show.store.load(seated_stock(show, [["std", "vip", "vip", "std"]]))
    result = held(
        await show.store.place_best_available(
            show.performance_id, "ses_a", show.hold_id(), 3, None, TTL_MS, 10, T0
        )
    )
    assert result.contiguous is True
    assert [(line.tier_id, line.seat_ids) for line in result.lines] == [
        ("std", ("A1",)),
        ("vip", ("A2", "A3")),
    ]


async def test_a_hold_decided_on_stale_sale_terms_is_refused(redis: Redis, show: Show) -> None:
    """Placement trusts a copy of the terms in memory; the script checks it against Redis."""
    await load_ga(show, capacity=5)
    terms_key = performance_prefix(show.performance_id) + "terms"
    await redis.set(terms_key, '{"v": 2}')

    async def place(guard: str) -> Hold | Refused:
        return await show.store.place_ga(
            show.performance_id,
            "ses_a",
            show.hold_id(),
            [("floor", 1)],
            TTL_MS,
            10,
            T0,
            terms_guard=guard,
        )

    refused(await place('{"v": 1}'), Refusal.STALE_TERMS)
    await redis.delete(terms_key)  # cancelled or edited: the terms were forgotten
    refused(await place('{"v": 2}'), Refusal.STALE_TERMS)
    await redis.set(terms_key, '{"v": 2}')
    held(await place('{"v": 2}'))
    assert (await tier_counters(redis, show))["held"] == 1  # the refusals held nothing


async def test_expired_holds_wait_until_announced(show: Show) -> None:
    """The sweeper reads, announces (commits), then forgets: a crash in between repeats the
    announcement instead of losing it."""
    await load_ga(show, capacity=3)
    first = held(await hold_ga(show, 1, now_ms=T0, ttl_ms=1_000))
    second = held(await hold_ga(show, 1, now_ms=T0, ttl_ms=2_000))
    waiting = await show.store.expired_waiting([show.performance_id], now_ms=T0 + 2_000)
    assert waiting == {show.performance_id: [first.hold_id, second.hold_id]}
    again = await show.store.expired_waiting([show.performance_id], now_ms=T0 + 2_000)
    assert again == waiting  # not announced yet (say the sweeper died): still waiting
    await show.store.announced(show.performance_id, [first.hold_id])
    rest = await show.store.expired_waiting([show.performance_id], now_ms=T0 + 2_000)
    assert rest == {show.performance_id: [second.hold_id]}
    await show.store.announced(show.performance_id, [second.hold_id])
    assert await show.store.expired_waiting([show.performance_id], now_ms=T0 + 2_000) == {}


async def test_two_sweepers_forget_only_what_each_announced(show: Show) -> None:
    """A second sweeper's turn began before the first was done: both peeked, one more hold
    expired between the peeks. Trimming by count dropped that one unannounced."""
    await load_ga(show, capacity=3)
    first = held(await hold_ga(show, 1, now_ms=T0, ttl_ms=1_000))
    second = held(await hold_ga(show, 1, now_ms=T0, ttl_ms=2_000))
    early = await show.store.expired_waiting([show.performance_id], now_ms=T0 + 1_500)
    assert early == {show.performance_id: [first.hold_id]}
    late = await show.store.expired_waiting([show.performance_id], now_ms=T0 + 2_500)
    assert late == {show.performance_id: [first.hold_id, second.hold_id]}
    third = held(await hold_ga(show, 1, now_ms=T0 + 2_500, ttl_ms=1_000))

    await show.store.announced(show.performance_id, late[show.performance_id])
    await show.store.announced(show.performance_id, early[show.performance_id])

    waiting = await show.store.expired_waiting([show.performance_id], now_ms=T0 + 4_000)
    assert waiting == {show.performance_id: [third.hold_id]}  # still to be announced


async def test_a_customers_release_waits_until_announced_and_an_orders_does_not(
    show: Show, redis: Redis
) -> None:
    """A customer's release is announced by the request after Redis gave the units back: it
    waits in Redis until then, so a process dying in between leaves it to the sweeper. An
    order's is announced by the consumer that asked (redelivered if it died)."""
    await load_ga(show, capacity=3)
    await redis.srem("inv:performances", show.performance_id)  # no running sweeper takes it
    mine, orders = held(await hold_ga(show, 1)), held(await hold_ga(show, 1))
    held(await show.store.release(mine.hold_id, "ses_a", now_ms=T0))
    held(await show.store.release(orders.hold_id, None, now_ms=T0))
    held(await show.store.release(mine.hold_id, "ses_a", now_ms=T0))  # again: waits once

    waiting = await show.store.released_waiting([show.performance_id])
    assert waiting == {show.performance_id: [mine.hold_id]}
    await show.store.announced(show.performance_id, [mine.hold_id], "released")
    assert await show.store.released_waiting([show.performance_id]) == {}


async def test_a_session_places_at_most_the_limit_per_minute_on_a_performance(
    redis: Redis,
) -> None:
    limited = Show(HoldStore(redis, placements_per_session_per_minute=6))
    other_show = Show(limited.store)
    try:
        await load_ga(limited, capacity=100)
        await load_ga(other_show, capacity=100)

        async def place(show: Show, session: str, now_ms: int) -> Hold | Refused:
            lines = [("floor", 1)]
            return await show.store.place_ga(
                show.performance_id, session, show.hold_id(), lines, TTL_MS, 10, now_ms=now_ms
            )

        burst = [await place(limited, "ses_bot", T0) for _ in range(10)]
        assert [isinstance(r, Hold) for r in burst] == [True] * 6 + [False] * 4
        refused = burst[-1]
        assert isinstance(refused, Refused)
        assert refused.reason is Refusal.TOO_MANY_HOLDS
        assert refused.retry_after_ms == 10_000  # one every 60/6 s
        assert "6 hold placements per minute" in refused.detail
        assert isinstance(await place(limited, "ses_human", T0), Hold), "another session"
        assert isinstance(await place(other_show, "ses_bot", T0), Hold), "another performance"
        assert isinstance(await place(limited, "ses_bot", T0 + 9_999), Refused)
        assert isinstance(await place(limited, "ses_bot", T0 + 10_000), Hold)
        assert isinstance(await place(limited, "ses_bot", T0 + 10_001), Refused)
        availability = await limited.store.availability(limited.performance_id, T0 + 10_001)
        assert availability.tiers["floor"] == 100 - 6 - 1 - 1, "refusals hold nothing"
    finally:
        for show in (limited, other_show):
            await forget_performance(redis, show.performance_id)


async def test_a_session_has_at_most_the_limit_of_holds_held_at_once_on_a_performance(
    redis: Redis,
) -> None:
    """A bot keeping holds alive through the per-minute limit (30 a minute, 10 minutes each)
    would sit on 300 holds; a customer needs one or two. Released, ordered (pinned) and expired
    holds do not count, another session and another performance are not bound, nor the box
    office."""
    limited = Show(HoldStore(redis, live_holds_per_session=2))
    other_show = Show(limited.store)
    try:
        await load_ga(limited, capacity=100)
        await load_ga(other_show, capacity=100)

        async def place(
            show: Show, session: str = "ses_bot", now_ms: int = T0, bounded: bool = True
        ) -> Hold | Refused:
            store = show.store if bounded else show.store.unbounded()
            return await store.place_ga(
                show.performance_id, session, show.hold_id(), [("floor", 1)], TTL_MS, 10, now_ms
            )

        burst = await asyncio.gather(*(place(limited) for _ in range(6)))
        kept = [r for r in burst if isinstance(r, Hold)]
        assert len(kept) == 2, burst
        refused = next(r for r in burst if isinstance(r, Refused))
        assert refused.reason is Refusal.TOO_MANY_LIVE_HOLDS
        assert "already holds 2 reservations" in refused.detail
        assert isinstance(await place(limited, "ses_human"), Hold), "another session"
        assert isinstance(await place(other_show), Hold), "another performance"
        desk = [await place(limited, "ses_clerk", bounded=False) for _ in range(4)]
        assert all(isinstance(r, Hold) for r in desk), "the box office"

        await limited.store.release(kept[0].hold_id, "ses_bot", T0)
        again = held(await place(limited))
        assert isinstance(await place(limited), Refused)
        await limited.store.pin(again.hold_id, "ord_1", T0 + TTL_MS, T0)  # ordered: paying
        assert isinstance(await place(limited), Hold)
        assert isinstance(await place(limited, now_ms=T0 + 1), Refused)
        assert isinstance(await place(limited, now_ms=T0 + TTL_MS + 1), Hold), "expired ones"
    finally:
        for show in (limited, other_show):
            await forget_performance(redis, show.performance_id)
