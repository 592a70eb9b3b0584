"""Ticket secrets: signed with Ed25519 so a scanner can verify them offline.

A secret is ``<payload>.<signature>``, both base64url without padding; the payload is
``ticket_id|performance_id|seat_id|version``. About 150 characters: a small QR code. New tickets
are signed with the current key; a rotation keeps the retired keys' public halves, so that the
tickets already sold still scan (``verify_any``).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


class InvalidSecret(ValueError):
    pass


@dataclass(frozen=True)
class TicketClaims:
    ticket_id: str
    performance_id: str
    seat_id: str | None
    version: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def signing_key(seed_b64: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(seed_b64))


def public_key_b64(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return base64.b64encode(public.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def public_key_of(encoded: str) -> Ed25519PublicKey:
    """A public key from base64 of its raw 32 bytes (``ValueError`` if it is none)."""
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(encoded, validate=True))


def sign(key: Ed25519PrivateKey, claims: TicketClaims) -> str:
    payload = "|".join(
        (claims.ticket_id, claims.performance_id, claims.seat_id or "", str(claims.version))
    ).encode()
    return f"{_b64(payload)}.{_b64(key.sign(payload))}"


def verify(public_key: Ed25519PublicKey, secret: str) -> TicketClaims:
    try:
        payload_b64, signature_b64 = secret.strip().split(".")
        payload = _unb64(payload_b64)
        public_key.verify(_unb64(signature_b64), payload)
        ticket_id, performance_id, seat_id, version = payload.decode().split("|")
        return TicketClaims(ticket_id, performance_id, seat_id or None, int(version))
    except (ValueError, InvalidSignature, UnicodeDecodeError) as exc:
        raise InvalidSecret("not a ticket of ours (signature or format)") from exc


def verify_any(keys: Sequence[Ed25519PublicKey], secret: str) -> TicketClaims:
    """The claims of ``secret`` as the first of ``keys`` that verifies it (the current key
    first, then the retired ones); ``InvalidSecret`` if none does."""
    for key in keys:
        try:
            return verify(key, secret)
        except InvalidSecret:
            continue
    raise InvalidSecret("not a ticket of ours (signature or format)")
