"""Ticketing gateway: the public HTTP API (auth, problem+json errors, one OpenAPI document)."""
