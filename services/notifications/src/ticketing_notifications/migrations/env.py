from ticketing_runtime.migrations import run_env

from ticketing_notifications.adapters.tables import metadata

run_env(metadata)
