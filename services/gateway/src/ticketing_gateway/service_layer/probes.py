"""Platform probes: an event every service answers through its own outbox, and their answers;
and the readiness of every service as its ``/readyz`` reports it."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.dialects.postgresql import insert as upsert

from ticketing_contracts import PlatformProbeRequestedV1
from ticketing_gateway.adapters.tables import probe_answers, probes
from ticketing_gateway.adapters.upstreams import Upstreams
from ticketing_gateway.domain.errors import NotFound, UpstreamUnavailable
from ticketing_gateway.settings import BACKENDS
from ticketing_runtime.database import Database, UnitOfWork


@dataclass(frozen=True)
class ProbeStatus:
    probe_id: str
    requested_at: datetime
    answers: dict[str, float]  # service -> milliseconds from request to answer
    missing: list[str]

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class ProbeAnswer:
    probe_id: str
    service: str
    answered_at: datetime


async def request_probe(database: Database, requested_by: str) -> ProbeStatus:
    """Send a probe event through the outbox; every service answers through its own."""
    probe_id = f"prb_{uuid.uuid4().hex}"
    now = datetime.now(UTC)
    async with database.unit_of_work() as uow:
        await uow.session.execute(
            insert(probes).values(probe_id=probe_id, requested_by=requested_by, requested_at=now)
        )
        await uow.publish(PlatformProbeRequestedV1(probe_id=probe_id, requested_at=now))
        await uow.commit()
    return ProbeStatus(probe_id, now, answers={}, missing=list(BACKENDS))


async def read_probe(database: Database, probe_id: str) -> ProbeStatus:
    async with database.unit_of_work() as uow:
        probe = (
            await uow.session.execute(select(probes).where(probes.c.probe_id == probe_id))
        ).first()
        if probe is None:
            raise NotFound("unknown-probe", f"no probe {probe_id!r}")
        rows = (
            await uow.session.execute(
                select(probe_answers).where(probe_answers.c.probe_id == probe_id)
            )
        ).all()
    answers = {
        row.service: round((row.answered_at - probe.requested_at).total_seconds() * 1000, 1)
        for row in rows
    }
    missing = [s for s in BACKENDS if s not in answers]
    return ProbeStatus(probe_id, probe.requested_at, answers, missing)


async def record_answer(uow: UnitOfWork, answer: ProbeAnswer) -> None:
    """A service's answer, once (a redelivered answer changes nothing)."""
    await uow.session.execute(
        upsert(probe_answers)
        .values(probe_id=answer.probe_id, service=answer.service, answered_at=answer.answered_at)
        .on_conflict_do_nothing()
    )


async def services_readiness(upstreams: Upstreams) -> dict[str, Any]:
    """Readiness of every service, as each one's ``/readyz`` reports it."""

    async def probe(service: str) -> tuple[str, Any]:
        try:
            answer = await upstreams.call(service, "GET", "/readyz")
        except UpstreamUnavailable as exc:
            return service, {"status": "unreachable", "detail": exc.detail}
        try:
            return service, answer.json()
        except ValueError:  # not a service of ours answering (a proxy's page, a wrong URL)
            detail = f"answered {answer.status_code} with no readiness report"
            return service, {"status": "unreadable", "detail": detail}

    results = await asyncio.gather(*(probe(s) for s in ("gateway", *BACKENDS)))
    return dict(results)
