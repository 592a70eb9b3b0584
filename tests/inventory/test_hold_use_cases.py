"""The hold and sale use cases in process against the real PostgreSQL and Redis: placing,
reading, extending, releasing, pinning and pricing a hold, selling it once, and each refusal
as the domain error the problem table translates."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
from redis.asyncio import Redis

from tests.inventory.conftest import forget_performance
from tests.inventory.use_case_shows import (
    STAFF,
    Show,
    general_admission,
    new_event,
    performance_of,
    publish,
    seated,
)
from tests.support.waiting import eventually
from ticketing_contracts.events import IssuedTicket
from ticketing_inventory.adapters.hold_store import hold_index_key, performance_prefix
from ticketing_inventory.domain.catalogue import EventStatus, NotOnSale, SaleTermsChange
from ticketing_inventory.domain.errors import (
    Conflict,
    HoldRefused,
    NotFound,
    SaleNotRecordedYet,
    StockNotLoaded,
)
from ticketing_inventory.domain.holds import Hold, HoldStatus, Refusal
from ticketing_inventory.service_layer import catalogue, holds, sales
from ticketing_inventory.service_layer.container import Inventory
from ticketing_inventory.service_layer.expiry import sweep_once
from ticketing_inventory.service_layer.rebuild import load_performance, rebuild

SEATS = b"section,row,number\nStalls,A,1\nStalls,A,2\nStalls,A,3\nStalls,B,1\n"


def session() -> str:
    return f"ses_{uuid.uuid4().hex}"


def tickets(hold: Hold) -> list[IssuedTicket]:
    return [
        IssuedTicket(
            ticket_id=f"tkt_{uuid.uuid4().hex}", ticket_number="T", tier_id=x.tier_id, seat_id=s
        )
        for x in hold.lines
        for s in (x.seat_ids or (None,) * x.quantity)
    ]


async def pinned_to_an_order(
    inv: Inventory, place: holds.PlaceHold
) -> tuple[holds.PricedHold, str]:
    """``place``'s hold pinned to a new order: the priced hold and the order's id."""
    hold = await holds.place_hold(inv, place)
    order_id = f"ord_{uuid.uuid4().hex}"
    until = datetime.now(UTC) + timedelta(minutes=15)
    priced = await holds.pin_hold(inv, holds.PinHold(hold.hold_id, place.holder, order_id, until))
    return priced, order_id


async def sell(inv: Inventory, hold: Hold, order_id: str) -> None:
    """``order.paid`` for ``order_id``, handled once."""
    async with inv.database.unit_of_work() as uow:
        sold = sales.CommitSale(order_id, hold.hold_id, hold.performance_id, tickets(hold))
        await sales.commit_sale(inv.holds, uow, sold)
        await uow.commit()


async def test_place_read_extend_release(inv: Inventory, admin_db: asyncpg.Connection) -> None:
    show = await general_admission(inv, capacity=5)
    me = session()
    hold = await holds.place_hold(
        inv, holds.PlaceHold(show.performance_id, me, [(show.tier_id, 2)])
    )
    assert (hold.quantity, hold.status, hold.session_id) == (2, HoldStatus.HELD, me)
    assert (await inv.holds.availability(show.performance_id)).tiers[show.tier_id] == 3
    mine = holds.OneHold(hold.hold_id, me)
    assert await holds.read_hold(inv.holds, mine) == hold
    with pytest.raises(NotFound) as not_yours:
        await holds.read_hold(inv.holds, holds.OneHold(hold.hold_id, session()))
    assert not_yours.value.code == "hold-not-found"
    extended = await holds.extend_hold(inv, mine)
    assert extended.extended
    assert extended.expires_at > hold.expires_at
    with pytest.raises(HoldRefused) as twice:
        await holds.extend_hold(inv, mine)
    assert twice.value.refused.reason is Refusal.ALREADY_EXTENDED
    released = await holds.release_hold(inv, mine)
    assert released.status is HoldStatus.RELEASED
    assert (await inv.holds.availability(show.performance_id)).tiers[show.tier_id] == 5
    announced = await admin_db.fetchval(
        "SELECT count(*) FROM inventory.outbox WHERE routing_key = 'inventory.hold.released.v1'"
        " AND convert_from(body, 'UTF8') LIKE '%' || $1 || '%'",
        hold.hold_id,
    )
    assert announced == 1


async def released_rows(admin_db: asyncpg.Connection, hold_id: str) -> int:
    return int(
        await admin_db.fetchval(
            "SELECT count(*) FROM inventory.outbox WHERE message_id = $1",
            f"hold-released:{hold_id}",
        )
    )


async def test_a_release_whose_process_died_before_announcing_it_is_announced_by_the_sweeper(
    inv: Inventory, admin_db: asyncpg.Connection
) -> None:
    """The units went back in Redis, then the process died before ``hold.released`` was
    committed: announced afterwards, under its one message id; a release its request announced
    no longer waits to be told again."""
    show = await general_admission(inv, capacity=5)
    me = session()
    place = holds.PlaceHold(show.performance_id, me, [(show.tier_id, 1)])
    cut_off, announced = await holds.place_hold(inv, place), await holds.place_hold(inv, place)
    await inv.holds.release(cut_off.hold_id, me)  # the Redis half only: the process died here
    await holds.release_hold(inv, holds.OneHold(announced.hold_id, me))
    # the request forgot what it announced: no sweeper tells it again
    waiting = await inv.holds.released_waiting([show.performance_id])
    assert announced.hold_id not in waiting.get(show.performance_id, [])

    async def swept() -> bool:
        await sweep_once(inv)  # this replica's turn, or the running service's sweeper's
        return await released_rows(admin_db, cut_off.hold_id) == 1

    await eventually(swept, what="the cut-off release announced")
    await sweep_once(inv, turn_ms=1)
    assert await released_rows(admin_db, cut_off.hold_id) == 1
    assert await released_rows(admin_db, announced.hold_id) == 1
    assert await inv.holds.released_waiting([show.performance_id]) == {}
    body = await admin_db.fetchval(
        "SELECT convert_from(body, 'UTF8') FROM inventory.outbox WHERE message_id = $1",
        f"hold-released:{cut_off.hold_id}",
    )
    assert '"reason":"customer"' in body.replace(" ", "")


async def test_refusals_are_domain_errors(inv: Inventory) -> None:
    show = await general_admission(inv, capacity=3, max_per_order=4)
    me = session()
    with pytest.raises(HoldRefused) as sold_out:
        await holds.place_hold(inv, holds.PlaceHold(show.performance_id, me, [(show.tier_id, 4)]))
    assert (sold_out.value.code, sold_out.value.extra) == ("not-enough-left", {"available": 3})
    with pytest.raises(HoldRefused) as too_many:
        await holds.place_hold(inv, holds.PlaceHold(show.performance_id, me, [(show.tier_id, 5)]))
    assert too_many.value.refused.reason is Refusal.OVER_MAX_PER_ORDER
    with pytest.raises(NotFound) as nowhere:
        await holds.place_hold(inv, holds.PlaceHold("prf_nowhere", me, [(show.tier_id, 1)]))
    assert nowhere.value.code == "unknown-performance"


async def test_a_cancellation_reaches_a_process_that_decided_on_old_terms(inv: Inventory) -> None:
    """This process keeps the terms in memory; the hold script sees they changed in Redis, the
    use case reads them again and refuses for the real reason."""
    show = await general_admission(inv, capacity=5)
    first = holds.PlaceHold(show.performance_id, session(), [(show.tier_id, 1)])
    await holds.place_hold(inv, first)  # the terms are now in this process's memory
    await catalogue.cancel_performance(inv, catalogue.CancelPerformance(STAFF, show.performance_id))
    assert inv.terms._local[show.performance_id].window.performance_status == "scheduled"
    with pytest.raises(NotOnSale) as cancelled:
        await holds.place_hold(inv, first)
    assert cancelled.value.code == "performance-cancelled"


async def test_a_process_that_refused_a_draft_sells_once_it_is_published(inv: Inventory) -> None:
    """The other way round: this process's copy says "not on sale", staff publish, and the
    very next hold here sells (a refusal is only ever decided on fresh terms)."""
    event_id = await new_event(inv)
    created = await catalogue.create_performance(inv, performance_of(event_id))
    performance_id = created["performance_id"]
    price = catalogue.Price(2500, "EUR")
    tier = await catalogue.add_tier(
        inv, catalogue.AddTier(STAFF, performance_id, "Floor", price, 5)
    )
    first = holds.PlaceHold(performance_id, session(), [(tier["tier_id"], 1)])
    with pytest.raises(NotOnSale) as draft:
        await holds.place_hold(inv, first)  # the draft's terms are now in this process's memory
    assert draft.value.code == "performance-not-published"
    await publish(inv, event_id)
    assert inv.terms._local[performance_id].window.event_status == "draft"
    assert (await holds.place_hold(inv, first)).quantity == 1


async def test_a_process_that_refused_on_old_terms_sells_once_sales_open(inv: Inventory) -> None:
    """The other way round: this process's copy says "not open yet", staff open the sale, and
    the very next hold here sells (the refusal is only ever decided on fresh terms)."""
    show = await general_admission(inv, capacity=5)
    opens = datetime.now(UTC) + timedelta(days=1)
    first = holds.PlaceHold(show.performance_id, session(), [(show.tier_id, 1)])

    async def move(sales_open_at: datetime) -> None:
        change = SaleTermsChange(sales_open_at=sales_open_at)
        await catalogue.change_sale_terms(
            inv, catalogue.ChangeSaleTerms(STAFF, show.performance_id, change)
        )

    await move(opens)
    with pytest.raises(NotOnSale) as early:
        await holds.place_hold(inv, first)  # the closed window is now in this process's memory
    assert early.value.code == "sales-not-open"
    await move(datetime.now(UTC) - timedelta(minutes=1))
    assert inv.terms._local[show.performance_id].window.sales_open_at == opens
    assert (await holds.place_hold(inv, first)).quantity == 1


async def test_the_box_office_sells_after_online_sales_close_but_not_a_cancelled_show(
    inv: Inventory,
) -> None:
    """Walk-ups at the desk once online sales have closed: the clerk's hold sells, a buyer's
    is refused; nobody sells a cancelled performance."""
    show = await general_admission(inv, capacity=5)
    now = datetime.now(UTC)
    change = SaleTermsChange(
        sales_open_at=now - timedelta(hours=2), sales_close_at=now - timedelta(hours=1)
    )
    await catalogue.change_sale_terms(
        inv, catalogue.ChangeSaleTerms(STAFF, show.performance_id, change)
    )
    online = holds.PlaceHold(show.performance_id, session(), [(show.tier_id, 1)])
    desk = holds.PlaceHold(show.performance_id, "staff:clerk", [(show.tier_id, 1)], at_desk=True)
    with pytest.raises(NotOnSale) as closed:
        await holds.place_hold(inv, online)
    assert closed.value.code == "sales-closed"
    assert (await holds.place_hold(inv, desk)).quantity == 1

    await catalogue.cancel_performance(inv, catalogue.CancelPerformance(STAFF, show.performance_id))
    with pytest.raises(NotOnSale) as cancelled:
        await holds.place_hold(inv, desk)
    assert cancelled.value.code == "performance-cancelled"


async def test_best_available_seats_together_then_pinned_priced_and_sold_once(
    inv: Inventory, admin_db: asyncpg.Connection
) -> None:
    show = await seated(inv, SEATS)
    me = session()
    wanted = holds.PlaceHold(show.performance_id, me, best_available=holds.BestAvailable(3))
    hold = await holds.place_hold(inv, wanted)
    assert hold.contiguous is True
    [line] = hold.lines
    with pytest.raises(HoldRefused) as taken:
        await holds.place_hold(
            inv, holds.PlaceHold(show.performance_id, session(), seats=[line.seat_ids[0]])
        )
    assert taken.value.extra["taken_seats"] == [line.seat_ids[0]]
    order_id = f"ord_{uuid.uuid4().hex}"
    until = datetime.now(UTC) + timedelta(minutes=15)
    with pytest.raises(NotFound):
        await holds.pin_hold(inv, holds.PinHold(hold.hold_id, session(), order_id, until))
    priced = await holds.pin_hold(inv, holds.PinHold(hold.hold_id, me, order_id, until))
    assert priced.hold.status is HoldStatus.PINNED
    assert priced.tiers[show.tier_id].price_amount == 4000
    assert sorted(label["row"] for label in priced.labels.values()) == ["A", "A", "A"]
    assert (await holds.price_hold(inv, holds.OneHold(hold.hold_id, me))).hold == priced.hold
    sold = sales.CommitSale(order_id, hold.hold_id, show.performance_id, tickets(hold))
    for _ in range(2):  # the same order paid twice sells once
        async with inv.database.unit_of_work() as uow:
            await sales.commit_sale(inv.holds, uow, sold)
            await uow.commit()
    count = await admin_db.fetchval(
        "SELECT count(*) FROM inventory.sales WHERE order_id = $1 AND status = 'live'", order_id
    )
    assert count == 3
    assert (await inv.holds.availability(show.performance_id)).tiers[show.tier_id] == 1


async def test_a_hold_pinned_again_keeps_the_later_deadline_in_redis_and_in_postgres(
    inv: Inventory, admin_db: asyncpg.Connection
) -> None:
    """A retry that took a placement over pins again, with the deadline its request computed
    earlier: the copy kept for a rebuild must not let the seats go before the order's own."""
    show = await general_admission(inv, capacity=5)
    me = session()
    hold = await holds.place_hold(
        inv, holds.PlaceHold(show.performance_id, me, [(show.tier_id, 1)])
    )
    order_id = f"ord_{uuid.uuid4().hex}"
    later = (datetime.now(UTC) + timedelta(minutes=20)).replace(microsecond=0)
    earlier = later - timedelta(minutes=5)
    for until in (later, earlier):
        await holds.pin_hold(inv, holds.PinHold(hold.hold_id, me, order_id, until))

    kept = await admin_db.fetchval(
        "SELECT pinned_until FROM inventory.pinned_holds WHERE hold_id = $1", hold.hold_id
    )
    assert kept == later
    assert (await holds.read_hold(inv.holds, holds.OneHold(hold.hold_id, me))).expires_at == later


