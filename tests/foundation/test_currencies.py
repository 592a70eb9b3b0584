"""An amount is stored, shown and sent to Stripe in the same minor units: the e-mail said
50.00 HUF and the storefront HUF 5,000 for one price; a KWD price Stripe refuses was taken."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from ticketing_inventory.entrypoints.schemas import TierIn
from ticketing_orders.entrypoints.schemas import CouponIn
from ticketing_payments.entrypoints.http_internal import IntentIn
from ticketing_runtime import currencies
from ticketing_runtime.currencies import minor_unit_digits

WEB_TABLE = Path(__file__).parents[2] / "web" / "src" / "currencies.ts"


def test_decimals_are_stripes_not_iso_or_a_browsers() -> None:
    shown = [minor_unit_digits(c) for c in ("EUR", "jpy", "KWD", "VND", "MGA", "IDR", "XYZ")]
    assert shown == [2, 0, 3, 0, 0, 2, 2]


def test_the_web_clients_count_decimals_from_the_same_table() -> None:
    source = WEB_TABLE.read_text()

    def codes(name: str) -> frozenset[str]:
        found = re.search(rf"{name}[^=]*= new Set\(\[(.*?)\]\)", source, re.S)
        assert found, name
        return frozenset(re.findall(r'"([A-Z]{3})"', found.group(1)))

    assert codes("ZERO_DECIMAL") == currencies.ZERO_DECIMAL
    assert codes("THREE_DECIMAL") == currencies.THREE_DECIMAL


@pytest.mark.parametrize("code", ["KWD", "HUF", "ISK", "TWD", "UGX", "BHD"])
def test_a_price_in_a_currency_stripe_takes_by_rules_of_its_own_is_refused(code: str) -> None:
    with pytest.raises(ValidationError, match=f"{code} is not sold here"):
        TierIn.model_validate({"name": "Stalls", "price": {"amount": 5000, "currency": code}})
    fixed = {"code": "TENOFF", "kind": "fixed", "amount_off": 1000, "currency": code}
    with pytest.raises(ValidationError, match="not sold here"):
        CouponIn.model_validate(fixed)


@pytest.mark.parametrize("code", ["EUR", "GBP", "JPY", "VND", "IDR"])
def test_a_price_in_any_other_currency_is_taken(code: str) -> None:
    tier = TierIn.model_validate({"name": "Stalls", "price": {"amount": 5000, "currency": code}})
    assert tier.price.currency == code


def test_an_order_already_priced_in_such_a_currency_is_still_paid_for() -> None:
    """Prices set before the refusal keep selling: their payments must not be refused."""
    intent = IntentIn.model_validate(
        {"order_id": "ord_1", "amount": 12340, "currency": "KWD"}
        | {"customer_email": "a@example.com", "description": "ORD-1"}
    )
    assert intent.currency == "KWD"
