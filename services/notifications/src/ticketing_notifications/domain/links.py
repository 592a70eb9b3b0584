"""Links in our e-mails, on the public address of the gateway."""

from __future__ import annotations


def checkout_url(public_base_url: str, order_id: str) -> str:
    """An order's payment page (the page payments' ``TICKETING_PAYMENT_PAGE_URL`` points to)."""
    return f"{public_base_url.rstrip('/')}/checkout/{order_id}"
