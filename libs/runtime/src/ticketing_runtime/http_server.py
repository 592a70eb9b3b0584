"""The HTTP/1.1 protocol every service serves with: uvicorn's httptools one, whose answer to a
request it cannot parse is a problem document instead of uvicorn's ``text/plain`` line.

The edge refuses most malformed requests itself, but passes header values that carry control
characters (a NUL aside), which httptools refuses before any ASGI code runs."""

from __future__ import annotations

import json
import uuid

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from ticketing_runtime.correlation import HTTP_HEADER
from ticketing_runtime.problems import PROBLEM_MEDIA_TYPE, Problem

UNPARSEABLE = Problem(
    400,
    "bad-request",
    "the request line or headers are malformed (a header value may not carry control characters)",
)


class ProblemHttpProtocol(HttpToolsProtocol):
    def send_400_response(self, msg: str) -> None:
        request_id = str(uuid.uuid4())  # the request's own is in the headers that did not parse
        body = json.dumps({**UNPARSEABLE.to_dict(), "request_id": request_id}).encode()
        headers = [
            *self.server_state.default_headers,
            (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
            (b"content-length", str(len(body)).encode()),
            (HTTP_HEADER.lower().encode(), request_id.encode()),
            (b"connection", b"close"),
        ]
        head = b"".join(name + b": " + value + b"\r\n" for name, value in headers)
        self.transport.write(b"HTTP/1.1 400 Bad Request\r\n" + head + b"\r\n" + body)
        self.transport.close()
