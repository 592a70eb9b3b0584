"""FastAPI's view of the inventory container (``service_layer/container.py``) and the roles."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ticketing_inventory.service_layer.container import Inventory
from ticketing_runtime.identity import Identity, require_roles

__all__ = ["Admin", "Inventory", "InventoryDep", "Staff", "inventory"]


async def inventory(request: Request) -> Inventory:
    found: Inventory = request.app.state.inventory
    return found


InventoryDep = Annotated[Inventory, Depends(inventory)]
Staff = Annotated[Identity, Depends(require_roles("staff"))]
Admin = Annotated[Identity, Depends(require_roles("admin"))]
