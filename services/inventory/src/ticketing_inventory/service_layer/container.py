"""What the use cases work with: the database, the hold store, the sale terms cache, the
seat states the seat maps read (once a second at most), and the seat maps built from them."""

from __future__ import annotations

from dataclasses import dataclass, field

from ticketing_inventory.adapters.hold_store import HoldStore
from ticketing_inventory.adapters.sale_terms import SaleTermsCache
from ticketing_inventory.adapters.seat_maps import SeatMaps
from ticketing_inventory.adapters.seat_states import SeatStates
from ticketing_runtime.database import Database


@dataclass
class Inventory:
    database: Database
    holds: HoldStore
    terms: SaleTermsCache
    seat_states: SeatStates = field(init=False)
    seat_maps: SeatMaps = field(init=False)

    def __post_init__(self) -> None:
        self.seat_states = SeatStates(self.holds)
        self.seat_maps = SeatMaps(self.holds, self.seat_states)
