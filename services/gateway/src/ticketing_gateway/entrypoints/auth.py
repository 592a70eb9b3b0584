"""Who is calling: the bearer token of a customer session or of staff."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ticketing_gateway.domain.tokens import InvalidToken, verify
from ticketing_runtime.identity import Identity
from ticketing_runtime.problems import Problem

bearer = HTTPBearer(auto_error=False, description="a session token or a staff token")


async def optional_caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Identity | None:
    if credentials is None:
        return None
    try:
        return verify(
            credentials.credentials, request.app.state.settings.token_secret.get_secret_value()
        )
    except InvalidToken as exc:
        raise Problem(401, "invalid-token", str(exc)) from exc


async def caller(identity: Annotated[Identity | None, Depends(optional_caller)]) -> Identity:
    if identity is None:
        raise Problem(
            401,
            "unauthenticated",
            "send 'Authorization: Bearer <token>' (POST /v1/sessions gives one)",
        )
    return identity


def staff_with(*roles: str) -> Callable[..., object]:
    async def check(identity: Annotated[Identity, Depends(caller)]) -> Identity:
        if not identity.is_staff:
            raise Problem(403, "forbidden", "this needs a staff token")
        if not identity.has_any(roles):
            raise Problem(403, "forbidden", f"this needs one of the roles: {', '.join(roles)}")
        return identity

    return check
