"""Server spans for incoming HTTP requests, continuing the caller's W3C trace context."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from opentelemetry import propagate, trace

from ticketing_runtime.correlation import HTTP_HEADER, current_correlation_id

_UNTRACED = {"/healthz", "/readyz", "/metrics"}


def install_request_tracing(app: FastAPI) -> None:
    tracer = trace.get_tracer("ticketing.http")

    @app.middleware("http")
    async def trace_request(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if request.url.path in _UNTRACED:
            return await call_next(request)
        correlation = request.headers.get(HTTP_HEADER) or str(uuid.uuid4())
        token = current_correlation_id.set(correlation)
        try:
            with tracer.start_as_current_span(
                f"{request.method} {request.url.path}",
                context=propagate.extract(dict(request.headers)),
                kind=trace.SpanKind.SERVER,
                attributes={"http.request.method": request.method, "url.path": request.url.path},
            ) as span:
                response = await call_next(request)
                span.set_attribute("http.response.status_code", response.status_code)
        finally:
            current_correlation_id.reset(token)
        response.headers[HTTP_HEADER] = correlation
        return response


def outgoing_trace_headers() -> dict[str, str]:
    """Headers that carry the current trace and correlation id to another service."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    if correlation := current_correlation_id.get():
        carrier[HTTP_HEADER] = correlation
    return carrier
