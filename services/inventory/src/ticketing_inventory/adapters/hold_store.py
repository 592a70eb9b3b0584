"""Holds in Redis: every decision is one atomic Lua script, so nothing is ever held or sold twice.

Key layout (P = performance id, H = hold id, T = tier id). Every key of one performance carries
the hash tag ``{P}``, so a performance lives in one Redis Cluster slot and a script may touch
all of it (scripts get the prefix ``inv:{P}:`` as KEYS[1] and build the names from it):

- ``inv:{P}:tier:T``       hash  capacity, sold, held, seated (0|1)
- ``inv:{P}:tiers``        set   tier ids
- ``inv:{P}:loads``        str   how many times the stock was loaded from Postgres
- ``inv:{P}:rows``         str   number of rows of the seat map (best-available; 0/absent = GA)
- ``inv:{P}:row:N``        list  seat ids of row N (1 = best row), in physical order
- ``inv:{P}:row-free``     hash  N -> free seats in row N (lets best-available skip full rows)
- ``inv:{P}:seat-row``     hash  seat_id -> N
- ``inv:{P}:seat-tier``    hash  seat_id -> tier_id (every seat of the map)
- ``inv:{P}:seats``        hash  seat_id -> H holding it, or ``!sold:<order_id>``; absent = free
- ``inv:{P}:hold:H``       hash  session, status, lines (JSON), expires_at (ms), extended (0|1),
                                 order_id, contiguous (''|0|1), kind (ga|seats|best-available),
                                 load (a sale's: ``loads`` when it was counted)
- ``inv:{P}:exp``          zset  H -> expires_at (ms), every held or pinned hold
- ``inv:{P}:expired``      list  H purged by a script, waiting for the sweeper to announce it
- ``inv:{P}:released``     list  H a customer released, until its ``hold.released`` is committed
                                 (by the request; by the sweeper if its process died first)
- ``inv:{P}:returned:<order>`` hash return id -> ``loads`` when applied (refund idempotency,
                                 7 days; ``returns:<order>``, a set, before it kept the load)

Outside any performance slot, written by separate commands:

- ``inv:hold-index:H``     str   P, so a hold is found by its id (TTL: expiry + grace)
- ``inv:performances``     set   loaded performance ids, for the sweeper

Time comes from the caller (``now_ms``), never from Redis, so tests move time without sleeping.
Every script first purges the holds due at ``now`` (at most 200): an expired hold never counts
against availability, sweeper or not. A live hold record has no TTL (it leaves only through a
script, which gives its units back); a finished one (expired, released, committed) stays
readable for the grace period after it finished.

Sales: ``load`` takes sold counts and sold seats from Postgres (the truth), so there is no
separate "commit lines" operation; ``commit`` records sales as they happen in between.
"""

from __future__ import annotations

import copy
import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from importlib import resources
from typing import Any, Literal

from redis.asyncio import Redis
from redis.commands.core import AsyncScript
from redis.exceptions import NoScriptError

from ticketing_inventory.domain.holds import (
    Availability,
    Hold,
    HoldLine,
    HoldStatus,
    PerformanceStock,
    Refusal,
    Refused,
)

RECORD_GRACE_MS = 10 * 60 * 1000
RETURN_MARKER_TTL_MS = 7 * 24 * 3600 * 1000
PERFORMANCES_KEY = "inv:performances"
SWEEPER_KEY = "inv:sweeper-turn"
SCRIPTS = (
    "place_ga",
    "place_seats",
    "place_best_available",
    "extend",
    "release",
    "pin",
    "commit",
    "return_sold",
    "load",
    "availability",
    "tiers_left",
    "purge",
    "snapshot",
)

#: what waits in Redis to be announced: holds expired (``hold.expired``), holds customers
#: released (``hold.released``); each id stays until ``announced``
Waiting = Literal["expired", "released"]
PLACEMENT_SCRIPTS = frozenset({"place_ga", "place_seats", "place_best_available"})
#: refusals of a placement whose hold id names a hold that exists (another session's, or this
#: key's first hold): its index is that hold's, and stays
KEEPS_INDEX = frozenset({Refusal.HOLD_NOT_FOUND, Refusal.KEY_REUSED})
#: the scripts that only read (every other may change what is held or sold)
READING_SCRIPTS = frozenset({"availability", "tiers_left", "snapshot"})

Reply = list[str]


