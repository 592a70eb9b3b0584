"""What the inventory's routes and handlers share: the hold store, the cache, the database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from ticketing_inventory.adapters.hold_store import HoldStore
from ticketing_inventory.adapters.sale_terms import SaleTermsCache
from ticketing_runtime.database import Database
from ticketing_runtime.identity import Identity, require_roles


@dataclass
class Inventory:
    database: Database
    holds: HoldStore
    terms: SaleTermsCache


async def inventory(request: Request) -> Inventory:
    found: Inventory = request.app.state.inventory
    return found


InventoryDep = Annotated[Inventory, Depends(inventory)]
Staff = Annotated[Identity, Depends(require_roles("staff"))]
Admin = Annotated[Identity, Depends(require_roles("admin"))]
