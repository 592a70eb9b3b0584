"""The merged OpenAPI document: requests that come together on a stale one refresh it once."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx

from ticketing_gateway.adapters.openapi_merge import MergedDocument
from ticketing_gateway.settings import BACKENDS


class SlowServices:
    """Every service answers its document after a moment; each call counted."""

    def __init__(self) -> None:
        self.asked: Counter[str] = Counter()

    async def call(self, service: str, method: str, path: str, **_: Any) -> httpx.Response:
        self.asked[service] += 1
        await asyncio.sleep(0.05)
        return httpx.Response(200, json={"openapi": "3.1.0", "info": {}, "paths": {}})


async def test_requests_on_a_stale_document_refresh_it_once() -> None:
    services = SlowServices()
    document = MergedDocument(services, lambda: {"openapi": "3.1.0", "info": {}, "paths": {}})  # type: ignore[arg-type]

    await asyncio.gather(*(document.document() for _ in range(10)))

    # before: ten refreshes in a row, each fetching every service (each waiting out a hung one)
    assert services.asked == Counter(dict.fromkeys(BACKENDS, 1))
