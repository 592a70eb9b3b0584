"""Plain ASGI helpers for the few hot paths that skip FastAPI's routing (the gateway's forwarding,
inventory's hold placement), and the guard in front of every service."""

from __future__ import annotations

import logging
import uuid
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ticketing_runtime.correlation import HTTP_HEADER, current_correlation_id, sane_id
from ticketing_runtime.fields import has_control_characters
from ticketing_runtime.problems import Problem, problem_response, unhandled_problem

log = logging.getLogger(__name__)


async def read_body(receive: Receive, limit: int) -> bytes:
    """The whole request body; 413 above ``limit`` bytes, 400 if the client went away."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise Problem(400, "client-disconnected", "the request body did not arrive")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise Problem(413, "body-too-large", f"request bodies are limited to {limit} bytes")
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


class BoundaryGuard:
    """Outermost ASGI layer of every service (in front of the fast paths and FastAPI):

    - a path or query string with a control character (a NUL, percent-encoded or not) is
      refused with 422 before any route, model or database sees it;
    - an exception nothing else turned into an answer becomes a 500 problem+json with the
      request id, never Starlette's ``text/plain`` "Internal Server Error";
    - HEAD is answered wherever GET is (RFC 9110 §9.3.2): the GET's status and headers, no body;
    - an answer that says nothing of caching is ``Cache-Control: no-store``: answers carry
      bearer tokens, order access tokens, ticket secrets and customers' addresses, which no
      browser or proxy cache may keep.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = _uncached(send)
        scope, request_id = _with_request_id(scope)
        if refused := _control_characters(scope):
            refused.extra["request_id"] = request_id
            await problem_response(refused, scope["path"])(scope, receive, send)
            return
        started = False
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        try:
            await self.app(scope, receive, watched_send)
        except Exception as error:
            log.exception("unhandled error on %s %s", scope["method"], scope["path"])
            if started:  # answered already (FastAPI's handler did): nothing more to send
                return
            failed = unhandled_problem(error, request_id)
            await problem_response(failed, scope["path"])(scope, receive, send)


_REQUEST_ID = HTTP_HEADER.lower().encode()
_CACHE_CONTROL = b"cache-control"


def _uncached(send: Send) -> Send:
    async def send_uncached(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            if not any(name.lower() == _CACHE_CONTROL for name, _ in headers):
                message = {**message, "headers": [*headers, (_CACHE_CONTROL, b"no-store")]}
        await send(message)

    return send_uncached


def _with_request_id(scope: Scope) -> tuple[Scope, str]:
    """The request's id (its correlation id): the caller's if it is sane, or a new one every
    layer sees."""
    headers = scope.get("headers", [])
    for name, value in headers:
        if name == _REQUEST_ID and (kept := sane_id(value.decode("latin-1"))):
            return scope, kept
    request_id = current_correlation_id.get() or str(uuid.uuid4())
    others = [(name, value) for name, value in headers if name != _REQUEST_ID]
    return {**scope, "headers": [*others, (_REQUEST_ID, request_id.encode())]}, request_id


def _control_characters(scope: Scope) -> Problem | None:
    path = scope["path"]
    if has_control_characters(path) or has_control_characters(scope.get("root_path", "")):
        return _refused("path", "the path must not contain control characters")
    query = scope.get("query_string", b"")
    if not query:
        return None
    for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
        if has_control_characters(name) or has_control_characters(value):
            return _refused(f"query.{name}", "must not contain control characters")
    return None


def _refused(location: str, message: str) -> Problem:
    return Problem(
        422,
        "validation-error",
        f"{location}: {message}",
        title="Invalid request",
        errors=[{"location": location, "message": message}],
    )
