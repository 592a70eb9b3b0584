"""A service process of a test's own making: a script run with the stack's environment, its log
in a file, in its own process group (so the test ends it and its workers, and nothing else)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path


def start_script(
    source: str, folder: Path, env: dict[str, str]
) -> tuple[subprocess.Popen[bytes], Path]:
    """``source`` written to ``folder`` and started; the process and its log file."""
    script = folder / "service_script.py"
    script.write_text(source)
    log = folder / "service.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, str(script)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return process, log


def end_group(process: subprocess.Popen[bytes], grace_s: float = 30) -> None:
    """SIGTERM to the process group, SIGKILL after ``grace_s``."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
