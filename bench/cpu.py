"""CPU spent by the platform's processes during a benchmark, read from ``/proc``.

Every process we started has a PID file under ``<run>/pids`` (services, dev tools, PostgreSQL,
Redis, RabbitMQ, the edge); a process belongs to the first of those roots on its parent chain.
A sampler thread reads ``utime + stime`` of every process every ``interval_s`` so that short-lived
processes (a PostgreSQL backend, a worker that was replaced) count up to their last sample.

    with CpuMeter() as meter:
        ...drive the stack...
    meter.ms_by_group()   # {"inventory": 812.0, "postgres": 301.5, ...}
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RUN = Path(os.environ.get("TICKETING_RUN_DIR", ROOT / ".run"))
TICKS_PER_S = os.sysconf("SC_CLK_TCK")
LOADGEN = "loadgen"  # this process and its children

# what a root's PID file is called → the group it is reported under
GROUP_OF_ROOT = {
    "rabbitmq-launcher": "rabbitmq",
    "epmd": "rabbitmq",
    "nginx": "edge",
}
INFRASTRUCTURE = frozenset({"postgres", "redis", "rabbitmq", "edge"})
HARNESS = frozenset({"stripe-emulator", "smtp-sink", LOADGEN})


def _roots(run: Path) -> dict[int, str]:
    roots = {os.getpid(): LOADGEN}
    for pid_file in (run / "pids").glob("*.pid"):
        try:
            pid = int(pid_file.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue
        roots[pid] = GROUP_OF_ROOT.get(pid_file.stem, pid_file.stem)
    return roots


def _read_stat(pid: str) -> tuple[int, int] | None:
    """(parent pid, CPU ticks) of one process, or None if it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[1]), int(fields[11]) + int(fields[12])


class CpuMeter:
    """Sums the CPU of our processes, by group, between ``start()`` and ``stop()``."""

    def __init__(self, run: Path = RUN, interval_s: float = 0.5) -> None:
        self._run = run
        self._interval_s = interval_s
        self._first: dict[int, int] = {}
        self._last: dict[int, int] = {}
        self._group: dict[int, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> CpuMeter:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> None:
        self._sample(first=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self._sample(first=False)

    def _loop(self) -> None:
        while not self._stop.wait(self._interval_s):
            self._sample(first=False)

    def _sample(self, first: bool) -> None:
        roots = _roots(self._run)
        stats = {int(p): s for p in os.listdir("/proc") if p.isdigit() if (s := _read_stat(p))}
        for pid, (_, ticks) in stats.items():
            group = self._group.get(pid) or _group_of(pid, stats, roots)
            if group is None:
                continue
            self._group[pid] = group
            # a process born during the run counts from zero
            self._first.setdefault(pid, ticks if first else 0)
            self._last[pid] = ticks

    def ms_by_group(self) -> dict[str, float]:
        totals: dict[str, float] = {}
        for pid, group in self._group.items():
            spent = (self._last.get(pid, 0) - self._first.get(pid, 0)) * 1000 / TICKS_PER_S
            totals[group] = totals.get(group, 0.0) + spent
        return dict(sorted(totals.items()))


def _group_of(pid: int, stats: dict[int, tuple[int, int]], roots: dict[int, str]) -> str | None:
    seen = 0
    while pid > 1 and seen < 64:
        if pid in roots:
            return roots[pid]
        parent = stats.get(pid)
        if parent is None:
            return None
        pid, seen = parent[0], seen + 1
    return None


def per_unit(meter: CpuMeter, units: int) -> dict[str, Any]:
    """The figures every bench prints: platform and harness CPU per unit, and by group."""
    units = max(units, 1)
    by_group = meter.ms_by_group()
    platform = sum(v for g, v in by_group.items() if g not in HARNESS)
    harness = sum(v for g, v in by_group.items() if g in HARNESS)
    return {
        "platform_cpu_ms_per_unit": round(platform / units, 3),
        "harness_cpu_ms_per_unit": round(harness / units, 3),
        "cpu_ms_by_process": {g: round(v, 1) for g, v in by_group.items()},
    }


if __name__ == "__main__":  # a quick look: CPU by group over five seconds
    with CpuMeter() as sample:
        time.sleep(5)
    print(sample.ms_by_group())
