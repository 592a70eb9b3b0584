"""Time zones of catalogue data where a paid order must never fail because of them (invariant 3
and 10): tickets and e-mails fall back to UTC, which they print with the time, and log why."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from ticketing_runtime.fields import is_time_zone

FALLBACK_ZONE = "UTC"
log = logging.getLogger(__name__)


def usable_zone_name(name: str | None, *, what: str) -> str:
    """``name`` when ``zoneinfo`` knows it, else ``"UTC"`` (a warning names ``what`` it is for:
    the times then read e.g. ``20:00 UTC``, so the offset is said, never silently wrong)."""
    if name and is_time_zone(name):
        return name
    log.warning("%s: time zone %r unknown, times shown in %s", what, name, FALLBACK_ZONE)
    return FALLBACK_ZONE


def zone_or_utc(name: str | None, *, what: str) -> ZoneInfo:
    """The ``ZoneInfo`` of ``usable_zone_name``."""
    return ZoneInfo(usable_zone_name(name, what=what))
