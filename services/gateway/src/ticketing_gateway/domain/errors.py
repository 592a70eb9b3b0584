"""Why the gateway refuses a request, without HTTP: ``entrypoints/problems.py`` is the one
table that turns each of these into its problem+json answer."""

from __future__ import annotations

from ticketing_runtime.coded_refusal import CodedRefusal


class GatewayError(CodedRefusal):
    """A refusal of the gateway; ``code`` names the problem type, ``extra`` adds fields."""


class NotFound(GatewayError):
    """The thing named does not exist."""


class Conflict(GatewayError):
    """The thing named is in a state that refuses the request (an expired token)."""


class Invalid(GatewayError):
    """The request names something that cannot be used (an unknown page cursor)."""


class UpstreamUnavailable(GatewayError):
    """A service did not answer the gateway's own call; retry shortly."""


class UpstreamTimeout(UpstreamUnavailable):
    """A service did not answer in time."""
