"""The staff routes are in the gateway's merged OpenAPI document, for the generated web client."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.waiting import eventually

pytestmark = pytest.mark.infra
STAFF_PATHS = {
    "/v1/orders": "get",
    "/v1/orders/{order_id}/details": "get",
    "/v1/orders/box-office": "post",
    "/v1/orders/sales-summary": "get",
    "/v1/checkin/performances/{performance_id}/revocations": "get",
    "/v1/checkin/performances/{performance_id}/admissions": "get",
    "/v1/checkin/offline-scans": "post",
    "/v1/checkin/by-number": "post",
    "/v1/checkin/tickets/{ticket_id}/reset": "post",
    "/v1/admin/audit": "get",
}


async def test_every_staff_route_is_documented(gateway: httpx.AsyncClient) -> None:
    async def merged() -> dict[str, Any] | None:
        document: dict[str, Any] = (await gateway.get("/openapi.json")).json()
        paths = document["paths"]
        return document if all(m in paths.get(p, {}) for p, m in STAFF_PATHS.items()) else None

    document = await eventually(merged, timeout=70, what="the staff routes in the OpenAPI")
    assert document is not None
    sale = document["paths"]["/v1/orders/box-office"]["post"]
    schema = sale["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert schema.rsplit("/", 1)[-1] in document["components"]["schemas"]
    assert all(not path.startswith("/internal") for path in document["paths"]), (
        "internal routes stay out of the public document"
    )
