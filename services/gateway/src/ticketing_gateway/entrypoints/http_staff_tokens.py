"""Staff access, for admins: a bearer token for a clerk, a steward's phone or another admin,
shown once, valid for a shift (at most a week), recorded in the audit log."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from ticketing_gateway.entrypoints.http import Admin, GatewayDep
from ticketing_gateway.service_layer.tokens import IssueStaffToken, grant_staff_token

router = APIRouter(prefix="/v1/admin/staff-tokens", tags=["admin"])
Role = Literal["admin", "staff", "scanner"]
SHIFT_S = 8 * 3600
WEEK_S = 7 * 86400


class StaffTokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

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
        int, Field(ge=300, le=WEEK_S, description="seconds it is valid (5 min to 7 days)")
    ] = SHIFT_S


class StaffTokenOut(BaseModel):
    token: str = Field(description="the bearer token: shown once, never stored")
    subject: str
    roles: list[str]
    expires_at: datetime


@router.post("", status_code=201, response_model=StaffTokenOut)
async def create_staff_token(
    body: StaffTokenIn, gateway: GatewayDep, admin: Admin, response: Response
) -> StaffTokenOut:
    """Issue a staff token (admins only). The audit log records who issued it, for whom, with
    which roles and until when; the token itself is in this answer only (``no-store``). A token
    cannot be withdrawn before it expires: keep the lifetime to the shift."""
    command = IssueStaffToken(body.name, set(body.roles), body.ttl_s)
    issued = await grant_staff_token(gateway.database, gateway.signer, command, admin)
    response.headers["Cache-Control"] = "no-store"
    return StaffTokenOut(
        token=issued.token,
        subject=issued.identity.subject,
        roles=sorted(issued.identity.roles),
        expires_at=datetime.fromtimestamp(issued.expires_at, UTC),
    )
