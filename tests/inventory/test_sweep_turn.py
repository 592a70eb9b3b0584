"""The hold sweeper's turn follows its interval: one replica sweeps once an interval (no
servers)."""

from __future__ import annotations

import pytest

from ticketing_inventory.service_layer.expiry import sweep_turn_ms


@pytest.mark.parametrize(("interval_s", "turn_ms"), [(1.0, 900), (5.0, 4500), (0.05, 100)])
def test_a_sweeping_replicas_turn_follows_the_sweep_interval(
    interval_s: float, turn_ms: int
) -> None:
    """A fixed 900 ms turn: with a 5 s interval every replica swept in a turn of its own (N sweeps
    an interval); with 0.2 s, one sweep every 0.9 s."""
    assert sweep_turn_ms(interval_s) == turn_ms
