"""Small typed helpers around the stripe SDK's Optional attributes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import stripe

# the SDK's own HTTPXClient (used for *_async calls) passes the form body as ``data=``
SDK_HTTPX_WARNING = "ignore:Use 'content=<...>':DeprecationWarning"


def headers(obj: stripe.StripeObject) -> Mapping[str, str]:
    """The HTTP response headers an SDK object was built from."""
    assert obj.last_response is not None
    return obj.last_response.headers


def error_of(exc: stripe.StripeError) -> stripe.ErrorObject:
    """The ``error`` object of Stripe's error body."""
    assert exc.error is not None
    return exc.error


def payment_intent_in(exc: stripe.StripeError) -> stripe.PaymentIntent:
    intent = error_of(exc).payment_intent
    assert intent is not None
    return intent


def expanded_charge(intent: stripe.PaymentIntent) -> stripe.Charge:
    charge = intent.latest_charge
    assert isinstance(charge, stripe.Charge)
    return charge


def event_object(event: stripe.Event) -> Any:
    """``event.data.object`` (the SDK types it as a plain dict)."""
    return event.data.object
