"""The correlation id that follows one purchase end to end (HTTP header and event envelope)."""

from __future__ import annotations

from contextvars import ContextVar

HTTP_HEADER = "X-Correlation-Id"

current_correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)

REQUEST_ID_HEADER = "X-Request-Id"

#: the edge's id of the request being served (its ``X-Request-Id``), for the audit log
current_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
