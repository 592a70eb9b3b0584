"""Sales: an order paid sells its hold, an order that died releases it, a refund may give its
tickets back. Each runs in the unit of work of the message that asks for it (its inbox row)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.exc import IntegrityError

from ticketing_contracts import (
    HeldLine,
    HoldReleasedV1,
    InventoryCommitRejectedV1,
    InventoryCommittedV1,
    InventoryReleasedV1,
)
from ticketing_contracts.events import IssuedTicket, RefundCause
from ticketing_inventory.adapters import catalogue_repository as catalogue
from ticketing_inventory.adapters import sales_repository as sales
from ticketing_inventory.adapters.hold_store import HoldStore
from ticketing_inventory.domain.errors import SaleNotRecordedYet, StockNotLoaded
from ticketing_inventory.domain.holds import (
    HoldLine,
    HoldStatus,
    Refusal,
    Refused,
    announcement_id,
)
from ticketing_runtime.database import UnitOfWork


@dataclass(frozen=True)
class CommitSale:
    order_id: str
    hold_id: str
    performance_id: str
    tickets: Sequence[IssuedTicket]


@dataclass(frozen=True)
class ReleaseForOrder:
    hold_id: str
    performance_id: str
    reason: Literal["order_expired", "order_cancelled"]


@dataclass(frozen=True)
class ReturnRefunded:
    order_id: str
    performance_id: str
    voided_ticket_ids: Sequence[str]
    refund_id: str
    cause: RefundCause | None = None


async def commit_sale(holds: HoldStore, uow: UnitOfWork, command: CommitSale) -> None:
    """Redis admits, Postgres has the final word; a refused sale is announced, never hidden. A
    cancelled performance sells nothing more."""
    if await sales.order_sold(uow.session, command.order_id):
        return  # the same order paid again under another message id: already sold
    performance = await catalogue.get_performance(uow.session, command.performance_id)
    if performance is not None and performance.is_cancelled:
        # paid while the performance (or its event) was being cancelled, or for a hold placed
        # before: orders refunds it on this refusal
        await _reject(uow, command, "the performance was cancelled", performance_cancelled=True)
        return
    if not await holds.is_loaded(command.performance_id):
        # Redis came back empty: refusing would refund a good payment; the refill loop (or the
        # next replica's start) loads the stock and its pinned holds, then the retry sells
        raise StockNotLoaded(f"performance {command.performance_id} is not in Redis yet")
    await sales.share_stock_lock(uow.session, command.performance_id)
    decided = await holds.commit(command.hold_id, command.order_id)
    if isinstance(decided, Refused) and decided.reason is Refusal.HOLD_NOT_FOUND:
        # a payment heard after Redis let the hold's record go: its durable pin still knows it
        pin = await sales.pinned(uow.session, command.hold_id)
        if pin is not None and pin["order_id"] == command.order_id:
            decided = await holds.commit_pinned(sales.hold_of(pin))
    if isinstance(decided, Refused):
        await _reject(uow, command, decided.detail)
        return
    try:
        async with uow.session.begin_nested():
            await sales.record_sale(
                uow.session,
                order_id=command.order_id,
                hold_id=command.hold_id,
                performance_id=command.performance_id,
                tickets=command.tickets,
            )
    except IntegrityError as exc:
        # Redis disagreed with the truth (e.g. lost and not rebuilt): undo and refuse.
        undone = f"undone-sale:{command.hold_id}"
        await holds.return_sold(command.performance_id, command.order_id, decided.lines, undone)
        await _reject(uow, command, f"the database refused the sale: {exc.orig}")
        return
    await sales.set_pin_status(uow.session, command.hold_id, "committed")
    await uow.publish(
        InventoryCommittedV1(
            order_id=command.order_id,
            hold_id=command.hold_id,
            performance_id=command.performance_id,
            lines=_lines(decided.lines),
        )
    )


async def _reject(
    uow: UnitOfWork, command: CommitSale, reason: str, *, performance_cancelled: bool = False
) -> None:
    await uow.publish(
        InventoryCommitRejectedV1(
            order_id=command.order_id,
            hold_id=command.hold_id,
            performance_id=command.performance_id,
            reason=reason,
            performance_cancelled=performance_cancelled,
        )
    )


async def release_for_order(holds: HoldStore, uow: UnitOfWork, command: ReleaseForOrder) -> None:
    await sales.share_stock_lock(uow.session, command.performance_id)
    released = await holds.release(command.hold_id, None)
    if isinstance(released, Refused) and released.hold_status is HoldStatus.COMMITTED:
        return  # sold after all (a late payment): the pin's record says so, and stays
    await sales.set_pin_status(uow.session, command.hold_id, "released")
    if not isinstance(released, Refused):
        await uow.publish(
            HoldReleasedV1(
                hold_id=command.hold_id,
                performance_id=command.performance_id,
                reason=command.reason,
            ),
            message_id=announcement_id("released", command.hold_id),
        )


async def return_refunded(holds: HoldStore, uow: UnitOfWork, command: ReturnRefunded) -> None:
    """Refunded tickets go back on sale when their event says so."""
    session = uow.session
    performance = await catalogue.get_performance(session, command.performance_id)
    if performance is None:
        return
    event = await catalogue.get_event(session, performance.event_id)
    if event is None or not event.refund_returns_capacity:
        return
    await sales.share_stock_lock(session, command.performance_id)
    returned: list[HoldLine] = await sales.return_tickets(session, command.voided_ticket_ids)
    if not returned:
        # a staff refund follows a payment whose sale was recorded, unless order.paid is late;
        # the automatic ones may follow a sale refused here (nothing was ever sold)
        voided = command.voided_ticket_ids
        if command.cause == "staff" and voided and not await sales.any_recorded(session, voided):
            raise SaleNotRecordedYet(f"order {command.order_id}: its sale is not recorded yet")
        return
    await holds.return_sold(command.performance_id, command.order_id, returned, command.refund_id)
    await uow.publish(
        InventoryReleasedV1(
            order_id=command.order_id,
            performance_id=command.performance_id,
            lines=_lines(returned),
            reason="refund",
        )
    )


def _lines(lines: Sequence[HoldLine]) -> list[HeldLine]:
    """Domain lines as the event contract carries them."""
    return [
        HeldLine(tier_id=x.tier_id, quantity=x.quantity, seat_ids=list(x.seat_ids)) for x in lines
    ]
