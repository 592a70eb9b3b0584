"""The inventory's one problem table: every refusal has its status, type and extra fields."""

from __future__ import annotations

import pytest

from ticketing_inventory.domain.catalogue import IllegalTransition, InvalidSeatFile, NotOnSale
from ticketing_inventory.domain.errors import (
    Conflict,
    HoldRefused,
    InventoryError,
    NotFound,
    Unavailable,
)
from ticketing_inventory.domain.holds import HoldStatus, Refusal, Refused
from ticketing_inventory.entrypoints.problems import HOLD_REFUSAL_STATUS, problem_of


@pytest.mark.parametrize("reason", list(Refusal))
def test_every_hold_refusal_has_a_client_status(reason: Refusal) -> None:
    problem = problem_of(HoldRefused(Refused(reason, "why")))
    assert problem.status == HOLD_REFUSAL_STATUS[reason]
    assert 400 <= problem.status < 600
    assert problem.to_dict()["type"].endswith("/" + reason.value)


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (NotFound.unknown("performance", "prf_1"), 404, "unknown-performance"),
        (NotFound.hold("hld_1"), 404, "hold-not-found"),
        (IllegalTransition("illegal-transition", "no"), 409, "illegal-transition"),
        (NotOnSale("sales-closed", "closed"), 409, "sales-closed"),
        (InvalidSeatFile("line 2: bad"), 422, "invalid-csv"),
        (Unavailable("terms-changing", "retry"), 503, "terms-changing"),
        (Conflict("invalid-time-zone", "bad zones", invalid=["event e: 'Mars'"]), 409, None),
    ],
)
def test_domain_errors_answer_their_status_and_type(
    error: InventoryError, status: int, code: str | None
) -> None:
    problem = problem_of(error)
    assert problem.status == status
    assert problem.code == (code or error.code)
    assert problem.detail == error.detail
    assert problem.extra == error.extra


def test_a_refusal_carries_what_the_client_needs_to_act() -> None:
    sold_out = problem_of(HoldRefused(Refused(Refusal.NOT_ENOUGH_LEFT, "only 2", available=2)))
    assert sold_out.to_dict()["available"] == 2
    taken = problem_of(HoldRefused(Refused(Refusal.SEAT_TAKEN, "taken", taken_seats=("s1",))))
    assert taken.to_dict()["taken_seats"] == ["s1"]
    limited = problem_of(HoldRefused(Refused(Refusal.TOO_MANY_HOLDS, "slow", retry_after_ms=1)))
    assert (limited.status, limited.extra["retry_after_s"]) == (429, 1)
    paying = Refused(Refusal.HOLD_NOT_ACTIVE, "is pinned", hold_status=HoldStatus.PINNED)
    assert problem_of(HoldRefused(paying)).to_dict()["hold_status"] == "pinned"
