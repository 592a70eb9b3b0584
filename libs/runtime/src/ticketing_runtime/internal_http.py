"""Calls from one service to another's internal API, as that service (signed identity)."""

from __future__ import annotations

from typing import Any

import httpx

from ticketing_runtime.http_tracing import outgoing_trace_headers
from ticketing_runtime.identity import IDENTITY_HEADER, Identity, sign_identity
from ticketing_runtime.settings import ServiceSettings


class ServiceUnavailable(Exception):
    """The other service did not answer (down, or slower than the timeout)."""


class ServiceClient:
    def __init__(
        self,
        settings: ServiceSettings,
        base_url: str,
        timeout_s: float = 5.0,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """``transport``: where requests go instead of the network (a neighbour stubbed at the
        HTTP boundary in integration tests); by default, over TCP to ``base_url``."""
        self._identity = Identity(kind="service", subject=settings.service_name)
        self._secret = settings.internal_token_secret.get_secret_value()
        self._client = httpx.AsyncClient(base_url=base_url, timeout=timeout_s, transport=transport)

    def _headers(self) -> dict[str, str]:
        return {
            **outgoing_trace_headers(),
            IDENTITY_HEADER: sign_identity(self._identity, self._secret),
        }

    async def request(
        self, method: str, path: str, *, json: Any = None, timeout_s: float | None = None
    ) -> httpx.Response:
        try:
            return await self._client.request(
                method,
                path,
                json=json,
                headers=self._headers(),
                timeout=timeout_s if timeout_s is not None else httpx.USE_CLIENT_DEFAULT,
            )
        except httpx.TransportError as exc:  # timeouts included
            raise ServiceUnavailable(f"{method} {path}: {exc!r}") from exc

    async def close(self) -> None:
        await self._client.aclose()
