"""Staff access, for admins: a bearer token for a clerk, a steward's phone or another admin,
shown once, valid for a shift (at most a week), recorded in the audit log; the tokens issued,
and their withdrawal (a lost phone); and, for the other services, which tokens are withdrawn."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field

from ticketing_gateway.domain.staff_tokens import StaffToken, StaffTokenStatus
from ticketing_gateway.entrypoints.http import Admin, GatewayDep
from ticketing_gateway.service_layer.tokens import (
    IssueStaffToken,
    StaffTokensQuery,
    WithdrawStaffToken,
    grant_staff_token,
    withdraw_staff_token,
    withdrawn_until,
)
from ticketing_gateway.service_layer.tokens import list_staff_tokens as list_issued
from ticketing_runtime.fields import OptionalIdempotencyKey, PathId, Reason, RequestBody, Whole
from ticketing_runtime.identity import Identity, current_identity
from ticketing_runtime.pagination import MAX_LIMIT
from ticketing_runtime.problems import Problem

router = APIRouter(prefix="/v1/admin/staff-tokens", tags=["admin"])
Role = Literal["admin", "staff", "scanner"]
SHIFT_S = 8 * 3600
WEEK_S = 7 * 86400


class StaffTokenIn(RequestBody):
    name: Annotated[
        str,
        Field(
            pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$",
            description="who it is for (letters, digits, . _ @ -); the subject is staff:<name>",
            examples=["box-office-anna"],
        ),
    ]
    roles: Annotated[
        list[Role],
        Field(
            min_length=1,
            max_length=3,
            description="staff (console, box office), scanner (door), admin",
        ),
    ]
    ttl_s: Annotated[
        Whole, Field(ge=300, le=WEEK_S, description="seconds it is valid (5 min to 7 days)")
    ] = SHIFT_S


class StaffTokenOut(BaseModel):
    token: str = Field(description="the bearer token: shown once, never stored")
    token_id: str = Field(description="what the token is listed and withdrawn by")
    subject: str
    roles: list[str]
    expires_at: datetime


class IssuedStaffTokenOut(BaseModel):
    """A token issued, without the token: who has it, and whether it still works."""

    token_id: str
    subject: str
    roles: list[str]
    issued_by: str
    issued_at: datetime
    expires_at: datetime
    status: StaffTokenStatus
    withdrawn_at: datetime | None
    withdrawn_by: str | None
    withdrawal_reason: str | None


class IssuedStaffTokenPage(BaseModel):
    """Newest first, as Stripe pages: pass the last ``token_id`` as ``starting_after``."""

    data: list[IssuedStaffTokenOut]
    has_more: bool


class WithdrawalIn(RequestBody):
    reason: Annotated[
        Reason,
        Field(
            min_length=1,
            pattern=r"\S",
            description="why (for the audit log)",
            examples=["phone lost at door 3"],
        ),
    ]


class WithdrawnTokenOut(BaseModel):
    token_id: str
    expires_at: datetime


class WithdrawnTokens(BaseModel):
    data: list[WithdrawnTokenOut]


def _issued_out(token: StaffToken) -> IssuedStaffTokenOut:
    fields = {k: v for k, v in vars(token).items() if k != "roles"}
    return IssuedStaffTokenOut(
        **fields, roles=sorted(token.roles), status=token.status(datetime.now(UTC))
    )


@router.post("", status_code=201, response_model=StaffTokenOut)
async def create_staff_token(
    body: StaffTokenIn,
    gateway: GatewayDep,
    admin: Admin,
    response: Response,
    idempotency_key: OptionalIdempotencyKey = None,
) -> StaffTokenOut:
    """Issue a staff token (admins only). The audit log records who issued it, for whom, with
    which roles and until when; the token itself is in this answer only (``no-store``). An admin
    can withdraw it before it expires (``POST /v1/admin/staff-tokens/{token_id}/withdraw``).
    With an ``Idempotency-Key``, a retry whose answer was lost gets the same token (the key
    with another request: 422 ``idempotency-key-reused``)."""
    command = IssueStaffToken(body.name, set(body.roles), body.ttl_s, idempotency_key)
    issued = await grant_staff_token(gateway.database, gateway.signer, command, admin)
    response.headers["Cache-Control"] = "no-store"
    assert issued.token_id is not None
    return StaffTokenOut(
        token=issued.token,
        token_id=issued.token_id,
        subject=issued.identity.subject,
        roles=sorted(issued.identity.roles),
        expires_at=datetime.fromtimestamp(issued.expires_at, UTC),
    )


@router.get("", response_model=IssuedStaffTokenPage)
async def list_staff_tokens(
    gateway: GatewayDep,
    _: Admin,
    expired_too: Annotated[bool, Query(description="also the expired ones")] = False,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
    starting_after: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
) -> IssuedStaffTokenPage:
    """The tokens admins issued (never the tokens themselves), newest first: by default those
    not yet expired, withdrawn ones included."""
    query = StaffTokensQuery(expired_too, limit, starting_after)
    found, has_more = await list_issued(gateway.database, query)
    return IssuedStaffTokenPage(data=[_issued_out(t) for t in found], has_more=has_more)


@router.post("/{token_id}/withdraw", response_model=IssuedStaffTokenOut)
async def withdraw(
    token_id: PathId, body: WithdrawalIn, gateway: GatewayDep, admin: Admin
) -> IssuedStaffTokenOut:
    """Withdraw a token before it expires (a lost phone, someone who left): every service
    refuses it within ``TICKETING_WITHDRAWN_TOKENS_POLL_S`` (5 s by default), answering 401.
    Audited. Withdrawing it again answers the same; an expired token is 409."""
    command = WithdrawStaffToken(token_id, body.reason.strip())
    return _issued_out(await withdraw_staff_token(gateway.database, command, admin))


internal_router = APIRouter(prefix="/internal/v1", tags=["internal"], include_in_schema=False)


@internal_router.get("/withdrawn-staff-tokens", response_model=WithdrawnTokens)
async def withdrawn_staff_tokens(
    gateway: GatewayDep, caller: Annotated[Identity, Depends(current_identity)]
) -> WithdrawnTokens:
    """For the services: every withdrawn token not yet expired (each refuses them)."""
    if caller.kind != "service":
        raise Problem(403, "forbidden", "internal endpoint for the platform's services")
    found = await withdrawn_until(gateway.database)
    return WithdrawnTokens(
        data=[
            WithdrawnTokenOut(token_id=t, expires_at=datetime.fromtimestamp(exp, UTC))
            for t, exp in found.items()
        ]
    )
