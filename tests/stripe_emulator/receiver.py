"""A tiny webhook endpoint for the tests: records every request, can be told to fail."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    answered: int

    @property
    def event(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed

    @property
    def signature(self) -> str:
        return self.headers["stripe-signature"]


@dataclass
class _Rule:
    matches: Callable[[dict[str, Any]], bool]
    status: int
    times: int | None  # None: forever


class WebhookReceiver:
    def __init__(self, host: str, port: int = 0) -> None:
        """``port`` 0: any free port (see ``url``)."""
        self._lock = threading.Lock()
        self._received: list[Received] = []
        self._rules: list[_Rule] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status = receiver._status_for(body)
                headers = {key.lower(): value for key, value in self.headers.items()}
                with receiver._lock:
                    receiver._received.append(Received(self.path, headers, body, status))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        self.url = f"http://{host}:{self._server.server_address[1]}/v1/webhooks/stripe"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reset(self) -> None:
        with self._lock:
            self._received.clear()
            self._rules.clear()

    def fail(
        self, matches: Callable[[dict[str, Any]], bool], status: int = 500, times: int | None = None
    ) -> None:
        """Answer ``status`` to matching events (``times`` times, or always)."""
        with self._lock:
            self._rules.append(_Rule(matches, status, times))

    def _status_for(self, body: bytes) -> int:
        try:
            event = json.loads(body)
        except ValueError:
            return 400
        with self._lock:
            for rule in self._rules:
                if rule.matches(event) and rule.times != 0:
                    if rule.times is not None:
                        rule.times -= 1
                    return rule.status
        return 200

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def about(self, object_id: str, type_: str | None = None) -> list[Received]:
        """Requests whose event concerns ``object_id`` (a PaymentIntent or what belongs to it)."""
        return [
            r
            for r in self.received
            if concerns(r.event, object_id) and type_ in (None, r.event["type"])
        ]


def concerns(event: dict[str, Any], object_id: str) -> bool:
    obj = event["data"]["object"]
    return object_id in (obj.get("id"), obj.get("payment_intent"))