async def test_a_hold_of_a_cancelled_event_is_neither_pinned_nor_sold(
    inv: Inventory, admin_db: asyncpg.Connection
) -> None:
    """Cancelling the whole event leaves its performances scheduled: the event's status alone
    must stop an order for a hold placed before (pin) and a payment that lands after (sale)."""
    show = await general_admission(inv, capacity=5)
    me, other = session(), session()
    early = await holds.place_hold(
        inv, holds.PlaceHold(show.performance_id, me, [(show.tier_id, 1)])
    )
    late = await holds.place_hold(
        inv, holds.PlaceHold(show.performance_id, other, [(show.tier_id, 1)])
    )
    until = datetime.now(UTC) + timedelta(minutes=15)
    paying = f"ord_{uuid.uuid4().hex}"  # placed before the cancellation, paid after it
    await holds.pin_hold(inv, holds.PinHold(late.hold_id, other, paying, until))

    cancel = catalogue.ChangeEventStatus(STAFF, show.event_id, EventStatus.CANCELLED)
    await catalogue.change_event_status(inv, cancel)

    with pytest.raises(NotOnSale) as refused:
        await holds.pin_hold(
            inv, holds.PinHold(early.hold_id, me, f"ord_{uuid.uuid4().hex}", until)
        )
    assert refused.value.code == "performance-cancelled"
    with pytest.raises(NotOnSale) as kept:  # it was extended, for a show that will not happen
        await holds.extend_hold(inv, holds.OneHold(early.hold_id, me))
    assert kept.value.code == "performance-cancelled"
    async with inv.database.unit_of_work() as uow:
        sold = sales.CommitSale(paying, late.hold_id, show.performance_id, tickets(late))
        await sales.commit_sale(inv.holds, uow, sold)
        await uow.commit()
    assert not await admin_db.fetchval(
        "SELECT count(*) FROM inventory.sales WHERE order_id = $1", paying
    )
    rejected = await admin_db.fetchval(
        "SELECT count(*) FROM inventory.outbox WHERE routing_key = 'inventory.sale.rejected.v1'"
        " AND convert_from(body, 'UTF8') LIKE '%' || $1 || '%'",
        paying,
    )
    assert rejected == 1


