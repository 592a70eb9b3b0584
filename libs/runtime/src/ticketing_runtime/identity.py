"""The caller's identity as the gateway verified it, passed to services in a signed header.

Services trust only this header (HS256 with the internal secret, short-lived); anything else a
client sends about who it is never reaches them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Annotated, Literal

import jwt
from fastapi import Depends, Header, Request

from ticketing_runtime.problems import Problem
from ticketing_runtime.signed_tokens import decode_hs256, encode_hs256

IDENTITY_HEADER = "X-Ticketing-Identity"
STAFF_ROLES = frozenset({"admin", "staff", "scanner"})
_AUDIENCE = "ticketing-internal"

Kind = Literal["customer", "staff", "service"]


@dataclass(frozen=True)
class Identity:
    kind: Kind
    subject: str
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_staff(self) -> bool:
        return self.kind == "staff"

    def has_any(self, roles: Iterable[str]) -> bool:
        return bool(self.roles & set(roles)) or "admin" in self.roles


def sign_identity(identity: Identity, secret: str, ttl_s: int = 60) -> str:
    now = int(time.time())
    claims = {
        "sub": identity.subject,
        "kind": identity.kind,
        "roles": sorted(identity.roles),
        "aud": _AUDIENCE,
        "iat": now,
        "exp": now + ttl_s,
    }
    return encode_hs256((identity, ttl_s), claims, secret)


def verify_identity(token: str, secret: str) -> Identity:
    try:
        claims = decode_hs256(token, secret, _AUDIENCE)
    except jwt.PyJWTError as exc:
        raise Problem(401, "unauthenticated", f"invalid internal identity: {exc}") from exc
    return Identity(kind=claims["kind"], subject=claims["sub"], roles=frozenset(claims["roles"]))


def _secret(request: Request) -> str:
    secret: str = request.app.state.settings.internal_token_secret.get_secret_value()
    return secret


async def current_identity(
    request: Request,
    token: Annotated[str | None, Header(alias=IDENTITY_HEADER, include_in_schema=False)] = None,
) -> Identity:
    if not token:
        raise Problem(401, "unauthenticated", "this endpoint needs a session or staff token")
    return verify_identity(token, _secret(request))


async def optional_identity(
    request: Request,
    token: Annotated[str | None, Header(alias=IDENTITY_HEADER, include_in_schema=False)] = None,
) -> Identity | None:
    """The caller if the gateway named one (anonymous callers are ``None``)."""
    return verify_identity(token, _secret(request)) if token else None


def require_roles(*roles: str) -> Callable[..., Identity]:
    """A dependency admitting staff with any of ``roles`` (admin is admitted everywhere)."""

    def check(identity: Annotated[Identity, Depends(current_identity)]) -> Identity:
        if not identity.is_staff or not identity.has_any(roles):
            raise Problem(403, "forbidden", f"this needs one of the roles: {', '.join(roles)}")
        return identity

    return check


def require_service(*services: str) -> Callable[..., Identity]:
    """A dependency admitting only the named services (service-to-service calls)."""

    def check(identity: Annotated[Identity, Depends(current_identity)]) -> Identity:
        if identity.kind != "service" or identity.subject not in services:
            raise Problem(403, "forbidden", f"internal endpoint for: {', '.join(services)}")
        return identity

    return check
