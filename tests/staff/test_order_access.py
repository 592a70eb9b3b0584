"""Who may read an order: its token holder (in the header, never a query string) or staff who
handle orders. A door phone's scanner token read any order's customer and its tickets' PDF (QR
codes that still scan), and cancelled it; a token in ``?token=`` reached the access logs."""

from __future__ import annotations

import time

import httpx
import jwt
import pytest

from tests.support import catalogue
from tests.support.platform import staff_token
from tests.support.purchase import SCANNER, paid, place
from ticketing_runtime.identity import Identity, sign_identity
from ticketing_runtime.settings import ServiceSettings
from ticketing_runtime.signed_tokens import decode_hs256

pytestmark = pytest.mark.infra
STAFF = {"Authorization": f"Bearer {staff_token('staff')}"}


async def test_a_scanner_token_reads_and_cancels_no_order(gateway: httpx.AsyncClient) -> None:
    show = await catalogue.general_admission(gateway, capacity=5)
    unpaid = await place(gateway, show, quantity=1)
    order_id = unpaid.order["order_id"]

    for path in (f"/v1/orders/{order_id}", f"/v1/orders/{order_id}/tickets.pdf"):
        refused = await gateway.get(path, headers=SCANNER)
        assert refused.status_code == 404, (path, refused.text)  # as for a missing order
    cancel = await gateway.post(f"/v1/orders/{order_id}/cancel", headers=SCANNER)
    assert cancel.status_code == 404, cancel.text
    assert (await gateway.get(f"/v1/orders/{order_id}", headers=STAFF)).status_code == 200
    assert (await gateway.get(f"/v1/orders/{order_id}", headers=unpaid.token_header)).json()[
        "status"
    ] == "pending_payment"


async def test_an_order_token_in_a_query_string_opens_nothing(gateway: httpx.AsyncClient) -> None:
    show = await catalogue.general_admission(gateway, capacity=5)
    placed = await place(gateway, show, quantity=1)
    await paid(gateway, placed)
    order_id, token = placed.order["order_id"], placed.order["access_token"]

    in_query = await gateway.get(f"/v1/orders/{order_id}", params={"token": token})
    # refused as every unknown query parameter is, saying which
    assert in_query.status_code == 422, in_query.text
    assert in_query.headers["content-type"] == "application/problem+json"
    assert "token" in in_query.text
    assert (await gateway.get(f"/v1/orders/{order_id}", headers=placed.token_header)).is_success


def test_an_internal_identity_without_a_lifetime_is_refused() -> None:
    """Made with the shared secret but no ``exp``: it would have worked for ever."""
    secret = ServiceSettings(service_name="orders").internal_token_secret.get_secret_value()
    audience = jwt.decode(
        sign_identity(Identity(kind="service", subject="orders"), secret),
        options={"verify_signature": False},
    )["aud"]
    forever = jwt.encode(
        {"sub": "orders", "kind": "service", "roles": [], "aud": audience, "iat": int(time.time())},
        secret,
        algorithm="HS256",
    )
    with pytest.raises(jwt.MissingRequiredClaimError):
        decode_hs256(forever, secret, audience)
