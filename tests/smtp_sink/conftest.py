"""One SMTP sink process for the module's tests, emptied before each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.smtp_sink import RunningSink, start_sink


@pytest.fixture(scope="module")
def sink(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSink]:
    folder = tmp_path_factory.mktemp("smtp-sink")
    running = start_sink(folder / "mail", folder / "sink.log")
    try:
        yield running
    finally:
        assert running.stop() == 0, running.log.read_text()


@pytest.fixture
async def empty_sink(sink: RunningSink) -> RunningSink:
    await sink.clear()
    return sink