async def test_a_staff_refund_heard_before_the_sale_waits_for_it_and_returns_the_ticket(
    inv: Inventory,
) -> None:
    """``order.paid`` retried (its first delivery failed) while staff refund a ticket: the
    refund must not pass as done, or the later sale would keep the refunded ticket sold."""
    show = await general_admission(inv, capacity=3)
    me, order_id = session(), f"ord_{uuid.uuid4().hex}"
    hold = await holds.place_hold(
        inv, holds.PlaceHold(show.performance_id, me, [(show.tier_id, 2)])
    )
    until = datetime.now(UTC) + timedelta(minutes=15)
    await holds.pin_hold(inv, holds.PinHold(hold.hold_id, me, order_id, until))
    issued = tickets(hold)
    refund = sales.ReturnRefunded(
        order_id, show.performance_id, [issued[0].ticket_id], "rfd_1", "staff"
    )

    async def apply_refund() -> None:
        async with inv.database.unit_of_work() as uow:
            await sales.return_refunded(inv.holds, uow, refund)
            await uow.commit()

    with pytest.raises(SaleNotRecordedYet):
        await apply_refund()
    async with inv.database.unit_of_work() as uow:
        sold = sales.CommitSale(order_id, hold.hold_id, show.performance_id, issued)
        await sales.commit_sale(inv.holds, uow, sold)
        await uow.commit()
    await apply_refund()  # the retry
    assert (await inv.holds.availability(show.performance_id)).tiers[show.tier_id] == 2


