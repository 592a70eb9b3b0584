"""A performance's sale terms, cached in Redis so every replica sees a cancellation at once."""

from __future__ import annotations

import functools
import json
from collections import OrderedDict
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

from redis.asyncio import Redis

from ticketing_inventory.adapters import catalogue_repository as repo
from ticketing_inventory.domain.catalogue import SaleWindow
from ticketing_runtime.database import Database

CACHE_TTL_S = 300


@dataclass(frozen=True)
class SaleTerms:
    performance_id: str
    window: SaleWindow
    hold_ttl_s: int
    max_per_order: int
    seated: bool
    raw: str = field(default="", compare=False)  # as Redis holds it: the place scripts' guard


def _key(performance_id: str) -> str:
    return f"inv:{{{performance_id}}}:terms"


LOCAL_TERMS = 1024  # performances whose terms a process keeps in memory


class SaleTermsCache:
    def __init__(self, redis: Redis, database: Database) -> None:
        self._redis = redis
        self._db = database
        self._local: OrderedDict[str, SaleTerms] = OrderedDict()

    async def for_placement(self, performance_id: str, *, fresh: bool = False) -> SaleTerms | None:
        """The terms from this process's memory (no round trip): safe for placing holds only,
        because the place scripts compare ``raw`` with Redis and refuse a stale copy
        (``Refusal.STALE_TERMS``); then call again with ``fresh=True``."""
        terms = None if fresh else self._local.get(performance_id)
        if terms is None:
            terms = await self.get(performance_id)
            if terms is None:
                self._local.pop(performance_id, None)
                return None
            self._local[performance_id] = terms
            if len(self._local) > LOCAL_TERMS:
                self._local.popitem(last=False)
        return terms

    async def get(self, performance_id: str) -> SaleTerms | None:
        cached = await self._redis.get(_key(performance_id))
        if cached is not None:
            return _decode(str(cached)) if cached != "none" else None
        return await self._load(performance_id, only_if_absent=True)

    async def refresh(self, *performance_ids: str) -> None:
        """After a change is committed: every replica's next read sees it. Written, not deleted:
        a reader that read Postgres before the commit writes only where nothing is yet, so it
        cannot put the old terms (a cancelled show on sale) back for the cache's lifetime."""
        for performance_id in performance_ids:
            await self._load(performance_id, only_if_absent=False)

    async def _load(self, performance_id: str, *, only_if_absent: bool) -> SaleTerms | None:
        async with self._db.unit_of_work() as uow:
            performance = await repo.get_performance(uow.session, performance_id)
        if performance is None:
            await self._redis.set(_key(performance_id), "none", ex=5, nx=only_if_absent)
            return None
        terms = SaleTerms(
            performance_id=performance_id,
            window=performance.sale_window,
            hold_ttl_s=performance.hold_ttl_s,
            max_per_order=performance.max_per_order,
            seated=performance.venue_id is not None,
        )
        raw = _encode(terms)
        await self._redis.set(_key(performance_id), raw, ex=CACHE_TTL_S, nx=only_if_absent)
        return replace(terms, raw=raw)


def _encode(terms: SaleTerms) -> str:
    fields = asdict(terms)
    del fields["raw"]
    return json.dumps(fields, default=lambda v: v.isoformat())


@functools.lru_cache(maxsize=1024)  # the same few performances are read on every hold
def _decode(raw: str) -> SaleTerms:
    data = json.loads(raw)
    window: dict[str, Any] = {
        k: datetime.fromisoformat(v) if k.endswith("_at") else v for k, v in data["window"].items()
    }
    return SaleTerms(**{**data, "window": SaleWindow(**window)}, raw=raw)
