from ticketing_inventory.adapters.tables import metadata
from ticketing_runtime.migrations import run_env

run_env(metadata)
