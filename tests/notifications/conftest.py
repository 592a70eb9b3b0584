"""The SMTP sink dev tool as a real process for the sending tests (no platform needed)."""

from __future__ import annotations

from tests.support.smtp_sink import sink

__all__ = ["sink"]  # the fixture, shared
