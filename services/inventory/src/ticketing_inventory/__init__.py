"""Ticketing inventory: catalogue, seat maps, holds in Redis, sales committed in Postgres."""
