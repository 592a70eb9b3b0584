"""Minting the public API's bearer tokens: anonymous customer sessions and staff tokens with
roles, EdDSA (Ed25519) JWTs signed with the gateway's private key. Every service verifies them
with the public key alone (``ticketing_runtime.bearer_tokens``)."""

from __future__ import annotations

import base64
import binascii
import time
import uuid
from dataclasses import dataclass

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from ticketing_runtime.bearer_tokens import ALGORITHM, AUDIENCE, key_id
from ticketing_runtime.identity import STAFF_ROLES, Identity
from ticketing_runtime.ids import new_id


@dataclass(frozen=True)
class IssuedToken:
    token: str
    identity: Identity
    expires_at: int
    token_id: str | None = None  # staff tokens: ``jti``, what an admin withdraws it by


class TokenSigner:
    """The private half: only the gateway is configured with it."""

    def __init__(self, seed_b64: str) -> None:
        try:
            self._key = Ed25519PrivateKey.from_private_bytes(
                base64.b64decode(seed_b64, validate=True)
            )
        except (binascii.Error, ValueError) as exc:
            raise ValueError("the token signing key must be a base64 32-byte Ed25519 seed") from exc
        self.kid = key_id(self._key.public_key())

    @property
    def public_key_b64(self) -> str:
        raw = self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return base64.b64encode(raw).decode()

    def mint(
        self,
        identity: Identity,
        ttl_s: int,
        now: float | None = None,
        token_id: str | None = None,
    ) -> IssuedToken:
        issued = int(now if now is not None else time.time())
        claims: dict[str, object] = {
            "sub": identity.subject,
            "kind": identity.kind,
            "roles": sorted(identity.roles),
            "aud": AUDIENCE,
            "iat": issued,
            "exp": issued + ttl_s,
        }
        if token_id is not None:
            claims["jti"] = token_id
        token = jwt.encode(claims, self._key, algorithm=ALGORITHM, headers={"kid": self.kid})
        return IssuedToken(token, identity, issued + ttl_s, token_id)


def mint_session(signer: TokenSigner, ttl_s: int, now: float | None = None) -> IssuedToken:
    identity = Identity(kind="customer", subject=f"ses_{uuid.uuid4().hex}")
    return signer.mint(identity, ttl_s, now)


def mint_staff(
    signer: TokenSigner,
    name: str,
    roles: set[str],
    ttl_s: int,
    now: float | None = None,
    token_id: str | None = None,
) -> IssuedToken:
    """A staff token; with the ``now`` and ``token_id`` of one issued before, that same token
    again (Ed25519 signs alike: the same claims, the same bytes)."""
    unknown = roles - STAFF_ROLES
    if unknown or not roles:
        raise ValueError(f"roles must be among {sorted(STAFF_ROLES)}, got {sorted(roles)}")
    identity = Identity(kind="staff", subject=f"staff:{name}", roles=frozenset(roles))
    return signer.mint(identity, ttl_s, now, token_id=token_id or new_id("stk"))
