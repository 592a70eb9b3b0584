"""What the use cases work with: the database, the hold store, the sale terms cache."""

from __future__ import annotations

from dataclasses import dataclass

from ticketing_inventory.adapters.hold_store import HoldStore
from ticketing_inventory.adapters.sale_terms import SaleTermsCache
from ticketing_runtime.database import Database


@dataclass
class Inventory:
    database: Database
    holds: HoldStore
    terms: SaleTermsCache
