"""The inventory's use cases: plain commands in, domain objects out, domain exceptions raised."""
