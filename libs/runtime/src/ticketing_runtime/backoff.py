"""Exponential backoff: when to try failed work again (a Stripe call, a render, an e-mail), and
when to stop and park it for staff."""

from __future__ import annotations

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
