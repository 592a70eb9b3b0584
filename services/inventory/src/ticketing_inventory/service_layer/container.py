"""What the use cases work with: the database, the hold store, the sale terms cache, the
seat states the seat maps read (once a second at most), the seat maps built from them, and the
performances known to be public."""

from __future__ import annotations

from collections import OrderedDict
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
    #: performances this process saw public (never draft again, never deleted): a seat map's
    #: poll does not ask Postgres again whether it may be shown
    known_public: OrderedDict[str, None] = field(default_factory=OrderedDict)

    def __post_init__(self) -> None:
        self.seat_states = SeatStates(self.holds)
        self.seat_maps = SeatMaps(self.holds, self.seat_states)
