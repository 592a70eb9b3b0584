"""Amounts in integer minor units, shown to people: 2500 EUR is ``€25.00``, 5000 JPY ``¥5,000``."""

from __future__ import annotations

from decimal import Decimal

from ticketing_runtime.currencies import minor_unit_digits

_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$", "JPY": "¥"}


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
