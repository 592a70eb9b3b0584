"""What every ticketing service runs on (see the package modules)."""
