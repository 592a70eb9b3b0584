"""The web client's committed OpenAPI document is the platform's current one (the Vitest test
``web/src/api/schema.test.ts`` checks the generated types against this document)."""

from __future__ import annotations

import json

from scripts.export_openapi import DOCUMENT, rendered


def test_the_committed_openapi_document_is_up_to_date() -> None:
    assert DOCUMENT.read_text() == rendered(), "run `make openapi` and commit the result"


def test_the_document_declares_what_the_storefront_reads() -> None:
    schemas = json.loads(DOCUMENT.read_text())["components"]["schemas"]
    assert {"PublicEventOut", "PublicPerformanceOut", "SeatMapOut", "OrderOut"} <= schemas.keys()
    assert "time_zone" in schemas["PublicPerformanceOut"]["properties"]
