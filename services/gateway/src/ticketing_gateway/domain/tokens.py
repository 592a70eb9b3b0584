"""Bearer tokens of the public API: anonymous customer sessions and staff tokens with roles."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

import jwt

from ticketing_runtime.identity import STAFF_ROLES, Identity
from ticketing_runtime.signed_tokens import decode_hs256

AUDIENCE = "ticketing-public"


class InvalidToken(ValueError):
    pass


@dataclass(frozen=True)
class IssuedToken:
    token: str
    identity: Identity
    expires_at: int


def mint_session(secret: str, ttl_s: int, now: float | None = None) -> IssuedToken:
    identity = Identity(kind="customer", subject=f"ses_{uuid.uuid4().hex}")
    return _mint(identity, secret, ttl_s, now)


def mint_staff(
    secret: str, name: str, roles: set[str], ttl_s: int, now: float | None = None
) -> IssuedToken:
    unknown = roles - STAFF_ROLES
    if unknown or not roles:
        raise ValueError(f"roles must be among {sorted(STAFF_ROLES)}, got {sorted(roles)}")
    identity = Identity(kind="staff", subject=f"staff:{name}", roles=frozenset(roles))
    return _mint(identity, secret, ttl_s, now)


def _mint(identity: Identity, secret: str, ttl_s: int, now: float | None) -> IssuedToken:
    issued = int(now if now is not None else time.time())
    claims = {
        "sub": identity.subject,
        "kind": identity.kind,
        "roles": sorted(identity.roles),
        "aud": AUDIENCE,
        "iat": issued,
        "exp": issued + ttl_s,
    }
    return IssuedToken(jwt.encode(claims, secret, algorithm="HS256"), identity, issued + ttl_s)


def verify(token: str, secret: str) -> Identity:
    try:
        claims = decode_hs256(token, secret, AUDIENCE)
    except jwt.ExpiredSignatureError as exc:
        raise InvalidToken("the token has expired; start a new session") from exc
    except jwt.PyJWTError as exc:
        raise InvalidToken(f"the token is not valid: {exc}") from exc
    if claims.get("kind") not in ("customer", "staff"):
        raise InvalidToken("the token has no valid kind")
    return Identity(kind=claims["kind"], subject=claims["sub"], roles=frozenset(claims["roles"]))
