"""Bearer tokens of the public API: EdDSA (Ed25519) JWTs that only the gateway signs (it alone
holds the private key) and every service verifies with the public keys it is configured with.

Several public keys may be configured (rotation): a token names its key in the ``kid`` header.
A verified token is remembered until it expires (an Ed25519 verification costs ~60 µs).

A staff token the gateway issued has an id (``jti``); an admin may withdraw it before it
expires. Each process keeps the list of withdrawn ids (``withdrawn_tokens`` fetches it from the
gateway every few seconds) and refuses those tokens, remembered or not. Until it has read the
list once (a process started while the gateway is away or slow), it cannot tell a withdrawn
staff token from another and refuses every one for now; customers' tokens pass.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import logging
import time
from collections.abc import Mapping, Sequence

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from ticketing_runtime.callers import Identity

AUDIENCE = "ticketing-public"
ALGORITHM = "EdDSA"
MAX_REMEMBERED = 50_000
#: how far the issuing gateway's clock may be ahead of this server's (a fresh token's issue
#: time in its future was refused, and a new session would be refused alike)
CLOCK_LEEWAY_S = 5

log = logging.getLogger(__name__)

_verified: dict[tuple[str, tuple[str, ...]], tuple[Identity, float, str | None]] = {}
_withdrawn: dict[str, float] = {}  # token id -> when it expires anyway
_withdrawn_read = False  # until the list was read once, a withdrawn token would pass
_withdrawn_read_at = 0.0  # time.monotonic() of the last read
#: a list older than this is no list: a token withdrawn since would pass (None: never stale)
_withdrawn_stale_after_s: float | None = None


class InvalidToken(ValueError):
    """The token is not one the gateway signed, or no longer valid (the reason says which)."""


class WithdrawalsUnknown(RuntimeError):
    """A staff token this process cannot check yet: it has not read the withdrawn tokens."""


def key_id(public_key: Ed25519PublicKey) -> str:
    """A short, stable name of a public key (the ``kid`` of the tokens it verifies)."""
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


@functools.lru_cache(maxsize=8)
def public_keys(encoded: tuple[str, ...]) -> dict[str, Ed25519PublicKey]:
    """``kid`` → key, from base64 raw 32-byte Ed25519 public keys."""
    keys: dict[str, Ed25519PublicKey] = {}
    for text in encoded:
        try:
            key = Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
        except (binascii.Error, ValueError) as exc:
            raise ValueError(f"not a base64 Ed25519 public key: {text!r}") from exc
        keys[key_id(key)] = key
    return keys


def withdrawals_known() -> bool:
    """Whether this process has read the withdrawn tokens once (until then staff are refused)."""
    return _withdrawn_read


def withdrawals_stale_after(seconds: float | None) -> None:
    """Refuse staff tokens (as before the first read) while the last read of the list is older
    than ``seconds``: a process cut off from the gateway for long kept accepting every token an
    admin withdrew meanwhile, a stolen one for as long as it lived."""
    global _withdrawn_stale_after_s
    _withdrawn_stale_after_s = seconds


def _withdrawals_unchecked() -> str | None:
    if not _withdrawn_read:
        return (
            "staff tokens cannot be checked yet (this process has not heard from the gateway "
            "which were withdrawn): retry in a few seconds"
        )
    age = time.monotonic() - _withdrawn_read_at
    if _withdrawn_stale_after_s is not None and age > _withdrawn_stale_after_s:
        return (
            f"staff tokens cannot be checked now (this process last heard from the gateway "
            f"which were withdrawn {age:.0f} s ago): retry in a few seconds"
        )
    return None


def withdraw_only(expiring: Mapping[str, float]) -> None:
    """From now on refuse exactly the tokens ``expiring`` names (token id -> its ``exp``): the
    whole list each time, so a token put back is accepted again."""
    global _withdrawn_read, _withdrawn_read_at
    now = time.time()
    _withdrawn.clear()
    _withdrawn.update({token_id: exp for token_id, exp in expiring.items() if exp > now})
    _withdrawn_read = True
    _withdrawn_read_at = time.monotonic()


def verify(token: str, encoded_keys: Sequence[str]) -> Identity:
    """The customer or member of staff ``token`` names; raises ``InvalidToken``."""
    keys_key = tuple(encoded_keys)
    remembered = _verified.get((token, keys_key))
    if remembered is None or remembered[1] <= time.time():
        remembered = _verify(token, public_keys(keys_key))
        if len(_verified) >= MAX_REMEMBERED:
            _verified.clear()  # a crude bound: the next requests verify once again
        _verified[(token, keys_key)] = remembered
    identity, _, token_id = remembered
    if token_id is not None and (unchecked := _withdrawals_unchecked()):
        # a lost phone's withdrawn token would pass: refuse staff for now, serve customers
        raise WithdrawalsUnknown(unchecked)
    if token_id is not None and token_id in _withdrawn:
        raise InvalidToken("the token was withdrawn by an admin; ask an admin for a new one")
    return identity


def _verify(token: str, keys: dict[str, Ed25519PublicKey]) -> tuple[Identity, float, str | None]:
    try:
        kid = jwt.get_unverified_header(token).get("kid")
        key = keys.get(kid) if isinstance(kid, str) else None
        if key is None:
            raise InvalidToken(
                "the token is not valid: signed with a key this service does not know"
            )
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            options={"require": ["exp", "sub", "kind"]},
            leeway=CLOCK_LEEWAY_S,
        )
    except jwt.ExpiredSignatureError as exc:
        raise InvalidToken("the token has expired; start a new session") from exc
    except jwt.ImmatureSignatureError as exc:  # a new token asked for would fail alike
        log.warning("a token issued in this server's future: is its clock behind? %s", exc)
        raise InvalidToken(
            "the token is not valid yet: this server's clock is behind the one that issued it"
            " (the operators are told); retry in a moment"
        ) from exc
    except jwt.PyJWTError as exc:  # its library's words ("Not enough segments") help nobody
        raise InvalidToken(
            "the token is not valid (damaged, or not one this platform signed): start a new"
            " session, or sign in again"
        ) from exc
    kind, roles = claims.get("kind"), claims.get("roles", [])
    if kind not in ("customer", "staff") or not isinstance(roles, list):
        raise InvalidToken("the token is not valid: it names no customer or staff")
    identity = Identity(kind=kind, subject=str(claims["sub"]), roles=frozenset(map(str, roles)))
    token_id = claims.get("jti")
    return identity, float(claims["exp"]), str(token_id) if token_id is not None else None
