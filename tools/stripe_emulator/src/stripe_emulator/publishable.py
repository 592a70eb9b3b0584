"""What a browser may do with a publishable key (``pk_test_...``), as with Stripe.js: read and
confirm one PaymentIntent whose ``client_secret`` it presents, and nothing else.

Stripe.js sends the key as the ``key`` form/query parameter (``Authorization: Bearer pk_...``
works too) and the intent's ``client_secret`` beside it."""

from __future__ import annotations

import hmac
import re
from typing import TypeGuard

from stripe_emulator import errors
from stripe_emulator.params import Params
from stripe_emulator.state import JSON

_ALLOWED = (
    ("GET", re.compile(r"^/v1/payment_intents/([^/]+)$")),
    ("POST", re.compile(r"^/v1/payment_intents/([^/]+)/confirm$")),
)


def is_publishable(key: str | None) -> TypeGuard[str]:
    return key is not None and key.startswith("pk_")


def intent_in_reach(method: str, path: str) -> str | None:
    """The PaymentIntent id a publishable key may act on at ``method path`` (else ``None``)."""
    for allowed_method, pattern in _ALLOWED:
        found = pattern.match(path)
        if found and allowed_method == method:
            return found.group(1)
    return None


def forbidden(method: str, path: str, key: str) -> errors.StripeApiError:
    shown = key[:8] + "****"
    return errors.StripeApiError(
        401,
        "invalid_request_error",
        f"Invalid API Key provided: {shown}. This API call ({method} {path}) cannot be made "
        "with a publishable API key: it may only read and confirm a PaymentIntent with its "
        "client_secret. Use a secret key (sk_test_...) from your server.",
        code="secret_key_required",
    )


def check_client_secret(payment_intent: JSON | None, intent_id: str, p: Params) -> None:
    """Raise unless ``p`` carries the intent's own client secret (compared in constant time)."""
    given = p.pop("client_secret", None)
    if not isinstance(given, str) or not given:
        raise errors.missing_param("client_secret")
    if payment_intent is None:
        raise errors.resource_missing("payment_intent", intent_id)
    if not hmac.compare_digest(given.encode(), str(payment_intent["client_secret"]).encode()):
        raise errors.invalid_request(
            "The client_secret provided does not match the client_secret associated with the "
            "PaymentIntent.",
            param="client_secret",
            code="payment_intent_invalid_parameter",
        )
