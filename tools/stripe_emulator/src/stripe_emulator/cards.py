"""Stripe's test payment methods (``pm_card_visa`` ...) and the PaymentMethods they become."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from stripe_emulator.errors import resource_missing
from stripe_emulator.state import JSON, State, new_id, now


@dataclass(frozen=True)
class CardBehaviour:
    brand: str
    last4: str
    # None: the charge succeeds; otherwise the issuer's decline code
    decline_code: str | None = None
    decline_message: str | None = None
    # what a refund of the charge does: succeeds at once; ``pending``: begins pending and
    # succeeds later; ``fails_later``: begins succeeded and fails later (Stripe's test cards)
    refund: Literal["succeeds", "pending", "fails_later"] = "succeeds"


TEST_CARDS: dict[str, CardBehaviour] = {
    "pm_card_visa": CardBehaviour("visa", "4242"),
    "pm_card_mastercard": CardBehaviour("mastercard", "4444"),
    "pm_card_chargeDeclined": CardBehaviour(
        "visa", "0002", "generic_decline", "Your card was declined."
    ),
    "pm_card_chargeDeclinedInsufficientFunds": CardBehaviour(
        "visa", "9995", "insufficient_funds", "Your card has insufficient funds."
    ),
    "pm_card_pendingRefund": CardBehaviour("visa", "7726", refund="pending"),
    "pm_card_refundFail": CardBehaviour("visa", "5126", refund="fails_later"),
}


def card_of(payment_method: JSON) -> CardBehaviour:
    card = payment_method["card"]
    return CardBehaviour(
        brand=card["brand"],
        last4=card["last4"],
        decline_code=payment_method["_decline_code"],
        decline_message=payment_method["_decline_message"],
        refund=payment_method.get("_refund", "succeeds"),
    )


def resolve(state: State, reference: str) -> JSON:
    """A test card name becomes a fresh ``pm_...`` (as on Stripe); a known ``pm_...`` is reused."""
    test_card = TEST_CARDS.get(reference)
    if test_card is None:
        existing = state.payment_methods.get(reference)
        if existing is None:
            raise resource_missing("PaymentMethod", reference, param="payment_method", status=400)
        return existing
    payment_method: JSON = {
        "id": new_id("pm_"),
        "object": "payment_method",
        "billing_details": {
            "address": {
                "city": None,
                "country": None,
                "line1": None,
                "line2": None,
                "postal_code": None,
                "state": None,
            },
            "email": None,
            "name": None,
            "phone": None,
        },
        "card": {
            "brand": test_card.brand,
            "checks": {
                "address_line1_check": None,
                "address_postal_code_check": None,
                "cvc_check": None,
            },
            "country": "US",
            "exp_month": 12,
            "exp_year": 2034,
            "funding": "credit",
            "last4": test_card.last4,
            "networks": {"available": [test_card.brand], "preferred": None},
            "wallet": None,
        },
        "created": now(),
        "customer": None,
        "livemode": False,
        "metadata": {},
        "type": "card",
        # private: stripped by public(); how this card behaves when charged
        "_decline_code": test_card.decline_code,
        "_decline_message": test_card.decline_message,
        "_refund": test_card.refund,
    }
    state.payment_methods[payment_method["id"]] = payment_method
    return payment_method


def public(payment_method: JSON) -> JSON:
    return {key: value for key, value in payment_method.items() if not key.startswith("_")}
