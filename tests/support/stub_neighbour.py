"""A neighbouring service stubbed at the HTTP boundary: a real HTTP server on a free loopback port
answering what a test set for each path (for integration tests of one service in process)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HOST = "127.0.0.1"


class StubNeighbour:
    def __init__(self) -> None:
        self._answers: dict[str, tuple[int, bytes, str]] = {}
        self._lock = threading.Lock()
        self.requests: list[str] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with stub._lock:
                    stub.requests.append(self.path)
                    status, body, media_type = stub._answers.get(
                        self.path, (404, b'{"detail": "not stubbed"}', "application/json")
                    )
                self.send_response(status)
                self.send_header("Content-Type", media_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer((HOST, 0), Handler)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self._server.server_address[1]}"

    def answer_json(self, path: str, body: Any, status: int = 200) -> None:
        with self._lock:
            self._answers[path] = (status, json.dumps(body).encode(), "application/json")

    def answer_bytes(self, path: str, body: bytes, media_type: str) -> None:
        with self._lock:
            self._answers[path] = (200, body, media_type)

    def start(self) -> None:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def stub_neighbour() -> Iterator[StubNeighbour]:
    stub = StubNeighbour()
    stub.start()
    try:
        yield stub
    finally:
        stub.stop()
