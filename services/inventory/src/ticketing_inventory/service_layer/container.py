"""What the use cases work with: the database, the hold store, the sale terms cache, and the
seat states the seat maps read (once a second at most)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ticketing_inventory.adapters.hold_store import HoldStore
from ticketing_inventory.adapters.sale_terms import SaleTermsCache
from ticketing_inventory.adapters.seat_states import SeatStates
from ticketing_runtime.database import Database


@dataclass
class Inventory:
    database: Database
    holds: HoldStore
    terms: SaleTermsCache
    seat_states: SeatStates = field(init=False)

    def __post_init__(self) -> None:
        self.seat_states = SeatStates(self.holds)
