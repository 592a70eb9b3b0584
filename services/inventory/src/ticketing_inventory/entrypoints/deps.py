"""FastAPI's view of the inventory container (``service_layer/container.py``) and the roles."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from ticketing_inventory.service_layer.container import Inventory
from ticketing_runtime.identity import Identity, require_roles
from ticketing_runtime.service import app_state

__all__ = ["Admin", "Inventory", "InventoryDep", "Staff"]


InventoryDep = Annotated[Inventory, Depends(app_state("inventory"))]
Staff = Annotated[Identity, Depends(require_roles("staff"))]
Admin = Annotated[Identity, Depends(require_roles("admin"))]
