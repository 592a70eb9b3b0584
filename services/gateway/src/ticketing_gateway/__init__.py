"""Ticketing gateway service: the public HTTP API: auth, problem+json errors, one OpenAPI document; forwards to the services."""
