"""The gateway's public API (``/v1``): sessions, and the operator's platform-wide admin surface.

Each service's own admin routes (``/v1/admin/services/{service}/…``) are that service's: the edge
sends them there."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel
from sqlalchemy import insert, select

from ticketing_contracts import PlatformProbeRequestedV1
from ticketing_gateway.adapters.tables import probe_answers, probes
from ticketing_gateway.adapters.upstreams import Upstreams
from ticketing_gateway.domain.tokens import TokenSigner, mint_session
from ticketing_gateway.settings import BACKENDS, GatewaySettings
from ticketing_runtime.database import Database
from ticketing_runtime.identity import Identity, current_identity, require_roles
from ticketing_runtime.problems import Problem

router = APIRouter(prefix="/v1")
Admin = Annotated[Identity, Depends(require_roles("admin"))]
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
    signer: TokenSigner = request.app.state.token_signer
    issued = mint_session(signer, settings.session_ttl_s)
    return SessionOut(
        token=issued.token,
        session_id=issued.identity.subject,
        expires_at=datetime.fromtimestamp(issued.expires_at, UTC),
    )


@router.get("/me", response_model=MeOut, tags=["sessions"])
async def me(identity: Annotated[Identity, Depends(current_identity)]) -> MeOut:
    return MeOut(kind=identity.kind, subject=identity.subject, roles=sorted(identity.roles))


@router.get("/admin/services", tags=["admin"])
async def services_readiness(request: Request, _: Admin) -> dict[str, Any]:
    """Readiness of every service, as each one's ``/readyz`` reports it."""
    upstreams = _upstreams(request)

    async def probe(service: str) -> tuple[str, Any]:
        try:
            answer = await upstreams.call(service, "GET", "/readyz")
        except Problem as exc:
            return service, {"status": "unreachable", "detail": exc.detail}
        return service, answer.json()

    results = await asyncio.gather(*(probe(s) for s in ("gateway", *BACKENDS)))
    return dict(results)


@router.api_route(
    "/admin/services/{service}/{rest:path}",
    methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
    include_in_schema=False,
)
async def not_a_service_route(service: ServiceName, rest: str, _: Admin) -> None:
    """The edge sends each service's own admin routes to it; what reaches the gateway here
    names no service (422 listing them) or no route of the gateway's own."""
    raise Problem(404, "not-found", f"the {service} service has no admin route /{rest}")


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
async def read_probe(request: Request, probe_id: str, _: Admin) -> ProbeOut:
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
