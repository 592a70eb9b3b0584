"""Why the gateway refuses a request, without HTTP: ``entrypoints/problems.py`` is the one
table that turns each of these into its problem+json answer."""

from __future__ import annotations

from typing import Any


class GatewayError(Exception):
    """A refusal; ``code`` names the problem type, ``extra`` adds fields to the answer."""

    def __init__(self, code: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.extra = extra


class NotFound(GatewayError):
    """The thing named does not exist."""


class Invalid(GatewayError):
    """The request names something that cannot be used (an unknown page cursor)."""


class UpstreamUnavailable(GatewayError):
    """A service did not answer the gateway's own call; retry shortly."""


class UpstreamTimeout(UpstreamUnavailable):
    """A service did not answer in time."""