async def test_an_automatic_refund_of_a_sale_refused_here_returns_nothing_quietly(
    inv: Inventory,
) -> None:
    show = await general_admission(inv, capacity=3)
    refund = sales.ReturnRefunded(
        f"ord_{uuid.uuid4().hex}", show.performance_id, ["tkt_never_sold"], "rfd_2", "late_payment"
    )
    async with inv.database.unit_of_work() as uow:
        await sales.return_refunded(inv.holds, uow, refund)
        await uow.commit()
    assert (await inv.holds.availability(show.performance_id)).tiers[show.tier_id] == 3


async def test_a_starting_replica_leaves_a_live_performance_alone_and_refills_a_lost_one(
    inv: Inventory, redis: Redis
) -> None:
    """A sale is decided in Redis before Postgres commits it: a replica starting (autoscaling on
    sale day) that loaded every performance again would show those seats free. Only what Redis
    lost is loaded, and a sale meanwhile waits for it instead of being refused and refunded."""
    show = await general_admission(inv, capacity=5)
    me = session()
    until = datetime.now(UTC) + timedelta(minutes=15)
    in_flight = await holds.place_hold(
        inv, holds.PlaceHold(show.performance_id, me, [(show.tier_id, 2)])
    )
    await holds.pin_hold(
        inv, holds.PinHold(in_flight.hold_id, me, f"ord_{uuid.uuid4().hex}", until)
    )
    await inv.holds.commit(in_flight.hold_id, "ord_in_flight")  # Redis has it, Postgres not yet

    await rebuild(inv, only_missing=True)
    assert (await inv.holds.availability(show.performance_id)).tiers[show.tier_id] == 3

    order_id = f"ord_{uuid.uuid4().hex}"
    pinned = await holds.place_hold(
        inv, holds.PlaceHold(show.performance_id, me, [(show.tier_id, 1)])
    )
    await holds.pin_hold(inv, holds.PinHold(pinned.hold_id, me, order_id, until))
    await forget_performance(redis, show.performance_id)  # Redis restarted empty
    sold = sales.CommitSale(order_id, pinned.hold_id, show.performance_id, tickets(pinned))
    with pytest.raises(StockNotLoaded):
        async with inv.database.unit_of_work() as uow:
            await sales.commit_sale(inv.holds, uow, sold)

    refilled = await rebuild(inv, only_missing=True)
    assert refilled.performances >= 1
    async with inv.database.unit_of_work() as uow:  # the retry
        await sales.commit_sale(inv.holds, uow, sold)
        await uow.commit()
    # the truth again: one sold; the in-flight sale never reached Postgres, so its hold is
    # pinned again (held, for the order.paid that will sell it)
    assert (await inv.holds.availability(show.performance_id)).tiers[show.tier_id] == 5 - 1 - 2


