"""The hold a keyed placement makes: the same holder, performance and Idempotency-Key name the
same hold (a retry finds it); anything else another one, shaped as every hold id is."""

from __future__ import annotations

import re

from ticketing_inventory.domain.holds import hold_id_for
from ticketing_runtime.ids import new_id


def test_a_retry_names_the_same_hold_and_nothing_else_does() -> None:
    first = hold_id_for("ses_a", "prf_1", "key-0001")
    assert hold_id_for("ses_a", "prf_1", "key-0001") == first
    others = {
        hold_id_for("ses_b", "prf_1", "key-0001"),  # another session's key: never its hold
        hold_id_for("ses_a", "prf_2", "key-0001"),  # the key reused on another performance
        hold_id_for("ses_a", "prf_1", "key-0002"),
    }
    assert first not in others
    assert len(others) == 3


def test_it_is_shaped_as_a_random_hold_id() -> None:
    shape = re.compile(r"^hld_[A-Za-z0-9]{22}$")
    assert shape.match(hold_id_for("ses_a", "prf_1", "key-0001"))
    assert shape.match(new_id("hld"))
