"""Exponential backoff: when to try failed work again (a Stripe call, a render, an e-mail), and
when to stop and park it for staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

# base·2^62 already exceeds any cap; a larger exponent would only risk an OverflowError
_MAX_EXPONENT = 62


def retry_delay_s(attempt: int, base_s: float, cap_s: float) -> float:
    """Delay after the ``attempt``-th failed try (from 1): base, 2·base, 4·base … at most cap."""
    if attempt < 1:
        raise ValueError(f"attempts count from 1, got {attempt}")
    return float(min(cap_s, base_s * 2 ** min(attempt - 1, _MAX_EXPONENT)))


def should_park(attempt: int, max_attempts: int) -> bool:
    """True once ``attempt`` tries (from 1) have failed and no other is allowed."""
    return attempt >= max_attempts


def retry_at(attempt: int, base_s: float, cap_s: float) -> datetime:
    """When the next try after the ``attempt``-th failure is due (see ``retry_delay_s``)."""
    return datetime.now(UTC) + timedelta(seconds=retry_delay_s(attempt, base_s, cap_s))


@dataclass(frozen=True)
class Retry:
    """What to record after a failed attempt."""

    attempts: int  # attempts made, this one included
    next_attempt_at: datetime
    park: bool  # no further attempt: parked for staff


@dataclass(frozen=True)
class Backoff:
    """Delays ``base_s``, ``2·base_s`` … at most ``cap_s``; parked after ``max_attempts`` failed
    attempts (``None``: never parked, retried for ever)."""

    base_s: float
    cap_s: float
    max_attempts: int | None = None

    def after_failure(self, attempts_before: int, *, retryable: bool = True) -> Retry:
        """The retry after one more failed attempt; not ``retryable``: parked at once."""
        attempts = attempts_before + 1
        exhausted = self.max_attempts is not None and should_park(attempts, self.max_attempts)
        return Retry(
            attempts=attempts,
            next_attempt_at=retry_at(attempts, self.base_s, self.cap_s),
            park=exhausted or not retryable,
        )
