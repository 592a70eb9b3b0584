"""Links in our e-mails, on the public address customers reach (the edge).

The order's access token rides in the URL fragment (``#token=…``): browsers never send a
fragment to a server, so it appears in no access log; the storefront page reads it."""

from __future__ import annotations

from urllib.parse import quote


def _page(public_base_url: str, kind: str, order_id: str, token: str) -> str:
    base = public_base_url.rstrip("/")
    return f"{base}/{kind}/{quote(order_id, safe='')}#token={quote(token, safe='')}"


def checkout_url(public_base_url: str, order_id: str, token: str) -> str:
    """An order's payment page (the storefront's ``/checkout/{order_id}``)."""
    return _page(public_base_url, "checkout", order_id, token)


def order_url(public_base_url: str, order_id: str, token: str) -> str:
    """An order's page with its tickets (the storefront's ``/orders/{order_id}``)."""
    return _page(public_base_url, "orders", order_id, token)


def performance_url(public_base_url: str, performance_id: str) -> str:
    """A performance's public page, without any order's token (what a calendar entry, which
    may be shared or synced, links to)."""
    return f"{public_base_url.rstrip('/')}/performances/{quote(performance_id, safe='')}"
