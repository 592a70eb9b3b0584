"""Requests the gateway passes through to the service that owns them.

A plain ASGI layer in front of the whole FastAPI app (``Service.fast_paths``): on the hottest
path of the product (holds at 9 a.m.) FastAPI's middleware, routing and dependency machinery
cost more than the forwarding itself. Forwarded requests get the same request tracing (span,
correlation id) as any other.
"""

from __future__ import annotations

import logging

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from ticketing_gateway.adapters.upstreams import Upstreams
from ticketing_gateway.domain.tokens import InvalidToken, verify
from ticketing_runtime.asgi import read_body
from ticketing_runtime.http_tracing import RequestTracing
from ticketing_runtime.identity import Identity
from ticketing_runtime.problems import Problem, problem_response

#: path prefix → owning service (longest prefix wins)
log = logging.getLogger(__name__)
OWNERS: dict[str, str] = {
    "/v1/venues": "inventory",
    "/v1/events": "inventory",
    "/v1/performances": "inventory",
    "/v1/holds": "inventory",
    "/v1/admin/inventory": "inventory",
    "/v1/orders": "orders",
    "/v1/checkin": "orders",
    "/v1/tickets": "orders",
    "/v1/coupons": "orders",
    "/v1/documents": "documents",
    "/v1/notifications": "notifications",
    "/v1/webhooks/stripe": "payments",
}
FORWARDED_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})


def owner_of(path: str) -> str | None:
    matches = [p for p in OWNERS if path == p or path.startswith(p + "/")]
    return OWNERS[max(matches, key=len)] if matches else None


def bearer_identity(headers: Headers, token_secret: str) -> Identity | None:
    """The caller a bearer token names; no (or another kind of) Authorization is anonymous."""
    scheme, _, token = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    try:
        return verify(token.strip(), token_secret)
    except InvalidToken as exc:
        raise Problem(401, "invalid-token", str(exc)) from exc


class ForwardingProxy:
    def __init__(
        self, app: ASGIApp, upstreams: Upstreams, token_secret: str, max_body_bytes: int
    ) -> None:
        self.app = app
        self.upstreams = upstreams
        self.token_secret = token_secret
        self.max_body_bytes = max_body_bytes
        self.traced = RequestTracing(self._forward)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        service = owner_of(scope["path"]) if scope["type"] == "http" else None
        if service is None or scope["method"] not in FORWARDED_METHODS:
            await self.app(scope, receive, send)
            return
        await self.traced(scope, receive, send)

    async def _forward(self, scope: Scope, receive: Receive, send: Send) -> None:
        service = owner_of(scope["path"])
        assert service is not None
        try:
            headers = Headers(scope=scope)
            identity = bearer_identity(headers, self.token_secret)
            body = await read_body(receive, self.max_body_bytes)
            response = await self.upstreams.relay(
                service,
                scope["method"],
                scope["path"],
                scope["query_string"],
                headers,
                body,
                identity,
            )
        except Problem as problem:
            response = problem_response(problem, scope["path"])
        except Exception:  # what FastAPI's ServerErrorMiddleware would do: log, answer
            log.exception("forwarding %s %s failed", scope["method"], scope["path"])
            failed = Problem(502, "bad-gateway", f"the {service} service could not be reached")
            response = problem_response(failed, scope["path"])
        await response(scope, receive, send)
