"""Who may sell when: buyers online within the sales window, the box office from publication
until the performance ends (no servers)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from ticketing_inventory.domain.catalogue import EventStatus, NotOnSale, SaleWindow, check_on_sale
from ticketing_inventory.entrypoints.problems import problem_of

STARTS = datetime(2027, 3, 1, 19, 30, tzinfo=UTC)
WINDOW = SaleWindow(
    event_status=EventStatus.PUBLISHED,
    performance_status="scheduled",
    starts_at=STARTS,
    sales_open_at=STARTS - timedelta(days=30),
    sales_close_at=STARTS - timedelta(hours=2),
    ends_at=STARTS + timedelta(hours=2),
)


def refusal(window: SaleWindow, now: datetime, *, at_desk: bool) -> str | None:
    try:
        check_on_sale(window, now, at_desk=at_desk)
    except NotOnSale as refused:
        return refused.code
    return None


@pytest.mark.parametrize(
    ("moment", "online", "desk"),
    [
        (STARTS - timedelta(days=31), "sales-not-open", None),
        (STARTS - timedelta(days=1), None, None),
        (STARTS - timedelta(hours=1), "sales-closed", None),
        (STARTS + timedelta(minutes=20), "performance-past", None),  # a latecomer at the desk
        (STARTS + timedelta(hours=2), "performance-past", "performance-past"),
    ],
)
def test_the_desk_sells_outside_the_online_window_until_the_performance_ends(
    moment: datetime, online: str | None, desk: str | None
) -> None:
    assert refusal(WINDOW, moment, at_desk=False) == online
    assert refusal(WINDOW, moment, at_desk=True) == desk


def test_nobody_sells_a_draft_or_a_cancelled_performance() -> None:
    now = STARTS - timedelta(days=1)
    draft = replace(WINDOW, event_status=EventStatus.DRAFT)
    cancelled = replace(WINDOW, performance_status="cancelled")
    for at_desk in (False, True):
        assert refusal(draft, now, at_desk=at_desk) == "performance-not-published"
        assert refusal(cancelled, now, at_desk=at_desk) == "performance-cancelled"


def test_terms_cached_before_the_window_kept_its_end_still_sell_at_the_desk() -> None:
    cached_earlier = replace(WINDOW, ends_at=None)
    assert refusal(cached_earlier, STARTS + timedelta(minutes=5), at_desk=True) is None


def test_a_sale_not_yet_open_says_when_to_come_back() -> None:
    """Buyers waiting for the opening second would otherwise ask again every second."""
    opens = WINDOW.sales_open_at
    with pytest.raises(NotOnSale) as early:
        check_on_sale(WINDOW, opens - timedelta(minutes=2, seconds=0.5), at_desk=False)
    assert early.value.extra == {"sales_open_at": opens.isoformat(), "retry_after_s": 121}
    answer = problem_of(early.value)
    assert (answer.status, answer.code, answer.extra["retry_after_s"]) == (
        409,
        "sales-not-open",
        121,
    )
