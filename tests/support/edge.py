"""The edge's nginx config, rendered from its template the way the official nginx image does."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import pwd
import re
import subprocess
from collections.abc import Awaitable, Callable, Iterator, Mapping
from pathlib import Path

import httpx

from tests.support.platform import ROOT
from tests.support.waiting import wait_for

TEMPLATE = ROOT / "deploy" / "edge" / "templates" / "default.conf.template"
#: the edge's own 429 (a burst from one address, refused before any service saw it)
EDGE_BUSY = "https://docs.ticketing.example/problems/too-many-requests"
_VARIABLE = re.compile(r"\$\{(TICKETING_[A-Z0-9_]+)\}")


async def past_the_edge(
    send: Callable[[], Awaitable[httpx.Response]], attempts: int = 10
) -> httpx.Response:
    """``send`` again after the edge's own 429, as a client does after its ``Retry-After``: a
    test that bursts hundreds of holds from one address (after another that did) is about what
    the services answer, not about the edge's per-address budget (tests/edge tests that)."""
    for _ in range(attempts):
        answer = await send()
        if answer.status_code != 429 or answer.json().get("type") != EDGE_BUSY:
            return answer
        await asyncio.sleep(float(answer.headers.get("retry-after", "1")))
    return answer


def template_variables() -> set[str]:
    return set(_VARIABLE.findall(TEMPLATE.read_text()))


def render(env: Mapping[str, str]) -> str:
    """envsubst of the defined variables only: an undefined one is left as it is."""
    return _VARIABLE.sub(lambda m: env.get(m.group(1), m.group(0)), TEMPLATE.read_text())


def nginx_check(site_config: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """``nginx -t`` of ``site_config`` included in an http {} block like the official image's."""
    (folder / "conf.d").mkdir(parents=True, exist_ok=True)
    (folder / "conf.d" / "default.conf").write_text(site_config)
    (folder / "nginx.conf").write_text(
        f"user {pwd.getpwuid(os.getuid()).pw_name};\n"
        f"pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\nevents {{}}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  client_body_temp_path {folder};\n"
        f"  proxy_temp_path {folder};\n  include {folder}/conf.d/*.conf;\n}}\n"
    )
    return subprocess.run(
        ["nginx", "-t", "-p", str(folder), "-c", str(folder / "nginx.conf")],
        capture_output=True,
        text=True,
    )


def local_values(folder: Path, upstream: str, **overrides: str) -> dict[str, str]:
    """Template values for a private edge on a free port with every service at ``upstream``."""
    from tests.support.platform import free_port

    (folder / "web").mkdir(parents=True, exist_ok=True)
    (folder / "web" / "index.html").write_text("<!doctype html><title>t</title>")
    values = {
        "TICKETING_EDGE_LISTEN": f"127.0.0.1:{free_port()}",
        "TICKETING_EDGE_WEB_ROOT": str(folder / "web"),
        "TICKETING_EDGE_ACCESS_LOG": str(folder / "access.log"),
        "TICKETING_EDGE_MAX_BODY_BYTES": "1024",
        "TICKETING_EDGE_MAX_JSON_BYTES": "512",
        "TICKETING_EDGE_UPSTREAM_TIMEOUT_S": "1",
        "TICKETING_CORS_ORIGINS": "",
        "TICKETING_EDGE_CORS_MAX_AGE_S": "60",
        "TICKETING_EDGE_SESSION_RATE": "1r/s",
        "TICKETING_EDGE_SESSION_BURST": "5",
        "TICKETING_EDGE_CHECKIN_RATE": "1r/s",
        "TICKETING_EDGE_CHECKIN_BURST": "5",
        "TICKETING_EDGE_CHECKIN_ADDRESS_RATE": "1r/s",
        "TICKETING_EDGE_CHECKIN_ADDRESS_BURST": "40",
        "TICKETING_EDGE_HOLD_RATE": "1r/s",
        "TICKETING_EDGE_HOLD_BURST": "5",
        "TICKETING_EDGE_HOLD_ADDRESS_RATE": "1r/s",
        "TICKETING_EDGE_HOLD_ADDRESS_BURST": "10",
        "TICKETING_EDGE_ORDER_LINKS_RATE": "10r/m",
        "TICKETING_EDGE_ORDER_LINKS_BURST": "10",
        "TICKETING_EDGE_ORDER_RATE": "1r/s",
        "TICKETING_EDGE_ORDER_BURST": "5",
        "TICKETING_EDGE_RETRY_AFTER_S": "1",
    }
    for service in ("GATEWAY", "INVENTORY", "ORDERS", "PAYMENTS", "DOCUMENTS", "NOTIFICATIONS"):
        values[f"TICKETING_{service}_UPSTREAM"] = upstream
    return {**values, **overrides}


@contextlib.contextmanager
def private_edge(values: Mapping[str, str], folder: Path) -> Iterator[str]:
    """A second nginx from the same template (foreground, our child, stopped by its PID);
    yields its base URL."""
    checked = nginx_check(render(values), folder)
    assert checked.returncode == 0, checked.stderr
    nginx = subprocess.Popen(
        ["nginx", "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://{values['TICKETING_EDGE_LISTEN']}"
    try:
        wait_for(lambda: _answers(url) or nginx.poll() is not None, what="the private edge")
        assert nginx.poll() is None, nginx.stderr.read() if nginx.stderr else ""
        yield url
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


class ScriptedUpstream:
    """A raw HTTP/1.1 server standing in for a service: records each request line exactly as
    it arrived and answers with the next scripted status (``hang`` never answers)."""

    def __init__(self) -> None:
        self.request_lines: list[str] = []
        self.script: list[int | str] = []
        self._server: asyncio.Server | None = None
        self.port = 0

    async def __aenter__(self) -> ScriptedUpstream:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *_: object) -> None:
        assert self._server is not None
        self._server.close()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            while head := await reader.readuntil(b"\r\n\r\n"):
                line, *headers = head.decode("latin-1").split("\r\n")
                self.request_lines.append(line)
                length = next(
                    (
                        int(h.split(":", 1)[1])
                        for h in headers
                        if h.lower().startswith("content-length:")
                    ),
                    0,
                )
                await reader.readexactly(length)
                status = self.script.pop(0) if self.script else 200
                if status == "hang":
                    await asyncio.Event().wait()
                body = json.dumps({"seen": line}).encode()
                writer.write(
                    f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n".encode()
                    + body
                )
                await writer.drain()
        writer.close()
