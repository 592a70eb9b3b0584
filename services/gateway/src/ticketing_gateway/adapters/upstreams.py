"""Calls from the gateway to the services: identity, trace and correlation headers attached."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
from fastapi import Request, Response

from ticketing_gateway.settings import GatewaySettings
from ticketing_runtime.http_tracing import outgoing_trace_headers
from ticketing_runtime.identity import IDENTITY_HEADER, Identity, sign_identity
from ticketing_runtime.problems import Problem

FORWARDED_REQUEST_HEADERS = ("content-type", "accept", "idempotency-key", "if-none-match")
FORWARDED_RESPONSE_HEADERS = (
    "content-type",
    "location",
    "etag",
    "retry-after",
    "content-disposition",
)


class Upstreams:
    def __init__(self, settings: GatewaySettings) -> None:
        self._settings = settings
        self._client = httpx.AsyncClient(
            timeout=settings.upstream_timeout_s,
            # a small pool, all kept alive: httpcore scans its pool on every request (cost grows
            # with its size), and a pool that churns pays a handshake per request
            limits=httpx.Limits(
                max_connections=settings.upstream_connections,
                max_keepalive_connections=settings.upstream_connections,
                keepalive_expiry=20,
            ),
        )

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
    ) -> httpx.Response:
        try:
            return await self._client.request(
                method,
                self.url(service, path),
                params=params,
                content=content,
                headers={**(headers or {}), **self.headers(identity)},
            )
        except httpx.TimeoutException as exc:
            raise Problem(
                504, "upstream-timeout", f"the {service} service did not answer in time; retry"
            ) from exc
        except httpx.TransportError as exc:
            raise Problem(
                503, "upstream-unavailable", f"the {service} service is unavailable; retry shortly"
            ) from exc

    async def forward(
        self, request: Request, service: str, path: str, identity: Identity | None
    ) -> Response:
        """Pass the request through to ``service`` and its answer back, unchanged."""
        passed = {
            k: v for k, v in request.headers.items() if k.lower() in FORWARDED_REQUEST_HEADERS
        }
        upstream = await self.call(
            service,
            request.method,
            path,
            identity=identity,
            params=dict(request.query_params),
            content=await request.body(),
            headers=passed,
        )
        kept: dict[str, Any] = {
            k: v for k, v in upstream.headers.items() if k.lower() in FORWARDED_RESPONSE_HEADERS
        }
        return Response(upstream.content, status_code=upstream.status_code, headers=kept)

    async def close(self) -> None:
        await self._client.aclose()
