"""Expired holds are announced (``hold.expired``) by a sweeper that may run in every replica; it
also announces the customers' releases (``hold.released``) whose process died before it did."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from ticketing_contracts import HoldExpiredV1
from ticketing_inventory.domain.holds import announcement_id
from ticketing_inventory.service_layer.container import Inventory
from ticketing_inventory.service_layer.holds import announce_released
from ticketing_runtime.periodic import run_periodically


async def sweep_expired_holds(inv: Inventory, stop: asyncio.Event, interval_s: float = 1.0) -> None:
    """Announce expired holds until ``stop``; one replica sweeps at a time, once an interval
    (a turn a little shorter than the interval: the next sweep, on any replica, may take the
    next one)."""
    turn_ms = sweep_turn_ms(interval_s)
    await run_periodically(lambda: sweep_once(inv, turn_ms), stop, interval_s, "hold sweep")


def sweep_turn_ms(interval_s: float) -> int:
    """A sweeping replica's turn: 90 % of the interval (a fixed 900 ms let N replicas sweep N
    times an interval of 5 s, and a 0.2 s interval only every 0.9 s), at least 100 ms."""
    return max(int(interval_s * 900), 100)


async def sweep_once(inv: Inventory, turn_ms: int = 900) -> int:
    """Expire due holds everywhere and announce them: committed first, forgotten after (a crash
    in between, or a second sweeper whose turn began before the first was done, announces them
    again, never zero times, under the same message id ``hold-expired:<hold id>``: a consumer's
    inbox drops the second). Releases still waiting are announced the same way (one whose
    request is announcing it at this moment is told under the same ``hold-released:<hold id>``).
    Returns how many were announced."""
    if not await inv.holds.take_sweep_turn(turn_ms):
        return 0
    performances = await inv.holds.active_performances()
    waiting = await inv.holds.expired_waiting(performances)
    for performance_id, expired in waiting.items():
        async with inv.database.unit_of_work() as uow:
            now = datetime.now(UTC)
            for hold_id in expired:
                await uow.publish(
                    HoldExpiredV1(hold_id=hold_id, performance_id=performance_id, expired_at=now),
                    message_id=announcement_id("expired", hold_id),
                )
            await uow.commit()
        await inv.holds.announced(performance_id, expired)
    released = await inv.holds.released_waiting(performances)
    for performance_id, hold_ids in released.items():
        await announce_released(inv, performance_id, hold_ids)
    return sum(len(ids) for ids in (*waiting.values(), *released.values()))
