"""A worker of the shared due-work loop, in a process of its own, whose act kills that process
when it meets the job ``poison`` (as a crash in native code or the kernel's OOM killer would):
``python -m tests.support.dying_worker BATCH_SIZE``. Every other job is marked done. Exits 0 once
nothing is due."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Sequence

from sqlalchemy import MetaData
from sqlalchemy.engine import RowMapping

from tests.support import runtime_harness as harness
from tests.support.due_jobs import due_jobs_table
from ticketing_runtime.database import Database, UnitOfWork
from ticketing_runtime.due_work import CrashGuard, claim_due, work_off_due

POISON = "poison"
KILLED = 137  # how a process killed by SIGKILL exits, as the kernel's OOM killer does

metadata = MetaData()
guarded_jobs = due_jobs_table("guarded_jobs", metadata)
guard: CrashGuard[RowMapping] = CrashGuard(guarded_jobs, "job_id", lambda row: row["job_id"])


async def claim(session: object, limit: int) -> list[RowMapping]:
    return await claim_due(session, guarded_jobs, limit)  # type: ignore[arg-type]


async def act(uow: UnitOfWork, due: Sequence[RowMapping]) -> int:
    for row in due:
        if row["job_id"] == POISON:
            sys.stdout.flush()
            os._exit(KILLED)  # no rollback, no cleanup: the process is gone
        done = guarded_jobs.update().where(guarded_jobs.c.job_id == row["job_id"])
        await uow.session.execute(done.values(status="done"))
        print(f"done {row['job_id']}", flush=True)
    return len(due)


async def main(batch_size: int) -> None:
    database = Database(harness.settings())
    try:
        await work_off_due(database, claim, act, batch_size=batch_size, guard=guard)
    finally:
        await database.dispose()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
