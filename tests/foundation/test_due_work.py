"""The shared claim-act-commit loop against the real PostgreSQL: two workers never claim the same
row, a failure backs off (then parks), a worker that dies mid-act leaves its row claimable."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import MetaData, func, insert, select
from sqlalchemy.engine import RowMapping

from tests.support.due_jobs import due_jobs_table
from ticketing_runtime.backoff import Backoff
from ticketing_runtime.database import Database, UnitOfWork
from ticketing_runtime.due_work import claim_due, postpone_statement, work_off_due

pytestmark = pytest.mark.infra

metadata = MetaData()
jobs = due_jobs_table("due_work_jobs", metadata)


@pytest.fixture
async def due_jobs(runtime_db: Database) -> Database:
    async with runtime_db.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    return runtime_db


async def add_jobs(database: Database, count: int) -> list[str]:
    ids = [f"job-{n:03}" for n in range(count)]
    async with database.engine.begin() as conn:
        await conn.execute(insert(jobs), [{"job_id": i} for i in ids])
    return ids


async def claim(session: object, limit: int) -> list[RowMapping]:
    return await claim_due(session, jobs, limit)  # type: ignore[arg-type]


async def rows(database: Database) -> dict[str, RowMapping]:
    async with database.engine.connect() as conn:
        found = (await conn.execute(select(jobs))).mappings().all()
    return {row["job_id"]: row for row in found}


async def mark_done(uow: UnitOfWork, job_id: str) -> None:
    await uow.session.execute(jobs.update().where(jobs.c.job_id == job_id).values(status="done"))


async def test_two_workers_never_claim_the_same_row(due_jobs: Database) -> None:
    ids = await add_jobs(due_jobs, 30)
    claimed: dict[str, list[str]] = {"a": [], "b": []}
    both_hold_a_row = asyncio.Event()

    def worker(name: str):  # type: ignore[no-untyped-def]
        async def act(uow: UnitOfWork, due: Sequence[RowMapping]) -> int:
            claimed[name].extend(row["job_id"] for row in due)
            if claimed["a"] and claimed["b"]:
                both_hold_a_row.set()
            # the first batch of each worker stays locked until the other holds one too: the
            # other must skip the locked rows (SKIP LOCKED), not wait for them
            await asyncio.wait_for(both_hold_a_row.wait(), timeout=10)
            for row in due:
                await mark_done(uow, row["job_id"])
            return len(due)

        return act

    done = await asyncio.gather(
        work_off_due(due_jobs, claim, worker("a"), batch_size=2),
        work_off_due(due_jobs, claim, worker("b"), batch_size=2),
    )

    assert sum(done) == len(ids)
    assert not set(claimed["a"]) & set(claimed["b"])
    assert sorted(claimed["a"] + claimed["b"]) == ids
    assert claimed["a"]
    assert claimed["b"]
    assert {row["status"] for row in (await rows(due_jobs)).values()} == {"done"}


async def test_a_failure_backs_off_then_parks(due_jobs: Database) -> None:
    [job_id] = await add_jobs(due_jobs, 1)
    backoff = Backoff(base_s=60, cap_s=600, max_attempts=2)
    tries: list[int] = []

    async def fail(uow: UnitOfWork, due: Sequence[RowMapping]) -> int:
        for row in due:
            tries.append(row["attempts"])
            retry = backoff.after_failure(row["attempts"])
            await uow.session.execute(
                postpone_statement(jobs, "job_id", row["job_id"], retry, "provider down")
            )
        return 0

    before = datetime.now(UTC)
    await work_off_due(due_jobs, claim, fail)
    first = (await rows(due_jobs))[job_id]
    assert tries == [0], "postponed once, not retried at once in the same round"
    assert (first["status"], first["attempts"], first["last_error"]) == (
        "pending",
        1,
        "provider down",
    )
    assert first["next_attempt_at"] >= before + timedelta(seconds=59)

    await work_off_due(due_jobs, claim, fail)
    assert tries == [0], "not due before its backoff is over"

    async with due_jobs.engine.begin() as conn:  # the backoff is over
        await conn.execute(jobs.update().values(next_attempt_at=func.now()))
    await work_off_due(due_jobs, claim, fail)
    second = (await rows(due_jobs))[job_id]
    assert tries == [0, 1]
    assert (second["status"], second["attempts"]) == ("parked", 2)
    await work_off_due(due_jobs, claim, fail)
    assert tries == [0, 1], "a parked row is never claimed again"


async def test_a_worker_dying_mid_act_leaves_its_row_claimable(due_jobs: Database) -> None:
    [job_id] = await add_jobs(due_jobs, 1)
    acting = asyncio.Event()

    async def hang(uow: UnitOfWork, due: Sequence[RowMapping]) -> int:
        await mark_done(uow, due[0]["job_id"])  # written, never committed
        acting.set()
        await asyncio.Event().wait()
        return 1

    dying = asyncio.create_task(work_off_due(due_jobs, claim, hang))
    await asyncio.wait_for(acting.wait(), timeout=10)
    async with due_jobs.unit_of_work() as uow:
        assert await claim(uow.session, 1) == [], "held by the acting worker"
    dying.cancel()
    with pytest.raises(asyncio.CancelledError):
        await dying

    row = (await rows(due_jobs))[job_id]
    assert (row["status"], row["attempts"]) == ("pending", 0)

    async def finish(uow: UnitOfWork, due: Sequence[RowMapping]) -> int:
        for found in due:
            await mark_done(uow, found["job_id"])
        return len(due)

    assert await work_off_due(due_jobs, claim, finish) == 1
    assert (await rows(due_jobs))[job_id]["status"] == "done"


async def test_an_act_that_raises_rolls_back_its_batch(due_jobs: Database) -> None:
    ids = await add_jobs(due_jobs, 2)

    async def explode(uow: UnitOfWork, due: Sequence[RowMapping]) -> int:
        await mark_done(uow, due[0]["job_id"])
        raise RuntimeError("bug in act")

    with pytest.raises(RuntimeError):
        await work_off_due(due_jobs, claim, explode, batch_size=2)
    assert {row["status"] for row in (await rows(due_jobs)).values()} == {"pending"}
    assert sorted(await rows(due_jobs)) == ids
