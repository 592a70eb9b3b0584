"""``ticketing-contracts-export``: write the JSON Schema of every event into the library."""

from __future__ import annotations

import sys

from ticketing_contracts.catalog import ALL_EVENTS
from ticketing_contracts.schemas import incompatibilities, load_committed, schema_of, write_all


def main() -> None:
    refused = []
    for model in ALL_EVENTS:
        committed = load_committed(model.event_type)
        if committed is not None and (problems := incompatibilities(committed, schema_of(model))):
            refused.append(f"{model.event_type}: " + "; ".join(problems))
    if refused and "--force" not in sys.argv:
        print("incompatible changes need a new event version (…v2):", *refused, sep="\n  ")
        raise SystemExit(1)
    for path in write_all():
        print(path)
