"""Idempotency keys: the first answer to a key is stored and replayed, per API key."""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

MAX_KEY_LENGTH = 255
# Stripe prunes keys after 24 hours; the emulator also bounds memory.
TTL_S = 24 * 3600
MAX_RECORDS = 20_000

Scope = tuple[str, str]  # (API key, idempotency key)


def fingerprint(method: str, path: str, params: dict[str, Any]) -> str:
    canonical = json.dumps([method.upper(), path, params], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class StoredResponse:
    fingerprint: str
    status: int
    body: bytes
    request_id: str
    stored_at: float


@dataclass
class _KeyLock:
    lock: asyncio.Lock
    users: int = 0


class IdempotencyStore:
    def __init__(self, ttl_s: float = TTL_S, max_records: int = MAX_RECORDS) -> None:
        self._ttl_s = ttl_s
        self._max_records = max_records
        self._records: OrderedDict[Scope, StoredResponse] = OrderedDict()
        self._locks: dict[Scope, _KeyLock] = {}

    @asynccontextmanager
    async def serialised(self, scope: Scope) -> AsyncIterator[None]:
        """Requests sharing a key run one after the other (the second then sees a replay)."""
        entry = self._locks.get(scope)
        if entry is None:
            entry = self._locks[scope] = _KeyLock(asyncio.Lock())
        entry.users += 1
        try:
            async with entry.lock:
                yield
        finally:
            entry.users -= 1
            if entry.users == 0 and self._locks.get(scope) is entry:
                del self._locks[scope]

    def get(self, scope: Scope) -> StoredResponse | None:
        record = self._records.get(scope)
        if record is None:
            return None
        if time.time() - record.stored_at > self._ttl_s:
            del self._records[scope]
            return None
        return record

    def put(self, scope: Scope, record: StoredResponse) -> None:
        self._records[scope] = record
        self._records.move_to_end(scope)
        while len(self._records) > self._max_records:
            self._records.popitem(last=False)

    def clear(self) -> None:
        self._records.clear()