async def assert_sold_to_nobody_else(inv: Inventory, show: Show, seat_id: str) -> None:
    """Redis has the seat sold: shown so, and refused to the next customer."""
    assert (await inv.holds.availability(show.performance_id)).seats[seat_id] == "sold"
    with pytest.raises(HoldRefused) as taken:
        await holds.place_hold(
            inv, holds.PlaceHold(show.performance_id, session(), seats=[seat_id])
        )
    assert taken.value.extra["taken_seats"] == [seat_id]


def reload_after_a_change(inv: Inventory, show: Show) -> Awaitable[object]:
    """What a catalogue change (tier, zones, publish) does once committed."""
    return catalogue.reload_performance(inv, show.performance_id)


def reload_for_a_rebuild(inv: Inventory, show: Show) -> Awaitable[object]:
    """What an admin's rebuild does for each performance."""
    return load_performance(inv, show.performance_id, datetime.now(UTC))


async def until_waiting_on_the_stock_lock(
    admin_db: asyncpg.Connection, performance_id: str
) -> None:
    waiting = """
        SELECT count(*) FROM pg_locks
        WHERE locktype = 'advisory' AND NOT granted
          AND (classid::bigint << 32) | objid::bigint = hashtextextended($1, 0)"""
    key = f"inventory.stock:{performance_id}"
    await eventually(
        lambda: admin_db.fetchval(waiting, key),
        timeout=10,
        interval=0.01,
        what="the reload waiting for the sale in flight",
    )


