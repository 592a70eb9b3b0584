"""Work whose act kills its worker (a crash in WeasyPrint's native code, memory running out on
one huge order) must not kill every worker that claims it for ever, which would stop every
render or e-mail behind it: against the real PostgreSQL, with a real process that dies."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from sqlalchemy import insert, select
from sqlalchemy.engine import RowMapping

from tests.support.dying_worker import KILLED, POISON, claim, guard, guarded_jobs, metadata
from ticketing_runtime.database import Database, UnitOfWork
from ticketing_runtime.due_work import attempts_in_flight, crash_guard_metadata, work_off_due

pytestmark = pytest.mark.infra

ROOT = Path(__file__).resolve().parents[2]
RUNS_ALLOWED = 10


@pytest.fixture
async def guarded(runtime_db: Database) -> Database:
    async with runtime_db.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
        await conn.run_sync(crash_guard_metadata.create_all)
    return runtime_db


async def add(database: Database, job_ids: list[str]) -> None:
    async with database.engine.begin() as conn:
        await conn.execute(insert(guarded_jobs), [{"job_id": job_id} for job_id in job_ids])


async def run_worker(batch_size: int) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "tests.support.dying_worker", str(batch_size)]
    return await asyncio.to_thread(
        subprocess.run, command, cwd=ROOT, capture_output=True, text=True, timeout=60
    )


async def restart_until_clean(batch_size: int) -> list[int]:
    """Start the worker again each time it dies, as Kubernetes would; the exit codes."""
    codes: list[int] = []
    while len(codes) < RUNS_ALLOWED:
        finished = await run_worker(batch_size)
        codes.append(finished.returncode)
        if finished.returncode == 0:
            return codes
        assert finished.returncode == KILLED, finished.stderr[-2000:]
    raise AssertionError(f"the worker still dies after {RUNS_ALLOWED} restarts: {codes}")


async def jobs(database: Database) -> dict[str, tuple[str, int, str | None]]:
    async with database.engine.connect() as conn:
        rows = (await conn.execute(select(guarded_jobs))).all()
    return {row.job_id: (row.status, row.attempts, row.last_error) for row in rows}


async def in_flight(database: Database) -> list[tuple[str, str, int]]:
    query = select(
        attempts_in_flight.c.work, attempts_in_flight.c.key, attempts_in_flight.c.started
    )
    async with database.engine.connect() as conn:
        return [tuple(row) for row in (await conn.execute(query)).all()]  # type: ignore[misc]


async def test_work_that_kills_its_worker_is_parked_after_three_deaths(guarded: Database) -> None:
    await add(guarded, [POISON])

    codes = await restart_until_clean(batch_size=1)

    assert codes == [KILLED, KILLED, KILLED, 0], "three deaths, then parked without acting"
    status, attempts, error = (await jobs(guarded))[POISON]
    assert (status, attempts) == ("parked", 3)
    assert error is not None
    assert "died or failed in each of its last 3 attempts" in error
    assert await in_flight(guarded) == [], "the count goes with the parking"


async def test_the_rest_of_a_batch_a_poison_job_killed_is_done_not_parked(
    guarded: Database,
) -> None:
    innocent = [f"job-{n}" for n in range(7)]
    await add(guarded, [*innocent, POISON])

    codes = await restart_until_clean(batch_size=8)

    assert codes == [KILLED, KILLED, KILLED, 0], "the batch's death, then the poison's alone"
    found = await jobs(guarded)
    assert {job: found[job][0] for job in innocent} == dict.fromkeys(innocent, "done")
    assert found[POISON][0] == "parked"
    assert await in_flight(guarded) == []


async def test_an_attempt_that_finishes_leaves_no_count(guarded: Database) -> None:
    await add(guarded, ["job-a", "job-b"])

    assert await restart_until_clean(batch_size=2) == [0]

    assert {status for status, _, _ in (await jobs(guarded)).values()} == {"done"}
    assert await in_flight(guarded) == []


async def test_an_attempt_a_shutdown_cancels_does_not_count(guarded: Database) -> None:
    """A rolling restart cancels the act of each pod it stops: counted as deaths, three restarts
    during one long render parked an order nothing was wrong with."""
    await add(guarded, ["job-long"])
    acting = asyncio.Event()

    async def act_until_cancelled(uow: UnitOfWork, due: Sequence[RowMapping]) -> int:
        acting.set()
        await asyncio.Event().wait()  # a long act, cut short by the shutdown
        return 0

    work = asyncio.create_task(work_off_due(guarded, claim, act_until_cancelled, guard=guard))
    await asyncio.wait_for(acting.wait(), timeout=10)
    assert [key for _, key, _ in await in_flight(guarded)] == ["job-long"], "counted as begun"
    work.cancel()
    with pytest.raises(asyncio.CancelledError):
        await work

    assert await in_flight(guarded) == [], "the cancelled attempt is not counted"
    assert (await jobs(guarded))["job-long"][0] == "pending", "still due, for the next pod"
