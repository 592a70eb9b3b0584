"""Amounts in integer minor units, shown to people: 2500 EUR is ``€25.00``, 5000 JPY ``¥5,000``."""

from __future__ import annotations

from decimal import Decimal

# ISO 4217 currencies whose minor unit is not the cent; every other currency has 2 decimals
_DECIMALS = {
    **dict.fromkeys(
        (
            "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW",
            "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
        ),
        0,
    ),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
    "CLF": 4,
    "UYW": 4,
}  # fmt: skip
_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$", "JPY": "¥"}


def minor_unit_digits(currency: str) -> int:
    """Decimal places of the currency's minor unit (EUR 2, JPY 0, KWD 3)."""
    return _DECIMALS.get(currency.upper(), 2)


def format_money(amount_minor: int, currency: str) -> str:
    """``€1,234.50`` for the currencies with a well-known symbol, else ``1,234.50 SEK``."""
    code = currency.upper()
    digits = minor_unit_digits(code)
    value = Decimal(amount_minor).scaleb(-digits)
    number = f"{abs(value):,.{digits}f}"
    sign = "-" if amount_minor < 0 else ""
    if code in _SYMBOLS:
        return f"{sign}{_SYMBOLS[code]}{number}"
    return f"{sign}{number} {code}"