@dataclass(frozen=True)
class StockSnapshot:
    """Redis's counters of one performance, for reconciliation with Postgres."""

    capacity: dict[str, int]
    sold: dict[str, int]
    held: dict[str, int]
    sold_seats: set[str]
    active_holds: set[str]


def performance_prefix(performance_id: str) -> str:
    return f"inv:{{{performance_id}}}:"


def hold_index_key(hold_id: str) -> str:
    return f"inv:hold-index:{hold_id}"


def now_in_ms() -> int:
    return int(time.time() * 1000)


class HoldStore:
    def __init__(
        self,
        redis: Redis,
        *,
        grace_ms: int = RECORD_GRACE_MS,
        placements_per_session_per_minute: int = 0,
        live_holds_per_session: int = 0,
    ) -> None:
        """``redis`` must decode responses (``decode_responses=True``); a session places at
        most ``placements_per_session_per_minute`` holds per minute on one performance, and has
        at most ``live_holds_per_session`` of them held at once (0: any number; ``unbounded``
        drops it)."""
        self._redis = redis
        self._grace_ms = grace_ms
        self._placement_limit = placements_per_session_per_minute
        self._live_limit = live_holds_per_session
        sources = {name: script_source(name) for name in SCRIPTS}
        self._scripts: dict[str, AsyncScript] = {
            name: redis.register_script(source) for name, source in sources.items()
        }
        # pipelines call EVALSHA themselves: a pipeline given an ``AsyncScript`` would first
        # ask SCRIPT EXISTS, one more round trip on every hold
        self._shas = {
            name: hashlib.sha1(source.encode()).hexdigest() for name, source in sources.items()
        }
        self._written: dict[str, float] = {}  # performance id -> when this process last wrote

    def written_at(self, performance_id: str) -> float:
        """When this process last ran a script that may change the performance's stock
        (``time.monotonic()``; 0: never): what it read before is out of date."""
        return self._written.get(performance_id, 0.0)

    def _writes(self, script: str, performance_id: str) -> None:
        if script not in READING_SCRIPTS:
            self._written[performance_id] = time.monotonic()

    def unbounded(self) -> HoldStore:
        """This store without the most live holds per session: a box-office clerk sells
        customer after customer from one session (the scripts and connections are shared)."""
        clone = copy.copy(self)
        clone._live_limit = 0
        return clone

    # --- stock -------------------------------------------------------------------------------

    async def load(
        self, stock: PerformanceStock, pins: Sequence[Hold] = (), now_ms: int | None = None
    ) -> dict[str, Refused]:
        """(Re)build tiers, rows and sold seats from Postgres; live holds are kept and recounted,
        and the ``pins`` Redis lost are put back in the same script (no placement comes
        between). Returns the pins that could not be put back, by hold id, and why."""
        seated_tiers = {seat.tier_id for row in stock.rows for seat in row}
        tiers = [
            [t.tier_id, t.capacity, t.sold, int(t.tier_id in seated_tiers)] for t in stock.tiers
        ]
        rows = [[[seat.seat_id, seat.tier_id] for seat in row] for row in stock.rows]
        args = (
            _json(tiers),
            _json(rows) if rows else "",
            _json(sorted(stock.sold_seats.items())),
            _json([_pin_record(pin) for pin in pins]),
        )
        now = _now(now_ms)
        reply = await self._run("load", stock.performance_id, now, *args)
        refused = {hold_id: Refused(Refusal(r), d) for hold_id, r, d in _data(reply)}
        pipe = self._redis.pipeline(transaction=False)
        pipe.sadd(PERFORMANCES_KEY, stock.performance_id)
        for pin in pins:
            if pin.hold_id not in refused:  # found by its id again (a payment commits it)
                index_ms = max(int(pin.expires_at.timestamp() * 1000) - now, 0) + self._grace_ms
                pipe.set(hold_index_key(pin.hold_id), stock.performance_id, px=index_ms, nx=True)
                pipe.pexpire(hold_index_key(pin.hold_id), index_ms, gt=True)
        await pipe.execute()
        return refused

    async def is_loaded(self, performance_id: str) -> bool:
        """Whether Redis holds this performance's stock: every load writes ``rows`` (0 for
        general admission), a performance with no tier yet included."""
        return bool(await self._redis.exists(performance_prefix(performance_id) + "rows"))

    async def active_performances(self) -> list[str]:
        return sorted(str(p) for p in await self._redis.smembers(PERFORMANCES_KEY))

    async def availability(self, performance_id: str, now_ms: int | None = None) -> Availability:
        data = _data(await self._run("availability", performance_id, now_ms))
        return Availability(tiers=_int_map(data["tiers"]), seats=_str_map(data["seats"]))

    async def loads(self, performance_id: str) -> int:
        """How many times the performance's stock was loaded from Postgres (0: never): a change of
        its seats' tiers is loaded, so what was read of them before a newer load is out of date."""
        return int(await self._redis.get(performance_prefix(performance_id) + "loads") or 0)

    async def tiers_left(self, performance_id: str, now_ms: int | None = None) -> dict[str, int]:
        """Units left per tier now, without reading every seat as ``availability`` does."""
        return _int_map(_data(await self._run("tiers_left", performance_id, now_ms)))

    async def snapshot(self, performance_id: str, now_ms: int | None = None) -> StockSnapshot:
        data = _data(await self._run("snapshot", performance_id, now_ms))
        return StockSnapshot(
            capacity=_int_map(data["capacity"]),
            sold=_int_map(data["sold"]),
            held=_int_map(data["held"]),
            sold_seats=set(data["sold_seats"]),
            active_holds=set(data["active_holds"]),
        )

    # --- placing holds (the hot path: one round trip) ----------------------------------------

    async def place_ga(
        self,
        performance_id: str,
        session_id: str,
        hold_id: str,
        lines: Sequence[tuple[str, int]],
        ttl_ms: int,
        max_per_order: int,
        now_ms: int | None = None,
        terms_guard: str = "",
    ) -> Hold | Refused:
        quantities = _merged_quantities(lines)
        too_many = _over_max(sum(quantities.values()), max_per_order)
        if too_many:
            return too_many
        ga_lines = _json([[tier, quantity] for tier, quantity in quantities.items()])
        return await self._place(
            "place_ga",
            performance_id,
            session_id,
            hold_id,
            ttl_ms,
            now_ms,
            ga_lines,
            self._live_limit,
            terms_guard,
        )

    async def place_seats(
        self,
        performance_id: str,
        session_id: str,
        hold_id: str,
        seat_ids: Sequence[str],
        ttl_ms: int,
        max_per_order: int,
        now_ms: int | None = None,
        terms_guard: str = "",
    ) -> Hold | Refused:
        distinct = list(dict.fromkeys(seat_ids))
        if not distinct:
            raise ValueError("a seated hold needs at least one seat")
        too_many = _over_max(len(distinct), max_per_order)
        if too_many:
            return too_many
        return await self._place(
            "place_seats",
            performance_id,
            session_id,
            hold_id,
            ttl_ms,
            now_ms,
            _json(distinct),
            self._live_limit,
            terms_guard,
        )

    async def place_best_available(
        self,
        performance_id: str,
        session_id: str,
        hold_id: str,
        quantity: int,
        tier_id: str | None,
        ttl_ms: int,
        max_per_order: int,
        now_ms: int | None = None,
        terms_guard: str = "",
    ) -> Hold | Refused:
        if quantity < 1:
            raise ValueError("quantity must be at least 1")
        too_many = _over_max(quantity, max_per_order)
        if too_many:
            return too_many
        return await self._place(
            "place_best_available",
            performance_id,
            session_id,
            hold_id,
            ttl_ms,
            now_ms,
            quantity,
            tier_id or "",
            self._live_limit,
            terms_guard,
        )

    # --- one hold ----------------------------------------------------------------------------

    async def get(
        self, hold_id: str, session_id: str | None = None, now_ms: int | None = None
    ) -> Hold | None:
        """The hold, as its session may see it (``session_id=None``: internal, no check).

        EXPIRED as soon as its time is up, even before a script purged it.
        """
        found = await self._redis.get(hold_index_key(hold_id))
        if found is None:
            return None
        performance_id = str(found)
        fields = await self._redis.hmget(
            performance_prefix(performance_id) + "hold:" + hold_id, list(_HOLD_FIELDS)
        )
        if fields[0] is None or (session_id is not None and fields[0] != session_id):
            return None
        hold = _hold(performance_id, [hold_id, *(str(f or "") for f in fields)])
        now = _now(now_ms)
        if hold.status in _LIVE and hold.expires_at <= _datetime(now):
            return _as_expired(hold)
        return hold

    async def extend(
        self, hold_id: str, session_id: str | None, ttl_ms: int, now_ms: int | None = None
    ) -> Hold | Refused:
        """Once per hold, while it is held: it then expires ``ttl_ms`` after it would have."""
        now = _now(now_ms)
        decided = await self._decide_on_hold("extend", hold_id, now, None, session_id or "", ttl_ms)
        if isinstance(decided, Hold):
            # the index lives as long as the hold now does (up to twice its first time)
            live_ms = int(decided.expires_at.timestamp() * 1000) - now
            await self._redis.pexpire(hold_index_key(hold_id), max(live_ms, 0) + self._grace_ms)
        return decided

    async def release(
        self, hold_id: str, session_id: str | None, now_ms: int | None = None
    ) -> Hold | Refused:
        """Give everything back; ``session_id=None`` (an order died) may release a pinned hold."""
        return await self._decide_on_hold("release", hold_id, now_ms, None, session_id or "")

    async def pin(
        self, hold_id: str, order_id: str, until_ms: int, now_ms: int | None = None
    ) -> Hold | Refused:
        """Keep a held hold for ``order_id`` until ``until_ms`` (its payment deadline)."""
        now = _now(now_ms)
        return await self._decide_on_hold(
            "pin", hold_id, now, max(until_ms - now, 0), order_id, until_ms
        )

    async def commit(
        self, hold_id: str, order_id: str, now_ms: int | None = None
    ) -> Hold | Refused:
        """Sell the hold to ``order_id``; a late payment sells only if its units are still free.

        Committed again (a retry whose Postgres half was lost), it counts the sale again only if
        the stock was loaded from Postgres since: that load did not count it."""
        return await self._decide_on_hold("commit", hold_id, now_ms, None, order_id)

    async def commit_pinned(self, pin: Hold, now_ms: int | None = None) -> Hold | Refused:
        """Sell a pinned hold whose record Redis no longer has (a payment heard after the
        record's grace, or after Redis lost it), from its durable copy: only if its units and
        seats are still free."""
        now = _now(now_ms)
        args = (
            pin.hold_id,
            pin.order_id or "",
            pin.session_id,
            _lines_json(pin.lines),
            int(pin.expires_at.timestamp() * 1000),
            "seats" if any(line.seat_ids for line in pin.lines) else "ga",
            "" if pin.contiguous is None else str(int(pin.contiguous)),
        )
        reply = await self._run_with_index("commit", pin.performance_id, pin.hold_id, now, 0, *args)
        return _decided(pin.performance_id, reply)

    # --- sales -------------------------------------------------------------------------------

    async def return_sold(
        self,
        performance_id: str,
        order_id: str,
        lines: Sequence[HoldLine],
        return_id: str,
        now_ms: int | None = None,
    ) -> bool:
        """Give refunded units back, once per ``return_id`` (the refund, or the undone sale: two
        refunds of one ticket each from one tier are two returns, not one).

        Seats are freed only if still sold to ``order_id``. False: this return was already applied.
        """
        lines_json = _lines_json(lines)
        reply = await self._run(
            "return_sold",
            performance_id,
            now_ms,
            order_id,
            return_id,
            lines_json,
            RETURN_MARKER_TTL_MS,
        )
        return reply[1] == "1"

    # --- expiry ------------------------------------------------------------------------------

    async def purge_expired(self, performance_id: str, now_ms: int | None = None) -> list[str]:
        """Expire the holds due now (at most 200 per call); their ids."""
        purged = _data(await self._run("purge", performance_id, now_ms))
        return list(purged) if isinstance(purged, list) else []

    async def expired_waiting(
        self, performance_ids: Sequence[str], now_ms: int | None = None, limit: int = 1000
    ) -> dict[str, list[str]]:
        """Expire what is due in every performance, then the ids of expired holds waiting to be
        announced, per performance (two round trips whatever the number of performances).
        They stay waiting until ``announced``: a crash before then announces them again."""
        now = _now(now_ms)
        purge = self._redis.pipeline(transaction=False)
        for performance_id in performance_ids:
            purge.evalsha(
                self._shas["purge"], 1, performance_prefix(performance_id), now, self._grace_ms
            )
        try:
            await purge.execute()
        except NoScriptError:  # Redis restarted since registration: one by one, reloading
            for performance_id in performance_ids:
                await self.purge_expired(performance_id, now)
        for performance_id in performance_ids:
            self._writes("purge", performance_id)
        return await self._waiting(performance_ids, "expired", limit)

    async def released_waiting(
        self, performance_ids: Sequence[str], limit: int = 1000
    ) -> dict[str, list[str]]:
        """The ids of holds customers released whose ``hold.released`` was not committed yet
        (the request is still on its way, or its process died before), per performance."""
        return await self._waiting(performance_ids, "released", limit)

    async def _waiting(
        self, performance_ids: Sequence[str], waiting: Waiting, limit: int
    ) -> dict[str, list[str]]:
        peek = self._redis.pipeline(transaction=False)
        for performance_id in performance_ids:
            peek.lrange(performance_prefix(performance_id) + waiting, 0, limit - 1)
        found = await peek.execute()
        return {p: list(ids) for p, ids in zip(performance_ids, found, strict=True) if ids}

    async def announced(
        self, performance_id: str, hold_ids: Sequence[str], waiting: Waiting = "expired"
    ) -> None:
        """These waiting ids of the performance were announced: forget them, and only them (a
        trim of the list's first N also dropped ids another sweeper appended or announced
        meanwhile, never announced at all). Each is at the head when its turn comes: O(N)."""
        key = performance_prefix(performance_id) + waiting
        forget = self._redis.pipeline(transaction=False)
        for hold_id in hold_ids:
            forget.lrem(key, 1, hold_id)
        await forget.execute()

    async def take_sweep_turn(self, ttl_ms: int) -> bool:
        """One sweeper at a time among the replicas (the others skip this round)."""
        return bool(await self._redis.set(SWEEPER_KEY, "1", nx=True, px=ttl_ms))

    async def drain_expired(self, performance_id: str, limit: int = 1000) -> list[str]:
        """Take the ids of expired holds waiting to be announced (each is returned once)."""
        key = performance_prefix(performance_id) + "expired"
        taken: list[str] | None = await self._redis.lpop(key, limit)  # type: ignore[assignment]
        return taken or []

    # --- plumbing ----------------------------------------------------------------------------

    async def _place(
        self,
        script: str,
        performance_id: str,
        session_id: str,
        hold_id: str,
        ttl_ms: int,
        now_ms: int | None,
        *args: str | int,
    ) -> Hold | Refused:
        """``args`` are the script's own, then the most live holds and the terms guard (the
        placements per minute go between those two)."""
        *own, most_live, terms_guard = args
        reply = await self._run_with_index(
            script,
            performance_id,
            hold_id,
            _now(now_ms),
            ttl_ms,
            hold_id,
            session_id,
            ttl_ms,
            *own,
            most_live,
            self._placement_limit,
            terms_guard,
        )
        decided = _decided(performance_id, reply)
        if isinstance(decided, Refused) and decided.reason not in KEEPS_INDEX:
            # the index was written optimistically in the same round trip
            await self._redis.delete(hold_index_key(hold_id))
        return decided

    async def _decide_on_hold(
        self,
        script: str,
        hold_id: str,
        now_ms: int | None,
        index_ttl_ms: int | None,
        *args: str | int,
    ) -> Hold | Refused:
        """Run a script on an existing hold, found through its index key."""
        found = await self._redis.get(hold_index_key(hold_id))
        if found is None:
            return Refused(Refusal.HOLD_NOT_FOUND, f"no hold {hold_id}")
        performance_id = str(found)
        now = _now(now_ms)
        if index_ttl_ms is None:
            reply = await self._run(script, performance_id, now, hold_id, *args)
        else:
            reply = await self._run_with_index(
                script, performance_id, hold_id, now, index_ttl_ms, hold_id, *args
            )
        return _decided(performance_id, reply)

    async def _run(
        self, script: str, performance_id: str, now_ms: int | None, *args: str | int
    ) -> Reply:
        keys = [performance_prefix(performance_id)]
        try:
            reply: Reply = await self._scripts[script](
                keys=keys, args=[_now(now_ms), self._grace_ms, *args]
            )
        finally:
            self._writes(script, performance_id)  # once done: a read begun before is old
        return reply

    async def _run_with_index(
        self,
        script: str,
        performance_id: str,
        hold_id: str,
        now_ms: int,
        live_ms: int,
        *args: str | int,
    ) -> Reply:
        """The script and the hold's index key (TTL: ``live_ms`` + grace) in one round trip."""
        pipe = self._redis.pipeline(transaction=False)
        prefix = performance_prefix(performance_id)
        pipe.evalsha(self._shas[script], 1, prefix, now_ms, self._grace_ms, *args)
        # a new hold's index; a retried placement's (the same hold) keeps the longer life, so
        # a hold pinned for an order meanwhile stays findable until its payment is heard
        index_ms = max(live_ms, 0) + self._grace_ms
        pipe.set(hold_index_key(hold_id), performance_id, px=index_ms, nx=True)
        pipe.pexpire(hold_index_key(hold_id), index_ms, gt=True)
        try:
            reply, *_ = await pipe.execute()
        except NoScriptError:
            # Redis restarted since registration: the index is written, run the script alone
            # (``AsyncScript`` loads it again)
            return await self._run(script, performance_id, now_ms, *args)
        finally:
            self._writes(script, performance_id)
        return list(reply)


