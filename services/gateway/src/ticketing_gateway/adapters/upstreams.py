"""Calls from the gateway to the services: identity, trace and correlation headers attached."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
import yarl
from fastapi import Request, Response

from ticketing_gateway.settings import GatewaySettings
from ticketing_runtime.http_tracing import outgoing_trace_headers
from ticketing_runtime.identity import IDENTITY_HEADER, Identity, sign_identity
from ticketing_runtime.problems import Problem

FORWARDED_REQUEST_HEADERS = (
    "content-type",
    "accept",
    "idempotency-key",
    "if-none-match",
    "x-order-token",
    "stripe-signature",
    "x-request-id",
)
FORWARDED_RESPONSE_HEADERS = (
    "content-type",
    "location",
    "etag",
    "retry-after",
    "content-disposition",
    "x-document-id",
    "x-document-version",
)


@dataclass(frozen=True)
class UpstreamAnswer:
    status_code: int
    headers: Mapping[str, str]
    content: bytes

    def json(self) -> Any:
        return json.loads(self.content)


class Upstreams:
    """One aiohttp pool to all services (httpx's pool cost grew with its size and queue)."""

    def __init__(self, settings: GatewaySettings) -> None:
        self._settings = settings
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:  # created lazily: it binds to the running event loop
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(
                    limit=self._settings.upstream_connections, keepalive_timeout=20
                ),
                timeout=aiohttp.ClientTimeout(total=self._settings.upstream_timeout_s),
                auto_decompress=False,
            )
        return self._session

    def url(self, service: str, path: str) -> str:
        if service == "gateway":
            base = f"http://{self._settings.http_host}:{self._settings.http_port}"
        else:
            base = self._settings.backend_url(service)
        return f"{base}{path}"

    def headers(self, identity: Identity | None) -> dict[str, str]:
        headers = outgoing_trace_headers()
        if identity is not None:
            secret = self._settings.internal_token_secret.get_secret_value()
            headers[IDENTITY_HEADER] = sign_identity(identity, secret)
        return headers

    async def call(
        self,
        service: str,
        method: str,
        path: str,
        *,
        identity: Identity | None,
        params: Mapping[str, str] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> UpstreamAnswer:
        try:
            async with self._client().request(
                method,
                yarl.URL(self.url(service, path), encoded=True),  # the query exactly as sent
                params=params or None,
                data=content or None,
                headers={**(headers or {}), **self.headers(identity)},
            ) as answer:
                return UpstreamAnswer(answer.status, answer.headers, await answer.read())
        except TimeoutError as exc:
            raise Problem(
                504, "upstream-timeout", f"the {service} service did not answer in time; retry"
            ) from exc
        except aiohttp.ClientError as exc:
            raise Problem(
                503, "upstream-unavailable", f"the {service} service is unavailable; retry shortly"
            ) from exc

    async def forward(
        self, request: Request, service: str, path: str, identity: Identity | None
    ) -> Response:
        """Pass the request through to ``service`` (at ``path``) and its answer back."""
        return await self.relay(
            service,
            request.method,
            path,
            request.url.query.encode("latin-1"),
            request.headers,
            await request.body(),
            identity,
        )

    async def relay(
        self,
        service: str,
        method: str,
        path: str,
        query: bytes,
        headers: Mapping[str, str],
        body: bytes,
        identity: Identity | None,
    ) -> Response:
        """The request's body, query and content headers to ``service``; its answer back."""
        passed = {k: v for k, v in headers.items() if k.lower() in FORWARDED_REQUEST_HEADERS}
        target = f"{path}?{query.decode('latin-1')}" if query else path
        upstream = await self.call(
            service, method, target, identity=identity, content=body, headers=passed
        )
        kept: dict[str, Any] = {
            k: v for k, v in upstream.headers.items() if k.lower() in FORWARDED_RESPONSE_HEADERS
        }
        return Response(upstream.content, status_code=upstream.status_code, headers=kept)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
