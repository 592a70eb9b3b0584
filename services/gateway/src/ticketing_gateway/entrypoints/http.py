"""The gateway's public API (``/v1``): sessions, and the operator's platform-wide admin surface.

Each service's own admin routes (``/v1/admin/services/{service}/…``) are that service's: the edge
sends them there."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from ticketing_gateway.domain.errors import NotFound
from ticketing_gateway.service_layer import probes
from ticketing_gateway.service_layer.container import Gateway
from ticketing_gateway.service_layer.tokens import issue_session
from ticketing_runtime.fields import PathId
from ticketing_runtime.identity import Identity, current_identity, require_roles
from ticketing_runtime.service import app_state

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


GatewayDep = Annotated[Gateway, Depends(app_state("gateway"))]


def _probe_out(status: probes.ProbeStatus) -> ProbeOut:
    return ProbeOut.model_validate(status, from_attributes=True)


@router.post("/sessions", status_code=201, response_model=SessionOut, tags=["sessions"])
async def create_session(gateway: GatewayDep) -> SessionOut:
    """Start an anonymous customer session; its token authorises holds and orders."""
    issued = issue_session(gateway.signer, gateway.settings)
    return SessionOut(
        token=issued.token,
        session_id=issued.identity.subject,
        expires_at=datetime.fromtimestamp(issued.expires_at, UTC),
    )


@router.get("/me", response_model=MeOut, tags=["sessions"])
async def me(identity: Annotated[Identity, Depends(current_identity)]) -> MeOut:
    return MeOut(kind=identity.kind, subject=identity.subject, roles=sorted(identity.roles))


@router.get("/admin/services", tags=["admin"])
async def services_readiness(gateway: GatewayDep, _: Admin) -> dict[str, Any]:
    """Readiness of every service, as each one's ``/readyz`` reports it."""
    return await probes.services_readiness(gateway.upstreams)


@router.api_route(
    "/admin/services/{service}/{rest:path}",
    methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
    include_in_schema=False,
)
async def not_a_service_route(service: ServiceName, rest: str, _: Admin) -> None:
    """The edge sends each service's own admin routes to it; what reaches the gateway here
    names no service (422 listing them) or no route of the gateway's own."""
    raise NotFound("not-found", f"the {service} service has no admin route /{rest}")


@router.post("/admin/probes", status_code=202, response_model=ProbeOut, tags=["admin"])
async def create_probe(gateway: GatewayDep, identity: Admin) -> ProbeOut:
    """Send a probe event through the outbox; every service answers through its own."""
    return _probe_out(await probes.request_probe(gateway.database, identity.subject))


@router.get("/admin/probes/{probe_id}", response_model=ProbeOut, tags=["admin"])
async def read_probe(gateway: GatewayDep, probe_id: PathId, _: Admin) -> ProbeOut:
    return _probe_out(await probes.read_probe(gateway.database, probe_id))
