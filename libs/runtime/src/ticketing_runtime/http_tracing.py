"""Server spans for incoming HTTP requests, continuing the caller's W3C trace context.

A plain ASGI middleware: Starlette's ``BaseHTTPMiddleware`` costs a task group per request.
"""

from __future__ import annotations

import uuid

from fastapi import FastAPI
from opentelemetry import propagate, trace
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ticketing_runtime.correlation import (
    HTTP_HEADER,
    REQUEST_ID_HEADER,
    current_correlation_id,
    current_request_id,
    sane_id,
)

_UNTRACED = {"/healthz", "/readyz", "/metrics"}
_CORRELATION = HTTP_HEADER.lower().encode()


class RequestTracing:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.tracer = trace.get_tracer("ticketing.http")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in _UNTRACED:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        correlation = sane_id(headers.get(HTTP_HEADER.lower())) or str(uuid.uuid4())
        request_id = sane_id(headers.get(REQUEST_ID_HEADER.lower()))
        token = current_correlation_id.set(correlation)
        request_token = current_request_id.set(request_id)
        name = f"{scope['method']} {scope['path']}"
        attributes = {"http.request.method": scope["method"], "url.path": scope["path"]}
        if request_id:
            attributes["http.request.id"] = request_id
        try:
            with self.tracer.start_as_current_span(
                name,
                context=propagate.extract(headers),
                kind=trace.SpanKind.SERVER,
                attributes=attributes,
            ) as span:

                async def send_with_correlation(message: Message) -> None:
                    if message["type"] == "http.response.start":
                        span.set_attribute("http.response.status_code", message["status"])
                        message["headers"] = [
                            *message.get("headers", []),
                            (_CORRELATION, correlation.encode()),
                        ]
                    await send(message)

                await self.app(scope, receive, send_with_correlation)
        finally:
            current_correlation_id.reset(token)
            current_request_id.reset(request_token)


def install_request_tracing(app: FastAPI) -> None:
    app.add_middleware(RequestTracing)


def outgoing_trace_headers() -> dict[str, str]:
    """Headers that carry the current trace and correlation id to another service."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    if correlation := current_correlation_id.get():
        carrier[HTTP_HEADER] = correlation
    if request_id := current_request_id.get():
        carrier[REQUEST_ID_HEADER] = request_id
    return carrier
