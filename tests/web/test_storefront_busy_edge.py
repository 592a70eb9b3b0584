"""The sale's opening second: the edge turns a hold away as a burst from one address, and the
storefront sends it again by itself after the edge's Retry-After, telling the buyer it is
trying, instead of showing an error to click through."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, expect

from tests.support import catalogue
from tests.support.edge import local_values, private_edge
from tests.support.platform import stack
from tests.web import flows
from tests.web.browser import DESKTOP, Visits
from tests.web.conftest import WEB_ROOT

pytestmark = pytest.mark.infra
UPSTREAMS = ("GATEWAY", "INVENTORY", "ORDERS", "PAYMENTS", "DOCUMENTS", "NOTIFICATIONS")


def busy_edge(folder: Path) -> dict[str, str]:
    """The edge's template in front of the running services, its hold ceiling at one hold per
    5 s an address with a burst of one (the public edge's is 50/s with a burst of 600)."""
    values = local_values(folder, "unused", TICKETING_EDGE_WEB_ROOT=str(WEB_ROOT))
    for service in UPSTREAMS:
        values[f"TICKETING_{service}_UPSTREAM"] = (
            f"127.0.0.1:{stack.PROCESSES[service.lower()].port}"
        )
    values.update(
        TICKETING_EDGE_MAX_BODY_BYTES="65536",
        TICKETING_EDGE_UPSTREAM_TIMEOUT_S="10",
        TICKETING_EDGE_HOLD_ADDRESS_RATE="12r/m",
        TICKETING_EDGE_HOLD_ADDRESS_BURST="1",
        TICKETING_EDGE_RETRY_AFTER_S="2",
    )
    return values


def hold_answers(access_log: Path) -> list[int]:
    lines = [json.loads(line) for line in access_log.read_text().splitlines() if line.strip()]
    return [
        int(e["status"]) for e in lines if e.get("method") == "POST" and e.get("uri") == "/v1/holds"
    ]


async def test_a_hold_the_edge_turns_away_is_sent_again_and_held(
    browser: Browser, storefront: str, gateway: httpx.AsyncClient, tmp_path: Path
) -> None:
    show = await catalogue.general_admission(gateway, capacity=10)
    values = busy_edge(tmp_path)
    with private_edge(values, tmp_path) as edge:
        context = await browser.new_context(base_url=edge, viewport=DESKTOP, locale="en-GB")
        try:
            page = await context.new_page()
            await flows.open_performance(page, Visits("busy-edge"), show.performance_id)
            await page.get_by_label("Floor").select_option("2")
            # other buyers at this address take the two holds the edge lets through for 5 s
            async with httpx.AsyncClient(base_url=edge) as neighbour:
                for _ in range(2):
                    taken = await neighbour.post("/v1/holds", json={})
                    assert taken.status_code != 429, taken.text
            await page.get_by_role("button", name="Reserve 2 tickets").click()
            await expect(
                page.get_by_text("Many people are buying right now: trying again in 2 s…")
            ).to_be_visible()
            await expect(page.get_by_text(re.compile(r"^2 \S Floor"))).to_be_visible()
            await expect(page.get_by_role("timer")).to_be_visible()
            await expect(page.get_by_role("alert")).to_have_count(0)
        finally:
            await context.close()
        answers = hold_answers(tmp_path / "access.log")
    assert 429 in answers[1:], answers
    assert answers[-1] == 201, answers
