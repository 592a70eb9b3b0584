"""The correlation id of one causal chain: an HTTP request (its `X-Correlation-Id`) and every
event it causes, message after message (the HTTP header and the event envelope)."""

from __future__ import annotations

import re
from contextvars import ContextVar

HTTP_HEADER = "X-Correlation-Id"

current_correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)

# the id the edge gives each public request (kept from a client that sent a sane one)
REQUEST_ID_HEADER = "X-Request-Id"
current_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

# letters, digits and ``._:-`` only (the edge is stricter about a public request id): the value is
# copied onto calls to other services, whose HTTP client sends ASCII only, and into event headers
_SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")


def sane_id(value: str | None) -> str | None:
    """``value`` if it is a usable correlation or request id, else ``None`` (make a new one)."""
    return value if value is not None and _SANE_ID.fullmatch(value) else None
