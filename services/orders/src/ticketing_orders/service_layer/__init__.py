"""Use cases of orders: each takes a command and works in units of work (no HTTP here)."""
