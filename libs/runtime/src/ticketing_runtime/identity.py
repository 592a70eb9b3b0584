"""Who is calling, as each service verifies it itself (FastAPI dependencies and a plain function).

- Customers and staff: ``Authorization: Bearer <token>``, an EdDSA JWT the gateway signed,
  verified with the configured public keys only (``bearer_tokens``).
- Other services: ``X-Ticketing-Identity``, an internal HS256 token for ``kind="service"`` only
  (``ServiceClient`` sends it; the edge removes it from public requests).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Annotated

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ticketing_runtime import bearer_tokens
from ticketing_runtime.callers import STAFF_ROLES, Identity, Kind
from ticketing_runtime.problems import Problem
from ticketing_runtime.settings import ServiceSettings
from ticketing_runtime.signed_tokens import decode_hs256, encode_hs256

__all__ = [
    "IDENTITY_HEADER",
    "STAFF_ROLES",
    "Identity",
    "Kind",
    "caller_from",
    "current_identity",
    "optional_identity",
    "require_roles",
    "require_service",
    "sign_identity",
]

IDENTITY_HEADER = "X-Ticketing-Identity"
_AUDIENCE = "ticketing-internal"
_UNAUTHENTICATED = "send 'Authorization: Bearer <token>' (POST /v1/sessions gives one)"

# documents the scheme in OpenAPI; the header is read by ``caller_from``
bearer = HTTPBearer(auto_error=False, description="a session token or a staff token")


def sign_identity(identity: Identity, secret: str, ttl_s: int = 60) -> str:
    """The internal credential of a service calling another (``kind="service"``)."""
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


def _service_identity(token: str, secret: str) -> Identity:
    try:
        claims = decode_hs256(token, secret, _AUDIENCE)
    except jwt.PyJWTError as exc:
        raise Problem(401, "unauthenticated", f"invalid internal identity: {exc}") from exc
    if claims.get("kind") != "service":
        raise Problem(401, "unauthenticated", "the internal identity names no service")
    return Identity(kind="service", subject=claims["sub"])


def caller_from(headers: Mapping[str, str], settings: ServiceSettings) -> Identity | None:
    """The verified caller of a request with ``headers``; ``None`` if anonymous."""
    authorization = headers.get("authorization")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Problem(401, "unauthenticated", _UNAUTHENTICATED)
        try:
            return bearer_tokens.verify(token.strip(), settings.token_public_keys)
        except bearer_tokens.InvalidToken as exc:
            raise Problem(401, "invalid-token", str(exc)) from exc
        except bearer_tokens.WithdrawalsUnknown as exc:
            raise Problem(503, "staff-tokens-unchecked", str(exc), retry_after_s=5) from exc
    internal = headers.get(IDENTITY_HEADER)
    if internal:
        return _service_identity(internal, settings.internal_token_secret.get_secret_value())
    return None


def _settings(request: Request) -> ServiceSettings:
    settings: ServiceSettings = request.app.state.settings
    return settings


async def optional_identity(
    request: Request,
    _: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)] = None,
) -> Identity | None:
    """The caller if the request names one (anonymous callers are ``None``)."""
    return caller_from(request.headers, _settings(request))


async def current_identity(
    identity: Annotated[Identity | None, Depends(optional_identity)],
) -> Identity:
    if identity is None:
        raise Problem(401, "unauthenticated", _UNAUTHENTICATED)
    return identity


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
