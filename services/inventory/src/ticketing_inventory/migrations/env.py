from ticketing_runtime.migrations import run_env

from ticketing_inventory.adapters.tables import metadata

run_env(metadata)
