"""``Stripe-Signature`` headers, computed exactly as Stripe computes them."""

from __future__ import annotations

import hashlib
import hmac
import time


def signature(payload: str, secret: str, timestamp: int) -> str:
    """Hex HMAC-SHA256 of ``f"{timestamp}.{payload}"`` keyed with the endpoint's secret."""
    signed = f"{timestamp}.{payload}".encode()
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(payload: str, secret: str, timestamp: int | None = None) -> str:
    """``t=<unix seconds>,v1=<signature>``: what ``stripe.Webhook.construct_event`` verifies."""
    at = int(time.time()) if timestamp is None else timestamp
    return f"t={at},v1={signature(payload, secret, at)}"
