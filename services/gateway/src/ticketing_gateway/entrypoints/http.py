"""The public API (``/v1``) of the foundation: sessions, and the operator's admin surface."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy import insert, select

from ticketing_contracts import PlatformProbeRequestedV1
from ticketing_gateway.adapters.tables import probe_answers, probes
from ticketing_gateway.adapters.upstreams import Upstreams
from ticketing_gateway.domain.tokens import mint_session
from ticketing_gateway.entrypoints.auth import caller, staff_with
from ticketing_gateway.settings import BACKENDS, GatewaySettings
from ticketing_runtime.database import Database
from ticketing_runtime.fields import PathId
from ticketing_runtime.identity import Identity
from ticketing_runtime.problems import Problem

router = APIRouter(prefix="/v1")
Admin = Annotated[Identity, Depends(staff_with("admin"))]
ServiceName = Literal["gateway", "inventory", "orders", "payments", "documents", "notifications"]


class SessionOut(BaseModel):
    token: str
    session_id: str
    expires_at: datetime


class MeOut(BaseModel):
    kind: str
    subject: str
    roles: list[str]


class ProbeOut(BaseModel):
    probe_id: str
    requested_at: datetime
    answers: dict[str, float]
    """service → milliseconds from request to answer"""
    missing: list[str]
    complete: bool


def _upstreams(request: Request) -> Upstreams:
    upstreams: Upstreams = request.app.state.upstreams
    return upstreams


def _database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


@router.post("/sessions", status_code=201, response_model=SessionOut, tags=["sessions"])
async def create_session(request: Request) -> SessionOut:
    """Start an anonymous customer session; its token authorises holds and orders."""
    settings: GatewaySettings = request.app.state.settings
    issued = mint_session(settings.token_secret.get_secret_value(), settings.session_ttl_s)
    return SessionOut(
        token=issued.token,
        session_id=issued.identity.subject,
        expires_at=datetime.fromtimestamp(issued.expires_at, UTC),
    )


@router.get("/me", response_model=MeOut, tags=["sessions"])
async def me(identity: Annotated[Identity, Depends(caller)]) -> MeOut:
    return MeOut(kind=identity.kind, subject=identity.subject, roles=sorted(identity.roles))


@router.get("/admin/services", tags=["admin"])
async def services_readiness(request: Request, _: Admin) -> dict[str, Any]:
    """Readiness of every service, as each one's ``/readyz`` reports it."""
    upstreams = _upstreams(request)

    async def probe(service: str) -> tuple[str, Any]:
        try:
            answer = await upstreams.call(service, "GET", "/readyz", identity=None)
        except Problem as exc:
            return service, {"status": "unreachable", "detail": exc.detail}
        return service, answer.json()

    results = await asyncio.gather(*(probe(s) for s in ("gateway", *BACKENDS)))
    return dict(results)


@router.get("/admin/services/{service}/parking-lot", tags=["admin"])
async def list_parking_lot(
    request: Request,
    service: ServiceName,
    identity: Admin,
    consumer: str = "events",
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Response:
    """Messages a service's consumer gave up on, with the reason, oldest first."""
    return await _upstreams(request).forward(request, service, "/admin/parking-lot", identity)


@router.get("/admin/services/{service}/reconciliation", tags=["admin"])
async def service_reconciliation(
    request: Request, service: Literal["payments", "documents"], identity: Admin
) -> Response:
    """A service's reconciliation report: what does not add up in its live data (payments:
    Stripe events that changed nothing; documents: renders parked for staff). Healthy: zeros."""
    return await _upstreams(request).forward(request, service, "/admin/reconciliation", identity)


@router.post("/admin/services/{service}/parking-lot/replay", tags=["admin"])
async def replay_parking_lot(request: Request, service: ServiceName, identity: Admin) -> Response:
    """Send parked messages (all, or ``message_ids``) back to their consumer."""
    return await _upstreams(request).forward(
        request, service, "/admin/parking-lot/replay", identity
    )


@router.post("/admin/services/{service}/parking-lot/discard", tags=["admin"])
async def discard_parked(request: Request, service: ServiceName, identity: Admin) -> Response:
    """Delete the named parked messages for good (``message_ids`` is required)."""
    return await _upstreams(request).forward(
        request, service, "/admin/parking-lot/discard", identity
    )


@router.post("/admin/probes", status_code=202, response_model=ProbeOut, tags=["admin"])
async def create_probe(request: Request, identity: Admin) -> ProbeOut:
    """Send a probe event through the outbox; every service answers through its own."""
    probe_id = f"prb_{uuid.uuid4().hex}"
    now = datetime.now(UTC)
    async with _database(request).unit_of_work() as uow:
        await uow.session.execute(
            insert(probes).values(
                probe_id=probe_id, requested_by=identity.subject, requested_at=now
            )
        )
        await uow.publish(PlatformProbeRequestedV1(probe_id=probe_id, requested_at=now))
        await uow.commit()
    return ProbeOut(
        probe_id=probe_id, requested_at=now, answers={}, missing=list(BACKENDS), complete=False
    )


@router.get("/admin/probes/{probe_id}", response_model=ProbeOut, tags=["admin"])
async def read_probe(request: Request, probe_id: PathId, _: Admin) -> ProbeOut:
    async with _database(request).unit_of_work() as uow:
        probe = (
            await uow.session.execute(select(probes).where(probes.c.probe_id == probe_id))
        ).first()
        if probe is None:
            raise Problem(404, "unknown-probe", f"no probe {probe_id!r}")
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
    return ProbeOut(
        probe_id=probe_id,
        requested_at=probe.requested_at,
        answers=answers,
        missing=missing,
        complete=not missing,
    )
