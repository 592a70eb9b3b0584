"""Schemathesis against each service's own OpenAPI document on its own port: bounded and with a
fixed seed in ``make test``; ``make fuzz`` runs it longer with a random seed."""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.support.platform import RUN

#: examples per operation (each sent as customer, staff and admin); ``make fuzz`` raises it
MAX_EXAMPLES = int(os.environ.get("TICKETING_FUZZ_MAX_EXAMPLES", "6"))
#: seconds per service before the remaining operations are skipped (0: no limit, ``make fuzz``)
TIME_BUDGET_S = float(os.environ.get("TICKETING_FUZZ_TIME_BUDGET_S", "45"))
#: ``random``: a new seed per run (``make fuzz``); otherwise this fixed one
SEED = os.environ.get("TICKETING_FUZZ_SEED", "20261201")


@dataclass
class Tally:
    requests: int = 0
    server_errors: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    skipped_operations: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def count(self, operation: str, status: int) -> None:
        self.requests += 1
        self.statuses[status] += 1
        if status >= 500:
            self.server_errors += 1

    def report(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "server_errors": self.server_errors,
            "duration_s": round(time.monotonic() - self.started, 1),
            "seed": SEED,
            "max_examples": MAX_EXAMPLES,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "failures": self.failures[:100],
            "skipped_operations": self.skipped_operations,
        }


TALLY = Tally()


@pytest.fixture(scope="session", autouse=True)
def fuzz_report() -> Iterator[Tally]:
    yield TALLY
    if TALLY.requests:
        report = json.dumps(TALLY.report())
        (RUN / "fuzz-report.json").write_text(report + "\n")
        print(f"\nfuzz: {report}")
