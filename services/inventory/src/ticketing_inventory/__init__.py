"""Ticketing inventory service: catalogue, seat maps, holds in Redis with TTL, sales committed in Postgres."""
