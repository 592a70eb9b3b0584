"""One SMTP sink process for the module's tests, emptied before each test."""

from __future__ import annotations

import pytest

from tests.support.smtp_sink import RunningSink, sink

__all__ = ["sink"]  # the fixture, shared


@pytest.fixture
async def empty_sink(sink: RunningSink) -> RunningSink:
    await sink.clear()
    return sink
