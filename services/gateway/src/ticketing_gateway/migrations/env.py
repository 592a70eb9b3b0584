from ticketing_runtime.migrations import run_env

from ticketing_gateway.adapters.tables import metadata

run_env(metadata)
