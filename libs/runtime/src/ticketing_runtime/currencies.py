"""How many decimals an amount in minor units has, as Stripe counts them, for every service
(and, in ``web/src/currencies.ts``, the web clients): an amount is sent to Stripe as it is
stored, so a page or an e-mail that counted otherwise would show one price and charge another
(``5000 IDR`` is Rp 50.00 to Stripe, Rp 5,000 to a browser's own currency data)."""

from __future__ import annotations

#: Stripe's zero-decimal currencies: 5000 JPY is ¥5,000
ZERO_DECIMAL = frozenset(
    (
        "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA",
        "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
    )
)  # fmt: skip
#: three decimals; Stripe charges and refunds them in tens only (the last digit 0)
THREE_DECIMAL = frozenset(("BHD", "JOD", "KWD", "OMR", "TND"))
#: Stripe's special cases: amounts it takes (or pays out) in whole units only, multiples of 100
#: in its counting
WHOLE_UNITS_ONLY = frozenset(("HUF", "ISK", "TWD", "UGX"))


def minor_unit_digits(currency: str) -> int:
    """Decimal places of an amount in ``currency`` (EUR 2, JPY 0, KWD 3)."""
    code = currency.upper()
    if code in ZERO_DECIMAL:
        return 0
    return 3 if code in THREE_DECIMAL else 2


def why_not_sold_in(currency: str) -> str | None:
    """Why prices cannot be set in ``currency`` (``None``: they can). Coupons and partial
    refunds split amounts to the minor unit, which Stripe refuses in these currencies: a sale
    in one would fail at payment or at its first refund."""
    code = currency.upper()
    if code in THREE_DECIMAL:
        return f"{code} is not sold here: Stripe takes its amounts in tens of the minor unit only"
    if code in WHOLE_UNITS_ONLY:
        return f"{code} is not sold here: Stripe takes its amounts in whole units only"
    return None
