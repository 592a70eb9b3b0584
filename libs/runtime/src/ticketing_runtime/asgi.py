"""Plain ASGI helpers for the few hot paths that skip FastAPI's routing (the gateway's forwarding,
inventory's hold placement)."""

from __future__ import annotations

from starlette.types import Receive

from ticketing_runtime.problems import Problem


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
