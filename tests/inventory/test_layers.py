"""The inventory's ``domain/`` and ``service_layer/`` know nothing of HTTP or messaging: no
FastAPI, Starlette, FastStream or ``Problem``, neither themselves nor through the modules of
the service they import (its adapters)."""

from __future__ import annotations

import pytest

from tests.inventory.layering import forbidden_imports, modules_under

LAYERS = ("domain", "service_layer")


def test_the_walk_sees_every_use_case_module() -> None:
    found = modules_under("ticketing_inventory", "service_layer")
    for use_case in ("catalogue", "holds", "sales", "rebuild", "reconciliation", "expiry"):
        assert f"ticketing_inventory.service_layer.{use_case}" in found


def test_the_walk_finds_a_forbidden_import_where_there_is_one() -> None:
    assert forbidden_imports("ticketing_inventory", "entrypoints")  # FastAPI lives there


@pytest.mark.parametrize("layer", LAYERS)
def test_no_http_or_messaging_below_the_entrypoints(layer: str) -> None:
    assert forbidden_imports("ticketing_inventory", layer) == []
