"""The claim-act-commit loop's logic, without a server: batches, commits, the end of a round."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from types import TracebackType
from typing import Any

import pytest

from ticketing_runtime.due_work import work_off_due


class RecordingUnitOfWork:
    def __init__(self, log: list[str]) -> None:
        self.log = log
        self.session: Any = None

    async def __aenter__(self) -> RecordingUnitOfWork:
        self.log.append("begin")
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.log.append("end")

    async def commit(self) -> None:
        self.log.append("commit")


class RecordingDatabase:
    def __init__(self) -> None:
        self.log: list[str] = []

    def unit_of_work(self) -> RecordingUnitOfWork:
        return RecordingUnitOfWork(self.log)


def queue_of(items: list[int]) -> Any:
    async def claim(session: object, limit: int) -> list[int]:
        batch = items[:limit]
        del items[:limit]
        return batch

    return claim


async def test_works_off_every_due_batch_each_in_its_own_committed_transaction() -> None:
    database, seen = RecordingDatabase(), []

    async def act(uow: Any, due: Sequence[int]) -> int:
        seen.append(list(due))
        return len(due)

    done = await work_off_due(database, queue_of([1, 2, 3, 4, 5]), act, batch_size=2)  # type: ignore[arg-type]

    assert done == 5
    assert seen == [[1, 2], [3, 4], [5]]
    assert database.log == ["begin", "commit", "end"] * 3 + ["begin", "end"]


async def test_returns_what_act_counted_not_what_was_claimed() -> None:
    async def act(uow: Any, due: Sequence[int]) -> int:
        return sum(n % 2 for n in due)

    assert await work_off_due(RecordingDatabase(), queue_of([1, 2, 3]), act) == 2  # type: ignore[arg-type]


async def test_nothing_due_opens_one_transaction_and_commits_nothing() -> None:
    database = RecordingDatabase()

    async def act(uow: Any, due: Sequence[int]) -> int:
        raise AssertionError("nothing to act on")

    assert await work_off_due(database, queue_of([]), act) == 0  # type: ignore[arg-type]
    assert database.log == ["begin", "end"]


async def test_an_act_that_raises_is_not_committed_and_ends_the_round() -> None:
    database = RecordingDatabase()

    async def act(uow: Any, due: Sequence[int]) -> int:
        raise RuntimeError("bug")

    with pytest.raises(RuntimeError):
        await work_off_due(database, queue_of([1, 2]), act)  # type: ignore[arg-type]
    assert database.log == ["begin", "end"]


async def test_a_stop_ends_the_round_between_batches_never_inside_one() -> None:
    """A shutdown during a backlog: the batch being acted on commits (an e-mail the server took
    is recorded as sent), and no other is begun."""
    database, seen, stop = RecordingDatabase(), [], asyncio.Event()

    async def act(uow: Any, due: Sequence[int]) -> int:
        seen.append(list(due))
        stop.set()  # SIGTERM arrives while this batch is being sent
        return len(due)

    done = await work_off_due(database, queue_of([1, 2, 3, 4]), act, batch_size=2, stop=stop)  # type: ignore[arg-type]

    assert (done, seen) == (2, [[1, 2]])
    assert database.log == ["begin", "commit", "end"]
