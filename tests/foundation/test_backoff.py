"""When failed work is tried again, and when it is parked (the loops' shared backoff)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ticketing_runtime.backoff import Backoff


def test_delays_double_from_the_base_up_to_the_cap() -> None:
    backoff = Backoff(base_s=2, cap_s=10, max_attempts=8)
    now = datetime.now(UTC)
    delays = [
        (backoff.after_failure(before).next_attempt_at - now).total_seconds() for before in range(5)
    ]
    for delay, expected in zip(delays, [2, 4, 8, 10, 10], strict=True):
        assert expected <= delay < expected + 1


def test_counts_the_attempt_just_made() -> None:
    assert Backoff(1, 10, 5).after_failure(0).attempts == 1
    assert Backoff(1, 10, 5).after_failure(3).attempts == 4


@pytest.mark.parametrize(("before", "parked"), [(0, False), (2, False), (3, True), (9, True)])
def test_parks_once_the_allowed_attempts_are_used(before: int, parked: bool) -> None:
    assert Backoff(1, 10, max_attempts=4).after_failure(before).park is parked


def test_without_a_limit_it_never_parks() -> None:
    assert not Backoff(1, 10).after_failure(10_000).park


def test_a_failure_that_cannot_get_better_parks_at_once() -> None:
    retry = Backoff(1, 10, max_attempts=4).after_failure(0, retryable=False)
    assert retry.park
    assert retry.attempts == 1
    assert retry.next_attempt_at > datetime.now(UTC) + timedelta(seconds=0.5)
