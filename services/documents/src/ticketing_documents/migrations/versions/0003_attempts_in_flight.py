"""Attempts in flight: a worker that dies in one (a crash in native code, memory running out)
leaves it counted, and the work is parked after three such deaths instead of killing every
worker that claims it."""

from ticketing_runtime.migrations import attempts_in_flight_revision

revision, down_revision = "0003", "0002"
upgrade, downgrade = attempts_in_flight_revision()