_HOLD_FIELDS = (
    "session",
    "status",
    "lines",
    "expires_at",
    "extended",
    "order_id",
    "contiguous",
)
_LIVE = (HoldStatus.HELD, HoldStatus.PINNED)


def script_source(name: str) -> str:
    """The script as Redis runs it: ``_common`` first, then ``_placement`` for the place
    scripts (the checks and the ending they share), then its own body."""
    preludes = ("_common", "_placement") if name in PLACEMENT_SCRIPTS else ("_common",)
    return "".join(_lua_source(part) for part in (*preludes, name))


def _lua_source(name: str) -> str:
    return (resources.files(__package__) / "lua" / f"{name}.lua").read_text(encoding="utf-8")


def _now(now_ms: int | None) -> int:
    return now_in_ms() if now_ms is None else now_ms


def _datetime(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def _json(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


def _data(reply: Reply) -> Any:
    return json.loads(reply[1])


def _int_map(value: object) -> dict[str, int]:
    # cjson encodes an empty table as {} or [] alike
    return {k: int(v) for k, v in value.items()} if isinstance(value, dict) else {}


def _str_map(value: object) -> dict[str, str]:
    return {k: str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def _merged_quantities(lines: Sequence[tuple[str, int]]) -> dict[str, int]:
    if not lines:
        raise ValueError("a hold needs at least one line")
    merged: dict[str, int] = {}
    for tier_id, quantity in lines:
        if quantity < 1:
            raise ValueError(f"quantity must be at least 1, got {quantity} for {tier_id}")
        merged[tier_id] = merged.get(tier_id, 0) + quantity
    return merged


def _over_max(quantity: int, max_per_order: int) -> Refused | None:
    if quantity <= max_per_order:
        return None
    return Refused(
        Refusal.OVER_MAX_PER_ORDER,
        f"at most {max_per_order} tickets per order, {quantity} asked",
    )


def _pin_record(hold: Hold) -> list[object]:
    """A pinned hold as ``load`` puts it back: [hold_id, session, lines, expires_at, extended,
    order_id, contiguous]."""
    return [
        hold.hold_id,
        hold.session_id,
        json.loads(_lines_json(hold.lines)),
        int(hold.expires_at.timestamp() * 1000),
        str(int(hold.extended)),
        hold.order_id or "",
        "" if hold.contiguous is None else str(int(hold.contiguous)),
    ]


def _lines_json(lines: Sequence[HoldLine]) -> str:
    return _json(
        [
            [line.tier_id, line.quantity, list(line.seat_ids)]
            if line.seat_ids
            else [line.tier_id, line.quantity]
            for line in lines
        ]
    )


def _decided(performance_id: str, reply: Reply) -> Hold | Refused:
    if reply[0] == "ok":
        return _hold(performance_id, reply[1:])
    reason, detail, available, taken = reply[1:5]
    wait_ms, status, *_ = [*reply[5:], "", ""]  # both optional: too-many-holds, not-active
    return Refused(
        Refusal(reason),
        detail,
        available=int(available) if available else None,
        taken_seats=tuple(json.loads(taken)) if taken else (),
        retry_after_ms=int(wait_ms) if wait_ms else None,
        hold_status=HoldStatus(status) if status else None,
    )


def _hold(performance_id: str, fields: Sequence[str]) -> Hold:
    hold_id, session, status, lines, expires_at, extended, order_id, contiguous = fields
    return Hold(
        hold_id=hold_id,
        performance_id=performance_id,
        session_id=session,
        lines=tuple(
            HoldLine(line[0], int(line[1]), tuple(line[2]) if len(line) > 2 else ())
            for line in json.loads(lines)
        ),
        expires_at=_datetime(int(float(expires_at))),
        status=HoldStatus(status),
        extended=extended == "1",
        order_id=order_id or None,
        contiguous=None if contiguous == "" else contiguous == "1",
    )


def _as_expired(hold: Hold) -> Hold:
    return replace(hold, status=HoldStatus.EXPIRED)