@pytest.mark.parametrize(
    "reload", [reload_after_a_change, reload_for_a_rebuild], ids=["catalogue change", "rebuild"]
)
async def test_a_live_performance_reloaded_mid_sale_keeps_the_seats_sold(
    inv: Inventory,
    admin_db: asyncpg.Connection,
    reload: Callable[[Inventory, Show], Awaitable[object]],
) -> None:
    """On sale day an admin adds a tier or rebuilds Redis while payments are being sold. A sale
    is decided in Redis before Postgres commits it: a reload that read Postgres in between
    showed those seats free, for the next customer to buy them again. It waits instead.

    (The change's own transaction already waits for sales in flight on the performance row;
    the reload after it commits did not, for the sales that started in between.)"""
    show = await seated(inv, SEATS)
    one = holds.BestAvailable(1)
    place = holds.PlaceHold(show.performance_id, session(), best_available=one)
    priced, order_id = await pinned_to_an_order(inv, place)
    hold = priced.hold
    seat_id = hold.lines[0].seat_ids[0]
    sold = sales.CommitSale(order_id, hold.hold_id, show.performance_id, tickets(hold))
    async with inv.database.unit_of_work() as uow:
        await sales.commit_sale(inv.holds, uow, sold)  # decided in Redis, not yet committed
        reloading = asyncio.ensure_future(reload(inv, show))
        await until_waiting_on_the_stock_lock(admin_db, show.performance_id)
        await uow.commit()
    await reloading
    await assert_sold_to_nobody_else(inv, show, seat_id)


async def test_an_expiry_heard_after_the_late_payment_sold_keeps_the_pin_recorded_as_sold(
    inv: Inventory, admin_db: asyncpg.Connection
) -> None:
    """``order.expired`` and the late payment's ``order.paid`` may arrive in either order; the
    release that comes second is refused by the sold hold and must not rewrite its record."""
    show = await general_admission(inv, capacity=3)
    place = holds.PlaceHold(show.performance_id, session(), [(show.tier_id, 1)])
    priced, order_id = await pinned_to_an_order(inv, place)
    hold = priced.hold
    await sell(inv, hold, order_id)
    async with inv.database.unit_of_work() as uow:
        expired = sales.ReleaseForOrder(hold.hold_id, show.performance_id, "order_expired")
        await sales.release_for_order(inv.holds, uow, expired)
        await uow.commit()
    status = "SELECT status FROM inventory.pinned_holds WHERE hold_id = $1"
    assert await admin_db.fetchval(status, hold.hold_id) == "committed"
    assert (await inv.holds.availability(show.performance_id)).tiers[show.tier_id] == 2


async def sold_and_rejected(admin_db: asyncpg.Connection, order_id: str) -> tuple[int, int]:
    """How many of the order's tickets Postgres holds sold, and how many refusals it announced."""
    sold = await admin_db.fetchval(
        "SELECT count(*) FROM inventory.sales WHERE order_id = $1", order_id
    )
    rejected = await admin_db.fetchval(
        "SELECT count(*) FROM inventory.outbox WHERE routing_key = 'inventory.sale.rejected.v1'"
        " AND convert_from(body, 'UTF8') LIKE '%' || $1 || '%'",
        order_id,
    )
    return sold, rejected


