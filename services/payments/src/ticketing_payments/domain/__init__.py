"""Domain layer: rules and state machines, no I/O."""
