"""The merged OpenAPI document: requests that come together on a stale one refresh it once."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx

from tests.support.waiting import eventually
from ticketing_gateway.adapters.openapi_merge import MergedDocument
from ticketing_gateway.settings import BACKENDS


class HeldServices:
    """Every service answers its document only once ``answer`` is set; each call counted."""

    def __init__(self) -> None:
        self.asked: Counter[str] = Counter()
        self.answer = asyncio.Event()

    async def call(self, service: str, method: str, path: str, **_: Any) -> httpx.Response:
        self.asked[service] += 1
        await self.answer.wait()
        return httpx.Response(200, json={"openapi": "3.1.0", "info": {}, "paths": {}})


async def test_requests_on_a_stale_document_refresh_it_once() -> None:
    services = HeldServices()
    document = MergedDocument(services, lambda: {"openapi": "3.1.0", "info": {}, "paths": {}})  # type: ignore[arg-type]

    requests = [asyncio.create_task(document.document()) for _ in range(10)]
    # the first refresh is under way (every service asked) while all ten requests wait
    await eventually(lambda: set(services.asked) == set(BACKENDS), what="the first refresh")
    assert not any(request.done() for request in requests)
    services.answer.set()
    answers = await asyncio.gather(*requests)

    assert all(answer is not None for answer in answers)
    # before: ten refreshes in a row, each fetching every service (each waiting out a hung one)
    assert services.asked == Counter(dict.fromkeys(BACKENDS, 1))
