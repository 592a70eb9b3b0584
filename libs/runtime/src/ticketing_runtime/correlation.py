"""The correlation id that follows one purchase end to end (HTTP header and event envelope)."""

from __future__ import annotations

from contextvars import ContextVar

HTTP_HEADER = "X-Correlation-Id"

current_correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)

# the id the edge gives each public request (kept from a client that sent a sane one)
REQUEST_ID_HEADER = "X-Request-Id"
current_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
