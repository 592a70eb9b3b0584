"""The unit of work's own statements (inbox, outbox, NOTIFY) on real PostgreSQL: in the one
transaction of the unit of work, one NOTIFY per transaction, and no stale pooled connection."""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy import func, select, text

from tests.support import runtime_harness as harness
from tests.support.platform import ADMIN_DATABASE_URL
from tests.support.runtime_harness import RuntimeProbeV1
from tests.support.waiting import eventually
from ticketing_runtime.database import Database, transaction_connection
from ticketing_runtime.inbox import claim_message
from ticketing_runtime.outbox import inbox, outbox, outbox_channel

pytestmark = pytest.mark.infra


async def _count(database: Database, table: object) -> int:
    async with database.engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())  # type: ignore[arg-type]


async def test_inbox_claim_and_outbox_rows_roll_back_with_the_orm_work_of_the_unit(
    runtime_db: Database,
) -> None:
    async with runtime_db.unit_of_work() as uow:
        assert await claim_message(uow.session, message_id="m-1", consumer="c", event_type="t")
        await uow.publish(RuntimeProbeV1(n=1))
        # the session's own work runs in the same transaction: it sees the rows written past it
        seen = await uow.session.execute(text("SELECT count(*) FROM inbox"))
        assert seen.scalar_one() == 1
        # leaving without commit rolls back
    assert await _count(runtime_db, inbox) == 0
    assert await _count(runtime_db, outbox) == 0

    async with runtime_db.unit_of_work() as uow:
        assert await claim_message(uow.session, message_id="m-1", consumer="c", event_type="t")
        await uow.publish(RuntimeProbeV1(n=2))
        await uow.commit()
    assert await _count(runtime_db, inbox) == 1
    assert await _count(runtime_db, outbox) == 1

    async with runtime_db.unit_of_work() as uow:
        again = await claim_message(uow.session, message_id="m-1", consumer="c", event_type="t")
        other = await claim_message(uow.session, message_id="m-1", consumer="d", event_type="t")
    assert (again, other) == (False, True), "a message is claimed once per consumer"


async def test_a_fact_told_twice_under_its_own_message_id_is_one_outbox_row(
    runtime_db: Database,
) -> None:
    """A hold's expiry announced again (a sweeper crashed before it forgot it, or a second one
    overlapped): the same message id, so the second is not written while the first is there,
    and a consumer's inbox drops it if it comes after the first was sent and pruned."""
    for n in (1, 2):
        async with runtime_db.unit_of_work() as uow:
            told = await uow.publish(RuntimeProbeV1(n=n), message_id="probe:the-fact")
            await uow.commit()
        assert told == "probe:the-fact"
    async with runtime_db.engine.connect() as conn:
        rows = (await conn.execute(select(outbox.c.message_id, outbox.c.headers))).all()
    assert [row.message_id for row in rows] == ["probe:the-fact"]
    assert rows[0].headers["ce-id"] == "probe:the-fact"  # what consumers de-duplicate on


async def test_claim_sent_with_its_begin_keeps_quotes_and_backslashes_as_they_are(
    runtime_db: Database,
) -> None:
    odd = "it's a \\'); DROP TABLE inbox; --"
    async with runtime_db.unit_of_work() as uow:
        assert await claim_message(uow.session, message_id=odd, consumer="c", event_type="t")
        await uow.commit()
    async with runtime_db.unit_of_work() as uow:
        assert not await claim_message(uow.session, message_id=odd, consumer="c", event_type="t")
        stored = await uow.session.execute(text("SELECT message_id FROM inbox"))
        assert stored.scalars().all() == [odd]


async def test_a_transaction_of_many_events_wakes_the_relay_once_at_commit(
    runtime_db: Database,
) -> None:
    listener = await asyncpg.connect(runtime_db.settings.database_url.replace("+asyncpg", ""))
    notified: list[str] = []
    channel = outbox_channel(harness.SCHEMA)
    await listener.add_listener(channel, lambda *args: notified.append(args[2]))
    try:
        async with runtime_db.unit_of_work() as uow:
            await uow.publish_all([RuntimeProbeV1(n=n) for n in range(5)])
            await uow.commit()
        await eventually(lambda: notified, what="the NOTIFY of the commit")
        async with runtime_db.unit_of_work() as uow:
            await uow.publish(RuntimeProbeV1(n=6))  # rolled back: no NOTIFY
        await harness.record(runtime_db, [RuntimeProbeV1(n=7), RuntimeProbeV1(n=8)])
        await eventually(lambda: len(notified) >= 2, what="the second commit's NOTIFY")
        await harness.record(runtime_db, [RuntimeProbeV1(n=9)])
        await eventually(lambda: len(notified) >= 3, what="the third commit's NOTIFY")
        assert notified == [channel] * 3, "one per committed transaction"
    finally:
        await listener.close()
    assert await _count(runtime_db, outbox) == 8


async def test_pooled_connection_the_server_closed_is_replaced_at_checkout(
    runtime_db: Database,
) -> None:
    async with runtime_db.unit_of_work() as uow:
        pooled = await transaction_connection(uow.session)  # back in the pool after this block
        await uow.publish(RuntimeProbeV1(n=1))
        await uow.commit()
    admin = await asyncpg.connect(ADMIN_DATABASE_URL)
    try:
        terminated = await admin.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE usename = $1 AND pid <> pg_backend_pid()",
            harness.SCHEMA,
        )
    finally:
        await admin.close()
    assert terminated >= 1
    await eventually(pooled.is_closed, what="the client to see the server close the connection")
    # no pre-ping round trip: the closed connection is refused at checkout, a fresh one used
    await harness.record(runtime_db, [RuntimeProbeV1(n=2)])
    assert await _count(runtime_db, outbox) == 2
