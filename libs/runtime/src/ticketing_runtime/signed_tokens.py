"""HS256 tokens (the internal identity of a service calling another), verified once and then
remembered until they expire (PyJWT spends about 100 µs per verification)."""

from __future__ import annotations

import time
from typing import Any

import jwt

MAX_REMEMBERED = 50_000

_verified: dict[tuple[str, str, str], dict[str, Any]] = {}


def decode_hs256(token: str, secret: str, audience: str) -> dict[str, Any]:
    """The claims of ``token``; raises ``jwt.PyJWTError`` like ``jwt.decode`` does."""
    key = (token, secret, audience)
    claims = _verified.get(key)
    if claims is not None and claims["exp"] > time.time():
        return claims
    _verified.pop(key, None)
    # a token without its lifetime is refused: one leaked would work for ever
    claims = jwt.decode(
        token,
        secret,
        algorithms=["HS256"],
        audience=audience,
        options={"require": ["exp", "iat", "sub"]},
    )
    if len(_verified) >= MAX_REMEMBERED:
        _verified.clear()  # a crude bound: the next requests verify once again
    _verified[key] = claims
    return claims


_signed: dict[tuple[Any, ...], tuple[str, float]] = {}


def encode_hs256(claims_key: tuple[Any, ...], claims: dict[str, Any], secret: str) -> str:
    """Sign ``claims`` (with ``iat``/``exp``), reusing a token for the same ``claims_key``
    while more than half of its lifetime is left."""
    key = (*claims_key, secret)
    remembered = _signed.get(key)
    now = time.time()
    if remembered is not None and remembered[1] - now > (claims["exp"] - claims["iat"]) / 2:
        return remembered[0]
    token = jwt.encode(claims, secret, algorithm="HS256")
    if len(_signed) >= MAX_REMEMBERED:
        _signed.clear()
    _signed[key] = (token, float(claims["exp"]))
    return token