async def sold_in_redis_only(inv: Inventory, hold: Hold, order_id: str) -> None:
    """``order.paid`` handled as far as Redis, then its transaction dies (the process was killed,
    Postgres broke the connection): the message will be delivered again."""
    async with inv.database.unit_of_work() as uow:
        sold = sales.CommitSale(order_id, hold.hold_id, hold.performance_id, tickets(hold))
        await sales.commit_sale(inv.holds, uow, sold)  # and no commit: rolled back


async def sold_in_redis_then_reloaded(inv: Inventory) -> tuple[Show, Hold, str]:
    """A one-seat sale whose Postgres half was lost, then a rebuild: the show, hold and order."""
    show = await seated(inv, SEATS)
    place = holds.PlaceHold(show.performance_id, session(), best_available=holds.BestAvailable(1))
    priced, order_id = await pinned_to_an_order(inv, place)
    await sold_in_redis_only(inv, priced.hold, order_id)
    await reload_for_a_rebuild(inv, show)
    return show, priced.hold, order_id


async def test_a_sale_retried_after_a_reload_counts_its_seat_again(
    inv: Inventory, admin_db: asyncpg.Connection
) -> None:
    """A sale whose Postgres half was lost is retried; a reload in between counted the sales
    from Postgres, without it. The retry found the hold already sold in Redis and counted
    nothing, so Redis showed its seat free while Postgres sold it: the next buyer of that seat
    paid and was refunded. The retry counts the sale again."""
    show, hold, order_id = await sold_in_redis_then_reloaded(inv)
    seat_id = hold.lines[0].seat_ids[0]
    await sell(inv, hold, order_id)  # the redelivery
    assert await sold_and_rejected(admin_db, order_id) == (1, 0)
    assert (await inv.holds.availability(show.performance_id)).tiers[show.tier_id] == 4 - 1
    await assert_sold_to_nobody_else(inv, show, seat_id)


async def test_a_sale_retried_after_a_reload_is_refused_if_its_seat_was_held_meanwhile(
    inv: Inventory, admin_db: asyncpg.Connection
) -> None:
    """Between the reload and the retry, the seat showed free and another customer held it: the
    retry is refused (and refunded by orders), and the other customer keeps the seat."""
    show, hold, order_id = await sold_in_redis_then_reloaded(inv)
    seat_id = hold.lines[0].seat_ids[0]
    other = await holds.place_hold(
        inv, holds.PlaceHold(show.performance_id, session(), seats=[seat_id])
    )
    await sell(inv, hold, order_id)
    assert await sold_and_rejected(admin_db, order_id) == (0, 1)
    assert (await inv.holds.availability(show.performance_id)).seats[seat_id] == "held"
    kept = await inv.holds.get(other.hold_id)
    assert kept is not None
    assert kept.status is HoldStatus.HELD


async def test_a_payment_heard_after_the_hold_record_is_gone_sells_from_its_durable_pin(
    inv: Inventory, redis: Redis, admin_db: asyncpg.Connection
) -> None:
    """An ``order.paid`` replayed from the parking lot long after its order expired: Redis has
    let the released hold's record go (ten minutes after), but its pin in Postgres still knows
    the seats. It sells them if they are free, as it would have ten minutes earlier, and is
    refused if they are not."""
    show = await seated(inv, SEATS)
    sold_late: list[str] = []
    for _ in range(2):
        place = holds.PlaceHold(
            show.performance_id, session(), best_available=holds.BestAvailable(1)
        )
        priced, order_id = await pinned_to_an_order(inv, place)
        hold = priced.hold
        async with inv.database.unit_of_work() as uow:
            expired = sales.ReleaseForOrder(hold.hold_id, show.performance_id, "order_expired")
            await sales.release_for_order(inv.holds, uow, expired)
            await uow.commit()
        await redis.delete(
            performance_prefix(show.performance_id) + f"hold:{hold.hold_id}",
            hold_index_key(hold.hold_id),
        )
        sold_late.append(hold.lines[0].seat_ids[0])
        if len(sold_late) == 1:
            await sell(inv, hold, order_id)
            assert await sold_and_rejected(admin_db, order_id) == (1, 0)
            assert (await inv.holds.availability(show.performance_id)).seats[sold_late[0]] == "sold"
        else:
            taker = holds.PlaceHold(show.performance_id, session(), seats=[sold_late[1]])
            await holds.place_hold(inv, taker)
            await sell(inv, hold, order_id)
            assert await sold_and_rejected(admin_db, order_id) == (0, 1)
    assert (await inv.holds.availability(show.performance_id)).tiers[show.tier_id] == 4 - 2


