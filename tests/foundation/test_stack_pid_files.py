"""``scripts/stack.py`` counts a PID file's process as running only when it is ours and can
answer here: a service left running by a run inside another network namespace (an earlier
``ip netns exec … make test``) cannot be reached on our loopback, and ``stack.py up`` waited
90 s for it to become ready instead of starting its own."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.platform import stack
from tests.support.waiting import wait_for

SLEEP = "/usr/bin/sleep"
# a stack.Process (scripts/stack.py is loaded from its path: no type to name) and its children
Probe = tuple[Any, list[subprocess.Popen[bytes]]]


@pytest.fixture
def pid_file_of() -> Iterator[Probe]:
    process = stack.Process(f"probe-{uuid.uuid4().hex[:8]}", 1, (SLEEP,), dev_tool=True)
    started: list[subprocess.Popen[bytes]] = []
    yield process, started
    for child in started:
        child.kill()
        child.wait()
    process.pid_file.unlink(missing_ok=True)


def _start(started: list[subprocess.Popen[bytes]], *command: str) -> subprocess.Popen[bytes]:
    """The command, once it runs (right after fork the child is still this Python)."""
    child = subprocess.Popen(command)
    started.append(child)
    program = command[-2].encode() if command[0] == "unshare" else command[0].encode()

    def running() -> bool:
        return Path(f"/proc/{child.pid}/cmdline").read_bytes().startswith(program)

    wait_for(running, timeout=10, what=f"{command} to start")
    return child


def _record(process: Any, child: subprocess.Popen[bytes]) -> None:
    Path(process.pid_file).parent.mkdir(parents=True, exist_ok=True)
    process.pid_file.write_text(f"{child.pid}\n")


def test_a_process_in_our_network_namespace_counts_as_running(
    pid_file_of: Probe,
) -> None:
    process, started = pid_file_of
    child = _start(started, SLEEP, "30")
    _record(process, child)
    assert stack.pid_of(process) == child.pid


def test_a_process_in_another_network_namespace_does_not(
    pid_file_of: Probe,
) -> None:
    process, started = pid_file_of
    # unshare -n gives the command a network namespace of its own, then becomes it (exec)
    child = _start(started, "unshare", "--net", SLEEP, "30")
    assert os.readlink(f"/proc/{child.pid}/ns/net") != os.readlink("/proc/self/ns/net")
    _record(process, child)
    assert stack.pid_of(process) is None


def test_a_recycled_pid_running_something_else_does_not(
    pid_file_of: Probe,
) -> None:
    process, started = pid_file_of
    child = _start(started, "/usr/bin/tail", "-f", "/dev/null")
    _record(process, child)
    assert stack.pid_of(process) is None
