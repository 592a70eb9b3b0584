"""The gateway's own calls to the services: their readiness and their OpenAPI documents.

Public requests never pass through the gateway: the edge (nginx) sends each to its service.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp

from ticketing_gateway.domain.errors import UpstreamTimeout, UpstreamUnavailable
from ticketing_gateway.settings import GatewaySettings
from ticketing_runtime.http_tracing import outgoing_trace_headers

TIMEOUT_S = 5.0


@dataclass(frozen=True)
class UpstreamAnswer:
    status_code: int
    headers: Mapping[str, str]
    content: bytes

    def json(self) -> Any:
        return json.loads(self.content)


class Upstreams:
    def __init__(self, settings: GatewaySettings) -> None:
        self._settings = settings
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:  # created lazily: it binds to the running event loop
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT_S))
        return self._session

    def url(self, service: str, path: str) -> str:
        if service == "gateway":
            base = f"http://{self._settings.http_host}:{self._settings.http_port}"
        else:
            base = self._settings.backend_url(service)
        return f"{base}{path}"

    async def call(self, service: str, method: str, path: str) -> UpstreamAnswer:
        try:
            async with self._client().request(
                method, self.url(service, path), headers=outgoing_trace_headers()
            ) as answer:
                return UpstreamAnswer(answer.status, answer.headers, await answer.read())
        except TimeoutError as exc:
            raise UpstreamTimeout(
                "upstream-timeout", f"the {service} service did not answer in time; retry"
            ) from exc
        except aiohttp.ClientError as exc:
            raise UpstreamUnavailable(
                "upstream-unavailable", f"the {service} service is unavailable; retry shortly"
            ) from exc

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
