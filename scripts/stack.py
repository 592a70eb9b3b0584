#!/usr/bin/env python3
"""Start, stop and inspect the platform's processes (each service is its own process).

    scripts/stack.py up [SERVICE ...]      start (all by default) and wait until /readyz answers
    scripts/stack.py down [SERVICE ...]    SIGTERM by PID, SIGKILL after the grace period
    scripts/stack.py status                one line per process
    scripts/stack.py kill SERVICE          SIGKILL by PID (chaos tests)

Logs go to <run>/logs/<name>.log and PIDs to <run>/pids/<name>.pid; ``scripts/infra`` owns the
databases and the broker. Only processes whose PID files we wrote, and that run in this network
namespace, are ever signalled or counted as running.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shlex
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN = Path(os.environ.get("TICKETING_RUN_DIR", ROOT / ".run"))
BIN = ROOT / ".venv" / "bin"
SMTP_SINK_SMTP_PORT = 28025
SMTP_SINK_API_PORT = 28026  # the sink's Process port: /readyz is on its JSON API
MAIL_DIR = RUN / "mail"
# the public edge (nginx, run by scripts/infra): the one address clients use
EDGE_URL = f"http://127.0.0.1:{os.environ.get('TICKETING_EDGE_PORT', '28080')}"


@dataclass(frozen=True)
class Process:
    name: str
    port: int
    command: tuple[str, ...]
    dev_tool: bool = False  # not a service of the platform (no database, broker or metrics)
    # defaults for this process only; the environment we were started with overrides them
    env: tuple[tuple[str, str], ...] = ()

    @property
    def pid_file(self) -> Path:
        return RUN / "pids" / f"{self.name}.pid"

    @property
    def log_file(self) -> Path:
        return RUN / "logs" / f"{self.name}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _service(name: str, port: int, env: tuple[tuple[str, str], ...] = ()) -> Process:
    return Process(name, port, (str(BIN / f"ticketing-{name}"),), env=env)


PROCESSES = {
    p.name: p
    for p in (
        # dev tool standing in for Stripe (payments talks to it through the official SDK)
        Process("stripe-emulator", 28090, (str(BIN / "stripe-emulator"),), dev_tool=True),
        # dev tool standing in for a mail server: every e-mail lands as a file in MAIL_DIR
        Process(
            "smtp-sink",
            SMTP_SINK_API_PORT,
            (str(BIN / "smtp-sink"),),
            dev_tool=True,
            env=(
                ("SMTP_SINK_PORT", str(SMTP_SINK_SMTP_PORT)),
                ("SMTP_SINK_HTTP_PORT", str(SMTP_SINK_API_PORT)),
                ("SMTP_SINK_DIR", str(MAIL_DIR)),
            ),
        ),
        # the hot path of sale day: two processes (HTTP workers sharing the port)
        _service("inventory", 28081, env=(("TICKETING_HTTP_WORKERS", "2"),)),
        _service("orders", 28082),
        _service("payments", 28083),
        _service("documents", 28084),
        _service(
            "notifications",
            28085,
            env=(
                ("TICKETING_SMTP_HOST", "127.0.0.1"),
                ("TICKETING_SMTP_PORT", str(SMTP_SINK_SMTP_PORT)),
            ),
        ),
        # off the hot path now (the edge sends requests straight to their service): one process
        _service("gateway", 28086),
    )
}


def service_env() -> dict[str, str]:
    """Our environment plus the connection settings of the infrastructure ``scripts/infra`` runs."""
    env = dict(os.environ)
    exports = subprocess.run(
        [str(ROOT / "scripts" / "infra"), "env"], capture_output=True, text=True, check=True
    ).stdout
    for line in exports.splitlines():
        if line.startswith("export ") and "=" in line:
            key, value = line.removeprefix("export ").split("=", 1)
            env.setdefault(key, shlex.split(value)[0] if value else "")
    env.setdefault("TICKETING_OTEL_SPANS_FILE", str(RUN / "logs" / "spans.jsonl"))
    return env


def pid_of(process: Process) -> int | None:
    try:
        pid = int(process.pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except FileNotFoundError:
        return None
    if process.command[0] not in cmdline.split("\0")[:2] and process.command[0] not in cmdline:
        return None  # the PID was recycled by something that is not ours
    if not _same_network(pid):
        # started from another network namespace (an earlier run in `ip netns exec`): it cannot
        # answer on our loopback, so here it does not count as running; a new one is started
        return None
    return pid


def _same_network(pid: int) -> bool:
    try:
        return os.readlink(f"/proc/{pid}/ns/net") == os.readlink("/proc/self/ns/net")
    except OSError:
        return True  # not ours to inspect (another user's process): judged by its command alone


def exited(process: Process) -> bool:
    """True once the process we started is gone (or a zombie); right after fork it still runs."""
    try:
        pid = int(process.pid_file.read_text().strip())
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ValueError):
        return True
    return "\nState:\tZ" in status


def listening(port: int) -> bool:
    """Something listens on 127.0.0.1:``port``, read from /proc without connecting: a probe
    that connects holds a socket on the port's host for nothing, and, should the port ever lie
    in the ephemeral range (a ``TICKETING_*_PORT`` override), could connect to itself."""
    wanted = f":{port:04X}"
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError), open(table) as sockets:
            for line in sockets.readlines()[1:]:
                fields = line.split()
                if fields[1].endswith(wanted) and fields[3] == "0A":  # 0A: LISTEN
                    return True
    return False


def ready(process: Process, timeout: float = 1.0) -> bool:
    if not listening(process.port):
        return False
    try:
        with urllib.request.urlopen(f"{process.url}/readyz", timeout=timeout) as answer:
            return bool(answer.status == 200)
    except (urllib.error.URLError, OSError, http.client.HTTPException):
        return False


def start(process: Process, extra_env: dict[str, str] | None = None) -> None:
    if pid_of(process) is not None:
        return
    for folder in ("logs", "pids"):
        (RUN / folder).mkdir(parents=True, exist_ok=True)
    with process.log_file.open("ab") as log:
        child = subprocess.Popen(
            process.command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**dict(process.env), **service_env(), **(extra_env or {})},
            start_new_session=True,
            cwd=ROOT,
        )
    process.pid_file.write_text(f"{child.pid}\n")


def wait_ready(processes: list[Process], deadline_s: float = 90.0) -> None:
    deadline = time.monotonic() + deadline_s
    waiting = list(processes)
    while waiting and time.monotonic() < deadline:
        for process in list(waiting):
            if exited(process):
                _fail(process, "exited during start-up")
            if ready(process):
                waiting.remove(process)
        time.sleep(0.2)
    for process in waiting:
        _fail(process, f"not ready after {deadline_s:.0f} s")


def _fail(process: Process, why: str) -> None:
    tail = process.log_file.read_text(errors="replace").splitlines()[-30:]
    sys.exit(f"{process.name} {why}; last log lines:\n" + "\n".join(tail))


def _running(pid: int) -> bool:
    """Alive and not a zombie (a zombie's parent may not be us, so we cannot always reap it)."""
    _reap(pid)
    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False


def stop(process: Process, grace_s: float = 30.0, sig: int = signal.SIGTERM) -> None:
    pid = pid_of(process)
    if pid is not None:
        # the process group we started (start_new_session): a service's worker processes too
        os.killpg(pid, sig)
        deadline = time.monotonic() + grace_s
        while _running(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _running(pid):
            os.killpg(pid, signal.SIGKILL)
            while _running(pid):
                time.sleep(0.05)
    process.pid_file.unlink(missing_ok=True)


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def select(names: list[str]) -> list[Process]:
    unknown = [n for n in names if n not in PROCESSES]
    if unknown:
        sys.exit(f"unknown process(es): {', '.join(unknown)}; known: {', '.join(PROCESSES)}")
    return [PROCESSES[n] for n in names] if names else list(PROCESSES.values())


def main(argv: list[str]) -> None:
    command, names = (argv[0] if argv else "status"), argv[1:]
    chosen = select(names)
    if command == "up":
        for process in chosen:
            start(process)
        wait_ready(chosen)
        names = [p.name for p in chosen]
        if "stripe-emulator" in names:
            print(f"stripe emulator: {PROCESSES['stripe-emulator'].url}")
        if "smtp-sink" in names:
            sink = PROCESSES["smtp-sink"]
            print(
                f"smtp sink: smtp://127.0.0.1:{SMTP_SINK_SMTP_PORT}, mail in {MAIL_DIR}, "
                f"list: {sink.url}/messages"
            )
        print(f"edge: {EDGE_URL}" if "gateway" in names else "up")
    elif command == "down":
        for process in reversed(chosen):
            stop(process)
    elif command == "kill":
        for process in chosen:
            stop(process, grace_s=0, sig=signal.SIGKILL)
    elif command == "status":
        report = {p.name: {"pid": pid_of(p), "ready": ready(p), "url": p.url} for p in chosen}
        print(json.dumps(report, indent=2))
        sys.exit(0 if all(r["ready"] for r in report.values()) else 3)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