async def test_a_refund_retried_after_a_reload_gives_its_seat_back(
    inv: Inventory, admin_db: asyncpg.Connection
) -> None:
    """A refund's return applied in Redis whose Postgres half was lost, then a reload (which
    counted the ticket as still sold), then the retry: the retry gives the seat back again, or
    it stays off sale while Postgres has it free."""
    show = await seated(inv, SEATS)
    place = holds.PlaceHold(show.performance_id, session(), best_available=holds.BestAvailable(1))
    priced, order_id = await pinned_to_an_order(inv, place)
    hold = priced.hold
    seat_id = hold.lines[0].seat_ids[0]
    issued = tickets(hold)
    async with inv.database.unit_of_work() as uow:
        sold = sales.CommitSale(order_id, hold.hold_id, show.performance_id, issued)
        await sales.commit_sale(inv.holds, uow, sold)
        await uow.commit()
    refund = sales.ReturnRefunded(
        order_id, show.performance_id, [issued[0].ticket_id], f"rfd_{uuid.uuid4().hex}", "staff"
    )
    async with inv.database.unit_of_work() as uow:
        await sales.return_refunded(inv.holds, uow, refund)  # and no commit: rolled back
    await reload_for_a_rebuild(inv, show)
    assert (await inv.holds.availability(show.performance_id)).seats[seat_id] == "sold"
    async with inv.database.unit_of_work() as uow:  # the redelivery
        await sales.return_refunded(inv.holds, uow, refund)
        await uow.commit()
    assert (await inv.holds.availability(show.performance_id)).seats[seat_id] == "available"
    status = "SELECT status FROM inventory.sales WHERE order_id = $1"
    assert await admin_db.fetchval(status, order_id) == "returned"


async def test_price_zones_move_unsold_seats_only_and_a_tier_name_is_taken_once(
    inv: Inventory,
) -> None:
    """Re-zoning after the sale started (a cheaper block released) may move unsold seats; a
    sold seat keeps its tier, or its tier's count would no longer be its seats (it was a 500)."""
    show = await seated(inv, SEATS)
    one = holds.BestAvailable(1)
    place = holds.PlaceHold(show.performance_id, session(), best_available=one)
    priced, order_id = await pinned_to_an_order(inv, place)
    hold = priced.hold
    await sell(inv, hold, order_id)
    [seat_id] = hold.lines[0].seat_ids
    sold_row = priced.labels[seat_id]["row"]
    other_row = "B" if sold_row == "A" else "A"

    price = catalogue.Price(2000, "EUR")
    balcony = await catalogue.add_tier(
        inv, catalogue.AddTier(STAFF, show.performance_id, "Balcony", price)
    )
    with pytest.raises(Conflict) as taken:
        await catalogue.add_tier(
            inv, catalogue.AddTier(STAFF, show.performance_id, "Balcony", price)
        )
    assert taken.value.code == "tier-name-taken"

    everything = [catalogue.PriceZone(balcony["tier_id"])]
    with pytest.raises(Conflict) as moved:
        await catalogue.set_price_zones(
            inv, catalogue.SetPriceZones(STAFF, show.performance_id, everything)
        )
    assert moved.value.code == "sold-seats-moved"
    assert seat_id in moved.value.detail
    unsold_row = [
        catalogue.PriceZone(show.tier_id),
        catalogue.PriceZone(balcony["tier_id"], section="Stalls", rows=[other_row]),
    ]
    done = await catalogue.set_price_zones(
        inv, catalogue.SetPriceZones(STAFF, show.performance_id, unsold_row)
    )
    assert sum(done["seats_per_tier"].values()) == 4
    assert (await inv.holds.availability(show.performance_id)).seats[seat_id] == "sold"
